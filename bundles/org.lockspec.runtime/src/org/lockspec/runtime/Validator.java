package org.lockspec.runtime;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small lockdep for the JVM. It keeps each thread's held stack, a global
 * graph of dependencies between lock classes (taking B while holding A adds A
 * -> B, recorded with both held stacks), and reports:
 * <ul>
 * <li>an inversion when a new dependency closes a cycle, with the stack that
 * made the new one and the stacks that made the old ones;</li>
 * <li>sleeping in atomic context (a sleeping lock, a drain or a wait with a
 * spinning lock held, interrupts off, or in interrupt context);</li>
 * <li>a deadlock, from a wait-for graph over the blocked threads: a cycle (or
 * every thread of a run blocked) fails the blocked threads with a {@link
 * LockspecFault} instead of hanging;</li>
 * <li>races: two threads touching a plain field, one writing, with no lock in
 * common (a lockset check);</li>
 * <li>what the objects report: use after free, list corruption, refcount
 * errors, lock misuse.</li>
 * </ul>
 * Same-class nesting (two instances of one class, parent and child) adds no
 * dependency. A trylock adds none to the lock it takes, as in lockdep.
 */
public final class Validator {

	/** A dependency between two lock classes and how it was first seen. */
	private record Dep(String from, String to, String thread, String stack) {
	}

	private record Access(Participant who, boolean write, Object[] lockset, String site) {
	}

	private final Map<String, Map<String, Dep>> graph = new HashMap<>();
	private final Map<String, Report> reports = new LinkedHashMap<>();
	private final Map<String, Integer> counts = new HashMap<>();
	private final Map<KObject, Map<String, List<Access>>> accesses = new IdentityHashMap<>();

	/** All reports so far, first of each kind and subject (repeats are counted, not kept). */
	public List<Report> reports() {
		synchronized (Kernel.M) {
			return List.copyOf(reports.values());
		}
	}

	public boolean clean() {
		return reports().isEmpty();
	}

	/** Whether a report of {@code kind} was made. */
	public boolean has(Report.Kind kind) {
		return reports().stream().anyMatch(r -> r.kind() == kind);
	}

	/** Whether a report of {@code kind} about {@code subject} was made. */
	public boolean has(Report.Kind kind, String subject) {
		return reports().stream().anyMatch(r -> r.kind() == kind && r.subject().equals(subject));
	}

	/** Every report, one per line (for assertion messages). */
	public String describe() {
		List<Report> all = reports();
		if (all.isEmpty()) {
			return "no reports";
		}
		StringBuilder b = new StringBuilder();
		synchronized (Kernel.M) {
			for (var e : reports.entrySet()) {
				int n = counts.getOrDefault(e.getKey(), 1);
				b.append(e.getValue()).append(n > 1 ? " (" + n + " times)" : "").append('\n');
			}
		}
		return b.toString();
	}

	/** Records a report (the first of its kind, subject and message is kept). */
	public void report(Report r) {
		synchronized (Kernel.M) {
			String key = r.kind() + "\u0000" + r.subject();
			counts.merge(key, 1, Integer::sum);
			reports.putIfAbsent(key, r);
		}
	}

	boolean preemptRt(Participant p) {
		return p.run != null && p.run.preemptRt();
	}

	/** Forgets the field accesses of the last run (objects do not outlive a run). */
	void beginRun() {
		synchronized (Kernel.M) {
			accesses.clear();
		}
	}

	// ------------------------------------------------------------ acquiring

	/**
	 * Thread {@code p} is about to take {@code lock} (a {@link KernelLock} or a
	 * {@link Gate}) in {@code mode}: checks whether it may sleep here and adds the
	 * dependencies from what it holds. Monitor held.
	 */
	void acquiring(Participant p, Waitable lock, Mode mode, boolean sleeps, boolean trylock) {
		String name = lock.name();
		String cls = lock.className();
		if (sleeps) {
			// on PREEMPT_RT a spinlock sleeps, which an RCU read section allows (an rt_mutex there)
			boolean rtSpinlock = lock instanceof KernelLock l && l.spins(false);
			mightSleep(p, lock instanceof Gate ? "drain " + name : "taking " + lock, name, rtSpinlock);
		}
		if (trylock) {
			return;
		}
		p.passed.add(cls);
		String taken = name + (mode == Mode.READ ? " (read)" : "");
		for (Held h : p.held) {
			dependency(p, h.className(), cls, taken, p.name + " takes " + taken + " (class " + cls + ") at " + p.site()
					+ " while holding " + h.describe() + " (class " + h.className() + ")");
		}
	}

