package org.lockspec.analysis;

import org.lockspec.model.LockMode;

/**
 * A lock held on a path: which instance, in which mode (write = exclusive for
 * every kind, read = the shared side of an rwsem, rwlock or gate), whether it
 * disabled interrupts, whether it was taken by a trylock, and where.
 * {@code inherited} marks a lock the entry op holds from its caller ({@code releases}).
 */
public record Held(LockRef ref, LockMode mode, boolean irqsave, boolean trylock, boolean inherited, Site at) {

	public boolean shared() {
		return mode == LockMode.READ;
	}
}
