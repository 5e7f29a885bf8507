package org.lockspec.verdict;

/** A verdict's status. {@code unknown} is never reported as {@code proved}. */
public enum Status {
	/** Holds for every number of objects and threads, or every interleaving of a scenario was explored. */
	PROVED("proved"),
	/** Every interleaving up to a bound that does not cover every run holds. */
	SAFE_UP_TO_BOUND("safe up to bound"),
	/** A counterexample exists. */
	VIOLATED("violated"),
	/** The solver or the explorer gave up; the reason says why. */
	UNKNOWN("unknown");

	private final String label;

	Status(String label) {
		this.label = label;
	}

	public String label() {
		return label;
	}

	public boolean holds() {
		return this == PROVED || this == SAFE_UP_TO_BOUND;
	}
}
