package org.lockspec.verdict;

import java.util.List;
import java.util.Map;

/**
 * One obligation's verdict: a value that explains itself. {@code id} is stable
 * across runs ({@code lock_order}, {@code scenario probe_vs_aer/deadlock}),
 * {@code subject} names what it is about ({@code PciDev.cmd} for a race),
 * {@code trace} is the counterexample of a violation, {@code proof} the
 * artifact of a proof (a rank function) and {@code engine} what decided it.
 */
public record Verdict(String id, Obligation obligation, Status status, String message, Location location,
		String subject, Trace trace, Map<String, Object> proof, String engine, List<String> details) {

	public Verdict withStatus(Status s, String m) {
		return new Verdict(id, obligation, s, m, location, subject, trace, proof, engine, details);
	}
}
