package org.lockspec.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.lockspec.tests.Examples;

/**
 * The docs cannot rot: every code block of README.md and docs/*.md that claims
 * something is checked, in document order (a command's output may be a later
 * block's file).
 * <ul>
 * <li>{@code lockspec}: a whole spec, which must check without errors
 * ({@code lockspec check}, warnings allowed); {@code lockspec prelude}: the
 * same, and the spec the doc's fragments are checked in; {@code lockspec
 * fragment}: declarations, appended to the prelude; {@code lockspec statements}:
 * the body of an op {@code example(pf: PciDev, bus: PciBus) in process} in the
 * prelude;</li>
 * <li>any block with {@code file=PATH}: the file's text, verbatim
 * ({@code @project.version@} read as the project's version); with
 * {@code excerpt=PATH}: lines the file holds, in a row; a {@code lockspec} one's
 * file must check too;</li>
 * <li>{@code console}: each {@code $ ./lockspec ...} line is run from the
 * checkout's root as a user runs it (the CLI the build made, so this bundle
 * builds after the update site), and its output must be the lines that follow,
 * verbatim but for trailing blanks; a line {@code ...} stands for lines left
 * out; {@code # exit N} after a command is its exit code (0 otherwise).</li>
 * </ul>
 * It fails when it finds no such block at all.
 */
class DocsTest {

	private static final Pattern FENCE = Pattern.compile("^```(\\S*)\\s*(.*)$");
	private static final Pattern EXIT = Pattern.compile("\\s+#\\s*exit\\s+(\\d+)\\s*$");
	private static final String STATEMENTS_OP = "op example(pf: PciDev, bus: PciBus) in process {";
	private static final long TIMEOUT = 300;

	/** A fenced code block: where it is, its info string, its lines. */
	record Block(Path doc, int line, String language, String attributes, List<String> lines) {
		String where() {
			return Examples.root().relativize(doc) + ":" + line;
		}

		String attribute(String name) {
			Matcher m = Pattern.compile("(?:^|\\s)" + name + "=(\\S+)").matcher(attributes);
			return m.find() ? m.group(1) : null;
		}

		boolean flag(String name) {
			return Arrays.asList(attributes.split("\\s+")).contains(name);
		}

		String text() {
			return String.join("\n", lines) + "\n";
		}
	}

	static List<Path> docs() throws IOException {
		List<Path> docs = new ArrayList<>(List.of(Examples.root().resolve("README.md")));
		try (Stream<Path> s = Files.list(Examples.root().resolve("docs"))) {
			s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
		}
		return docs;
	}

	static List<Block> blocks(Path doc) throws IOException {
		List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
		List<Block> out = new ArrayList<>();
		for (int i = 0; i < lines.size(); i++) {
			Matcher open = FENCE.matcher(lines.get(i));
			if (!open.matches()) {
				continue;
			}
			int start = i;
			List<String> body = new ArrayList<>();
			for (i++; i < lines.size() && !lines.get(i).equals("```"); i++) {
				body.add(lines.get(i));
			}
			assertTrue(i < lines.size(), doc + ":" + (start + 1) + ": a code block that is never closed");
			out.add(new Block(doc, start + 1, open.group(1), open.group(2), body));
		}
		return out;
	}

	private static boolean checked(Block b) {
		return b.language().equals("lockspec") || b.language().equals("console") || b.attribute("file") != null
				|| b.attribute("excerpt") != null;
	}

	@Test
	void theDocsHaveCheckedSnippets() throws IOException {
		int specs = 0;
		int commands = 0;
		for (Path doc : docs()) {
			for (Block b : blocks(doc)) {
				specs += b.language().equals("lockspec") ? 1 : 0;
				commands += b.language().equals("console") ? (int) b.lines().stream().filter(l -> l.startsWith("$ ")).count() : 0;
			}
		}
		assertTrue(specs >= 10, "lockspec blocks found in the docs: " + specs);
		assertTrue(commands >= 5, "commands found in the docs: " + commands);
		assertTrue(Files.isRegularFile(Examples.root().resolve("docs/LANGUAGE.md"))
				&& Files.isRegularFile(Examples.root().resolve("docs/TUTORIAL.md")), "the language reference and the tutorial");
	}

