package org.lockspec.prover.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lockspec.prover.solver.LazySolver;
import org.lockspec.tests.Examples;
import org.lockspec.tests.RandomSpecs;
import org.lockspec.workspace.SpecFiles;

/**
 * The differential oracle ({@link Oracle}) on a fixed range of random specs
 * ({@link RandomSpecs}): every engine's conclusions held against the others'.
 * A fast slice runs the explicit search and the static checks on many specs; a
 * full slice adds the inductive check and Z3's BMC on fewer. Every disagreement
 * ever found is a spec under {@code oracle-regressions/}, checked in full.
 * {@code -Dlockspec.oracle.specs=N} and {@code -Dlockspec.oracle.full=N} change
 * the slices; {@code bench/oracle/run.sh} is the long run.
 */
class OracleTest {

	static final int FAST = Integer.getInteger("lockspec.oracle.specs", 1000);
	static final int FULL = Integer.getInteger("lockspec.oracle.full", 12);
	/** The first seed of the fixed range (any change to RandomSpecs changes what each seed means). */
	static final long FIRST = 1;
	private static LazySolver solver;

	@BeforeAll
	static void start() {
		solver = new LazySolver();
	}

	@AfterAll
	static void stop() {
		solver.close();
	}

	@Test
	void theSameSeedGivesTheSameSpec() {
		assertEquals(RandomSpecs.generate(42), RandomSpecs.generate(42));
		assertTrue(!RandomSpecs.generate(42).equals(RandomSpecs.generate(43)));
	}

	@Test
	void fastSliceAgrees(@TempDir Path dir) throws Exception {
		List<Oracle.Disagreement> found = new ArrayList<>();
		for (long seed = FIRST; seed < FIRST + FAST; seed++) {
			found.addAll(Oracle.check(seed, RandomSpecs.generate(seed), dir, solver, Oracle.Depth.FAST));
		}
		assertEquals(List.of(), found, () -> found.size() + " disagreements in " + FAST + " specs");
	}

	@Test
	void fullSliceAgrees(@TempDir Path dir) throws Exception {
		List<Oracle.Disagreement> found = new ArrayList<>();
		for (long seed = FIRST + 100_000; seed < FIRST + 100_000 + FULL; seed++) {
			found.addAll(Oracle.check(seed, RandomSpecs.generate(seed), dir, solver, Oracle.Depth.FULL));
		}
		assertEquals(List.of(), found, () -> found.size() + " disagreements in " + FULL + " specs");
	}

	static Path regressions() {
		return Examples.root().resolve("bundles/org.lockspec.prover.tests/oracle-regressions");
	}

	static Stream<Path> regressionSpecs() {
		return SpecFiles.below(regressions()).stream();
	}

	@Test
	void regressionsAreThere() throws Exception {
		assertTrue(Files.isDirectory(regressions()) && !SpecFiles.below(regressions()).isEmpty(),
				"no oracle regression specs in " + regressions());
	}

	/** Each disagreement the oracle found once, kept: the engines must agree on it now. */
	@ParameterizedTest(name = "{0}")
	@MethodSource("regressionSpecs")
	void regressionAgrees(Path spec) {
		List<Oracle.Disagreement> found = Oracle.check(0, spec, solver, Oracle.Depth.FULL);
		assertEquals(List.of(), found);
	}
}
