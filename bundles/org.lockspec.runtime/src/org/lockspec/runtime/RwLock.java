package org.lockspec.runtime;

/**
 * A spinning reader-writer lock (rwlock_t, a qrwlock): in process context a
 * reader queues behind a waiting writer, as with an rwsem; in interrupt
 * context a reader waits only for a writer that holds the lock (so interrupt
 * readers are recursive), as lockdep's {@code read_lock_is_recursive()} says
 * (the prover's rule: org.lockspec.kernel.LockKinds).
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
	boolean acquirable(Participant p, Mode mode) {
		if (mode == Mode.WRITE) {
			return writer == null && readers.isEmpty();
		}
		if (writer != null) {
			return false;
		}
		return p.context == Context.SOFTIRQ || p.context == Context.HARDIRQ || !writerWaitsBefore(p);
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
