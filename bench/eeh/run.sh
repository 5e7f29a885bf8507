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
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
bench_setup eeh
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
bench_compile "$classes" $(find "$root/bench/eeh/src" -name '*.java')

# BENCH_ENGINE_REV=<git revision>: measure that revision's scenario engine (the
# package org.lockspec.prover.mc, compiled against the current plugins and put
# first on the class path), e.g. the engine before a change, for before/after.
# It is compiled with javac, the plugins with Eclipse's compiler, whose bytecode
# the JIT treats differently (at K = 32, up to 1.5x apart): compare two revisions
# both ways, e.g. BENCH_ENGINE_REV=HEAD against BENCH_ENGINE_REV=<before>.
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

exec "$JAVA_HOME/bin/java" "${jvm_opts[@]}" ${BENCH_JVM_OPTS:-} -cp "$cp" \
  org.lockspec.bench.EehBench --root "$root" --timeit "$root/bench/target/eeh/timeit" "$@"
