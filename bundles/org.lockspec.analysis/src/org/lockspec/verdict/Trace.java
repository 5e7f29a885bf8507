package org.lockspec.verdict;

import java.util.List;

/**
 * A counterexample as kernel developers write it: one lane per CPU, steps in
 * the order they happen, each with its source line; the last step is the one
 * that fails. {@code notes} says what matters at the failing step.
 */
public record Trace(List<Lane> lanes, List<Event> events, String outcome, List<String> notes) {

	/** A CPU: its name and what it runs ({@code driver_probe pf}). */
	public record Lane(String cpu, String runs) {
	}

	/**
	 * A step on lane {@code lane}: its text ({@code lock pf.dev_lock}), the source
	 * line, the call chain, and whether the CPU blocks there ({@code <-- waits});
	 * {@code kind} says what the step is to a replay of the trace, and {@code choice}
	 * which branch a {@link Kind#CHOICE} took (0 for the first).
	 */
	public record Event(int lane, String text, Location at, String chain, boolean waits, boolean fails, Kind kind,
			int choice) {

		/** A step at a statement. */
		public Event(int lane, String text, Location at, String chain, boolean waits, boolean fails) {
			this(lane, text, at, chain, waits, fails, Kind.STEP, 0);
		}
	}

	/** What a step is to a replay (the generated tests'), whatever its text says. */
	public enum Kind {
		/** A step at the statement of its line. */
		STEP,
		/** The thread returns from its op: it ends. */
		RETURN,
		/** A {@code choose} took branch {@code choice}. */
		CHOICE,
		/** An IRQ thread's run ends, and no interrupt came during it: the thread waits for the next. */
		RUN_ENDS,
		/** An IRQ thread's run ends, and its line fired during it: the thread is woken again. */
		RUN_ENDS_WOKEN
	}
}
