package org.lockspec.runtime;

/**
 * A sleeping reader-writer semaphore that prefers writers: while a writer
 * waits for it (or stands at its write side) and others read it, no new reader
 * gets in (so a reader that waits for something the writer's holder holds
 * deadlocks, as with pci_bus_sem in seed 002).
 */
public final class RwSem extends KernelLock {

	public RwSem(String className, String name) {
		super(className, name);
	}

	public RwSem(String name) {
		this(name, name);
	}

	/** down_read. */
	public void downRead() {
		lock(Mode.READ, false);
	}

	/** down_write. */
	public void downWrite() {
		lock(Mode.WRITE, false);
	}

	@Override
	boolean acquirable(Participant p, Mode mode) {
		if (mode == Mode.WRITE) {
			return writer == null && readers.isEmpty();
		}
		return writer == null && !writerWaitsBefore(p);
	}

	@Override
	boolean sleeps(boolean preemptRt) {
		return true;
	}

	@Override
	boolean sharedRead() {
		return true;
	}

	@Override
	String kind() {
		return "rwsem";
	}
}
