package org.lockspec.prover.solver;

import java.time.Duration;
import java.util.Set;

/**
 * Starts the solver worker on the first query that needs one (most specs need
 * none); if Z3 cannot start (no native library for this platform), every query
 * answers {@code UNKNOWN} with that reason instead of failing the run.
 */
public final class LazySolver extends SolverSession {

	private volatile WorkerSession worker;
	private String unavailable;

	/**
	 * Starts the worker in the background, for a caller that knows a query will
	 * come (the worker's start then overlaps the caller's own work, such as
	 * parsing the specs); the first query waits for it.
	 */
	public void prestart() {
		Thread t = new Thread(() -> {
			synchronized (this) {
				if (worker == null && unavailable == null) {
					try {
						worker = WorkerSession.open();
						worker.start();
					} catch (SolverException | LinkageError e) {
						unavailable = "Z3 is not available: " + e.getMessage();
					}
				}
			}
		}, "lockspec-solver-prestart");
		t.setDaemon(true);
		t.start();
	}

	@Override
	protected synchronized SolverResult checkImpl(String smtlib, Duration timeout, Set<SolverOption> options) {
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
	protected synchronized java.util.List<SolverResult> checkEachImpl(String smtlib, java.util.List<String> goals, Duration timeout,
			Set<SolverOption> options) {
		return many(goals.size(), w -> w.checkEach(smtlib, goals, timeout, options));
	}

	@Override
	protected synchronized java.util.List<SolverResult> checkAllImpl(java.util.List<String> scripts, Duration timeout,
			Set<SolverOption> options) {
		return many(scripts.size(), w -> w.checkAll(scripts, timeout, options));
	}

	private interface Request {
		java.util.List<SolverResult> send(WorkerSession worker) throws SolverException;
	}

	/** A request of {@code n} queries to the worker, started if need be; all UNKNOWN if Z3 cannot start. */
	private java.util.List<SolverResult> many(int n, Request request) {
		if (unavailable == null) {
			try {
				if (worker == null) {
					worker = WorkerSession.open();
				}
				return request.send(worker);
			} catch (SolverException | LinkageError e) {
				unavailable = "Z3 is not available: " + e.getMessage();
			}
		}
		java.util.List<SolverResult> out = new java.util.ArrayList<>();
		for (int i = 0; i < n; i++) {
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
	protected synchronized void closeImpl() {
		if (worker != null) {
			worker.close();
		}
	}
}
