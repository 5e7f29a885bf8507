package org.lockspec.prover.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lockspec.verdict.SpecResult;
import org.lockspec.tests.Examples;
import org.lockspec.workspace.SpecFiles;

/**
 * lockdep's self-tests as specs (selftests/README.md): AA, ABBA, ABBCCA, ABCABC,
 * ABBCCDDA for every kind and mode, read/write recursion, IRQ inversions, the
 * wait-context table, hygiene, path conditions and per-instance order. Each
 * states its verdict; the prover must give exactly that.
 */
class SelftestsTest {

	static Path dir() {
		return Examples.root().resolve("bundles/org.lockspec.prover.tests/selftests");
	}

	static Stream<Path> selftests() {
		return SpecFiles.below(dir()).stream();
	}

	@Test
	void suiteIsThere() {
		List<Path> all = SpecFiles.below(dir());
		assertTrue(all.size() >= 90, "expected the lockdep self-test suite, found " + all.size() + " specs in " + dir());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("selftests")
	void verdictIsTheExpectedOne(Path spec) {
		SpecResult r = SpecProofs.prove(spec, List.of());
		assertEquals(SpecResult.Outcome.AS_EXPECTED, r.outcome(), () -> SpecProofs.text(r));
	}
}
