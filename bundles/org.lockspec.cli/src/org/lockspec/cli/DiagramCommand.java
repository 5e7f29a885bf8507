package org.lockspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.lockspec.diagram.Diagrams;
import org.lockspec.diagram.HtmlReport;
import org.lockspec.diagram.Svg;
import org.lockspec.diagram.Xmi;
import org.lockspec.diagram.model.Diagram;
import org.lockspec.model.Scenario;
import org.lockspec.model.Spec;
import org.lockspec.verdict.Obligation;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Verdict;
import org.lockspec.workspace.SpecSet;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lockspec diagram FILE --kind K --out F}: one diagram of one spec, as SVG or XMI. */
@Command(name = "diagram", mixinStandardHelpOptions = true,
		description = "Draw one diagram of a spec, styled by its verdicts: the lock graph (the cycle of a "
				+ "violated lock-order obligation in red), the topology of a scenario, or the timeline of a "
				+ "counterexample. The format follows --out: .svg (SVG 1.1) or .xmi (the diagram model, for "
				+ "EMF tools).",
		exitCodeListHeading = "%nExit codes:%n",
		exitCodeList = { "0:the diagram was written", "2:usage or input error (a spec that does not check clean, an obligation "
				+ "that does not exist or has no counterexample); nothing is written" })
final class DiagramCommand implements Callable<Integer> {

	enum Kind {
		lockgraph, topology, trace
	}

	@Parameters(arity = "1", paramLabel = "FILE")
	Path input;

	@Option(names = "--kind", required = true, paramLabel = "KIND", description = "lockgraph, topology or trace")
	Kind kind;

	@Option(names = "--obligation", paramLabel = "ID", description = "lockgraph: the lock-order verdict whose cycle is drawn (default: every one); topology: the "
			+ "scenario ('probe_vs_aer' or any verdict id 'scenario probe_vs_aer/...'; needed if there "
			+ "are several); trace: the verdict whose counterexample is drawn (default: the first "
			+ "violated one)")
	String obligation;

	@Option(names = "--out", required = true, paramLabel = "FILE.svg|FILE.xmi", description = "where to write the diagram (atomically)")
	Path out;

	@Mixin
	SharedOptions.ImportPath importPath = new SharedOptions.ImportPath();

	@Mixin
	SharedOptions.SolverTimeout timeout = new SharedOptions.SolverTimeout();

	@Mixin
	SharedOptions.Limits limits = new SharedOptions.Limits();

	@picocli.CommandLine.Spec
	CommandSpec spec;

	/** A user error: printed as one line, exit 2. */
	private static final class InputError extends Exception {
		private static final long serialVersionUID = 1L;

		InputError(String message) {
			super(message);
		}
	}

	@Override
	public Integer call() {
		PrintWriter err = spec.commandLine().getErr();
		String name = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
		boolean svg = name.endsWith(".svg");
		if (!svg && !name.endsWith(".xmi")) {
			err.println("lockspec: --out must name a .svg or .xmi file: " + out);
			return Main.USAGE;
		}
		if (!timeout.valid(err) || !limits.valid(err)) {
			return Main.USAGE;
		}
		if (Files.isDirectory(input)) {
			err.println("lockspec: diagram draws one spec: name a .lockspec file, not the directory " + input);
			return Main.USAGE;
		}
		if (Files.isDirectory(out)) {
			err.println("lockspec: --out is a directory: " + out);
			return Main.USAGE;
		}
		SpecSet set = Proved.load(List.of(input), importPath.dirs, err, "drawn");
		if (set == null) {
			return Main.USAGE;
		}
		List<HtmlReport.Entry> proved = Proved.prove(set, timeout.seconds, limits, err);
		if (proved.isEmpty()) {
			err.println("lockspec: " + input + ": no spec to draw");
			return Main.USAGE;
		}
		HtmlReport.Entry e = proved.get(0);
		Diagrams.Options options = Diagrams.Options.defaults().withBase(Path.of("").toAbsolutePath());
		Diagram d;
		try {
			d = SpecSet.onBigStack(() -> {
				try {
					return draw(e.spec(), e.result().verdicts(), options);
				} catch (InputError ex) {
					throw new IllegalArgumentException(ex);
				}
			});
		} catch (IllegalArgumentException ex) {
			if (ex.getCause() instanceof InputError ie) {
				err.println("lockspec: " + ie.getMessage());
				return Main.USAGE;
			}
			throw ex;
		}
		String content = svg ? Svg.render(d) : Xmi.write(d);
		try {
			ProveCommand.writeAtomically(out, content);
		} catch (IOException ex) {
			err.println("lockspec: cannot write " + out + ": " + ex.getMessage());
			return Main.USAGE;
		}
		return Main.OK;
	}

	private Diagram draw(Spec s, List<Verdict> verdicts, Diagrams.Options options) throws InputError {
		return switch (kind) {
		case lockgraph -> {
			if (obligation != null && verdicts.stream()
					.noneMatch(v -> v.id().equals(obligation) && v.obligation() == Obligation.LOCK_ORDER)) {
				throw new InputError("spec " + s.getName() + " has no lock-order obligation '" + obligation + "'; it has: "
						+ ids(verdicts.stream().filter(v -> v.obligation() == Obligation.LOCK_ORDER).toList()));
			}
			yield Diagrams.lockGraph(s, verdicts, obligation, options);
		}
		case topology -> Diagrams.topology(s, scenario(s), verdicts, options);
		case trace -> Diagrams.trace(s, traced(s, verdicts), options);
		};
	}

	private Scenario scenario(Spec s) throws InputError {
		List<Scenario> all = Diagrams.scenarios(s);
		List<String> names = all.stream().map(Scenario::getName).toList();
		if (all.isEmpty()) {
			throw new InputError("spec " + s.getName() + " has no scenario: a topology is a scenario's objects");
		}
		if (obligation == null) {
			if (all.size() > 1) {
				throw new InputError("spec " + s.getName() + " has " + all.size() + " scenarios (" + String.join(", ", names)
						+ "): name one with --obligation");
			}
			return all.get(0);
		}
		String wanted = obligation.startsWith("scenario ") ? obligation.substring("scenario ".length()) : obligation;
		int slash = wanted.indexOf('/');
		String scenarioName = slash >= 0 ? wanted.substring(0, slash) : wanted;
		for (Scenario sc : all) {
			if (sc.getName().equals(scenarioName)) {
				return sc;
			}
		}
		throw new InputError("spec " + s.getName() + " has no scenario '" + scenarioName + "'; it has: "
				+ String.join(", ", names));
	}

	private Verdict traced(Spec s, List<Verdict> verdicts) throws InputError {
		if (obligation == null) {
			for (Verdict v : verdicts) {
				if (v.status() == Status.VIOLATED && v.trace() != null) {
					return v;
				}
			}
			throw new InputError("spec " + s.getName() + " has no counterexample to draw: no obligation is violated");
		}
		for (Verdict v : verdicts) {
			if (v.id().equals(obligation)) {
				if (v.trace() == null) {
					throw new InputError("obligation '" + obligation + "' of spec " + s.getName() + " has no counterexample (it is "
							+ v.status().label() + ")");
				}
				return v;
			}
		}
		throw new InputError("spec " + s.getName() + " has no obligation '" + obligation + "'; it has: " + ids(verdicts));
	}

	private static String ids(List<Verdict> verdicts) {
		List<String> ids = new ArrayList<>();
		for (Verdict v : verdicts) {
			ids.add(v.id());
		}
		return ids.isEmpty() ? "none" : String.join(", ", ids);
	}
}
