package org.lockspec.prover.check;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.eclipse.emf.ecore.EObject;
import org.lockspec.analysis.Sites;
import org.lockspec.verdict.Location;
import org.lockspec.verdict.Obligation;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Trace;
import org.lockspec.verdict.Verdict;

/**
 * IRQ safety as lockdep checks it ({@code mark_lock_irq}, {@code check_irq_usage}):
 * no lock used in an interrupt (IRQ-safe) may reach, through the whole
 * dependency closure, a lock taken with that interrupt enabled (IRQ-unsafe),
 * for hardirqs and for softirqs.
 *
 * <p>Such a pair is a deadlock of two CPUs: CPU0 holds the unsafe lock M with
 * interrupts on; CPU1 holds the safe lock L and, along the chain L -> ... -> M,
 * waits for M; the interrupt on CPU0 waits for L. Read for this cycle of waits
 * exactly as for a lock-order cycle, with lockdep's labels: the interrupt's edge
 * M -> L starts from a shared hold when M was taken for read with interrupts on,
 * and ends in a recursive read when L is an rwlock read in the interrupt (an
 * interrupt's reader does not queue behind writers). The cycle deadlocks unless
 * a recursive read meets a shared hold. With no chain (L = M) that is lockdep's
 * single-lock rule: a lock used for read in an interrupt conflicts with one taken
 * for write with it enabled, not with one taken for read.
 *
 * <p>The chain is found by a breadth-first search from every IRQ-safe class at
 * once over (class, arrived by a recursive read), so it is a shortest one.
 */
final class IrqSafetyCheck {

	private final Facts facts;
	private final LockGraph graph;

	IrqSafetyCheck(Facts facts, LockGraph graph) {
		this.facts = facts;
		this.graph = graph;
	}

	/** An IRQ inversion: the safe lock's usage, the chain from it (empty for one lock), the unsafe lock's usage. */
	private record Inversion(Facts.Irq irq, EObject safeClass, Facts.Usage safe, List<Facts.Edge> chain,
			EObject unsafeClass, Facts.Usage unsafe) {
	}

	/** The first inversion, or null: one lock's own usages first, then chains, hardirqs before softirqs. */
	Verdict run(Location specAt, String incomplete) {
		Inversion found = singleLock();
		for (Facts.Irq irq : Facts.Irq.values()) {
			if (found == null) {
				found = chain(irq);
			}
		}
		if (found != null) {
			return violation(found);
		}
		Obligation ob = Obligation.IRQ_SAFETY;
		if (incomplete != null) {
			return new Verdict(ob.id(), ob, Status.UNKNOWN, "not every path was explored: " + incomplete, specAt, null,
					null, Map.of(), "paths", List.of());
		}
		return new Verdict(ob.id(), ob, Status.PROVED,
				"no lock used in interrupt context reaches, through any chain of lock dependencies, a lock taken with "
						+ "that interrupt enabled (lockdep's IRQ-safe -> IRQ-unsafe rule, hardirq and softirq)",
				specAt, null, null, Map.of("kind", "all paths", "classes", facts.usages.size()), "paths", List.of());
	}

	// ----------------------------------------------------------------- search

	private Inversion singleLock() {
		for (var e : facts.usages.entrySet()) {
			for (Facts.Irq irq : Facts.Irq.values()) {
				Facts.Usage safe = safeUsage(e.getValue(), irq);
				if (safe == null) {
					continue;
				}
				Facts.Usage unsafe = conflictingUnsafe(e.getValue(), irq, safe.read());
				if (unsafe != null) {
					return new Inversion(irq, e.getKey(), safe, List.of(), e.getKey(), unsafe);
				}
			}
		}
		return null;
	}

