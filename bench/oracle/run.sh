#!/usr/bin/env bash
# The differential oracle's long run (issue 16): random specs (RandomSpecs),
# every engine's conclusions held against the others' (the tests' Oracle), and
# the seed of every disagreement printed, its spec kept under
# bench/target/oracle/disagreements/. The tests run a fixed slice of the same.
#
#   bench/oracle/run.sh [--specs N] [--seed S] [--full-every K] [--only TEXT]
#
# --specs: how many (default 10000); --seed: the first seed (default: the
# time); --full-every K: every K-th spec also gets the inductive check and Z3's
# BMC cross-check (default 20; 1: all; 0: none); --only TEXT: of those seeds,
# check only the specs whose text contains TEXT (a construct's slice, such as
# 'release rel'). Exit code 1 if anything disagreed.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
bench_setup oracle
classes="$root/bench/target/oracle/classes"
bench_compile "$classes" "$root/bench/oracle/src/org/lockspec/bench/OracleBench.java" \
  "$root/bundles/org.lockspec.tests/src/org/lockspec/tests/RandomSpecs.java" \
  "$root/bundles/org.lockspec.prover.tests/src/org/lockspec/prover/tests/Oracle.java"
exec "$JAVA_HOME/bin/java" "${jvm_opts[@]}" ${BENCH_JVM_OPTS:-} -cp "$classes:$plugins/*" \
  org.lockspec.bench.OracleBench --out "$root/bench/target/oracle" "$@"