	@TestFactory
	Stream<DynamicTest> everySnippetHolds() throws IOException {
		List<DynamicTest> tests = new ArrayList<>();
		for (Path doc : docs()) {
			String[] prelude = { null };
			for (Block b : blocks(doc)) {
				if (checked(b)) {
					tests.add(DynamicTest.dynamicTest(b.where() + " " + b.language() + " " + b.attributes(),
							() -> check(b, prelude)));
				}
			}
		}
		assertTrue(!tests.isEmpty(), "no checked snippet in the docs");
		return tests.stream();
	}

	private static void check(Block b, String[] prelude) throws Exception {
		if (b.attribute("file") != null) {
			assertEquals(withoutTrailingBlanks(fileText(b.attribute("file"))), withoutTrailingBlanks(b.text()),
					b.where() + ": not the text of " + b.attribute("file"));
		}
		if (b.attribute("excerpt") != null) {
			String file = withoutTrailingBlanks(fileText(b.attribute("excerpt")));
			assertTrue(file.contains(withoutTrailingBlanks(b.text())), b.where() + ": these lines are not in "
					+ b.attribute("excerpt") + " (in a row):\n" + b.text());
		}
		if (b.language().equals("lockspec")) {
			checkSpec(b, prelude);
		} else if (b.language().equals("console")) {
			for (Command c : commands(b)) {
				c.run();
			}
		}
	}

	// ---------------------------------------------------------------- specs

	private static void checkSpec(Block b, String[] prelude) throws Exception {
		String named = b.attribute("file") != null ? b.attribute("file") : b.attribute("excerpt");
		String text;
		if (named != null) {
			text = fileText(named);
		} else if (b.flag("fragment") || b.flag("statements")) {
			assertNotNull(prelude[0], b.where() + ": a fragment, but no 'lockspec prelude' block before it");
			text = prelude[0] + "\n" + (b.flag("fragment") ? b.text() : STATEMENTS_OP + "\n" + b.text() + "}\n");
		} else {
			text = b.text();
		}
		if (b.flag("prelude")) {
			prelude[0] = b.text();
		}
		Path dir = Files.createTempDirectory("lockspec-docs-");
		Path file = Files.writeString(dir.resolve("snippet.lockspec"), text);
		Cli cli = Cli.run("check", file.toString());
		assertEquals(0, cli.exit(), () -> b.where() + ": the snippet does not check\n" + cli + "--- as checked:\n" + text);
		Files.delete(file);
		Files.delete(dir);
	}

	// ------------------------------------------------------------- commands

