#!/usr/bin/env bash
# Lock graph diagrams at lockdep scale (issue 6's benchmark): the lockdep
# benchmark's generated specs (bench/lockdep/LockdepBench.java: 8,191 classes,
# 32,768 acquire edges), proved and drawn (graph, ELK layout, SVG, XMI).
# Builds the plugins if needed, compiles the harness against them and prints
# the table. Usage: [LIMIT=N] bench/diagram/run.sh [runs]   (LIMIT: draw up to N classes
# and 4N dependencies instead of the product's limits, to see what the layout costs)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$root/releng/scripts/jdk.sh"
lockspec_pick_jdk
plugins="$root/updatesite/target/repository/plugins"
if ! ls "$plugins"/org.lockspec.diagram_*.jar >/dev/null 2>&1; then
  "$root/mvnw" -B -q package -DskipTests
fi
out="$root/bench/target/diagram"
mkdir -p "$out"
"$JAVA_HOME/bin/javac" -nowarn -d "$out" -cp "$plugins/*" "$root/bench/lockdep/LockdepBench.java" \
  "$root/bench/diagram/DiagramBench.java"
opts=(--enable-native-access=ALL-UNNAMED)
[ "$(lockspec_java_major "$JAVA_HOME/bin/java")" -ge 23 ] && opts+=(--sun-misc-unsafe-memory-access=allow)
[ -n "${LIMIT:-}" ] && opts+=("-Dlimit=$LIMIT")
exec "$JAVA_HOME/bin/java" "${opts[@]}" -Xss64m -cp "$plugins/*:$out" DiagramBench "${1:-5}" "$out"
