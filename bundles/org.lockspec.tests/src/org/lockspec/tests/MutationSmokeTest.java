package org.lockspec.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
	private static final Pattern TOKEN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*|0[xX][0-9a-fA-F]+|[0-9]+|==>|==|!=|<=|>=|&&|\\|\\||\\.\\*|\\S");

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
				String mutant = mutate(source, random, 1 + random.nextInt(3));
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

	static String mutate(String source, Random random, int times) {
		List<int[]> tokens = new ArrayList<>();
		Matcher m = TOKEN.matcher(source);
		while (m.find()) {
			tokens.add(new int[] { m.start(), m.end() });
		}
		String text = source;
		for (int t = 0; t < times && !tokens.isEmpty(); t++) {
			int[] a = tokens.get(random.nextInt(tokens.size()));
			int[] b = tokens.get(random.nextInt(tokens.size()));
			String ta = text.substring(a[0], a[1]);
			text = switch (random.nextInt(3)) {
			case 0 -> text.substring(0, a[0]) + text.substring(a[1]); // delete
			case 1 -> text.substring(0, a[1]) + " " + ta + text.substring(a[1]); // duplicate
			default -> {
				if (a[0] == b[0]) {
					yield text;
				}
				int[] first = a[0] < b[0] ? a : b;
				int[] second = a[0] < b[0] ? b : a;
				if (first[1] > second[0]) {
					yield text;
				}
				yield text.substring(0, first[0]) + text.substring(second[0], second[1])
						+ text.substring(first[1], second[0]) + text.substring(first[0], first[1])
						+ text.substring(second[1]); // swap
			}
			};
			// token offsets moved: re-tokenise for the next mutation
			tokens.clear();
			m = TOKEN.matcher(text);
			while (m.find()) {
				tokens.add(new int[] { m.start(), m.end() });
			}
		}
		return text;
	}

	private static void deleteTree(Path dir) throws IOException {
		try (var s = Files.walk(dir)) {
			for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(p);
			}
		}
	}
}
