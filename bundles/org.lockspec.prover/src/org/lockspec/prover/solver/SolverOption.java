package org.lockspec.prover.solver;

/** Options of a solver session, as Z3 parameter names and values. */
public enum SolverOption {
	/** Difference logic for rank and ordering encodings: fast, and honours timeouts there. */
	DIFFERENCE_LOGIC("smt.arith.solver", "1"),
	/**
	 * Quantifier-free bit-vector scripts (bounded model checking): each query is
	 * solved by Z3's qfbv tactic (simplify, bit-blast, SAT), much faster there
	 * than the incremental SMT core.
	 */
	BIT_VECTORS("logic", "QF_BV"),
	/** Produce models for satisfiable queries (counterexample values). */
	MODELS("model", "true");

	private final String param;
	private final String value;

	SolverOption(String param, String value) {
		this.param = param;
		this.value = value;
	}

	public String param() {
		return param;
	}

	public String value() {
		return value;
	}
}
