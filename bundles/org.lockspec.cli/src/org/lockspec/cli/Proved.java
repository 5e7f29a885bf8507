package org.lockspec.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.lockspec.diagram.HtmlReport;
import org.lockspec.prover.Proofs;
import org.lockspec.workspace.Problem;
import org.lockspec.workspace.SpecFiles;
import org.lockspec.workspace.SpecSet;

/** Specs loaded (for every command that proves or generates) and proved as {@code lockspec prove} does, for the commands that draw them. */
final class Proved {

	private Proved() {
	}

	/** Loads the inputs; prints the errors and returns null if any spec does not check clean. */
	static SpecSet load(List<Path> inputs, List<Path> importPath, PrintWriter err, String command) {
		SpecSet set;
		try {
			List<Path> files = SpecFiles.collect(inputs);
			set = SpecSet.load(files, CheckCommand.context(files, importPath));
		} catch (SpecFiles.MissingInputException e) {
			err.println("lockspec: " + e.getMessage());
			return null;
		}
		if (set.hasErrors() || set.hasUnreadable()) {
			for (SpecSet.FileResult r : set.results()) {
				for (Problem p : r.problems()) {
					if (p.severity() == Problem.Severity.ERROR) {
						err.println(p.format());
					}
				}
			}
			err.println("lockspec: fix the errors above first ('lockspec check' lists them); nothing was " + command);
			return null;
		}
		return set;
	}

	/** Every spec of the set with its verdicts, each proof within {@code timeout} seconds and the {@code limits}. */
	static List<HtmlReport.Entry> prove(SpecSet set, int timeout, SharedOptions.Limits limits, java.io.PrintWriter err) {
		List<HtmlReport.Entry> out = new ArrayList<>();
		try (Proofs proofs = Proofs.open(limits.applyTo(Proofs.options(Duration.ofSeconds(timeout))).withCancellation(Main.STOP))) {
			for (SpecSet.FileResult r : set.results()) {
				if (r.spec() != null) {
					out.add(new HtmlReport.Entry(r.spec(), proofs.prove(r.spec(), new ProgressLine(err, r.displayPath()))));
				}
			}
		}
		return out;
	}
}
