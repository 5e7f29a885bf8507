package org.lockspec.verdict;

import java.util.List;

/**
 * A lock-order cycle as lockdep reports one ("possible circular locking dependency detected"): for each CPU of
 * the cycle, the task (the op it runs), the lock it holds and the one it waits for, which the next CPU holds.
 * Front doors render it in lockdep's own layout ({@code prove --format lockdep}).
 */
public record LockChain(List<Step> steps) {

	/** CPU i: {@code task} holds {@code holds} and waits for {@code waits}. */
	public record Step(String task, Acquire holds, Acquire waits) {
	}

	/**
	 * One acquisition: the lock's class as lockdep names it ({@code &port->reset_lock}, {@code
	 * pci_rescan_remove_lock}), whether it is a read, and the backtrace of the acquisition, innermost first: the
	 * kernel call that takes it ({@code down_read}), then the ops, each with the line it is at.
	 */
	public record Acquire(String lockClass, boolean read, List<String> backtrace) {
	}
}
