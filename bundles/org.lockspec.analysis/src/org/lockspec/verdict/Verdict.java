package org.lockspec.verdict;

import java.util.List;
import java.util.Map;

/**
 * One obligation's verdict: a value that explains itself. {@code id} is stable
 * across runs ({@code lock_order}, {@code scenario probe_vs_aer/deadlock}),
 * {@code subject} names what it is about ({@code PciDev.cmd} for a race),
 * {@code trace} is the counterexample of a violation, {@code proof} the
 * artifact of a proof (a rank function), {@code engine} what decided it, and {@code chain} a lock-order cycle's
 * steps as lockdep reports them (null for every other verdict).
 */
public record Verdict(String id, Obligation obligation, Status status, String message, Location location,
		String subject, Trace trace, Map<String, Object> proof, String engine, List<String> details, LockChain chain) {

	/** A verdict without a lock chain (all but the lock-order cycles'). */
	public Verdict(String id, Obligation obligation, Status status, String message, Location location, String subject,
			Trace trace, Map<String, Object> proof, String engine, List<String> details) {
		this(id, obligation, status, message, location, subject, trace, proof, engine, details, null);
	}

	/** {@code engine} of the explicit-state scenario engine's verdicts (its counterexamples replay as Java tests). */
	public static final String EXPLICIT_STATE = "explicit-state";

	/** How the id of every verdict about scenario {@code name} starts: {@code scenario name/}. */
	public static String scenarioPrefix(String name) {
		return SCENARIO + name + "/";
	}

	private static final String SCENARIO = "scenario ";

	/** The scenario this verdict is about (its id starts with {@code scenario NAME/}), or null for a spec-level one. */
	public String scenario() {
		int slash = id.indexOf('/');
		return id.startsWith(SCENARIO) && slash > SCENARIO.length() ? id.substring(SCENARIO.length(), slash) : null;
	}

	/** How a report lists it in one line: {@code id: message}. */
	public String headline() {
		return id + ": " + message;
	}

	public Verdict withStatus(Status s, String m) {
		return new Verdict(id, obligation, s, m, location, subject, trace, proof, engine, details, chain);
	}
}
