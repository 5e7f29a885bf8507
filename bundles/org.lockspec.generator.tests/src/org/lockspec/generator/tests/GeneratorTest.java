package org.lockspec.generator.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockspec.generator.GenerationException;
import org.lockspec.generator.JavaGenerator;
import org.lockspec.generator.OutputTree;
import org.lockspec.tests.Examples;

/** The generated text (golden), names Java refuses, and output that stays in its directory, all or nothing. */
class GeneratorTest {

	static final String GOOD = """
			spec t.good
			lock L : mutex
			object Dev {
			  field n : int guarded_by L
			}
			op bump(d: Dev) in process {
			  lock L
			  d.n = d.n + 1
			  unlock L
			}
			scenario two {
			  d : Dev
			  thread a : bump(d)
			  thread b : bump(d)
			  expect safe
			}
			""";

	@Test
	void theJavaOfSeed002BuggyIsGolden() throws Exception {
		Path spec = Examples.examplesDir().resolve("002-aer-sriov/buggy.lockspec");
		JavaGenerator.Output out = Generated.generate(Generated.load(List.of(spec)), Examples.root());
		StringBuilder text = new StringBuilder();
		for (JavaGenerator.GeneratedFile f : out.main()) {
			text.append("=== main/").append(f.path()).append('\n').append(f.content());
		}
		for (JavaGenerator.GeneratedFile f : out.test()) {
			text.append("=== test/").append(f.path()).append('\n').append(f.content());
		}
		Path golden = Examples.root().resolve("bundles/org.lockspec.generator.tests/golden/aer-sriov-buggy.txt");
		if (Boolean.getBoolean("lockspec.golden.update")) {
			Files.writeString(golden, text);
		}
		assertTrue(Files.exists(golden), "no golden file " + golden + "; run with -Dlockspec.golden.update=true");
		assertEquals(Files.readString(golden), text.toString(), "the generated Java of seed 002 changed");
	}

	/**
	 * Every statement kind (with, trylock, else if, choose, while, for, wait until,
	 * queue, assert, gates, completions, refcounts, runtime PM calls, enums, preempt_rt): the Java compiles
	 * without a warning, the safe scenario's stress test passes, and the replay of
	 * the other's counterexample (a branch of a choose) breaks the invariant.
	 */
	@Test
	void everyConstructCompilesAndItsTestsPass(@TempDir Path dir) throws Exception {
		Path spec = Examples.root().resolve("bundles/org.lockspec.generator.tests/specs/constructs.lockspec");
		JavaGenerator.Output out = Generated.generate(Generated.load(List.of(spec)), Examples.root());
		OutputTree.write(out, dir.resolve("src"), dir.resolve("src"));
		List<String> diagnostics = Generated.compile(dir.resolve("src"), dir.resolve("classes"));
		assertTrue(diagnostics.isEmpty(), () -> String.join("\n", diagnostics));
		String before = System.getProperty("lockspec.stress.iterations");
		System.setProperty("lockspec.stress.iterations", "500");
		try {
			var outcomes = Generated.run(dir.resolve("classes"), List.of("t.constructs.TwoAddersTest", "t.constructs.OddTotalTest"));
			assertEquals(List.of("t.constructs.OddTotalTest#invariant_total_even", "t.constructs.TwoAddersTest#stress"),
					outcomes.keySet().stream().sorted().toList());
			for (var o : outcomes.values()) {
				assertTrue(o.passed(), o.test() + ": " + o.failure());
			}
		} finally {
			if (before == null) {
				System.clearProperty("lockspec.stress.iterations");
			} else {
				System.setProperty("lockspec.stress.iterations", before);
			}
		}
		String test = out.test().stream().filter(f -> f.path().endsWith("OddTotalTest.java")).findFirst().orElseThrow()
				.content();
		assertTrue(test.contains("Replay.chooses(0, "), test);
	}

	private static GenerationException refused(Path dir, String spec) throws IOException {
		Path f = Files.writeString(dir.resolve("t.lockspec"), spec);
		return assertThrows(GenerationException.class, () -> Generated.generate(Generated.load(List.of(f)), dir));
	}

