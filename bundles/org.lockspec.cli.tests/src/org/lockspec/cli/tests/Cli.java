package org.lockspec.cli.tests;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.lockspec.cli.Main;

/** Runs the command line in-process and keeps what it printed. */
record Cli(int exit, String out, String err) {

	static Cli run(String... args) {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		int exit = Main.run(new PrintWriter(out), new PrintWriter(err), args);
		return new Cli(exit, out.toString(), err.toString());
	}

	static Cli run(List<String> args) {
		return run(args.toArray(String[]::new));
	}

	List<String> outLines() {
		return out.lines().toList();
	}

	@Override
	public String toString() {
		return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
	}
}
