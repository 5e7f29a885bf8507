package org.lockspec.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.lockspec.diagram.HtmlReport;
import org.lockspec.generator.GenerationException;
import org.lockspec.generator.JavaGenerator;
import org.lockspec.generator.OutputTree;
import org.lockspec.workspace.SpecSet;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lockspec generate FILE|DIR --out DIR}: Java reference implementations and JUnit 5 tests from specs. */
@Command(name = "generate", mixinStandardHelpOptions = true,
		description = "Generate Java from every .lockspec file found: a class per object, the ops statement by "
				+ "statement, and a JUnit 5 test class per scenario (a stress test if it expects safe, a "
				+ "replay of every counterexample the prover finds). The code needs org.lockspec.runtime and "
				+ "JUnit 5.",
		exitCodeListHeading = "%nExit codes:%n",
		exitCodeList = { "0:generated", "2:usage or input error (a spec that does not check clean, a name Java does not"
				+ " allow, an output directory that cannot be written); nothing was written" })
final class GenerateCommand implements Callable<Integer> {

	@Parameters(arity = "1..*", paramLabel = "FILE|DIR")
	List<Path> inputs = new ArrayList<>();

	@Option(names = "--out", required = true, paramLabel = "DIR", description = "where the Java sources go (packages below it)")
	Path out;

	@Option(names = "--test-out", paramLabel = "DIR", description = "where the JUnit tests go (default: --out)")
	Path testOut;

	@Option(names = "--package", paramLabel = "NAME", description = "prefix of the packages: each spec's package is NAME.<spec name> (default: the spec name)")
	String basePackage;

	@Option(names = "--relative-to", paramLabel = "DIR", description = "cite spec files in the generated code relative to DIR (default: the current directory)")
	Path relativeTo;

	@Mixin
	SharedOptions.ImportPath importPath = new SharedOptions.ImportPath();

	@Mixin
	SharedOptions.SolverTimeout timeout = new SharedOptions.SolverTimeout();

	@Mixin
	SharedOptions.Limits limits = new SharedOptions.Limits();

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		PrintWriter err = spec.commandLine().getErr();
		if (!timeout.valid(err) || !limits.valid(err)) {
			return Main.USAGE;
		}
		Path base = (relativeTo == null ? Path.of("") : relativeTo).toAbsolutePath();
		JavaGenerator.Options options = new JavaGenerator.Options(basePackage, base);
		try {
			JavaGenerator.basePackage(options);
		} catch (GenerationException e) {
			err.println("lockspec: " + e.getMessage());
			err.println("lockspec: nothing was written");
			return Main.USAGE;
		}
		SpecSet set = Proved.load(inputs, importPath.dirs, err, "generated");
		if (set == null) {
			return Main.USAGE;
		}
		// each spec's counterexamples become replay tests: the proofs run first
		List<JavaGenerator.Proved> specs = new ArrayList<>();
		for (HtmlReport.Entry e : Proved.prove(set, timeout.seconds, limits, err)) {
			specs.add(new JavaGenerator.Proved(e.spec(), e.result()));
		}
		try {
			JavaGenerator.Output output = SpecSet.onBigStack(() -> {
				try {
					return JavaGenerator.generate(specs, options);
				} catch (GenerationException e) {
					throw new Failed(e);
				}
			});
			OutputTree.write(output, out, testOut == null ? out : testOut);
			spec.commandLine().getOut().println("generated " + specs.size() + " spec" + (specs.size() == 1 ? "" : "s") + ": "
					+ output.main().size() + " source file" + (output.main().size() == 1 ? "" : "s") + " in " + out + ", "
					+ output.test().size() + " test file" + (output.test().size() == 1 ? "" : "s") + " in "
					+ (testOut == null ? out : testOut));
			return Main.OK;
		} catch (Failed f) {
			err.println(f.getCause().getMessage());
			err.println("lockspec: nothing was generated");
			return Main.USAGE;
		} catch (GenerationException e) {
			err.println("lockspec: " + e.getMessage());
			err.println("lockspec: nothing was written");
			return Main.USAGE;
		}
	}

	/** A generation error carried out of the big-stack thread. */
	private static final class Failed extends RuntimeException {
		private static final long serialVersionUID = 1L;

		Failed(GenerationException cause) {
			super(cause.getMessage(), cause, false, false);
		}
	}
}
