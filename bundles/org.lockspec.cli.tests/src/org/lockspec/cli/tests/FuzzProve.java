package org.lockspec.cli.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import org.lockspec.tests.LoggedErrors;
import org.lockspec.tests.Mutants;

/**
 * The fuzzer's judge: one mutant through {@code lockspec prove}, as a user runs
 * it, and what must never happen: an internal error (exit 70, an uncaught
 * exception), a run past the time it was given (a hang), an error without its
 * file:line:col. {@link Tally} counts the outcomes for the table of the issue.
 * The tests run a slice ({@code FuzzProveTest}); {@code bench/fuzz} the long run.
 */
public final class FuzzProve {

	/** Per mutant: the proof's own budget (--timeout) and how long past it counts as a hang. */
	public static final int TIMEOUT_SECONDS = 10;
	public static final int HANG_SECONDS = 30;
	private static final Pattern POSITIONED = Pattern.compile("^.+:\\d+:\\d+: (error|warning): .*");

	/** What happened to one mutant; {@code fault} is null unless something that must never happen did. */
	public record Outcome(Mutants.Kind kind, int exit, String verdicts, long millis, String fault) {
	}

	private static final ExecutorService RUNNER = Executors.newCachedThreadPool(r -> {
		Thread t = new Thread(null, r, "fuzz-prove", 1L << 28);
		t.setDaemon(true);
		return t;
	});

	private FuzzProve() {
	}

	public static Outcome run(Mutants.Mutant m, Path file) throws IOException, InterruptedException {
		Files.write(file, m.bytes());
		long start = System.nanoTime();
		try (LoggedErrors logged = LoggedErrors.start()) {
			Future<Cli> f = RUNNER.submit(() -> Cli.run("prove", "--timeout", Integer.toString(TIMEOUT_SECONDS), file.toString()));
			Cli cli;
			try {
				cli = f.get(TIMEOUT_SECONDS + HANG_SECONDS, TimeUnit.SECONDS);
			} catch (TimeoutException e) {
				f.cancel(true);
				return new Outcome(m.kind(), -1, "", millis(start),
						"hang: still running after " + (TIMEOUT_SECONDS + HANG_SECONDS) + " s");
			} catch (java.util.concurrent.ExecutionException e) {
				return new Outcome(m.kind(), -1, "", millis(start), "uncaught: " + e.getCause());
			}
			String fault = logged.errors().isEmpty() ? fault(cli) : "internal error logged: " + logged.errors().get(0);
			return new Outcome(m.kind(), cli.exit(), verdicts(cli.out()), millis(start), fault);
		}
	}

	private static long millis(long start) {
		return (System.nanoTime() - start) / 1_000_000;
	}

	private static String fault(Cli cli) {
		if (cli.exit() == 70 || cli.err().contains("internal error")) {
			return "internal error: " + cli.err().lines().findFirst().orElse("");
		}
		if (cli.exit() < 0 || cli.exit() > 3) {
			return "exit " + cli.exit();
		}
		for (String line : cli.err().lines().toList()) {
			if ((line.contains(": error") || line.contains(": warning")) && !POSITIONED.matcher(line).matches()) {
				return "an error without file:line:col: " + line;
			}
		}
		if (cli.exit() == 2 && cli.err().lines().noneMatch(l -> POSITIONED.matcher(l).matches())) {
			return "an input error with no positioned diagnostic: " + cli.err();
		}
		return null;
	}

	/** The kinds of verdict the report holds (proved, violated, ...), for the table. */
	private static String verdicts(String out) {
		List<String> kinds = new ArrayList<>();
		for (String k : new String[] { "proved", "safe up to bound", "violated", "unknown" }) {
			if (out.contains("[" + k + "]")) {
				kinds.add(k);
			}
		}
		return String.join("+", kinds);
	}

	/** The counts table: mutants, reached the prover, verdict kinds, exit codes, crashes, hangs, unpositioned errors. */
	public static final class Tally {
		public int mutants;
		public int proved;
		public final Map<String, Integer> verdictKinds = new TreeMap<>();
		public final Map<Integer, Integer> exits = new TreeMap<>();
		public final Map<Mutants.Kind, Integer> kinds = new TreeMap<>();
		public int crashes;
		public int hangs;
		public int unpositioned;
		public long slowestMillis;
		public final List<String> faults = new ArrayList<>();

		public void add(Outcome o, String what) {
			mutants++;
			kinds.merge(o.kind(), 1, Integer::sum);
			exits.merge(o.exit(), 1, Integer::sum);
			if (o.exit() != 2 && o.exit() >= 0 && o.exit() != 70) {
				proved++;
				for (String v : o.verdicts().split("\\+")) {
					if (!v.isEmpty()) {
						verdictKinds.merge(v, 1, Integer::sum);
					}
				}
			}
			slowestMillis = Math.max(slowestMillis, o.millis());
			if (o.fault() != null) {
				if (o.fault().startsWith("hang")) {
					hangs++;
				} else if (o.fault().startsWith("an ")) {
					unpositioned++;
				} else {
					crashes++;
				}
				faults.add(what + ": " + o.fault());
			}
		}

		@Override
		public String toString() {
			return "| mutants | through prove | verdict kinds | exit codes | crashes | hangs | errors without a position | slowest |\n"
					+ "|--:|--:|---|---|--:|--:|--:|--:|\n" + "| " + mutants + " | " + proved + " | " + verdictKinds + " | " + exits
					+ " | " + crashes + " | " + hangs + " | " + unpositioned + " | " + slowestMillis + " ms |\n" + "mutants by kind: "
					+ kinds;
		}
	}
}
