package org.lockspec.analysis;

import java.util.List;

import org.eclipse.emf.ecore.EObject;

/**
 * What the explorer reports while it walks the paths of an entry op. Every
 * method gets the state before the event takes effect. Obligations are
 * listeners; they never change the state.
 */
public interface PathListener {

	/** A path of an entry op (or scenario thread) starts. */
	default void pathStart(PathState s) {
	}

	/**
	 * A lock or gate is about to be taken, or a completion waited for. {@code blocking} is false for a
	 * trylock and for entering a gate, which never wait.
	 */
	default void acquire(PathState s, LockRef ref, org.lockspec.model.LockMode mode, boolean irqsave, boolean blocking,
			Site at) {
	}

	/** A lock or gate is released; {@code held} is the entry it releases, or null if none matched. */
	default void release(PathState s, LockRef ref, Held held, Site at) {
	}

	/** The path may sleep: {@code drain} of a gate, {@code wait until}, {@code wait_for_completion}. */
	default void sleep(PathState s, String what, Site at) {
	}

	/**
	 * The path spins until something elsewhere is done: {@code timer_delete_sync} ({@link
	 * org.lockspec.kernel.WorkKind#waitSleeps}); a sleep on PREEMPT_RT.
	 */
	default void spinWait(PathState s, String what, Site at) {
	}

	/** {@code complete c} or {@code complete_all c}: the event a {@code wait_for_completion c} waits for. */
	default void complete(PathState s, LockRef completion, Site at) {
	}

	/**
	 * A read or write of a field, ref or list of an object (null for a global); {@code guards}: the locks its
	 * {@code guarded_by} names, as instances on this path (empty if it names none).
	 */
	default void access(PathState s, Sym obj, EObject feature, boolean write, List<LockRef> guards, Site at) {
	}

	/** The path of the entry op ends (normally, by return, or by a failed enter). */
	default void pathEnd(PathState s, Site at) {
	}

	/** Exploration of this entry was cut short: results may miss paths. */
	default void truncated(String why) {
	}
}
