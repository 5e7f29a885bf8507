package org.lockspec.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockspec.tests.Examples;

/** {@code lockspec generate}: Java and JUnit tests from specs; exit codes 0/2; nothing written on error. */
class GenerateCommandTest {

	private static Map<String, String> tree(Path dir) throws IOException {
		Map<String, String> out = new LinkedHashMap<>();
		if (!Files.exists(dir)) {
			return out;
		}
		try (Stream<Path> s = Files.walk(dir)) {
			for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
				out.put(dir.relativize(p).toString(), Files.readString(p));
			}
		}
		return out;
	}

	@Test
	void theExamplesGenerateTheSameBytesTwice(@TempDir Path dir) throws Exception {
		Cli cli = Cli.run("generate", Examples.examplesDir().toString(), "--out", dir.resolve("a").toString(), "--package",
				"org.example");
		assertEquals(0, cli.exit(), cli::toString);
		assertTrue(cli.out().matches("(?s)generated " + Examples.all().size() + " specs: \\d+ source files in .*"),
				cli::toString);
		Map<String, String> a = tree(dir.resolve("a"));
		assertTrue(a.containsKey("org/example/pci/aer_sriov/buggy/ProbeVsAerTest.java"), a.keySet()::toString);
		assertTrue(a.get("org/example/pci/aer_sriov/buggy/Ops.java")
				.contains("Kernel.stepToWrite(40, () -> world.pci_bus_sem); // lock pci_bus_sem write"));
		Cli again = Cli.run("generate", Examples.examplesDir().toString(), "--out", dir.resolve("b").toString(),
				"--test-out", dir.resolve("t").toString(), "--package", "org.example");
		assertEquals(0, again.exit(), again::toString);
		Map<String, String> b = tree(dir.resolve("b"));
		b.putAll(tree(dir.resolve("t")));
		assertEquals(a, b, "the same specs gave different files");
		assertFalse(tree(dir.resolve("b")).keySet().stream().anyMatch(k -> k.endsWith("Test.java")), "tests went to --out");
	}

	@Test
	void aJavaKeywordIsAnInputErrorAndNothingIsWritten(@TempDir Path dir) throws Exception {
		Path f = Files.writeString(dir.resolve("kw.lockspec"),
				"spec t.kw\nobject Dev {\n  field int_ : int\n  field switch : bool\n}\n");
		Path out = dir.resolve("out");
		Cli cli = Cli.run("generate", f.toString(), "--out", out.toString());
		assertEquals(2, cli.exit(), cli::toString);
		assertTrue(cli.err().contains("kw.lockspec:4:3: error: the feature name 'switch' is a Java keyword"), cli::toString);
		assertTrue(cli.err().contains("nothing was generated"), cli::toString);
		assertFalse(cli.err().contains("\tat "), "a stack trace on user input");
		assertEquals(Map.of(), tree(out));
	}

	@Test
	void usageAndInputErrorsExitTwo(@TempDir Path dir) throws Exception {
		Path f = Files.writeString(dir.resolve("bad.lockspec"), "spec t.bad\nop a() { lock Nope }\n");
		Cli broken = Cli.run("generate", f.toString(), "--out", dir.resolve("o").toString());
		assertEquals(2, broken.exit(), broken::toString);
		assertTrue(broken.err().contains("bad.lockspec:2:"), broken::toString);
		Cli noOut = Cli.run("generate", Examples.examplesDir().toString());
		assertEquals(2, noOut.exit(), noOut::toString);
		assertTrue(noOut.err().contains("--out"), noOut::toString);
		Cli badPackage = Cli.run("generate", Examples.examplesDir().toString(), "--out", dir.resolve("o").toString(),
				"--package", "org.new");
		assertEquals(2, badPackage.exit(), badPackage::toString);
		assertTrue(badPackage.err().contains("'new' is a Java keyword"), badPackage::toString);
		Path file = Files.writeString(dir.resolve("afile"), "x");
		Cli outIsFile = Cli.run("generate", Examples.examplesDir().toString(), "--out", file.toString());
		assertEquals(2, outIsFile.exit(), outIsFile::toString);
		assertEquals(Map.of(), tree(dir.resolve("o")));
	}
}
