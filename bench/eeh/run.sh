#!/usr/bin/env bash
# Issue 4's benchmark: the EEH scenario for K PEs (default 2 4 6 8), Lockspec's
# scenario engine in process against Spin on the same protocol in Promela.
#
#   bench/eeh/run.sh [--runs N] [--warmup-seconds S] [--shape fan|chain|binary] [--no-spin] [--cli] [K...]
#
# Builds the plugins when they are missing or older than the sources
# (./mvnw -B -o -q package -DskipTests; BENCH_BUILD=1 forces it), compiles bench/src against them into
# bench/target/classes, generates the specs and the Promela models into
# bench/target/eeh/K<k>/, and prints the table. Needs spin and gcc on the PATH
# (Debian: apt-get install spin) unless --no-spin.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
. "$root/releng/scripts/jdk.sh"
lockspec_pick_jdk || exit 2
plugins="$root/updatesite/target/repository/plugins"

# (re)build when the plugins are missing or older than the sources, as ./lockspec does
stale() {
  local jar; jar="$(ls "$plugins"/org.lockspec.prover_*.jar 2>/dev/null | head -1)"
  [ -n "$jar" ] || return 0
  [ -n "$(find "$root/bundles" "$root/pom.xml" "$root/releng" -newer "$jar" \
      \( -name '*.java' -o -name '*.xtext' -o -name '*.mwe2' -o -name 'MANIFEST.MF' -o -name 'pom.xml' -o -name '*.target' \) \
      -not -path '*/target/*' -not -path '*/src-gen/*' -not -path '*.tests/*' -print -quit 2>/dev/null)" ]
}
if [ "${BENCH_BUILD:-}" = 1 ] || stale; then
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

if [ -z "${nospin:-}" ]; then
  mkdir -p "$root/bench/target"
  gcc -O2 -o "$root/bench/target/timeit" "$root/bench/eeh/timeit.c"
fi

classes="$root/bench/target/classes"
rm -rf "$classes" && mkdir -p "$classes"
"$JAVA_HOME/bin/javac" -nowarn -d "$classes" -cp "$plugins/*" $(find "$root/bench/src" -name '*.java')

jvm_opts=(-Xss64m -XX:+UseSerialGC)       # as ./lockspec runs the CLI
[ "$(lockspec_java_major "$JAVA_HOME/bin/java")" -ge 23 ] 2>/dev/null && jvm_opts+=(--sun-misc-unsafe-memory-access=allow)
[ "$(lockspec_java_major "$JAVA_HOME/bin/java")" -ge 22 ] 2>/dev/null && jvm_opts+=(--enable-native-access=ALL-UNNAMED)
exec "$JAVA_HOME/bin/java" "${jvm_opts[@]}" ${BENCH_JVM_OPTS:-} -cp "$classes:$plugins/*" \
  org.lockspec.bench.EehBench --root "$root" "$@"
