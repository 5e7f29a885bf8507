package org.lockspec.verdict;

import java.util.List;

/**
 * The verdicts of one spec and how they compare with its {@code expect}
 * clauses. {@code unannounced} are the violations no {@code expect} announced;
 * {@code outcome} decides the exit code: every violation announced and every
 * expectation met is {@code AS_EXPECTED}.
 */
public record SpecResult(String spec, String file, List<Verdict> verdicts, List<Expectation> expectations,
		List<Verdict> unannounced, Outcome outcome, long millis) {

	/** Whether {@code v} is a violation that an {@code expect} clause announces. */
	public boolean expected(Verdict v) {
		return v.status() == Status.VIOLATED && !unannounced.contains(v);
	}

	/** Whether {@code v} is a violation that no {@code expect} clause announces: the spec fails on it. */
	public boolean unexpected(Verdict v) {
		return unannounced.contains(v);
	}

	public enum Outcome {
		/** Every obligation holds or fails exactly as the expect clauses announce. */
		AS_EXPECTED,
		/** A violation nobody announced, or an expectation that did not come true. */
		UNEXPECTED,
		/** Nothing unexpected, but some obligation could not be decided. */
		UNKNOWN
	}

	/** One {@code expect} clause: where it is, what it says, and whether it came true. */
	public record Expectation(String text, Location location, String scenario, Result result, String why) {
		public enum Result {
			MET, NOT_MET, UNKNOWN
		}
	}
}
