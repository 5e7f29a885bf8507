package org.lockspec.generator.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockspec.generator.JavaGenerator;
import org.lockspec.runtime.Stress;
import org.lockspec.tests.Examples;

/**
 * The five seeds, buggy and fixed: their Java generates (the same bytes twice),
 * compiles without a warning, and its tests pass: the fixed forms' stress
 * tests run at least 100,000 times in all with no validator report, and every
 * counterexample the prover finds in the buggy forms is reproduced by its
 * replay test. The tests that ran, and how, are golden ({@code golden/seed-tests.txt}).
 */
class SeedsTest {

	@Test
	void seedsGenerateCompileAndTheirTestsShowWhatTheProverFound(@TempDir Path dir) throws Exception {
		List<Path> files = Examples.all();
		List<JavaGenerator.Proved> specs = Generated.load(files);
		JavaGenerator.Output out = Generated.generate(specs, Examples.root());
		assertEquals(out, Generated.generate(Generated.load(files), Examples.root()), "the generator is not deterministic");
		List<String> classes = Generated.writeAndCompile(out, dir);
		long before = Stress.totalIterations();
		Map<String, Generated.Outcome> outcomes = Generated.run(dir.resolve("classes"), classes);
		long stressed = Stress.totalIterations() - before;
		StringBuilder report = new StringBuilder();
		List<String> failed = new ArrayList<>();
		for (var e : new TreeMap<>(outcomes).entrySet()) {
			report.append(e.getKey()).append(e.getValue().passed() ? " passed" : " FAILED").append('\n');
			if (!e.getValue().passed()) {
				failed.add(e.getKey() + ": " + e.getValue().failure());
			}
		}
		assertTrue(failed.isEmpty(), () -> "generated tests failed:\n" + String.join("\n", failed));
		assertTrue(stressed >= 100_000, "the fixed forms' stress tests ran " + stressed + " times, not 100,000");
		Path golden = Path.of(Examples.root().toString(), "bundles/org.lockspec.generator.tests/golden/seed-tests.txt");
		if (Boolean.getBoolean("lockspec.golden.update")) {
			Files.writeString(golden, report.toString());
		}
		assertEquals(Files.readString(golden), report.toString(), "the seed tests that ran changed");
	}
}
