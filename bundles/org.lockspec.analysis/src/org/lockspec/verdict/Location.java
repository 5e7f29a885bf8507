package org.lockspec.verdict;

import org.eclipse.emf.ecore.EObject;
import org.lockspec.analysis.Sites;

/** A source position: file, 1-based line and column. */
public record Location(String file, int line, int column) {

	public static Location of(EObject e) {
		return new Location(Sites.file(e), Math.max(1, Sites.line(e)), Math.max(1, Sites.column(e)));
	}

	@Override
	public String toString() {
		return file + ":" + line + ":" + column;
	}

	/** The file relative to {@code base} where it lies below it (reports stay free of absolute paths). */
	public String relativeFile(java.nio.file.Path base) {
		return relative(file, base);
	}

	public String toString(java.nio.file.Path base) {
		return relativeFile(base) + ":" + line + ":" + column;
	}

	public static String relative(String file, java.nio.file.Path base) {
		if (base == null) {
			return file;
		}
		try {
			java.nio.file.Path p = java.nio.file.Path.of(file).toAbsolutePath().normalize();
			java.nio.file.Path b = base.toAbsolutePath().normalize();
			return p.startsWith(b) ? b.relativize(p).toString() : file;
		} catch (RuntimeException e) {
			return file;
		}
	}
}