	/** Breadth first from every class used in {@code irq} context, over (class, arrived by a recursive read). */
	private Inversion chain(Facts.Irq irq) {
		int n = graph.size();
		LockGraph.GEdge[] via = new LockGraph.GEdge[2 * n];
		int[] from = new int[2 * n];
		boolean[] seen = new boolean[2 * n];
		int[] origin = new int[2 * n];
		ArrayDeque<Integer> queue = new ArrayDeque<>();
		for (int c = 0; c < n; c++) {
			Facts.Usage safe = safeUsage(usagesOf(c), irq);
			if (safe != null) {
				int state = 2 * c + (safe.read() ? 1 : 0); // an interrupt's read of an rwlock is recursive
				seen[state] = true;
				origin[state] = c;
				from[state] = -1;
				queue.add(state);
			}
		}
		while (!queue.isEmpty()) {
			int state = queue.poll();
			int c = state / 2;
			boolean recursive = state % 2 == 1;
			Facts.Usage unsafe = from[state] < 0 ? null : conflictingUnsafe(usagesOf(c), irq, recursive);
			if (unsafe != null) {
				EObject safeClass = graph.classes.get(origin[state]);
				return new Inversion(irq, safeClass, safeUsage(facts.usages.get(safeClass), irq), path(state, via, from),
						graph.classes.get(c), unsafe);
			}
			for (LockGraph.GEdge g : graph.out.get(c)) {
				if (recursive && g.fromShared()) {
					continue; // a recursive read meets a shared hold: no wait there
				}
				int next = 2 * g.to() + (g.toRecursive() ? 1 : 0);
				if (!seen[next]) {
					seen[next] = true;
					via[next] = g;
					from[next] = state;
					origin[next] = origin[state];
					queue.add(next);
				}
			}
		}
		return null;
	}

	private Map<Facts.Usage, Facts.Finding> usagesOf(int c) {
		Map<Facts.Usage, Facts.Finding> u = facts.usages.get(graph.classes.get(c));
		return u == null ? Map.of() : u;
	}

	private static List<Facts.Edge> path(int state, LockGraph.GEdge[] via, int[] from) {
		List<Facts.Edge> chain = new ArrayList<>();
		for (int s = state; from[s] >= 0; s = from[s]) {
			chain.add(via[s].witnesses().get(0));
		}
		Collections.reverse(chain);
		return chain;
	}

	/** The lock's use in {@code irq} context, for write if it has one (a write use conflicts with more). */
	private static Facts.Usage safeUsage(Map<Facts.Usage, Facts.Finding> usages, Facts.Irq irq) {
		Facts.Usage write = new Facts.Usage(irq, true, false);
		Facts.Usage read = new Facts.Usage(irq, true, true);
		return usages.containsKey(write) ? write : usages.containsKey(read) ? read : null;
	}

	/**
	 * The lock's use with {@code irq} enabled that closes a deadlocking cycle with a chain that reached it
	 * by a recursive read ({@code arrivedRecursive}) or not: any write use; a read use unless the chain's
	 * last acquisition was a recursive read (it does not wait for a reader).
	 */
	private static Facts.Usage conflictingUnsafe(Map<Facts.Usage, Facts.Finding> usages, Facts.Irq irq,
			boolean arrivedRecursive) {
		Facts.Usage write = new Facts.Usage(irq, false, false);
		Facts.Usage read = new Facts.Usage(irq, false, true);
		if (usages.containsKey(write)) {
			return write;
		}
		return usages.containsKey(read) && !arrivedRecursive ? read : null;
	}

	// ----------------------------------------------------------------- report