	/** One {@code $ ./lockspec ...} line of a console block and the output lines after it. */
	record Command(Block block, String line, List<String> expected) {
		void run() throws Exception {
			Matcher exit = EXIT.matcher(line);
			int expectedExit = exit.find() ? Integer.parseInt(exit.group(1)) : 0;
			String command = EXIT.matcher(line).replaceFirst("").strip();
			List<String> words = List.of(command.split("\\s+"));
			if (!words.get(0).equals("./lockspec") || command.contains("\"") || command.contains("'")) {
				fail(block.where() + ": only plain ./lockspec commands are run: " + command);
			}
			Path root = Examples.root();
			List<String> argv = new ArrayList<>(List.of(root.resolve("lockspec").toString()));
			argv.addAll(words.subList(1, words.size()));
			Path err = Files.createTempFile("lockspec-docs-", ".err");
			ProcessBuilder pb = new ProcessBuilder(argv).directory(root.toFile()).redirectError(err.toFile());
			pb.environment().put("LOCKSPEC_NO_BUILD", "1");
			pb.environment().put("JAVA_HOME", Path.of(ProcessHandle.current().info().command().orElseThrow()).getParent()
					.getParent().toString());
			Process p = pb.start();
			p.getOutputStream().close();
			String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!p.waitFor(TIMEOUT, TimeUnit.SECONDS)) {
				p.destroyForcibly();
				fail(block.where() + ": '" + command + "' did not finish in " + TIMEOUT + " s");
			}
			String stderr = Files.readString(err);
			Files.delete(err);
			String context = block.where() + ": $ " + command + "\n--- stdout\n" + out + "--- stderr\n" + stderr;
			assertEquals(expectedExit, p.exitValue(), () -> "exit code\n" + context);
			assertOutput(expected, out.lines().map(String::stripTrailing).toList(), context);
		}
	}

	static List<Command> commands(Block b) {
		List<Command> out = new ArrayList<>();
		String line = null;
		List<String> expected = new ArrayList<>();
		for (String l : b.lines()) {
			if (l.startsWith("$ ")) {
				if (line != null) {
					out.add(new Command(b, line, expected));
				}
				line = l.substring(2);
				expected = new ArrayList<>();
			} else {
				assertNotNull(line, b.where() + ": a console block starts with '$ ' and a command");
				expected.add(l.stripTrailing());
			}
		}
		if (line != null) {
			out.add(new Command(b, line, expected));
		}
		return out;
	}

	/**
	 * {@code actual} is {@code expected}, where a line {@code ...} stands for any
	 * number of lines: the runs between them appear in order, the first at the
	 * start and the last at the end unless a {@code ...} stands there.
	 */
	static void assertOutput(List<String> expected, List<String> actual, String context) {
		if (!expected.contains("...")) {
			assertEquals(String.join("\n", expected), String.join("\n", actual), () -> "output\n" + context);
			return;
		}
		List<List<String>> runs = new ArrayList<>();
		runs.add(new ArrayList<>());
		for (String l : expected) {
			if (l.equals("...")) {
				runs.add(new ArrayList<>());
			} else {
				runs.get(runs.size() - 1).add(l);
			}
		}
		int at = 0;
		for (int r = 0; r < runs.size(); r++) {
			List<String> run = runs.get(r);
			boolean first = r == 0;
			boolean last = r == runs.size() - 1;
			int found = first ? (startsAt(actual, run, 0) ? 0 : -1) : indexOf(actual, run, at);
			if (last && !run.isEmpty()) {
				found = actual.size() - run.size() >= at && startsAt(actual, run, actual.size() - run.size())
						? actual.size() - run.size() : -1;
			}
			if (found < 0) {
				fail("these lines are not in the output" + (first ? " at its start" : last ? " at its end" : "")
						+ ":\n" + String.join("\n", run) + "\n" + context);
			}
			at = found + run.size();
		}
	}

	private static int indexOf(List<String> actual, List<String> run, int from) {
		for (int i = from; i + run.size() <= actual.size(); i++) {
			if (startsAt(actual, run, i)) {
				return i;
			}
		}
		return -1;
	}

	private static boolean startsAt(List<String> actual, List<String> run, int i) {
		return i >= 0 && i + run.size() <= actual.size() && actual.subList(i, i + run.size()).equals(run);
	}

	// ---------------------------------------------------------------- files

	/** A file of the checkout, with {@code @project.version@} read as the project's version. */
	private static String fileText(String relative) throws IOException {
		Path file = Examples.root().resolve(relative);
		assertTrue(Files.isRegularFile(file), relative + " is missing");
		return Files.readString(file).replace("@project.version@", projectVersion());
	}

	private static String projectVersion() throws IOException {
		Matcher m = Pattern.compile("<artifactId>org\\.lockspec\\.parent</artifactId>\\s*<version>([^<]+)</version>")
				.matcher(Files.readString(Examples.root().resolve("pom.xml")));
		assertTrue(m.find(), "the parent pom's version");
		return m.group(1);
	}

	private static String withoutTrailingBlanks(String text) {
		return text.lines().map(String::stripTrailing).reduce("", (a, l) -> a + l + "\n").stripTrailing() + "\n";
	}
}
