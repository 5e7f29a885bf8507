#!/usr/bin/env bash
# The fuzzer's long run (issue 16): mutants of every spec in the repository
# (bundles/org.lockspec.tests Mutants: typos, lines, truncation, braces, deep
# nesting, long names, bytes that are not UTF-8 and NUL, CRLF and CR-only, keywords
# as names, grown specs) through `lockspec prove --timeout 10` in process, judged
# as the tests judge a slice of them (FuzzProve): no internal error, no hang, every
# error with its file:line:col. Prints the counts table; every mutant that fails
# is kept under bench/target/fuzz/faults/ with its seed.
#
#   bench/fuzz/run.sh [--mutants N] [--seed S]       (default 10000 mutants)
#
# Exit code 1 if any mutant failed.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
bench_setup fuzz
classes="$root/bench/target/fuzz/classes"
tests="$root/bundles/org.lockspec.cli.tests/src/org/lockspec/cli/tests"
bench_compile "$classes" "$root/bench/fuzz/src/org/lockspec/bench/FuzzBench.java" \
  "$root/bundles/org.lockspec.tests/src/org/lockspec/tests/Mutants.java" \
  "$root/bundles/org.lockspec.tests/src/org/lockspec/tests/LoggedErrors.java" "$tests/FuzzProve.java" "$tests/Cli.java"
exec "$JAVA_HOME/bin/java" "${jvm_opts[@]}" ${BENCH_JVM_OPTS:-} -cp "$classes:$plugins/*" \
  org.lockspec.bench.FuzzBench --root "$root" --out "$root/bench/target/fuzz" "$@"
