package org.lockspec.prover.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lockspec.verdict.SpecResult;
import org.lockspec.tests.Examples;

/**
 * The seed examples' verdicts, golden: every example proves as its expect
 * clauses announce, and the report equals the {@code .expected} file beside it
 * (verdicts, counterexamples, expectations). Rewrite the expected files with
 * {@code -Dlockspec.golden.update=true} after a deliberate change, and review the diff.
 */
class ExamplesProofTest {

	static Stream<Path> examples() {
		return Examples.all().stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("examples")
	void provesAsExpected(Path spec) {
		SpecResult r = SpecProofs.prove(spec, Examples.all());
		assertEquals(SpecResult.Outcome.AS_EXPECTED, r.outcome(), () -> SpecProofs.text(r));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("examples")
	void reportMatchesItsGoldenFile(Path spec) throws IOException {
		String actual = SpecProofs.text(SpecProofs.prove(spec, Examples.all()));
		Path golden = spec.resolveSibling(spec.getFileName().toString().replace(".lockspec", ".expected"));
		if (Boolean.getBoolean("lockspec.golden.update")) {
			Files.writeString(golden, actual);
		}
		assertTrue(Files.exists(golden), () -> "no golden report " + golden + "; run once with -Dlockspec.golden.update=true"
				+ " and review it:\n" + actual);
		assertEquals(Files.readString(golden), actual, () -> "the report of " + spec + " changed");
	}
}
