package org.lockspec.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs a scenario many times with the validator on and random yields at every
 * step, and checks after each run what the prover checks at its end: the
 * invariants, and (through the validator) that every thread returned with no
 * lock held and no reference it took. Stops at the first run with a finding.
 */
public final class Stress implements Schedule {

	private static final AtomicLong TOTAL = new AtomicLong();

	/**
	 * The outcome: how many runs, the validator's reports, the invariants that failed and when; {@code expected}:
	 * the lock-order cycles the spec expects (a class-level cycle that this scenario's instances never close).
	 */
	public record Result(int iterations, Validator validator, List<String> failingInvariants, int failedAt,
			Set<String> expected) {

		/** No report but of an expected cycle, and no failing invariant. */
		public boolean clean() {
			return Stress.clean(validator, expected) && failingInvariants.isEmpty();
		}

		public String describe() {
			return iterations + " run(s)" + (failedAt >= 0 ? ", finding in run " + failedAt : "") + ": "
					+ validator.describe().strip()
					+ (failingInvariants.isEmpty() ? "" : "\ninvariants broken: " + String.join(", ", failingInvariants));
		}
	}

	private Stress() {
	}

	/** {@code dflt}, unless the system property {@code lockspec.stress.iterations} says otherwise. */
	public static int iterations(int dflt) {
		return Integer.getInteger("lockspec.stress.iterations", dflt);
	}

	/** How many stress runs this JVM has made (all tests together). */
	public static long totalIterations() {
		return TOTAL.get();
	}

	/**
	 * Runs {@code setup}'s scenario {@code iterations} times. {@code setup} builds
	 * a fresh topology, adds the threads to the run and returns what checks the
	 * invariants afterwards (the names of those that fail).
	 */
	public static Result run(int iterations, long seed, Function<ScenarioRun, Supplier<List<String>>> setup) {
		return run(iterations, seed, setup, new String[0]);
	}

	/**
	 * As {@link #run(int, long, Function)}, where a lock-order cycle in {@code expectedCycles} (as the validator
	 * names it, {@code A -> B -> A}) is no finding: the spec expects it, and this scenario's instances never
	 * close it.
	 */
	public static Result run(int iterations, long seed, Function<ScenarioRun, Supplier<List<String>>> setup,
			String... expectedCycles) {
		Validator validator = new Validator();
		Stress schedule = new Stress();
		Set<String> expected = Set.of(expectedCycles);
		for (int i = 0; i < iterations; i++) {
			ScenarioRun run = new ScenarioRun(validator, schedule, seed + i);
			Supplier<List<String>> invariants = setup.apply(run);
			run.execute(Duration.ofSeconds(20), () -> false);
			TOTAL.incrementAndGet();
			List<String> failing = invariants.get();
			if (!clean(validator, expected) || !failing.isEmpty()) {
				return new Result(i + 1, validator, failing, i, expected);
			}
		}
		return new Result(iterations, validator, List.of(), -1, expected);
	}

	/** Whether every report is a lock-order cycle in {@code expected}. */
	private static boolean clean(Validator validator, Set<String> expected) {
		return validator.reports().stream()
				.allMatch(r -> r.kind() == Report.Kind.INVERSION && expected.contains(r.subject()));
	}

	@Override
	public void step(Participant p, int line) {
		if (p.run.stopped()) {
			throw new ScenarioRun.Stopped();
		}
		int r = p.random.nextInt(8);
		if (r == 0) {
			Thread.yield();
		} else if (r == 1) {
			for (int i = p.random.nextInt(64); i > 0; i--) {
				Thread.onSpinWait();
			}
		}
	}

	@Override
	public void blocking(Participant p) {
	}

	@Override
	public void idles(Participant p) {
	}

	@Override
	public void ended(Participant p) {
	}

	@Override
	public int choose(Participant p, int n) {
		return p.random.nextInt(n);
	}

	@Override
	public boolean exclusive() {
		return false;
	}
}
