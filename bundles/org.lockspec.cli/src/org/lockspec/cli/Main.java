package org.lockspec.cli;

import java.io.PrintWriter;

import org.lockspec.analysis.Budget;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code lockspec}: the command line front door. Every subcommand maps its
 * options onto the shared services; none has logic of its own.
 *
 * <p>Exit codes: 0 clean, 1 findings (validation errors), 2 usage error or
 * unreadable input.
 */
@Command(name = "lockspec", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
		description = "Specify, check and prove locking in the Linux PCI subsystem.",
		subcommands = { CheckCommand.class, ProveCommand.class, GenerateCommand.class, DiagramCommand.class, ReportCommand.class,
				LspCommand.class, CommandLine.HelpCommand.class },
		exitCodeListHeading = "%nExit codes:%n",
		exitCodeList = { "0:clean (check); every obligation as expected (prove)",
				"1:errors in a spec (check); an unexpected verdict (prove)", "2:usage error or unreadable input",
				"3:some obligation undecided (prove)" })
public final class Main implements Runnable {

	public static final int OK = 0;
	public static final int FINDINGS = 1;
	public static final int USAGE = 2;
	public static final int UNKNOWN = 3;

	@CommandLine.Spec
	CommandLine.Model.CommandSpec spec;

	@Override
	public void run() {
		throw new CommandLine.ParameterException(spec.commandLine(),
				"name a command: check, prove, generate, diagram, report or lsp");
	}

	/** Runs the command line with the given writers; never calls System.exit. */
	public static int run(PrintWriter out, PrintWriter err, String... args) {
		Logging.configure(false);
		CommandLine cl = new CommandLine(new Main());
		cl.setOut(out);
		cl.setErr(err);
		cl.setExecutionExceptionHandler((ex, line, parsed) -> {
			err.println("lockspec: internal error: " + ex);
			if (Logging.debug()) {
				ex.printStackTrace(err);
			} else {
				err.println("lockspec: this is a bug in Lockspec, not in your spec; run with LOCKSPEC_DEBUG=1 for details");
			}
			err.flush();
			return 70;
		});
		cl.setParameterExceptionHandler((ex, ignored) -> {
			// one line on what is wrong and where to read more, not the whole usage
			CommandLine where = ex.getCommandLine();
			where.getErr().println("lockspec: " + ex.getMessage());
			CommandLine.UnmatchedArgumentException.printSuggestions(ex, where.getErr());
			where.getErr().println("Try '" + where.getCommandSpec().qualifiedName() + " --help' for the options.");
			return USAGE;
		});
		int code = cl.execute(args);
		out.flush();
		err.flush();
		return code;
	}

	/**
	 * Cancelled when the process is asked to stop (SIGTERM, Ctrl-C): a proof under way stops at once, reports
	 * what it decided and leaves the rest unknown, with the reason.
	 */
	static final Budget.Cancellation STOP = new Budget.Cancellation();

	public static void main(String[] args) {
		PrintWriter out = new PrintWriter(System.out, true, java.nio.charset.StandardCharsets.UTF_8);
		PrintWriter err = new PrintWriter(System.err, true, java.nio.charset.StandardCharsets.UTF_8);
		java.util.concurrent.CountDownLatch reported = new java.util.concurrent.CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			STOP.cancel("interrupted (SIGTERM or Ctrl-C)");
			try {
				reported.await(5, java.util.concurrent.TimeUnit.SECONDS); // the report of what was decided
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}, "lockspec-stop"));
		int code = run(out, err, args);
		reported.countDown();
		System.exit(code);
	}

	static final class Version implements CommandLine.IVersionProvider {
		@Override
		public String[] getVersion() {
			Package p = Main.class.getPackage();
			String v = p == null ? null : p.getImplementationVersion();
			return new String[] { "lockspec " + (v == null ? "0.1.0" : v) };
		}
	}
}
