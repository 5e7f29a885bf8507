package org.lockspec.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockspec.tests.Examples;
import org.lockspec.tests.Mutants;
import org.lockspec.workspace.SpecFiles;

/**
 * A slice of the fuzzer through {@code lockspec prove} ({@link FuzzProve}):
 * mutants of every spec in the repository, of every kind, with no internal
 * error, no hang and no error without its position. {@code bench/fuzz} runs
 * tens of thousands ({@code -Dlockspec.fuzz.mutants=N} here).
 */
class FuzzProveTest {

	static final int MUTANTS = Integer.getInteger("lockspec.fuzz.mutants", 300);

	/** Every spec of the repository: the seeds, the lockdep self-tests, the oracle's regressions. */
	static List<Path> sources() {
		List<Path> all = new ArrayList<>(Examples.all());
		all.addAll(SpecFiles.below(Examples.root().resolve("bundles/org.lockspec.prover.tests/selftests")));
		all.addAll(SpecFiles.below(Examples.root().resolve("bundles/org.lockspec.prover.tests/oracle-regressions")));
		return all;
	}

	@Test
	void mutantsThroughProveNeverCrashHangOrLoseTheirPosition(@TempDir Path dir) throws Exception {
		List<String> texts = new ArrayList<>();
		for (Path p : sources()) {
			texts.add(Files.readString(p));
		}
		assertTrue(texts.size() >= 100, "expected the repository's specs, found " + texts.size());
		Random random = new Random(20261206L);
		FuzzProve.Tally tally = new FuzzProve.Tally();
		for (int i = 0; i < MUTANTS; i++) {
			Mutants.Mutant m = Mutants.of(texts.get(random.nextInt(texts.size())), random);
			tally.add(FuzzProve.run(m, dir.resolve("mutant.lockspec")), "mutant " + i + " (" + m.kind() + ")");
		}
		System.out.println("fuzz through prove:\n" + tally);
		assertEquals(List.of(), tally.faults, tally::toString);
		assertTrue(tally.proved > MUTANTS / 10, () -> "too few mutants reached the prover:\n" + tally);
	}
}
