package org.lockspec.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher runs the real command line on the bundles this plugin carries. */
class LauncherTest {

	@Test
	void argumentsMapTheParametersOntoLockspecGenerate() {
		assertEquals(List.of("generate", "specs", "--out", "o", "--test-out", "t", "--relative-to", "b", "--package", "com.acme"),
				Launcher.arguments(new File("specs"), new File("o"), new File("t"), new File("b"), " com.acme "));
		assertEquals(List.of("generate", "specs", "--out", "o", "--test-out", "t", "--relative-to", "b"),
				Launcher.arguments(new File("specs"), new File("o"), new File("t"), new File("b"), null));
	}

	@Test
	void generatesASeedWithTheBundledCommandLine(@TempDir Path dir) throws Exception {
		Path root = Path.of(System.getProperty("lockspec.root", "..")).toAbsolutePath();
		Path specs = root.resolve("spec-examples/002-aer-sriov");
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		int code = Launcher.run(Launcher.libraries(), Launcher.arguments(specs.toFile(), dir.resolve("main").toFile(),
				dir.resolve("test").toFile(), root.toFile(), null), new PrintWriter(out, true), new PrintWriter(err, true));
		assertEquals(0, code, () -> out + "\n" + err);
		assertTrue(out.toString().startsWith("generated 2 specs"), out::toString);
		String ops = Files.readString(dir.resolve("main/pci/aer_sriov/buggy/Ops.java"));
		assertTrue(ops.contains("from spec-examples/002-aer-sriov/buggy.lockspec"), "spec files are cited relative to the project");
		assertTrue(Files.isRegularFile(dir.resolve("test/pci/aer_sriov/fixed/VfRemovedDuringAerTest.java")));
	}

	@Test
	void badInputFailsWithTheSpecsPlace(@TempDir Path dir) throws Exception {
		Files.writeString(dir.resolve("k.lockspec"), "spec t.k\nobject Dev { field while_ : int\n field this : int }\n");
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		int code = Launcher.run(Launcher.libraries(), Launcher.arguments(dir.toFile(), dir.resolve("o").toFile(),
				dir.resolve("t").toFile(), dir.toFile(), null), new PrintWriter(out, true), new PrintWriter(err, true));
		assertEquals(2, code, () -> out + "\n" + err);
		assertTrue(err.toString().contains("k.lockspec:3:2: error: the feature name 'this' is a Java keyword"), err::toString);
		assertTrue(!Files.exists(dir.resolve("o")) || Files.list(dir.resolve("o")).findAny().isEmpty());
	}
}
