package org.lockspec.runtime;

/** A sleeping, non-reentrant mutex (struct mutex, device_lock). */
public final class Mutex extends KernelLock {

	public Mutex(String className, String name) {
		super(className, name);
	}

	public Mutex(String name) {
		this(name, name);
	}

	@Override
	boolean sleeps(boolean preemptRt) {
		return true;
	}

	@Override
	boolean sharedRead() {
		return false;
	}

	@Override
	String kind() {
		return "mutex";
	}
}
