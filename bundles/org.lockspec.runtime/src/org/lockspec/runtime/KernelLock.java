package org.lockspec.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * A lock with the kernel's semantics. Every lock has a class (lockdep's lock
 * class: {@code PciDev.dev_lock} for every device's {@code dev_lock}) and a
 * name for messages ({@code pf.dev_lock}). Locks are not reentrant: taking a
 * lock the thread holds is reported and throws (the kernel would hang).
 * Taking and releasing go through the thread's validator: held stack,
 * dependency graph, sleeping in atomic context, the wait-for graph.
 */
public abstract sealed class KernelLock extends Waitable permits Mutex, RwSem, SpinLock, RwLock, Srcu {
	/** The exclusive holder, or null. */
	Participant writer;
	/** The shared holders; a thread appears once per read it holds (rwlock readers are recursive). */
	final List<Participant> readers = new ArrayList<>(2);
	/** Threads blocked taking the write side (an rwsem lets no new reader in while one waits). */
	final List<Participant> waitingWriters = new ArrayList<>(1);

	KernelLock(String className, String name) {
		super(className, name);
	}

	/** Whether taking this lock may sleep (mutex, rwsem; spinlocks under PREEMPT_RT). */
	abstract boolean sleeps(boolean preemptRt);

	/** Whether holding it makes the thread atomic (spinning locks). */
	boolean spins(boolean preemptRt) {
		return !sleeps(preemptRt);
	}

	/** Whether taking it never waits (an srcu's readers): no dependency into it, as for a trylock. */
	boolean neverWaits() {
		return false;
	}

	/** After {@code p} released it (its held stack no longer has that hold). Monitor held. */
	void released(Participant p) {
	}

	/** Whether a read of this kind is shared. */
	abstract boolean sharedRead();

	/** The kind for messages. */
	abstract String kind();

	/** Whether {@code p} may take the lock in {@code mode} now. Monitor held. */
	boolean acquirable(Participant p, Mode mode) {
		if (mode == Mode.WRITE || !sharedRead()) {
			return writer == null && readers.isEmpty();
		}
		return writer == null;
	}

	boolean heldBy(Participant p) {
		return writer == p || readers.contains(p);
	}

	/** Who a thread blocked on this lock waits for. Monitor held. */
	List<Participant> owners(Participant p, Mode mode) {
		List<Participant> out = new ArrayList<>();
		if (writer != null) {
			out.add(writer);
		}
		if (mode == Mode.WRITE || !sharedRead()) {
			out.addAll(readers);
		} else {
			out.addAll(waitingWriters);
		}
		out.remove(p);
		return out;
	}

	/** Takes the exclusive side (mutex_lock, down_write, spin_lock, write_lock). */
	public final void lock() {
		lock(Mode.WRITE, false);
	}

	/** Takes the lock with interrupts off until it is released (spin_lock_irqsave). */
	public final void lockIrqsave() {
		lock(Mode.WRITE, true);
	}

	/** Takes the lock in {@code mode}, blocking (or spinning) until it is free. */
	public final void lock(Mode mode, boolean irqsave) {
		Participant p = Kernel.current();
		synchronized (Kernel.M) {
			Mode m = sharedRead() ? mode : Mode.WRITE;
			if (!acquirable(p, m) && (writer == p || readers.contains(p) && m == Mode.WRITE)) {
				Report r = new Report(Report.Kind.LOCK_MISUSE, name(), p.name + " takes " + name() + " at " + p.site()
						+ " again while holding it (it holds " + p.heldText() + "): it would deadlock on itself");
				p.validator.report(r);
				throw new LockspecFault(r);
			}
			p.validator.acquiring(p, this, m, sleeps(p.validator.preemptRt(p)), neverWaits());
			boolean queued = false;
			try {
				while (!acquirable(p, m)) {
					if (m == Mode.WRITE && !queued) {
						waitingWriters.add(p);
						queued = true;
					}
					Kernel.block(p, new Waiting(this, m));
				}
			} finally {
				if (queued) {
					waitingWriters.remove(p);
					Kernel.M.notifyAll();
				}
			}
			take(p, m, irqsave);
		}
	}

	/** Takes the lock if it is free now; never blocks (mutex_trylock, spin_trylock). */
	public final boolean trylock(Mode mode, boolean irqsave) {
		Participant p = Kernel.current();
		synchronized (Kernel.M) {
			Mode m = sharedRead() ? mode : Mode.WRITE;
			if (!acquirable(p, m)) {
				return false;
			}
			p.validator.acquiring(p, this, m, false, true);
			take(p, m, irqsave);
			return true;
		}
	}

	public final boolean trylock() {
		return trylock(Mode.WRITE, false);
	}

	/**
	 * Whether a reader {@code p} must queue: others hold the lock for read and a writer waits for it, or
	 * stands at its write side (its next step takes it). Monitor held.
	 */
	final boolean writerWaitsBefore(Participant p) {
		if (readers.isEmpty()) {
			return false;
		}
		for (Participant w : waitingWriters) {
			if (w != p) {
				return true;
			}
		}
		if (p.run == null) {
			return false;
		}
		for (Participant q : p.run.participants()) {
			if (q != p && q.state != Participant.State.DONE && standsToWrite(q)) {
				return true;
			}
		}
		return false;
	}

	private boolean standsToWrite(Participant q) {
		if (q.standingToWrite == null) {
			return false;
		}
		try {
			return q.standingToWrite.get() == this;
		} catch (RuntimeException e) {
			return false; // its lock expression faults (a freed object): it will not get there
		}
	}

	private void take(Participant p, Mode m, boolean irqsave) {
		p.standingToWrite = null;
		if (m == Mode.READ) {
			readers.add(p);
		} else {
			writer = p;
		}
		p.held.add(new Held(this, m, irqsave, p.site()));
	}

	/** Releases the side the calling thread holds (mutex_unlock, up_read/up_write, spin_unlock[_irqrestore]). */
	public final void unlock() {
		Participant p = Kernel.current();
		synchronized (Kernel.M) {
			Held h = null;
			for (int i = p.held.size() - 1; i >= 0; i--) {
				if (p.held.get(i).lock() == this) {
					h = p.held.remove(i);
					break;
				}
			}
			if (h == null) {
				p.validator.report(new Report(Report.Kind.LOCK_MISUSE, name(), p.name + " unlocks " + name() + " at "
						+ p.site() + ", which it does not hold (it holds " + p.heldText() + ")"));
				return;
			}
			if (h.mode() == Mode.READ) {
				readers.remove(p);
			} else {
				writer = null;
			}
			released(p);
			Kernel.M.notifyAll();
		}
		Kernel.changed();
	}

	/** Whether the calling thread holds this lock (the spec's {@code held(L)}). */
	public final boolean held() {
		Participant p = Kernel.current();
		synchronized (Kernel.M) {
			return heldBy(p);
		}
	}

	/** Whether nobody holds it. */
	public final boolean isFree() {
		synchronized (Kernel.M) {
			return writer == null && readers.isEmpty();
		}
	}

	@Override
	public String toString() {
		return kind() + " " + name();
	}

	/** What a thread blocked on a lock waits for. */
	record Waiting(KernelLock lock, Mode mode) {
		@Override
		public String toString() {
			return lock.name() + (mode == Mode.READ && lock.sharedRead() ? " (read)" : "");
		}
	}
}