	/**
	 * Thread {@code p} is about to wait for {@code c}, a completion or the end of a work's run (a flush): what
	 * it holds comes before it. Monitor held.
	 */
	void waiting(Participant p, Waitable c) {
		p.passed.add(c.className());
		for (Held h : p.held) {
			dependency(p, h.className(), c.className(), c.name(), p.name + " waits for the " + c + " (class "
					+ c.className() + ") at " + p.site() + " while holding " + h.describe() + " (class " + h.className()
					+ ")");
		}
	}

	/**
	 * Thread {@code p} completes {@code c}: DEPT's event rule, the completion comes after every lock it took and
	 * every wait it made so far (a waiter that holds one of them waits for ever). Monitor held.
	 */
	void completing(Participant p, Completion c) {
		for (String before : List.copyOf(p.passed)) {
			dependency(p, c.className(), before, before, p.name + " completes " + c.name() + " (class " + c.className()
					+ ") at " + p.site() + " after it took " + before + " first");
		}
	}

	/**
	 * The dependency {@code from -> cls} ({@code what} says how {@code p} made it); a new one that closes a cycle
	 * is reported as an inversion, with the dependencies that make the rest of the cycle.
	 */
	private void dependency(Participant p, String from, String cls, String name, String what) {
		if (from.equals(cls)) {
			return;
		}
		Map<String, Dep> out = graph.computeIfAbsent(from, k -> new LinkedHashMap<>());
		if (out.containsKey(cls)) {
			return;
		}
		List<Dep> back = path(cls, from);
		String stack = p.heldText() + " -> " + name + " at " + p.site();
		if (back != null) {
			StringBuilder b = new StringBuilder();
			b.append("possible circular locking dependency: ").append(what).append('\n');
			b.append("  new dependency ").append(from).append(" -> ").append(cls).append(", ").append(p.name)
					.append(" holds: ").append(stack).append('\n');
			for (Dep d : back) {
				b.append("  existing dependency ").append(d.from()).append(" -> ").append(d.to()).append(", ")
						.append(d.thread()).append(" held: ").append(d.stack()).append('\n');
			}
			report(new Report(Report.Kind.INVERSION, String.join(" -> ", sortedCycle(from, cls, back)),
					b.toString().stripTrailing()));
		}
		out.put(cls, new Dep(from, cls, p.name, stack));
	}

	/** The classes of a cycle, starting at the smallest name (one subject per cycle, whoever closes it). */
	private static List<String> sortedCycle(String from, String to, List<Dep> back) {
		List<String> cycle = new ArrayList<>();
		cycle.add(from);
		cycle.add(to);
		for (Dep d : back) {
			if (!cycle.contains(d.to())) {
				cycle.add(d.to());
			}
		}
		int min = 0;
		for (int i = 1; i < cycle.size(); i++) {
			if (cycle.get(i).compareTo(cycle.get(min)) < 0) {
				min = i;
			}
		}
		List<String> out = new ArrayList<>(cycle.subList(min, cycle.size()));
		out.addAll(cycle.subList(0, min));
		out.add(out.get(0));
		return out;
	}

	/** The dependencies of a path from class {@code a} to class {@code b}, or null. */
	private List<Dep> path(String a, String b) {
		Map<String, Dep> via = new HashMap<>();
		ArrayDeque<String> queue = new ArrayDeque<>();
		Set<String> seen = new LinkedHashSet<>();
		queue.add(a);
		seen.add(a);
		while (!queue.isEmpty()) {
			String c = queue.poll();
			if (c.equals(b)) {
				List<Dep> out = new ArrayList<>();
				for (String x = b; !x.equals(a);) {
					Dep d = via.get(x);
					out.add(0, d);
					x = d.from();
				}
				return out;
			}
			for (Dep d : graph.getOrDefault(c, Map.of()).values()) {
				if (seen.add(d.to())) {
					via.put(d.to(), d);
					queue.add(d.to());
				}
			}
		}
		return null;
	}

	/** Thread {@code p} is about to do something that sleeps ({@code what}). Monitor held or not. */
	void mightSleep(Participant p, String what, String subject) {
		mightSleep(p, what, subject, false);
	}

