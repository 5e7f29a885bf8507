package org.lockspec.prover.tests;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import org.lockspec.model.Spec;
import org.lockspec.prover.Proofs;
import org.lockspec.prover.render.TextReport;
import org.lockspec.verdict.SpecResult;
import org.lockspec.tests.Examples;
import org.lockspec.workspace.Problem;
import org.lockspec.workspace.SpecSet;

/** Runs the prover on spec files as the command line does. */
final class SpecProofs {

	private SpecProofs() {
	}

	static SpecResult prove(Path file, List<Path> context) {
		Spec spec = load(file, context);
		try (Proofs proofs = Proofs.open(Proofs.options())) {
			return proofs.prove(spec);
		}
	}

	/** The spec of a file that checks clean. */
	static Spec load(Path file, List<Path> context) {
		SpecSet set = SpecSet.load(List.of(file), context);
		SpecSet.FileResult r = set.results().get(0);
		if (r.hasErrors() || r.spec() == null) {
			throw new AssertionError(file + " does not check clean: "
					+ r.problems().stream().map(Problem::format).toList());
		}
		return r.spec();
	}

	static String text(SpecResult r) {
		StringWriter sw = new StringWriter();
		TextReport.render(List.of(r), new PrintWriter(sw), false, Examples.root());
		return sw.toString();
	}
}
