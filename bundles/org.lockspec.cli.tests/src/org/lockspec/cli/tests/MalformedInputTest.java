package org.lockspec.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lockspec.tests.Examples;

/**
 * Bad input through the command line: every malformed file gives diagnostics
 * with line:col, the documented exit code (1 errors in a spec, 2 unreadable
 * input), and nothing throws. The committed corpus is golden
 * ({@code malformed/expected.txt}: exit code, first position and code).
 */
class MalformedInputTest {

	static final Pattern DIAGNOSTIC = Pattern.compile("^(.+):(\\d+):(\\d+): (error|warning|info): (.+)$");
	static final Pattern SUMMARY = Pattern.compile("^checked \\d+ files?: \\d+ clean, \\d+ errors?, \\d+ warnings?$");
	static final Pattern MORE = Pattern.compile("^.+: \\.\\.\\. and \\d+ more problems$");

	static Path corpus() {
		return Examples.root().resolve("bundles/org.lockspec.cli.tests/malformed");
	}

	/** name -> "exit first-line:col first-code" */
	static Map<String, String> expected() throws IOException {
		Map<String, String> map = new LinkedHashMap<>();
		for (String line : Files.readAllLines(corpus().resolve("expected.txt"))) {
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			String[] parts = line.trim().split("\\s+", 2);
			map.put(parts[0], parts[1]);
		}
		return map;
	}

	static Stream<Arguments> corpusFiles() throws IOException {
		Map<String, String> expected = expected();
		List<Arguments> args = new ArrayList<>();
		try (var s = Files.list(corpus())) {
			for (Path p : s.filter(f -> f.toString().endsWith(".lockspec")).sorted().toList()) {
				args.add(Arguments.of(p.getFileName().toString(), expected.get(p.getFileName().toString())));
			}
		}
		assertTrue(args.size() >= 30, "the malformed corpus has " + args.size() + " files, expected at least 30");
		return args.stream();
	}

