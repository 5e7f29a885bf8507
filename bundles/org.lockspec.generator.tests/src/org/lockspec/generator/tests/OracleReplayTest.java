package org.lockspec.generator.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockspec.generator.JavaGenerator;
import org.lockspec.tests.Examples;
import org.lockspec.tests.RandomSpecs;
import org.lockspec.workspace.SpecFiles;

/**
 * The differential oracle's last leg: every counterexample the scenario engine
 * finds in a random spec ({@link RandomSpecs}) is replayed by the generated Java
 * (its replay test forces the interleaving on the runtime's kernel locks,
 * refcounts and lists) and must fail there the same way. A replay that does not
 * reproduce is a disagreement between the engine and the generated code.
 * {@code -Dlockspec.oracle.replays=N} changes how many specs.
 */
class OracleReplayTest {

	static final int SPECS = Integer.getInteger("lockspec.oracle.replays", 25);

	@Test
	void everyCounterexampleOfRandomSpecsReplaysInTheGeneratedJava(@TempDir Path dir) throws Exception {
		List<Path> files = new ArrayList<>();
		for (long seed = 200_001; seed < 200_001 + SPECS; seed++) {
			files.add(Files.writeString(dir.resolve("s" + seed + ".lockspec"), RandomSpecs.generate(seed)));
		}
		// and every disagreement the oracle ever found
		for (Path p : SpecFiles.below(Examples.root().resolve("bundles/org.lockspec.prover.tests/oracle-regressions"))) {
			files.add(Files.copy(p, dir.resolve(p.getFileName())));
		}
		List<JavaGenerator.Proved> specs = Generated.load(files);
		JavaGenerator.Output out = Generated.generate(specs, dir);
		List<String> classes = Generated.writeAndCompile(out, dir);
		Map<String, Generated.Outcome> outcomes = Generated.run(dir.resolve("classes"), classes);
		List<String> failed = new ArrayList<>();
		int replays = 0;
		for (Generated.Outcome o : outcomes.values()) {
			replays += o.test().endsWith("#stress") ? 0 : 1;
			if (!o.passed()) {
				failed.add(o.test() + ": " + o.failure());
			}
		}
		System.out.println("oracle replays: " + SPECS + " random specs, " + outcomes.size() + " generated tests ("
				+ replays + " replays), " + failed.size() + " failed");
		assertTrue(failed.isEmpty(), () -> failed.size() + " replays did not reproduce:\n" + String.join("\n", failed));
		assertTrue(replays > SPECS, "too few counterexamples replayed: " + replays);
	}
}
