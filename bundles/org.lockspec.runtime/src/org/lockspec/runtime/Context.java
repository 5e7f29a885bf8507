package org.lockspec.runtime;

/** Where a thread runs, as the spec's {@code in process|softirq|hardirq|any}: anything but process context is atomic. */
public enum Context {
	PROCESS, SOFTIRQ, HARDIRQ, ANY;

	/** Whether code in this context may sleep. */
	public boolean maySleep() {
		return this == PROCESS;
	}
}