	/**
	 * As {@link #mightSleep(Participant, String, String)}; {@code rtSpinlock}: what sleeps is a spinlock on
	 * PREEMPT_RT, which an RCU read section allows.
	 */
	private void mightSleep(Participant p, String what, String subject, boolean rtSpinlock) {
		String why = null;
		if (!p.context.maySleep()) {
			why = "it runs in " + p.context.name().toLowerCase(java.util.Locale.ROOT) + " context";
		}
		synchronized (Kernel.M) {
			for (Held h : p.held) {
				if (h.lock() instanceof KernelLock l && l.spins(preemptRt(p))) {
					why = "it holds the " + l.kind() + " " + l.name() + " (taken at " + h.site() + ")";
				} else if (h.lock() instanceof Rcu && !rtSpinlock) {
					why = "it is inside an RCU read-side critical section (rcu_read_lock at " + h.site() + ")";
				}
				if (h.irqsave()) {
					why = "interrupts are off (" + h.describe() + ", irqsave)";
				}
			}
			if (why != null) {
				report(new Report(Report.Kind.SLEEP_IN_ATOMIC, subject == null ? what : subject, p.name + " may sleep at "
						+ p.site() + " (" + what + ") but " + why + "; it holds " + p.heldText()));
			}
		}
	}

	/**
	 * Thread {@code p} is about to spin until something elsewhere is done ({@code timer_delete_sync}): a sleep on
	 * PREEMPT_RT, and never to be done in hard-IRQ context, where the softirq it waits for may be the one the
	 * interrupt cut short. Monitor held or not.
	 */
	void mightSpin(Participant p, String what, String subject) {
		if (preemptRt(p)) {
			mightSleep(p, what, subject);
		} else if (p.context == Context.HARDIRQ) {
			synchronized (Kernel.M) {
				report(new Report(Report.Kind.SLEEP_IN_ATOMIC, subject, p.name + " spins at " + p.site() + " (" + what
						+ ") in hardirq context, where the softirq it waits for may be the one it interrupted"));
			}
		}
	}

	// -------------------------------------------------------------- waiting

	/** Who a blocked thread waits for (empty: nobody in particular, or its wait is over). Monitor held. */
	private static List<Participant> waitsFor(Participant q) {
		Object w = q.waitingFor;
		if (w instanceof KernelLock.Waiting kw) {
			return kw.lock().acquirable(q, kw.mode()) ? List.of() : kw.lock().owners(q, kw.mode());
		}
		if (w instanceof Gate g) {
			List<Participant> in = new ArrayList<>(g.inside);
			in.remove(q);
			return in;
		}
		if (w instanceof Awaited a) {
			return a.waitedFor();
		}
		return List.of();
	}

	/** Whether a blocked thread still cannot go on. Monitor held. */
	private static boolean stuck(Participant q) {
		Object w = q.waitingFor;
		if (q.state != Participant.State.BLOCKED || w == null) {
			return false;
		}
		if (w instanceof KernelLock.Waiting kw) {
			return !kw.lock().acquirable(q, kw.mode());
		}
		if (w instanceof Gate g) {
			return !g.inside.isEmpty();
		}
		if (w instanceof Completion c) {
			return !c.isDone();
		}
		if (w instanceof Awaited a) {
			return a.stuck();
		}
		return true; // wait until: it is woken by every change and blocks again if nothing changed
	}

	/**
	 * Thread {@code p} is blocking: if the wait-for graph has a cycle through
	 * it, or every thread of its run is blocked, that is a deadlock: it is
	 * reported and every thread in it is released with the report. Monitor held.
	 */
	void checkDeadlock(Participant p) {
		if (!stuck(p) || p.run != null && p.run.stopped()) {
			return; // a stopped run's threads are leaving, not waiting
		}
		List<Participant> cycle = cycleThrough(p);
		if (cycle == null && p.run != null) {
			List<Participant> blocked = new ArrayList<>();
			boolean all = true;
			for (Participant q : p.run.participants()) {
				if (q.state == Participant.State.DONE || idleDaemon(q)) {
					continue;
				}
				if (!stuck(q)) {
					all = false;
					break;
				}
				blocked.add(q);
			}
			if (all && !blocked.isEmpty()) {
				cycle = blocked;
			}
		}
		if (cycle == null) {
			return;
		}
		List<String> lines = new ArrayList<>();
		List<String> subject = new ArrayList<>();
		for (Participant q : cycle) {
			List<String> owners = new ArrayList<>();
			for (Participant o : waitsFor(q)) {
				owners.add(o.name);
			}
			lines.add(q.name + " waits at " + q.site() + " for " + q.waitingFor
					+ (owners.isEmpty() ? "" : ", held by " + String.join(", ", owners)) + "; it holds " + q.heldText());
			subject.add(q.name);
		}
		Report r = new Report(Report.Kind.DEADLOCK, String.join(",", subject),
				"deadlock: " + String.join("\n  ", lines));
		report(r);
		for (Participant q : cycle) {
			q.deadlock = r;
		}
		Kernel.M.notifyAll();
	}

