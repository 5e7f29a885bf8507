package org.lockspec.diagram.tests;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.lockspec.diagram.Diagrams;
import org.lockspec.diagram.HtmlReport;
import org.lockspec.model.Spec;
import org.lockspec.prover.Proofs;
import org.lockspec.tests.Examples;
import org.lockspec.workspace.Problem;
import org.lockspec.workspace.SpecSet;

/** The seed examples, loaded and proved once per test run, as the command line does. */
final class Seeds {

	private static final Map<Path, HtmlReport.Entry> PROVED = new ConcurrentHashMap<>();

	private Seeds() {
	}

	static HtmlReport.Entry proved(Path file) {
		return PROVED.computeIfAbsent(file, f -> {
			SpecSet set = SpecSet.load(List.of(f), Examples.all());
			SpecSet.FileResult r = set.results().get(0);
			if (r.hasErrors() || r.spec() == null) {
				throw new AssertionError(f + " does not check clean: " + r.problems().stream().map(Problem::format).toList());
			}
			Spec spec = r.spec();
			try (Proofs proofs = Proofs.open(Proofs.options())) {
				return new HtmlReport.Entry(spec, proofs.prove(spec));
			}
		});
	}

	static Diagrams.Options options() {
		return Diagrams.Options.defaults().withBase(Examples.root());
	}

	/** target/ of this test module, for files a person reviews. */
	static Path target() {
		return Examples.root().resolve("bundles/org.lockspec.diagram.tests/target");
	}

	/** spec-examples/002-aer-sriov/buggy.lockspec as 002-aer-sriov-buggy */
	static String name(Path spec) {
		return spec.getParent().getFileName() + "-" + spec.getFileName().toString().replace(".lockspec", "");
	}
}
