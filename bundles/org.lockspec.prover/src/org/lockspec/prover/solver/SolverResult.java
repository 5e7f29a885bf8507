package org.lockspec.prover.solver;

/**
 * The answer to one query: {@code SAT} with a model (SMT-LIB text), {@code UNSAT},
 * or {@code UNKNOWN} with the reason (timeout, incompleteness, a crashed worker).
 */
public record SolverResult(Status status, String model, String reason, long millis) {

	public enum Status {
		SAT, UNSAT, UNKNOWN
	}

	public static SolverResult unknown(String reason, long millis) {
		return new SolverResult(Status.UNKNOWN, null, reason, millis);
	}

	public boolean isSat() {
		return status == Status.SAT;
	}

	public boolean isUnsat() {
		return status == Status.UNSAT;
	}
}
