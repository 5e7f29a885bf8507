package org.lockspec.prover.solver;

/** The solver could not be started or talked to at all (not: a query was unknown). */
public class SolverException extends Exception {

	private static final long serialVersionUID = 1L;

	public SolverException(String message) {
		super(message);
	}

	public SolverException(String message, Throwable cause) {
		super(message, cause);
	}
}