	/** Checks one run: well-formed output only, positions inside the file, no stack trace. */
	static List<Matcher> assertWellFormed(Cli cli, String text) {
		assertFalse(cli.err().contains("Exception") || cli.err().contains("\tat "), cli::toString);
		int lines = text == null ? Integer.MAX_VALUE : (int) text.chars().filter(c -> c == '\n').count() + 1;
		List<Matcher> diagnostics = new ArrayList<>();
		for (String line : cli.outLines()) {
			Matcher m = DIAGNOSTIC.matcher(line);
			if (m.matches()) {
				int l = Integer.parseInt(m.group(2));
				assertTrue(l >= 1 && l <= lines && Integer.parseInt(m.group(3)) >= 1, () -> "position outside the file: " + line);
				diagnostics.add(m);
			} else {
				assertTrue(SUMMARY.matcher(line).matches() || MORE.matcher(line).matches(),
						() -> "unexpected output line: " + line + "\n" + cli);
			}
		}
		return diagnostics;
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("corpusFiles")
	void corpusFileGivesItsGoldenDiagnostic(String name, String expected) throws IOException {
		Path file = corpus().resolve(name);
		Cli cli = Cli.run("check", file.toString());
		List<Matcher> ds = assertWellFormed(cli, Files.readString(file));
		assertFalse(ds.isEmpty(), cli::toString);
		String actual = cli.exit() + " " + ds.get(0).group(2) + ":" + ds.get(0).group(3) + " "
				+ ds.get(0).group(5).replaceAll(".*\\[(.+)\\]$", "$1");
		assertEquals(expected, actual, () -> name + " (golden line in malformed/expected.txt)\n" + cli);
	}

	@Test
	void emptyFile(@TempDir Path dir) throws IOException {
		Path f = Files.writeString(dir.resolve("empty.lockspec"), "");
		Cli cli = Cli.run("check", f.toString());
		assertEquals(1, cli.exit(), cli::toString);
		List<Matcher> ds = assertWellFormed(cli, "");
		assertEquals("1", ds.get(0).group(2));
		assertTrue(ds.get(0).group(5).contains("'spec'"), cli::toString);
	}

	@Test
	void whitespaceAndCommentsOnly(@TempDir Path dir) throws IOException {
		Path f = Files.writeString(dir.resolve("blank.lockspec"), "\n\n  // nothing here\n/* or here */\n");
		Cli cli = Cli.run("check", f.toString());
		assertEquals(1, cli.exit(), cli::toString);
		assertFalse(assertWellFormed(cli, null).isEmpty());
	}

	@Test
	void binaryGarbage(@TempDir Path dir) throws IOException {
		byte[] bytes = new byte[4096];
		new Random(7).nextBytes(bytes);
		bytes[100] = 0;
		Path f = Files.write(dir.resolve("garbage.lockspec"), bytes);
		Cli cli = Cli.run("check", f.toString());
		assertEquals(2, cli.exit(), cli::toString);
		List<Matcher> ds = assertWellFormed(cli, null);
		assertTrue(ds.get(0).group(5).contains("not a UTF-8 text file"), cli::toString);
	}

	@Test
	void nulByteInText(@TempDir Path dir) throws IOException {
		Path f = Files.writeString(dir.resolve("nul.lockspec"), "spec t\nlock m : mu\0tex\n");
		Cli cli = Cli.run("check", f.toString());
		assertEquals(2, cli.exit(), cli::toString);
		List<Matcher> ds = assertWellFormed(cli, null);
		assertEquals("2:12", ds.get(0).group(2) + ":" + ds.get(0).group(3), cli::toString);
	}

	@Test
	void latin1InsteadOfUtf8(@TempDir Path dir) throws IOException {
		Path f = Files.write(dir.resolve("latin1.lockspec"), "spec t // m\u00fctex\n".getBytes(StandardCharsets.ISO_8859_1));
		Cli cli = Cli.run("check", f.toString());
		assertEquals(2, cli.exit(), cli::toString);
		assertWellFormed(cli, null);
	}

	@Test
	void fiveMegabyteFile(@TempDir Path dir) throws IOException {
		StringBuilder sb = new StringBuilder("spec big\nlock m : mutex\nobject O { field x : int  lock l : spinlock }\n");
		int line = 4;
		int i = 0;
		while (sb.length() < 5 * 1024 * 1024) {
			sb.append("op f").append(i++).append("(o: O) {\n  lock o.l\n  o.x = o.x + 1\n  unlock o.l\n}\n");
			line += 5;
		}
		sb.append("op broken() {\n  lock m read\n}\n");
		Path f = Files.writeString(dir.resolve("big.lockspec"), sb);
		long start = System.nanoTime();
		Cli cli = Cli.run("check", f.toString());
		long ms = (System.nanoTime() - start) / 1_000_000;
		System.out.println("5 MB spec (" + i + " ops, " + sb.length() + " bytes) checked in " + ms + " ms");
		assertEquals(1, cli.exit(), cli::toString);
		List<Matcher> ds = assertWellFormed(cli, sb.toString());
		assertEquals(1, ds.size(), cli::toString);
		assertEquals(String.valueOf(line + 1), ds.get(0).group(2), cli::toString);
	}

	@Test
	void deeplyNestedExpression(@TempDir Path dir) throws IOException {
		int depth = 200_000;
		String text = "spec deep\ninvariant i: " + "(".repeat(depth) + "true" + ")".repeat(depth) + "\n";
		Path f = Files.writeString(dir.resolve("deep.lockspec"), text);
		Cli cli = Cli.run("check", f.toString());
		assertTrue(cli.exit() == 0 || cli.exit() == 2, cli::toString);
		List<Matcher> ds = assertWellFormed(cli, text);
		assertEquals(cli.exit() == 0, ds.isEmpty(), cli::toString);
	}

	@Test
	void truncatedExamples(@TempDir Path dir) throws IOException {
		int runs = 0;
		int failing = 0;
		for (Path example : Examples.all()) {
			String text = Files.readString(example);
			for (int k = 1; k <= 9; k++) {
				String cut = text.substring(0, text.length() * k / 10);
				Path f = Files.writeString(dir.resolve("cut" + runs++ + ".lockspec"), cut);
				Cli cli = Cli.run("check", f.toString());
				assertTrue(cli.exit() == 0 || cli.exit() == 1, cli::toString);
				List<Matcher> ds = assertWellFormed(cli, cut);
				assertEquals(cli.exit() == 1, ds.stream().anyMatch(m -> m.group(4).equals("error")), cli::toString);
				failing += cli.exit();
			}
		}
		assertTrue(failing > runs / 2, "most truncations must be errors: " + failing + " of " + runs);
	}

	@Test
	void manyFilesAtOnceKeepGoingPastBadOnes(@TempDir Path dir) throws IOException {
		Files.writeString(dir.resolve("a.lockspec"), "spec a\nlock m : mutex\n");
		Files.write(dir.resolve("b.lockspec"), new byte[] { 0, 1, 2, (byte) 0xff });
		Files.writeString(dir.resolve("c.lockspec"), "spec c\nlock m : mutex\nop f() { lock m read }\n");
		Cli cli = Cli.run("check", dir.toString());
		assertEquals(2, cli.exit(), "unreadable input wins over findings\n" + cli);
		List<Matcher> ds = assertWellFormed(cli, null);
		assertEquals(2, ds.size(), cli::toString);
		assertTrue(ds.get(0).group(1).endsWith("b.lockspec") && ds.get(1).group(1).endsWith("c.lockspec"), cli::toString);
	}
}
