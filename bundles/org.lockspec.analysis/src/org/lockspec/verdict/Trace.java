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
	 * line, the call chain, and whether the CPU blocks there ({@code <-- waits}).
	 */
	public record Event(int lane, String text, Location at, String chain, boolean waits, boolean fails) {
	}
}
