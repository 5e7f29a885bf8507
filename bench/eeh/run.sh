#!/usr/bin/env bash
# Issue 4's benchmark: the EEH scenario for K PEs (default 2 4 6 8), Lockspec's
# scenario engine in process against Spin on the same protocol in Promela.
#
#   bench/eeh/run.sh [--runs N] [--warmup-seconds S] [--shape fan|chain|binary] [--no-spin] [--cli] [--bmc] [K...]
#
# Builds the plugins when they are missing or older than the sources
# (./mvnw -B -o -q package -DskipTests; BENCH_BUILD=1 forces it), compiles
# bench/eeh/src against them into bench/target/eeh/classes, generates the specs
# and the Promela models into bench/target/eeh/K<k>/, and prints the tables.
# Needs spin and gcc on the PATH (Debian: apt-get install spin) unless
# --no-spin. --bmc also runs every scenario through Z3's bounded model checking
# (the cross-check of lockspec prove --cross-check) and prints its times.
# BENCH_JVM_OPTS adds JVM options; BENCH_ENGINE_REV measures another
# revision's scenario engine (below).
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
  mkdir -p "$root/bench/target"
  "$root/mvnw" -B -o -q package -DskipTests >"$root/bench/target/eeh-build.log" 2>&1 \
    || { echo "bench: the build failed; see bench/target/eeh-build.log" >&2; exit 2; }
  rm -f "$root/bench/target/eeh-build.log"
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
  mkdir -p "$root/bench/target/eeh"
  gcc -O2 -o "$root/bench/target/eeh/timeit" "$root/bench/eeh/timeit.c"
fi

classes="$root/bench/target/eeh/classes"
rm -rf "$classes" && mkdir -p "$classes"
"$JAVA_HOME/bin/javac" -nowarn -d "$classes" -cp "$plugins/*" $(find "$root/bench/eeh/src" -name '*.java')

# BENCH_ENGINE_REV=<git revision>: measure that revision's scenario engine (the
# package org.lockspec.prover.mc, compiled against the current plugins and put
# first on the class path), e.g. the engine before a change, for before/after
engine=()
if [ -n "${BENCH_ENGINE_REV:-}" ]; then
  rev="$(git -C "$root" rev-parse --short "$BENCH_ENGINE_REV")"
  src="$root/bench/target/eeh/engine-$rev/src"; out="$root/bench/target/eeh/engine-$rev/classes"
  rm -rf "$src" "$out" && mkdir -p "$src" "$out"
  mc=bundles/org.lockspec.prover/src/org/lockspec/prover/mc
  for f in $(git -C "$root" ls-tree --name-only "$rev" "$mc/"); do
    git -C "$root" show "$rev:$f" >"$src/$(basename "$f")"
  done
  "$JAVA_HOME/bin/javac" -nowarn -d "$out" -cp "$plugins/*" "$src"/*.java
  engine=("$out")
  echo "bench: the scenario engine of $rev" >&2
fi
cp="$(IFS=:; echo "${engine[*]:+${engine[*]}:}$classes:$plugins/*")"

jvm_opts=(-Xss64m -XX:+UseSerialGC)       # as ./lockspec runs the CLI
[ "$(lockspec_java_major "$JAVA_HOME/bin/java")" -ge 23 ] 2>/dev/null && jvm_opts+=(--sun-misc-unsafe-memory-access=allow)
[ "$(lockspec_java_major "$JAVA_HOME/bin/java")" -ge 22 ] 2>/dev/null && jvm_opts+=(--enable-native-access=ALL-UNNAMED)
exec "$JAVA_HOME/bin/java" "${jvm_opts[@]}" ${BENCH_JVM_OPTS:-} -cp "$cp" \
  org.lockspec.bench.EehBench --root "$root" --timeit "$root/bench/target/eeh/timeit" "$@"
