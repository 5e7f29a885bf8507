package org.lockspec.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.lockspec.workspace.Problem;
import org.lockspec.workspace.SpecSet;

/**
 * 2,000 random token deletions, duplications and swaps of the examples, each
 * parsed, linked and validated: no exception may escape or be logged, and every
 * diagnostic has a position inside the file.
 */
class MutationSmokeTest {

	static final int MUTANTS = 2000;

	@Test
	void mutantsNeverBreakTheChecker() throws Exception {
		List<String> sources = new ArrayList<>();
		for (Path p : Examples.all()) {
			sources.add(Files.readString(p));
		}
		Random random = new Random(20261121L);
		Path dir = Files.createTempDirectory("lockspec-mutants");
		int diagnostics = 0;
		try (LoggedErrors logged = LoggedErrors.start()) {
			for (int i = 0; i < MUTANTS; i++) {
				String source = sources.get(random.nextInt(sources.size()));
				String mutant = Mutants.tokens(source, random, 1 + random.nextInt(3));
				Path file = dir.resolve("mutant" + i + ".lockspec");
				Files.writeString(file, mutant);
				SpecSet set;
				try {
					set = SpecSet.load(List.of(file), List.of());
				} catch (RuntimeException | Error e) {
					throw new AssertionError("mutant " + i + " threw " + e + "\n---\n" + mutant, e);
				}
				int lines = (int) mutant.chars().filter(c -> c == '\n').count() + 1;
				for (Problem p : set.results().get(0).problems()) {
					assertTrue(p.line() >= 1 && p.line() <= lines && p.column() >= 1,
							() -> "mutant position out of the file: " + p.format());
					assertTrue(!SpecSet.INTERNAL.equals(p.code()), () -> "internal error on mutant:\n" + p.format()
							+ "\n---\n" + mutant);
					diagnostics++;
				}
				Files.delete(file);
			}
			assertEquals(List.of(), logged.errors(), "errors logged while checking mutants");
		} finally {
			deleteTree(dir);
		}
		assertTrue(diagnostics > MUTANTS / 2, "most mutants should be wrong somewhere: " + diagnostics);
		System.out.println("mutation smoke: " + MUTANTS + " mutants, " + diagnostics + " diagnostics, no exception");
	}

	private static void deleteTree(Path dir) throws IOException {
		try (var s = Files.walk(dir)) {
			for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(p);
			}
		}
	}
}