	@Test
	void namesJavaDoesNotAllowAreRefusedWithTheirPlace(@TempDir Path dir) throws Exception {
		GenerationException e = refused(dir, GOOD.replace("field n : int", "field default : int").replace("d.n", "d.default"));
		assertTrue(e.getMessage().startsWith("t.lockspec:4:3: error: the feature name 'default' is a Java keyword"),
				e.getMessage());
		e = refused(dir, GOOD.replace("spec t.good", "spec t.class"));
		assertTrue(e.getMessage().startsWith("t.lockspec:1:1: error: spec t.class cannot name a Java package: 'class' is a Java keyword"),
				e.getMessage());
		e = refused(dir, GOOD.replace("d : Dev", "d : Dev\n  final : Dev"));
		assertTrue(e.getMessage().contains("t.lockspec:13:3: error: the instance name 'final' is a Java keyword"), e.getMessage());
		e = refused(dir, GOOD.replace("field n : int", "field hashCode : int").replace("d.n", "d.hashCode"));
		assertTrue(e.getMessage().contains("clashes with a method every generated object inherits"), e.getMessage());
		e = refused(dir, GOOD.replace("object Dev", "object World").replace("Dev", "World"));
		assertTrue(e.getMessage().contains("an object may not be named World"), e.getMessage());
	}

	@Test
	void aBadPackageIsRefused(@TempDir Path dir) throws Exception {
		Path f = Files.writeString(dir.resolve("t.lockspec"), GOOD);
		GenerationException e = assertThrows(GenerationException.class,
				() -> JavaGenerator.generate(Generated.load(List.of(f)), new JavaGenerator.Options("com.1acme", dir)));
		assertTrue(e.getMessage().contains("not a Java package name"), e.getMessage());
	}

	private static JavaGenerator.Output good(Path dir) throws Exception {
		Path f = Files.writeString(dir.resolve("t.lockspec"), GOOD);
		return Generated.generate(Generated.load(List.of(f)), dir);
	}

	private static List<Path> files(Path dir) throws IOException {
		if (!Files.exists(dir)) {
			return List.of();
		}
		try (Stream<Path> s = Files.walk(dir)) {
			return s.filter(p -> !p.equals(dir)).sorted().toList();
		}
	}

	@Test
	void outputStaysInItsDirectoryAndNeverFollowsASymlinkOut(@TempDir Path dir) throws Exception {
		JavaGenerator.Output out = good(dir);
		Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
		Path target = Files.createDirectories(dir.resolve("out"));
		Files.createSymbolicLink(target.resolve("t"), elsewhere);
		GenerationException e = assertThrows(GenerationException.class, () -> OutputTree.write(out, target, target));
		assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
		assertEquals(List.of(), files(elsewhere), "wrote through a symbolic link");
		assertEquals(List.of(target.resolve("t")), files(target), "left files behind");
		for (String bad : List.of("../x/A.java", "/tmp/A.java", "t/../../A.java")) {
			JavaGenerator.Output evil = new JavaGenerator.Output(List.of(new JavaGenerator.GeneratedFile(bad, "class A {}")),
					List.of());
			Path clean = Files.createDirectories(dir.resolve("clean"));
			GenerationException x = assertThrows(GenerationException.class, () -> OutputTree.write(evil, clean, clean));
			assertTrue(x.getMessage().contains("outside the output directory"), x.getMessage());
			assertEquals(List.of(), files(clean));
		}
	}

	@Test
	void aFailedWriteLeavesNothingHalfWritten(@TempDir Path dir) throws Exception {
		JavaGenerator.Output out = good(dir);
		Path main = Files.createDirectories(dir.resolve("main"));
		Path test = Files.createDirectories(dir.resolve("test"));
		Files.writeString(test.resolve("t"), "a file where the test package goes");
		assertThrows(GenerationException.class, () -> OutputTree.write(out, main, test));
		assertEquals(List.of(), files(main), "main sources were written although the tests could not be");
		assertEquals(List.of(test.resolve("t")), files(test));
		OutputTree.write(out, main, dir.resolve("test2"));
		assertTrue(Files.exists(main.resolve("t/good/Ops.java")));
		assertTrue(Files.exists(dir.resolve("test2/t/good/TwoTest.java")));
		assertFalse(Files.exists(main.resolve("t/good/TwoTest.java")));
	}
}
