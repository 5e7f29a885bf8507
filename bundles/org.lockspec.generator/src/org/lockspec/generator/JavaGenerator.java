package org.lockspec.generator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.lockspec.model.Spec;
import org.lockspec.verdict.SpecResult;

/**
 * Java from specs: for each spec, a class per object, a {@code World} (the
 * globals, constants, invariants and a registry of objects), an {@code Ops}
 * class whose methods follow the spec's ops statement by statement, and a
 * JUnit 5 test class per scenario: a stress test if it expects to be safe, and
 * a replay test for every counterexample the prover found in it. The generator
 * runs no proof: it takes each spec with its verdicts (from
 * {@code org.lockspec.prover.Proofs}). The code depends only on
 * org.lockspec.runtime and JUnit 5, and the same specs give byte-identical
 * files.
 */
public final class JavaGenerator {

	/**
	 * {@code basePackage} (may be null) prefixes each spec's name to make its
	 * package; source files are cited relative to {@code base}.
	 */
	public record Options(String basePackage, Path base) {
	}

	/** A spec and its verdicts. */
	public record Proved(Spec spec, SpecResult result) {
	}

	/** A file to write: its path relative to the output directory, and its text. */
	public record GeneratedFile(String path, String content) {
	}

	/** Main sources (objects, world, ops) and test sources (scenario tests). */
	public record Output(List<GeneratedFile> main, List<GeneratedFile> test) {
	}

	private JavaGenerator() {
	}

	/** Generates every spec; nothing is written. */
	public static Output generate(List<Proved> specs, Options options) throws GenerationException {
		String base = basePackage(options);
		List<Proved> sorted = new ArrayList<>(specs);
		sorted.sort(Comparator.comparing(p -> p.spec().getName(), Comparator.nullsFirst(Comparator.naturalOrder())));
		Map<String, Spec> packages = new HashMap<>();
		List<GeneratedFile> main = new ArrayList<>();
		List<GeneratedFile> test = new ArrayList<>();
		for (Proved proved : sorted) {
			Spec spec = proved.spec();
			SpecWriter w = new SpecWriter(spec, proved.result(), base, options.base());
			Spec before = packages.put(w.packageName(), spec);
			if (before != null) {
				throw new GenerationException(w.at(spec) + ": error: spec " + spec.getName()
						+ " has the same name as another spec (" + w.fileOf(before) + "); its Java package would be the same");
			}
			w.write(main, test);
		}
		return new Output(main, test);
	}

	/** The options' base package (null if none), or what is wrong with it: a caller may ask before it proves. */
	public static String basePackage(Options options) throws GenerationException {
		String base = options.basePackage() == null || options.basePackage().isBlank() ? null : options.basePackage().strip();
		if (base != null) {
			for (String seg : base.split("\\.", -1)) {
				String p = Names.problem(seg);
				if (p != null) {
					throw new GenerationException("--package " + base + ": not a Java package name: " + p);
				}
			}
		}
		return base;
	}
}
