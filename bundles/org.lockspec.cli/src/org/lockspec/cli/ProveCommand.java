package org.lockspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;


import org.lockspec.prover.Proofs;
import org.lockspec.prover.check.Prover;
import org.lockspec.prover.render.JsonReport;
import org.lockspec.prover.render.JunitReport;
import org.lockspec.prover.render.LockdepReport;
import org.lockspec.prover.render.SarifReport;
import org.lockspec.prover.render.TextReport;
import org.lockspec.verdict.SpecResult;
import org.lockspec.workspace.SpecSet;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lockspec prove FILE|DIR...}: every obligation of every spec, judged against its expect clauses. */
@Command(name = "prove", mixinStandardHelpOptions = true,
		description = "Prove or refute lock order, wait context, IRQ safety, guarded fields, lock hygiene and the "
				+ "scenarios of every .lockspec file found, and compare with its 'expect' clauses.",
		exitCodeListHeading = "%nExit codes:%n",
		exitCodeList = { "0:every obligation proved, or exactly as the spec's expect clauses announce",
				"1:a violation no expect announced, or an expect that did not come true",
				"2:usage or input error (a spec that does not check clean)", "3:some obligation undecided (unknown)" })
final class ProveCommand implements Callable<Integer> {

	enum Format {
		text, json, sarif, junit, lockdep
	}

	@Parameters(arity = "1..*", paramLabel = "FILE|DIR")
	List<Path> inputs = new ArrayList<>();

	@Option(names = "--format", defaultValue = "text", description = "text (default), json, sarif (2.1.0), junit (XML), or lockdep (lock-order cycles as lockdep "
			+ "prints them)")
	Format format;

	@Mixin
	SharedOptions.SolverTimeout timeout = new SharedOptions.SolverTimeout();

	@Mixin
	SharedOptions.Limits limits = new SharedOptions.Limits();

	@Option(names = "--out", paramLabel = "FILE", description = "write the report to FILE instead of stdout")
	Path out;

	@Mixin
	SharedOptions.ImportPath importPath = new SharedOptions.ImportPath();

	@Option(names = "--inductive", description = "also ask Z3 whether every invariant is inductive, for any number of objects and threads; a "
			+ "counterexample to induction is reported as undecided, with the step that breaks it")
	boolean inductive;

	@Option(names = "--cross-check", description = "also run Z3's bounded model checking on every scenario and check that it agrees with the "
			+ "explicit search: the same violations at the same shortest lengths, and nothing else, on "
			+ "every run up to --cross-check-steps")
	boolean crossCheck;

	@Option(names = "--cross-check-steps", paramLabel = "N", defaultValue = "16", description = "how many steps Z3 unrolls for --cross-check (default ${DEFAULT-VALUE}); a scenario whose "
			+ "runs all end within N is compared whole")
	int crossCheckSteps;

	@Option(names = "--timings", description = "show how long each spec took (off by default: output is deterministic)")
	boolean timings;

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		PrintWriter err = spec.commandLine().getErr();
		if (!timeout.valid(err) || !limits.valid(err)) {
			return Main.USAGE;
		}
		if (crossCheckSteps < 1 || crossCheckSteps > 200) {
			err.println("lockspec: --cross-check-steps must be between 1 and 200, not " + crossCheckSteps);
			return Main.USAGE;
		}
		List<SpecResult> results = new ArrayList<>();
		Prover.Options options = limits.applyTo(Proofs.options(Duration.ofSeconds(timeout.seconds))).withInductive(inductive)
				.withCrossCheck(crossCheck ? crossCheckSteps : 0).withCancellation(Main.STOP);
		try (Proofs proofs = Proofs.open(options)) {
			if (inductive || crossCheck || mention(inputs, "expect inductive")) {
				proofs.prestart(); // Z3 will be needed: its worker starts while the specs are parsed
			}
			SpecSet set = Proved.load(inputs, importPath.dirs, err, "proved");
			if (set == null) {
				return Main.USAGE;
			}
			for (SpecSet.FileResult r : set.results()) {
				if (r.spec() != null) {
					results.add(proofs.prove(r.spec(), new ProgressLine(err, r.displayPath())));
				}
			}
		}
		String report = switch (format) {
		case json -> JsonReport.render(results);
		case sarif -> SarifReport.render(results, Path.of("").toAbsolutePath());
		case junit -> JunitReport.render(results);
		case lockdep -> LockdepReport.render(results, Path.of("").toAbsolutePath());
		case text -> {
			StringWriter sw = new StringWriter();
			TextReport.render(results, new PrintWriter(sw), timings, Path.of("").toAbsolutePath());
			yield sw.toString();
		}
		};
		if (out != null) {
			try {
				writeAtomically(out, report);
			} catch (IOException e) {
				err.println("lockspec: cannot write " + out + ": " + e.getMessage());
				return Main.USAGE;
			}
		} else {
			spec.commandLine().getOut().print(report);
			if (!report.endsWith("\n")) {
				spec.commandLine().getOut().println();
			}
		}
		return exitCode(results);
	}

	/** Does any spec file among the inputs contain {@code text}? (a cheap look before parsing) */
	private static boolean mention(List<Path> inputs, String text) {
		for (Path in : inputs) {
			try (var files = java.nio.file.Files.walk(in)) {
				if (files.filter(f -> f.toString().endsWith(".lockspec") && java.nio.file.Files.isRegularFile(f)).anyMatch(f -> {
					try {
						return java.nio.file.Files.readString(f).contains(text);
					} catch (IOException | RuntimeException e) {
						return false;
					}
				})) {
					return true;
				}
			} catch (IOException | RuntimeException e) {
				// a missing input is reported by the load below
			}
		}
		return false;
	}

	static int exitCode(List<SpecResult> results) {
		if (results.stream().anyMatch(r -> r.outcome() == SpecResult.Outcome.UNEXPECTED)) {
			return Main.FINDINGS;
		}
		if (results.stream().anyMatch(r -> r.outcome() == SpecResult.Outcome.UNKNOWN)) {
			return Main.UNKNOWN;
		}
		return Main.OK;
	}

	/** Nothing half-written: the report goes to a temporary file beside the target, then replaces it. */
	static void writeAtomically(Path target, String content) throws IOException {
		org.lockspec.workspace.AtomicFiles.write(target, content);
	}
}
