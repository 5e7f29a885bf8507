#!/usr/bin/env bash
# The lock-order check's precision table (issue 20): every spec in the repo
# (or in the directories given), and how many of the cycles lockdep's
# class-level view reports are deadlocks and how many cannot deadlock
# (lockdep_only), before the CPU search (all reported as deadlocks) and after.
#
#   bench/precision/run.sh [DIR...]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
bench_setup precision
classes="$root/bench/target/precision/classes"
bench_compile "$classes" "$root/bench/precision/PrecisionBench.java"
[ $# -gt 0 ] || set -- spec-examples docs bundles/org.lockspec.prover.tests/selftests \
  bundles/org.lockspec.prover.tests/oracle-regressions bundles/org.lockspec.prover.tests/inductive \
  bundles/org.lockspec.generator.tests/specs bundles/org.lockspec.tests/formatting
exec "$JAVA_HOME/bin/java" "${jvm_opts[@]}" -cp "$classes:$plugins/*" PrecisionBench "$@"