	private Verdict violation(Inversion inv) {
		Obligation ob = Obligation.IRQ_SAFETY;
		Facts.Finding safeAt = facts.usages.get(inv.safeClass()).get(inv.safe());
		Facts.Finding unsafeAt = facts.usages.get(inv.unsafeClass()).get(inv.unsafe());
		String safe = LockOrderCheck.className(inv.safeClass());
		String unsafe = LockOrderCheck.className(inv.unsafeClass());
		String irq = inv.irq().lower();
		String message;
		List<String> details = new ArrayList<>();
		if (inv.chain().isEmpty()) {
			message = "inconsistent lock state: '" + safe + "' is " + inv.safe().describe() + " (" + safeAt.at().describe()
					+ ") and " + inv.unsafe().describe() + " (" + unsafeAt.at().describe()
					+ "): an interrupt that arrives while it is held deadlocks on it";
		} else {
			message = irq + "-safe -> " + irq + "-unsafe lock order: '" + safe + "' is " + inv.safe().describe() + " ("
					+ safeAt.at().describe() + ") and a chain of lock dependencies leads from it to '" + unsafe + "' ("
					+ chainNames(inv) + "), which is " + inv.unsafe().describe() + " (" + unsafeAt.at().describe()
					+ "): an interrupt that arrives while '" + unsafe + "' is held can deadlock";
			for (Facts.Edge e : inv.chain()) {
				details.add(e.at().describe() + " takes " + e.to().name() + " while holding " + e.from().ref().name()
						+ " since " + e.from().at().describe());
			}
		}
		return new Verdict(ob.id(), ob, Status.VIOLATED, message, Location.of(unsafeAt.at().stmt()),
				inv.chain().isEmpty() ? safe : safe + " -> " + unsafe, trace(inv, safeAt, unsafeAt), Map.of(), "paths",
				details);
	}

	private static String chainNames(Inversion inv) {
		List<String> names = new ArrayList<>();
		names.add(LockOrderCheck.className(inv.safeClass()));
		for (Facts.Edge e : inv.chain()) {
			names.add(LockOrderCheck.className(e.toClass()));
		}
		return String.join(" -> ", names);
	}

	/**
	 * lockdep's "possible interrupt unsafe locking scenario": CPU0 takes the unsafe lock with interrupts on;
	 * CPU1 takes the safe lock and every lock of the chain (the chain's own steps, from its paths) and waits
	 * for the unsafe one; the interrupt on CPU0 waits for the safe lock. With no chain, CPU0 alone.
	 */
	private static Trace trace(Inversion inv, Facts.Finding safeAt, Facts.Finding unsafeAt) {
		List<Trace.Lane> lanes = new ArrayList<>();
		List<Trace.Event> events = new ArrayList<>();
		lanes.add(new Trace.Lane("CPU0", Traces.runs(unsafeAt.at().entry(), null)));
		events.add(event(0, unsafeAt.at(), false, false));
		List<String> notes = new ArrayList<>();
		if (!inv.chain().isEmpty()) {
			List<String> runs = new ArrayList<>();
			for (Facts.Edge e : inv.chain()) {
				String r = Traces.runs(e.at().entry(), null);
				if (!runs.contains(r)) {
					runs.add(r);
				}
			}
			lanes.add(new Trace.Lane("CPU1", String.join("; ", runs)));
			events.add(event(1, inv.chain().get(0).from().at(), false, false));
			for (int i = 0; i < inv.chain().size(); i++) {
				events.add(event(1, inv.chain().get(i).at(), i == inv.chain().size() - 1, false));
			}
			notes.add("Chain exists of: " + chainNames(inv).replace(" -> ", " --> "));
		}
		events.add(new Trace.Event(0, "<Interrupt>", Location.of(safeAt.at().stmt()), safeAt.at().entry().getName(),
				false, false));
		events.add(new Trace.Event(0, "  " + Sites.text(safeAt.at().stmt()), Location.of(safeAt.at().stmt()),
				safeAt.at().describe(), true, true));
		String safe = LockOrderCheck.className(inv.safeClass());
		String unsafe = LockOrderCheck.className(inv.unsafeClass());
		notes.add("'" + safe + "' became " + inv.irq().lower() + "-safe at " + safeAt.at().describe() + " ("
				+ inv.safe().describe() + ")");
		notes.add("'" + unsafe + "' became " + inv.irq().lower() + "-unsafe at " + unsafeAt.at().describe() + " ("
				+ inv.unsafe().describe() + ")");
		return new Trace(lanes, events, "DEADLOCK", notes);
	}

	private static Trace.Event event(int lane, org.lockspec.analysis.Site at, boolean waits, boolean fails) {
		return new Trace.Event(lane, Sites.text(at.stmt()), Location.of(at.stmt()), at.describe(), waits, fails);
	}
}
