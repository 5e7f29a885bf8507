package org.lockspec.runtime;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code struct srcu_struct} (the prover's rule: org.lockspec.kernel.GracePeriods): {@link #readLock} and
 * {@link #readUnlock} open and close read sections, which never wait and in which a thread may sleep;
 * {@link #syncStart} and {@link #awaitGracePeriod} ({@code synchronize_srcu}, two steps as in the prover's
 * scenario machine) wait until every reader that was inside when it began has left its outermost section, and
 * for no reader that entered later. For the validator, as for lockdep since "rcu: Annotate SRCU's update-side
 * lockdep dependencies": a reader holds the srcu_struct for read (a read that waits for nothing), and
 * {@code synchronize_srcu} waits for it while holding what it holds.
 */
public sealed class Srcu extends KernelLock permits Rcu {

	/** Per thread in {@code synchronize_srcu}, the readers it still waits for. */
	private final Map<Participant, Set<Participant>> gracePeriods = new IdentityHashMap<>();

	public Srcu(String className, String name) {
		super(className, name);
	}

	/** What a thread in {@code synchronize_srcu} waits for. */
	record GracePeriod(Srcu srcu, Participant waiter) implements Awaited {
		@Override
		public boolean stuck() {
			return srcu.stuck(this);
		}

		@Override
		public List<Participant> waitedFor() {
			return srcu.waitedFor(this);
		}

		@Override
		public String toString() {
			return "a grace period of " + srcu.name();
		}
	}

	/** {@code srcu_read_lock}. */
	public void readLock() {
		lock(Mode.READ, false);
	}

	/** {@code srcu_read_unlock}. */
	public void readUnlock() {
		unlock();
	}

	/** {@code synchronize_srcu}, first step: the grace period begins with the readers inside now; then {@link #awaitGracePeriod}. */
	public void syncStart() {
		Participant p = Kernel.current();
		p.validator.mightSleep(p, synchronizeCall(), name());
		synchronized (Kernel.M) {
			p.validator.waiting(p, this);
			gracePeriods.put(p, new LinkedHashSet<>(readers));
		}
	}

	/** {@code synchronize_srcu}, second step: sleeps until each of those readers has left its outermost section. */
	public void awaitGracePeriod() {
		Participant p = Kernel.current();
		synchronized (Kernel.M) {
			GracePeriod g = new GracePeriod(this, p);
			try {
				while (stuck(g)) {
					Kernel.block(p, g);
				}
			} finally {
				gracePeriods.remove(p);
			}
		}
	}

	/** Whether a grace period still waits for a reader. Monitor held. */
	boolean stuck(GracePeriod g) {
		return !gracePeriods.getOrDefault(g.waiter(), Set.of()).isEmpty();
	}

	/** The readers a grace period waits for. Monitor held. */
	List<Participant> waitedFor(GracePeriod g) {
		return new ArrayList<>(gracePeriods.getOrDefault(g.waiter(), Set.of()));
	}

	@Override
	boolean acquirable(Participant p, Mode mode) {
		return true; // a reader never waits; nobody takes the write side
	}

	@Override
	boolean neverWaits() {
		return true;
	}

	@Override
	void released(Participant p) {
		if (!readers.contains(p)) {
			for (Set<Participant> waitsFor : gracePeriods.values()) {
				waitsFor.remove(p);
			}
		}
	}

	/** The call that waits for the readers, for messages. */
	String synchronizeCall() {
		return "synchronize_srcu " + name();
	}

	@Override
	boolean sleeps(boolean preemptRt) {
		return false;
	}

	@Override
	boolean spins(boolean preemptRt) {
		return false; // a reader may sleep
	}

	@Override
	boolean sharedRead() {
		return true;
	}

	@Override
	String kind() {
		return "srcu";
	}
}
