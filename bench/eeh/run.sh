#!/usr/bin/env bash
# Issue 4's benchmark: the EEH scenario for K PEs (default 2 4 6 8), Lockspec's
# scenario engine in process against Spin on the same protocol in Promela.
#
#   bench/eeh/run.sh [--runs N] [--shape fan|chain|binary] [--no-spin] [--cli] [K...]
#
# Builds the plugins when they are missing (./mvnw -B -o -q package -DskipTests;
# BENCH_BUILD=1 forces it), compiles bench/src against them into
# bench/target/classes, generates the specs and the Promela models into
# bench/target/eeh/K<k>/, and prints the table. Needs spin and gcc on the PATH
# (Debian: apt-get install spin) unless --no-spin.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
. "$root/releng/scripts/jdk.sh"
lockspec_pick_jdk || exit 2
plugins="$root/updatesite/target/repository/plugins"

if [ "${BENCH_BUILD:-}" = 1 ] || ! ls "$plugins"/org.lockspec.prover_*.jar >/dev/null 2>&1; then
  echo "bench: building the plugins (./mvnw -B -o -q package -DskipTests) ..." >&2
  "$root/mvnw" -B -o -q package -DskipTests >"$root/bench/target-build.log" 2>&1 \
    || { echo "bench: the build failed; see bench/target-build.log" >&2; exit 2; }
  rm -f "$root/bench/target-build.log"
fi
for a in "$@"; do
  if [ "$a" != --no-spin ]; then continue; fi
  nospin=1
done
if [ -z "${nospin:-}" ]; then
  command -v spin >/dev/null || { echo "bench: spin is not installed (apt-get install spin), or pass --no-spin" >&2; exit 2; }
  command -v gcc >/dev/null || { echo "bench: gcc is not installed" >&2; exit 2; }
fi

classes="$root/bench/target/classes"
rm -rf "$classes" && mkdir -p "$classes"
"$JAVA_HOME/bin/javac" -nowarn -d "$classes" -cp "$plugins/*" $(find "$root/bench/src" -name '*.java')

jvm_opts=(-Xss64m -XX:+UseSerialGC)       # as ./lockspec runs the CLI
[ "$(lockspec_java_major "$JAVA_HOME/bin/java")" -ge 23 ] 2>/dev/null && jvm_opts+=(--sun-misc-unsafe-memory-access=allow)
[ "$(lockspec_java_major "$JAVA_HOME/bin/java")" -ge 22 ] 2>/dev/null && jvm_opts+=(--enable-native-access=ALL-UNNAMED)
exec "$JAVA_HOME/bin/java" "${jvm_opts[@]}" ${BENCH_JVM_OPTS:-} -cp "$classes:$plugins/*" \
  org.lockspec.bench.EehBench --root "$root" "$@"
