package org.lockspec.prover.verdict;

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
}