	/**
	 * Whether {@code q} is a daemon thread blocked between two runs with nothing to do (an IRQ thread whose line
	 * cannot fire, the PM workqueue's kworker with no device to suspend): as for the prover, no deadlocked thread,
	 * and no thread the others wait for. Monitor held.
	 */
	private static boolean idleDaemon(Participant q) {
		return q.daemon && q.betweenRuns && stuck(q);
	}

	private static List<Participant> cycleThrough(Participant p) {
		Map<Participant, Participant> parent = new IdentityHashMap<>();
		ArrayDeque<Participant> queue = new ArrayDeque<>();
		queue.add(p);
		parent.put(p, p);
		while (!queue.isEmpty()) {
			Participant q = queue.poll();
			if (q != p && !stuck(q)) {
				continue;
			}
			for (Participant o : waitsFor(q)) {
				if (o == p) {
					List<Participant> out = new ArrayList<>();
					for (Participant x = q; x != p; x = parent.get(x)) {
						out.add(0, x);
					}
					out.add(0, p);
					return out;
				}
				if (!parent.containsKey(o)) {
					parent.put(o, q);
					queue.add(o);
				}
			}
		}
		return null;
	}

	// --------------------------------------------------------------- races

	/** Thread {@code p} reads or writes plain field {@code field} of {@code obj}. */
	void access(Participant p, KObject obj, String field, boolean write) {
		synchronized (Kernel.M) {
			List<Object> held = new ArrayList<>();
			for (Held h : p.held) {
				// a work held is its run, and runs of one work never overlap; nor do an IRQ thread's, nor the
				// runtime PM callbacks of one device
				if (h.lock() instanceof KernelLock || h.lock() instanceof Work || h.lock() instanceof Irq
						|| h.lock() instanceof RuntimePm) {
					held.add(new Hold(h.lock(), h.mode() == Mode.READ));
				}
			}
			Object[] lockset = held.toArray();
			List<Access> list = accesses.computeIfAbsent(obj, k -> new HashMap<>()).computeIfAbsent(field,
					k -> new ArrayList<>(4));
			for (Access a : list) {
				if (a.who() != p && (write || a.write()) && disjoint(lockset, a.lockset())) {
					String name = obj.qualifiedName(field);
					report(new Report(Report.Kind.RACE, name, "race on " + name + ": " + p.name + " "
							+ (write ? "writes" : "reads") + " it at " + p.site() + " holding " + p.heldText() + ", "
							+ a.who().name + " " + (a.write() ? "wrote" : "read") + " it at " + a.site()
							+ (a.lockset().length == 0 ? " holding no lock" : " holding other locks") + ": no lock in common"));
					break;
				}
			}
			for (int i = 0; i < list.size(); i++) {
				if (list.get(i).who() == p && list.get(i).write() == write) {
					list.set(i, new Access(p, write, lockset, p.site()));
					return;
				}
			}
			list.add(new Access(p, write, lockset, p.site()));
		}
	}

	/** A lock (or a work's run) in an access's lockset, and whether it was held for read. */
	private record Hold(Waitable lock, boolean shared) {
	}

	/** No lock in common that orders the two: one held by both, by at least one of them exclusively. */
	private static boolean disjoint(Object[] a, Object[] b) {
		for (Object x : a) {
			for (Object y : b) {
				if (x instanceof Hold hx && y instanceof Hold hy && hx.lock() == hy.lock() && !(hx.shared() && hy.shared())) {
					return false;
				}
			}
		}
		return true;
	}
}
