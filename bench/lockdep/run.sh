#!/usr/bin/env bash
# Lock order at lockdep scale (issue 3's benchmark). Builds the plugins if needed,
# compiles the harness against them and prints the table. Usage: bench/lockdep/run.sh [runs]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$root/releng/scripts/jdk.sh"
lockspec_pick_jdk
plugins="$root/updatesite/target/repository/plugins"
if ! ls "$plugins"/org.lockspec.prover_*.jar >/dev/null 2>&1; then
  "$root/mvnw" -B -q package -DskipTests
fi
out="$root/bench/target/lockdep"
mkdir -p "$out"
"$JAVA_HOME/bin/javac" -nowarn -d "$out" -cp "$plugins/*" "$root/bench/lockdep/LockdepBench.java"
opts=(--enable-native-access=ALL-UNNAMED)
[ "$(lockspec_java_major "$JAVA_HOME/bin/java")" -ge 23 ] && opts+=(--sun-misc-unsafe-memory-access=allow)
exec "$JAVA_HOME/bin/java" "${opts[@]}" -Xss64m -cp "$plugins/*:$out" LockdepBench "${1:-5}"
