package org.lockspec.prover.solver;

import java.time.Duration;
import java.util.Set;

/**
 * Starts the solver worker on the first query that needs one (most specs need
 * none); if Z3 cannot start (no native library for this platform), every query
 * answers {@code UNKNOWN} with that reason instead of failing the run.
 */
public final class LazySolver extends SolverSession {

	private WorkerSession worker;
	private String unavailable;

	@Override
	protected SolverResult checkImpl(String smtlib, Duration timeout, Set<SolverOption> options) {
		if (unavailable != null) {
			return SolverResult.unknown(unavailable, 0);
		}
		try {
			if (worker == null) {
				worker = WorkerSession.open();
			}
			return worker.check(smtlib, timeout, options);
		} catch (SolverException | LinkageError e) {
			unavailable = "Z3 is not available: " + e.getMessage();
			return SolverResult.unknown(unavailable, 0);
		}
	}

	@Override
	protected java.util.List<SolverResult> checkEachImpl(String smtlib, java.util.List<String> goals, Duration timeout,
			Set<SolverOption> options) {
		if (unavailable == null) {
			try {
				if (worker == null) {
					worker = WorkerSession.open();
				}
				return worker.checkEach(smtlib, goals, timeout, options);
			} catch (SolverException | LinkageError e) {
				unavailable = "Z3 is not available: " + e.getMessage();
			}
		}
		java.util.List<SolverResult> out = new java.util.ArrayList<>();
		for (int i = 0; i < goals.size(); i++) {
			out.add(SolverResult.unknown(unavailable, 0));
		}
		return out;
	}

	/** Stops the query under way (it answers UNKNOWN). */
	public void cancel() {
		if (worker != null) {
			worker.cancel();
		}
	}

	@Override
	protected void closeImpl() {
		if (worker != null) {
			worker.close();
		}
	}
}
