package org.lockspec.tests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import org.lockspec.workspace.SpecFiles;

/** Where the repository's shared test material lives. */
public final class Examples {

	private Examples() {
	}

	/** The repository root: the build passes it as {@code lockspec.root}. */
	public static Path root() {
		String root = System.getProperty("lockspec.root");
		Path p = root != null ? Paths.get(root) : Paths.get("").toAbsolutePath();
		for (Path q = p; q != null; q = q.getParent()) {
			if (Files.isDirectory(q.resolve("spec-examples")) && Files.isRegularFile(q.resolve("mvnw"))) {
				return q;
			}
		}
		throw new IllegalStateException("cannot find the repository root (spec-examples/) from " + p
				+ "; set -Dlockspec.root");
	}

	public static Path examplesDir() {
		return root().resolve("spec-examples");
	}

	/** Every spec example; never empty (a test that finds none fails). */
	public static List<Path> all() {
		List<Path> files = SpecFiles.below(examplesDir());
		if (files.isEmpty()) {
			throw new AssertionError("no .lockspec files found under " + examplesDir());
		}
		return files;
	}
}
