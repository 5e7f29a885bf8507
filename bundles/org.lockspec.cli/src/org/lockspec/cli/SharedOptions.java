package org.lockspec.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
}
