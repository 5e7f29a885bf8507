package org.lockspec.runtime;

/**
 * A bug the runtime caught in the thread that made it (use after free, list
 * corruption, refcount underflow, double lock, deadlock): the thread cannot go
 * on, as the kernel could not. The validator has recorded {@link #report()}.
 */
public class LockspecFault extends RuntimeException {
	private static final long serialVersionUID = 1L;
	private final transient Report report;

	public LockspecFault(Report report) {
		super(report.message());
		this.report = report;
	}

	public Report report() {
		return report;
	}
}
