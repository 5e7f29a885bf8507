package org.lockspec.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.lockspec.prover.check.Prover;

import picocli.CommandLine.Option;

/** Options several commands share, as picocli mixins. */
final class SharedOptions {

	private SharedOptions() {
	}

	/** {@code -I DIR}: where imported specs are looked up. */
	static final class ImportPath {
		@Option(names = { "-I", "--import-path" }, paramLabel = "DIR", description = "directories whose specs may be imported")
		List<Path> dirs = new ArrayList<>();
	}

	/** {@code --timeout SECONDS}: the time of each spec's whole proof. */
	static final class SolverTimeout {
		@Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS", description = "time for each spec's whole proof, every engine and solver query together (default 60); "
				+ "what is undecided then is reported unknown, with the reason")
		int seconds;

		/** False, with the message printed, if the value cannot be used. */
		boolean valid(PrintWriter err) {
			if (seconds <= 0) {
				err.println("lockspec: --timeout must be at least 1 second");
				return false;
			}
			return true;
		}
	}

	/** {@code --max-states N} and {@code --memory MIB}: how far a proof may search before what is left is unknown. */
	static final class Limits {
		@Option(names = "--max-states", paramLabel = "N", defaultValue = "" + Prover.Options.MAX_STATES,
				description = "states each scenario's explicit search may keep (default 2,000,000); past them the scenario "
						+ "is unknown, with how far the search got")
		int maxStates;

		@Option(names = "--memory", paramLabel = "MIB", defaultValue = "0", description = "MiB of the Java heap each spec's "
				+ "proof may fill (default: 90%% of the heap); past it what is undecided is unknown, with the reason, "
				+ "never an out-of-memory death")
		long mebibytes;

		/** False, with the message printed, if a value cannot be used. */
		boolean valid(PrintWriter err) {
			if (maxStates < 1) {
				err.println("lockspec: --max-states must be at least 1, not " + maxStates);
				return false;
			}
			long heap = Runtime.getRuntime().maxMemory() >> 20;
			if (mebibytes < 0 || mebibytes > heap) {
				err.println("lockspec: --memory must be between 1 and the Java heap's " + heap + " MiB, not " + mebibytes
						+ " (a bigger heap: JAVA_TOOL_OPTIONS=-Xmx...)");
				return false;
			}
			return true;
		}

		Prover.Options applyTo(Prover.Options options) {
			return options.withMaxStates(maxStates).withMemory(mebibytes << 20);
		}
	}
}
