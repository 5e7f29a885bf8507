package org.lockspec.prover.solver;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * A solver session: open it in try-with-resources, ask one query per
 * obligation, close it. The lifecycle is guarded here once; implementations
 * provide the {@code *Impl} hooks.
 */
public abstract class SolverSession implements AutoCloseable {

	private boolean closed;
	private int queries;

	/**
	 * Checks the satisfiability of an SMT-LIB 2 script (declarations and
	 * assertions, without {@code check-sat}) within {@code timeout}. Never
	 * throws for a hard or crashing query: that is {@link SolverResult.Status#UNKNOWN}.
	 */
	public final SolverResult check(String smtlib, Duration timeout, Set<SolverOption> options) throws SolverException {
		if (closed) {
			throw new IllegalStateException("solver session is closed");
		}
		queries++;
		return checkImpl(smtlib, timeout, options == null ? EnumSet.noneOf(SolverOption.class) : options);
	}

	public final SolverResult check(String smtlib, Duration timeout) throws SolverException {
		return check(smtlib, timeout, EnumSet.noneOf(SolverOption.class));
	}

	/**
	 * Checks each of {@code goals} (names of Boolean constants the script
	 * declares) against the one script, which is sent and parsed once. Each
	 * goal gets {@code timeout}; the answers come in the goals' order.
	 */
	public final java.util.List<SolverResult> checkEach(String smtlib, java.util.List<String> goals, Duration timeout,
			Set<SolverOption> options) throws SolverException {
		if (closed) {
			throw new IllegalStateException("solver session is closed");
		}
		queries += goals.size();
		return checkEachImpl(smtlib, goals, timeout, options == null ? EnumSet.noneOf(SolverOption.class) : options);
	}

	/** One query per goal; a session that can keep a script between queries overrides this. */
	protected java.util.List<SolverResult> checkEachImpl(String smtlib, java.util.List<String> goals, Duration timeout,
			Set<SolverOption> options) throws SolverException {
		java.util.List<SolverResult> out = new java.util.ArrayList<>();
		for (String g : goals) {
			out.add(checkImpl(smtlib + "\n(assert " + g + ")\n", timeout, options));
		}
		return out;
	}

	/**
	 * Checks several independent scripts in one go (one round trip to a worker
	 * instead of one each); each gets {@code timeout}, the answers come in order.
	 */
	public final java.util.List<SolverResult> checkAll(java.util.List<String> scripts, Duration timeout,
			Set<SolverOption> options) throws SolverException {
		if (closed) {
			throw new IllegalStateException("solver session is closed");
		}
		queries += scripts.size();
		return checkAllImpl(scripts, timeout, options == null ? EnumSet.noneOf(SolverOption.class) : options);
	}

	/** One query per script; a session with a round trip to save overrides this. */
	protected java.util.List<SolverResult> checkAllImpl(java.util.List<String> scripts, Duration timeout,
			Set<SolverOption> options) throws SolverException {
		java.util.List<SolverResult> out = new java.util.ArrayList<>();
		for (String s : scripts) {
			out.add(checkImpl(s, timeout, options));
		}
		return out;
	}

	/** How many queries this session answered. */
	public final int queries() {
		return queries;
	}

	@Override
	public final void close() {
		if (!closed) {
			closed = true;
			closeImpl();
		}
	}

	protected abstract SolverResult checkImpl(String smtlib, Duration timeout, Set<SolverOption> options)
			throws SolverException;

	protected abstract void closeImpl();
}
