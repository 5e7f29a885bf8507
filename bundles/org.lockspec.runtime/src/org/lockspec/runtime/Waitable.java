package org.lockspec.runtime;

/**
 * What a thread may wait for, and the validator orders: a lock, a gate, a
 * completion or a work. Each has a class (lockdep's lock class: {@code PciDev.dev_lock}
 * for every device's {@code dev_lock}) and a name for messages
 * ({@code pf.dev_lock}).
 */
public abstract class Waitable {

	private final String className;
	private final String name;

	Waitable(String className, String name) {
		this.className = className;
		this.name = name;
	}

	/** The class: what the validator orders. */
	public final String className() {
		return className;
	}

	/** This instance's name. */
	public final String name() {
		return name;
	}
}
