package org.lockspec.prover.tests;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import org.lockspec.prover.check.Prover;
import org.lockspec.prover.mc.ModelChecker;
import org.lockspec.prover.render.TextReport;
import org.lockspec.prover.solver.LazySolver;
import org.lockspec.verdict.SpecResult;
import org.lockspec.tests.Examples;
import org.lockspec.workspace.Problem;
import org.lockspec.workspace.SpecSet;

/** Runs the prover on spec files as the command line does. */
final class Proofs {

	private Proofs() {
	}

	static SpecResult prove(Path file, List<Path> context) {
		SpecSet set = SpecSet.load(List.of(file), context);
		SpecSet.FileResult r = set.results().get(0);
		if (r.hasErrors() || r.spec() == null) {
			throw new AssertionError(file + " does not check clean: "
					+ r.problems().stream().map(Problem::format).toList());
		}
		try (LazySolver solver = new LazySolver()) {
			Prover.Options options = Prover.Options.defaults().withEngines(List.of(new ModelChecker()));
			return SpecSet.onBigStack(() -> Prover.prove(r.spec(), solver, options));
		}
	}

	static String text(SpecResult r) {
		StringWriter sw = new StringWriter();
		TextReport.render(List.of(r), new PrintWriter(sw), false, Examples.root());
		return sw.toString();
	}
}
