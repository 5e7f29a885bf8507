package org.lockspec.runtime;

/**
 * A spinning reader-writer lock (rwlock_t): readers are recursive and are not
 * held back by a waiting writer, as lockdep treats read_lock.
 */
public final class RwLock extends KernelLock {

	public RwLock(String className, String name) {
		super(className, name);
	}

	public RwLock(String name) {
		this(name, name);
	}

	/** read_lock. */
	public void readLock() {
		lock(Mode.READ, false);
	}

	/** write_lock. */
	public void writeLock() {
		lock(Mode.WRITE, false);
	}

	@Override
	boolean sleeps(boolean preemptRt) {
		return preemptRt;
	}

	@Override
	boolean sharedRead() {
		return true;
	}

	@Override
	String kind() {
		return "rwlock";
	}
}
