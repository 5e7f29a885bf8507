package org.lockspec.runtime;

/**
 * One finding of the lock validator (or of the replay scheduler): what kind of
 * bug, what it is about ({@code a.cmd}, {@code pci_bus_sem}) and a message that
 * explains it, with the threads, their held locks and spec lines.
 */
public record Report(Kind kind, String subject, String message) {

	public enum Kind {
		/** Threads wait for each other (a cycle in the wait-for graph, or every thread of a run blocked). */
		DEADLOCK,
		/** Two lock classes taken in both orders: a possible deadlock (lockdep's circular dependency). */
		INVERSION,
		/** Something that sleeps while the thread is atomic. */
		SLEEP_IN_ATOMIC,
		/** An access to a freed object. */
		USE_AFTER_FREE,
		/** A dereference of a null pointer. */
		NULL_DEREFERENCE,
		/** list_add of a linked element, list_del or next() of one that is not linked (poisoned pointers). */
		LIST_CORRUPTION,
		/** Refcount underflow, a free while still linked, a reference leaked by a thread. */
		REFCOUNT,
		/** Double lock, unlock of a lock not held, a lock still held when a thread ends. */
		LOCK_MISUSE,
		/** Two threads access a plain field, one writing, with no lock in common. */
		RACE,
		/** A failed {@code assert}. */
		ASSERTION,
		/** A replayed interleaving that the code did not follow. */
		REPLAY_DIVERGED,
		/** A run that did not end in time and was stopped. */
		HANG,
		/** An unexpected exception in a thread. */
		CRASH
	}

	@Override
	public String toString() {
		return kind + ": " + message;
	}
}
