package org.lockspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.lockspec.diagram.Diagrams;
import org.lockspec.diagram.HtmlReport;
import org.lockspec.verdict.SpecResult;
import org.lockspec.workspace.SpecSet;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lockspec report FILE|DIR... --html DIR}: the proof report as static HTML with diagrams. */
@Command(name = "report", mixinStandardHelpOptions = true,
		description = "Prove every spec found, as 'lockspec prove' does, and write an HTML report: an index of "
				+ "every spec and obligation with its verdict, and a page per spec with its lock graph, its "
				+ "scenarios' topologies, and each counterexample as a timeline with the source lines it "
				+ "cites. The pages are self-contained: inline SVG and CSS, no network, no JavaScript.",
		exitCodeListHeading = "%nExit codes (as 'lockspec prove'; the report is written in every case but 2):%n",
		exitCodeList = { "0:every obligation proved, or exactly as the spec's expect clauses announce",
				"1:a violation no expect announced, or an expect that did not come true",
				"2:usage or input error (a spec that does not check clean); nothing is written",
				"3:some obligation undecided (unknown)" })
final class ReportCommand implements Callable<Integer> {

	@Parameters(arity = "1..*", paramLabel = "FILE|DIR")
	List<Path> inputs = new ArrayList<>();

	@Option(names = "--html", required = true, paramLabel = "DIR", description = "the directory to write index.html and the spec pages into")
	Path html;

	@Mixin
	SharedOptions.ImportPath importPath = new SharedOptions.ImportPath();

	@Mixin
	SharedOptions.SolverTimeout timeout = new SharedOptions.SolverTimeout();

	@Mixin
	SharedOptions.Limits limits = new SharedOptions.Limits();

	@picocli.CommandLine.Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		PrintWriter err = spec.commandLine().getErr();
		if (!timeout.valid(err) || !limits.valid(err)) {
			return Main.USAGE;
		}
		if (Files.exists(html) && !Files.isDirectory(html)) {
			err.println("lockspec: --html must name a directory: " + html + " is a file");
			return Main.USAGE;
		}
		SpecSet set = Proved.load(inputs, importPath.dirs, err, "reported");
		if (set == null) {
			return Main.USAGE;
		}
		List<HtmlReport.Entry> proved = Proved.prove(set, timeout.seconds, limits, err);
		Diagrams.Options options = Diagrams.Options.defaults().withBase(Path.of("").toAbsolutePath());
		List<Path> written;
		try {
			written = SpecSet.onBigStack(() -> {
				try {
					return HtmlReport.write(proved, html, options);
				} catch (IOException e) {
					throw new java.io.UncheckedIOException(e);
				}
			});
		} catch (java.io.UncheckedIOException e) {
			err.println("lockspec: cannot write the report into " + html + ": " + e.getCause().getMessage());
			return Main.USAGE;
		}
		int sources = written.size() - 1 - proved.size();
		spec.commandLine().getOut().println("wrote " + written.get(0) + ", " + proved.size() + " spec page"
				+ (proved.size() == 1 ? "" : "s") + " and " + sources + " source page" + (sources == 1 ? "" : "s"));
		List<SpecResult> results = proved.stream().map(HtmlReport.Entry::result).toList();
		return ProveCommand.exitCode(results);
	}
}
