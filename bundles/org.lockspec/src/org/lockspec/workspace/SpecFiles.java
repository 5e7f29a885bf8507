package org.lockspec.workspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Finds the {@code .lockspec} files named by command line arguments. */
public final class SpecFiles {

	public static final String EXTENSION = ".lockspec";

	private SpecFiles() {
	}

	/** A path that names nothing readable; front doors report it as a usage error. */
	public static final class MissingInputException extends Exception {
		private static final long serialVersionUID = 1L;

		public MissingInputException(String message) {
			super(message);
		}
	}

	/**
	 * Every {@code .lockspec} file below the given paths: a file is taken as it is
	 * (whatever its name), a directory is searched recursively. The result is
	 * sorted and free of duplicates.
	 */
	public static List<Path> collect(List<Path> paths) throws MissingInputException {
		TreeSet<Path> found = new TreeSet<>();
		for (Path p : paths) {
			if (Files.isDirectory(p)) {
				int before = found.size();
				found.addAll(below(p));
				if (found.size() == before) {
					throw new MissingInputException(p + ": no " + EXTENSION + " files in this directory");
				}
			} else if (Files.isRegularFile(p)) {
				if (!Files.isReadable(p)) {
					throw new MissingInputException(p + ": cannot read this file (permission denied)");
				}
				found.add(p.normalize());
			} else {
				throw new MissingInputException(p + ": no such file or directory");
			}
		}
		return new ArrayList<>(found);
	}

	/** The spec files of a directory tree, sorted; unreadable subtrees are skipped. */
	public static List<Path> below(Path dir) {
		try (Stream<Path> s = Files.walk(dir)) {
			return s.filter(f -> f.getFileName().toString().endsWith(EXTENSION) && Files.isRegularFile(f))
					.map(Path::normalize).sorted().toList();
		} catch (IOException | java.io.UncheckedIOException e) {
			return List.of();
		}
	}
}
