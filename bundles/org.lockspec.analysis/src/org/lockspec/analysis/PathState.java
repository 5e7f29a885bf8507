package org.lockspec.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.emf.ecore.EObject;
import org.lockspec.model.Context;
import org.lockspec.kernel.LockKinds;

/**
 * The state of one path: the call chain with its variables, the locks held (in
 * acquisition order), the context, the path condition and the objects created
 * on this path and not yet published (their fields are private to the path).
 */
public final class PathState {

	/** The thread this path runs as (a scenario thread name, or the entry op's name). */
	final String thread;
	final Context context;
	final List<Site.Frame> chain;
	final List<Map<EObject, Sym>> envs;
	final List<Held> held;
	/** Every lock this path waited for and every wait it made, oldest first: what a {@code complete} later depends on. */
	final List<Held> passed;
	final List<Sym> condition;
	final Set<Sym> fresh;
	final Map<String, Integer> counters;

	PathState(String thread, Context context) {
		this.thread = thread;
		this.context = context;
		this.chain = new ArrayList<>();
		this.envs = new ArrayList<>();
		this.held = new ArrayList<>();
		this.passed = new ArrayList<>();
		this.condition = new ArrayList<>();
		this.fresh = new HashSet<>();
		this.counters = new HashMap<>();
	}

	private PathState(PathState o) {
		this.thread = o.thread;
		this.context = o.context;
		this.chain = new ArrayList<>(o.chain);
		this.envs = new ArrayList<>();
		for (Map<EObject, Sym> env : o.envs) {
			envs.add(new HashMap<>(env));
		}
		this.held = new ArrayList<>(o.held);
		this.passed = new ArrayList<>(o.passed);
		this.condition = new ArrayList<>(o.condition);
		this.fresh = new HashSet<>(o.fresh);
		this.counters = new HashMap<>(o.counters);
	}

	PathState copy() {
		return new PathState(this);
	}

	public String thread() {
		return thread;
	}

	public Context context() {
		return context;
	}

	/** Locks held now, oldest first. */
	public List<Held> held() {
		return List.copyOf(held);
	}

	/**
	 * DEPT's rule for an event this path produces now ({@code complete c}): it comes only after every lock the
	 * path took blocking (not by trylock) and every completion and gate drain it waited for, held or not any
	 * more, in order; so a thread that holds one of them while it waits for the event waits for ever (lockdep
	 * treats a work item's lock map the same way). Waits for another completion of the event's own class are
	 * left out: completions waited for along a tree (a parent's after its children's) would read as nesting.
	 */
	public List<Held> producedAfter(LockRef event) {
		List<Held> out = new ArrayList<>();
		for (Held h : passed) {
			if (h.ref().decl() != event.decl()) {
				out.add(h);
			}
		}
		return out;
	}

	/** The conditions this path assumed so far (branches taken). */
	public List<Sym> condition() {
		return List.copyOf(condition);
	}

	public boolean isFresh(Sym obj) {
		return fresh.contains(obj);
	}

	/** Hard interrupts are off: in hard-IRQ context, or under a lock taken with irqsave. */
	public boolean irqsOff() {
		if (context == Context.HARDIRQ) {
			return true;
		}
		for (Held h : held) {
			if (h.irqsave()) {
				return true;
			}
		}
		return false;
	}

	/** A spinning lock is held (spinlock, rwlock, raw_spinlock; under PREEMPT_RT only raw ones spin). */
	public Held spinningHeld(boolean preemptRt) {
		for (Held h : held) {
			if (LockKinds.spins(h.ref().kind(), preemptRt)) {
				return h;
			}
		}
		return null;
	}

	public Held rawSpinlockHeld() {
		for (Held h : held) {
			if (LockKinds.spins(h.ref().kind(), true)) { // spins even under PREEMPT_RT
				return h;
			}
		}
		return null;
	}

	int next(String counter) {
		return counters.merge(counter, 1, Integer::sum);
	}
}
