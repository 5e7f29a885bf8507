package org.lockspec.analysis;

import org.eclipse.emf.ecore.EObject;
import org.lockspec.model.Completion;
import org.lockspec.model.Gate;
import org.lockspec.model.Lock;
import org.lockspec.model.LockKind;

/**
 * A lock, gate, completion or work instance on a path: the declaration, which is its
 * lockdep class (a completion's is DEPT's: waits for it and the locks its
 * producer takes first are dependencies too), and the owning object's term for
 * per-object ones ({@code pf.dev_lock}), or null for a global one.
 */
public record LockRef(Sym owner, EObject decl) {

	public boolean isGate() {
		return decl instanceof Gate;
	}

	public boolean isLock() {
		return decl instanceof Lock;
	}

	public boolean isCompletion() {
		return decl instanceof Completion;
	}

	/** A work: its lock map, held by the kworker that runs it, taken and released by a flush (lockdep's). */
	public boolean isWork() {
		return decl instanceof org.lockspec.model.Work;
	}

	/** What kind of work it is (a work, a kthread, a threaded irq, a timer), or null if it is none. */
	public org.lockspec.kernel.WorkKind workKind() {
		return decl instanceof org.lockspec.model.Work w ? org.lockspec.kernel.WorkKind.of(w) : null;
	}

	/** A threaded irq: its thread, which {@code synchronize_irq}, {@code disable_irq} and {@code free_irq} wait for. */
	public boolean isIrq() {
		return workKind() == org.lockspec.kernel.WorkKind.THREADED_IRQ;
	}

	/** An srcu_struct: a lock with readers only ({@link org.lockspec.kernel.LockKinds#readersOnly}). */
	public boolean isSrcu() {
		return decl instanceof Lock l && org.lockspec.kernel.LockKinds.readersOnly(l.getKind());
	}

	/** A workqueue: its lock map, held by the kworkers of its works, taken and released by flush_workqueue. */
	public boolean isWorkqueue() {
		return decl instanceof Lock l && org.lockspec.kernel.Workqueues.isWorkqueue(l.getKind());
	}

	/**
	 * A device's runtime PM: held by its callbacks, taken and released by the calls that may run one or wait for
	 * one ({@link org.lockspec.kernel.RuntimePmState}).
	 */
	public boolean isRuntimePm() {
		return decl instanceof org.lockspec.model.RuntimePm;
	}

	public Lock lock() {
		return decl instanceof Lock l ? l : null;
	}

	public LockKind kind() {
		return decl instanceof Lock l ? l.getKind() : null;
	}

	public String name() {
		String n = org.lockspec.naming.NameOf.name(decl);
		return owner == null ? n : owner + "." + n;
	}

	@Override
	public String toString() {
		return name();
	}
}
