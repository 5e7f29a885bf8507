package org.lockspec.prover.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.emf.ecore.EObject;
import org.lockspec.analysis.Held;
import org.lockspec.analysis.LockRef;
import org.lockspec.analysis.PathListener;
import org.lockspec.analysis.PathState;
import org.lockspec.analysis.Site;
import org.lockspec.analysis.Sites;
import org.lockspec.analysis.SpecFacts;
import org.lockspec.analysis.Sym;
import org.lockspec.kernel.LockKinds;
import org.lockspec.kernel.WorkKind;
import org.lockspec.model.Context;
import org.lockspec.model.Field;
import org.lockspec.model.FlushWorkStmt;
import org.lockspec.model.Guarded;
import org.lockspec.model.LockKind;
import org.lockspec.model.LockMode;
import org.lockspec.typing.Guards;

/**
 * Everything the path explorer saw that the obligations need, collected once
 * over all entry ops: lock dependencies, interrupt usages, sleeps in atomic
 * context, lock hygiene, guarded-field accesses, and each thread's accesses with
 * the locks held (for scenario races).
 */
final class Facts implements PathListener {

	/**
	 * B acquired (or waited for) while {@code from} held; {@code toRecursive}: B is a recursive reader
	 * (lockdep's R), which a lock held for read does not block.
	 */
	/**
	 * A dependency: the path holds {@code from} (one of {@code held}, everything the path holds there) and takes
	 * or waits for {@code to}. {@code entry} is the op whose path it is.
	 */
	record Edge(Held from, LockRef to, LockMode toMode, boolean toRecursive, Site at, List<Sym> condition,
			String thread, List<Held> held) {
		EObject fromClass() {
			return from.ref().decl();
		}

		EObject toClass() {
			return to.decl();
		}
	}

	/** The interrupts lockdep tracks a lock's usage for. */
	enum Irq {
		HARDIRQ, SOFTIRQ;

		String lower() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}
	}

	/**
	 * lockdep's usage bits: a lock used in an interrupt ({@code USED_IN}) or taken with that interrupt enabled
	 * ({@code ENABLED}), for write or for read (an rwlock's read side).
	 */
	record Usage(Irq irq, boolean usedIn, boolean read) {
		String describe() {
			return usedIn ? (read ? "read" : "used") + " in " + irq.lower() + " context"
					: "taken " + (read ? "for read " : "") + "with " + irq.lower() + "s enabled";
		}
	}

	record Finding(Site at, String message, List<Held> held, EObject subject) {
	}

	record Access(String thread, Sym obj, EObject feature, boolean write, List<Held> held, Site at) {
		/** What makes two accesses the same for the lockset rule: who, where in the source, what, holding what. */
		private AccessKey key() {
			List<Object> locks = new ArrayList<>(held.size());
			for (Held h : held) {
				locks.add(h.ref());
				locks.add(h.shared());
			}
			return new AccessKey(thread, obj, feature, write, locks, at.stmt());
		}
	}

	private record AccessKey(String thread, Sym obj, EObject feature, boolean write, List<Object> locks, EObject stmt) {
	}

	final SpecFacts spec;
	final List<Edge> edges = new ArrayList<>();
	final Map<EObject, Map<Usage, Finding>> usages = new LinkedHashMap<>();
	final Map<String, Finding> sleeps = new LinkedHashMap<>();
	final Map<String, Finding> hygiene = new LinkedHashMap<>();
	final Map<String, Finding> unguarded = new LinkedHashMap<>();
	/** Each distinct access once, by field (paths that repeat an access add nothing): linear in the source. */
	final Map<EObject, List<Access>> accessesByField = new LinkedHashMap<>();
	private final java.util.Set<AccessKey> accessKeys = new java.util.HashSet<>();
	final List<String> truncations = new ArrayList<>();
	private final Map<EdgeKey, Witnesses> edgeWitnesses = new HashMap<>();
	boolean recordAccesses;

	Facts(SpecFacts spec) {
		this.spec = spec;
	}

	@Override
	public void acquire(PathState s, LockRef ref, LockMode mode, boolean irqsave, boolean blocking, Site at) {
		if (ref.isLock()) {
			usage(s, ref, mode, irqsave, at);
			waitContext(s, ref, mode, blocking, at);
		}
		boolean recursive = recursive(ref, mode, s);
		List<Held> held = s.held();
		Held again = null;
		for (Held h : held) {
			if (h.ref().equals(ref) && !(h.shared() && recursive)) {
				again = h;
			}
		}
		if (again != null && blocking) {
			Held h = again;
			note(hygiene, "AA " + ref.decl().hashCode() + " " + at.describe(), at,
					() -> "'" + ref.name() + "' is taken again while it is held (taken at line " + h.at().line() + "): "
							+ (h.shared() && mode == LockMode.READ
									? "a second read of the " + describe(ref) + " waits behind a writer that queues in between"
									: ref.isIrq() ? "the IRQ thread waits for its own irq's thread: for itself"
									: ref.isRuntimePm() ? "a runtime PM callback of the device calls " + Sites.text(at.stmt())
											+ " on it: rpm_resume (rpm_suspend) waits for the callback under way, its own"
											+ " (lockdep does not see this wait)"
									: ref.kind() == LockKind.RCU ? "synchronize_rcu inside an RCU read section waits for "
											+ "itself (lockdep: \"Illegal synchronize_rcu() in RCU read-side critical "
											+ "section\")"
									: ref.isSrcu() ? "synchronize_srcu inside a read section of the same srcu waits for "
											+ "itself (lockdep: \"Illegal synchronize_srcu() in same-type SRCU "
											+ "read-side critical section\")"
									: ref.workKind() == WorkKind.TIMER ? "the timer's function deletes its timer with "
											+ "timer_delete_sync: it spins until it has returned itself"
									: ref.isWork() ? "a run of the work flushes the work, and waits for itself"
									: ref.isWorkqueue() ? (at.stmt() instanceof FlushWorkStmt
											? "a work on the ordered workqueue flushes a work queued on it after it, "
													+ "which cannot begin before it has ended"
											: "a work on the workqueue flushes it, and waits for itself")
											+ " (lockdep: possible recursive locking of (wq_completion)" + ref.name() + ")"
											: "the " + describe(ref) + " is not recursive"),
					s, null);
		}
		if (!blocking) {
			return; // a trylock or an enter never waits: no dependency into it
		}
		// lockdep's dependencies (check_prevs_add): from the most recent hold down to the first one held
		// exclusively and not by a trylock; the older ones reach the new lock through it, so a cycle through
		// them is a cycle through these (and nesting depth costs linear memory). Re-taking a held instance
		// is a dependency on itself wherever that instance is.
		List<Sym> condition = s.condition();
		List<Object> pattern = FeasibleCycles.holdPattern(spec, ref, held);
		for (int i = held.size() - 1; i >= 0; i--) {
			Held h = held.get(i);
			dependency(h, ref, mode, recursive, at, condition, s.thread(), held, pattern);
			if (!h.shared() && !h.trylock()) {
				break;
			}
		}
		if (again != null && held.indexOf(again) < held.size() - 1) {
			dependency(again, ref, mode, recursive, at, condition, s.thread(), held, pattern);
		}
	}

	private static boolean recursive(LockRef ref, LockMode mode, PathState s) {
		return ref.isLock() && LockKinds.recursiveRead(ref.kind(), mode, s.context());
	}

	/** The completion depends on what the path {@linkplain PathState#producedAfter produces it after}. */
	@Override
	public void complete(PathState s, LockRef completion, Site at) {
		Held producing = new Held(completion, LockMode.WRITE, false, false, false, at);
		List<Sym> condition = s.condition();
		for (Held before : s.producedAfter(completion)) {
			// what the producer held when it took 'before' is not known here: only the completion it will complete
			List<Held> held = List.of(producing);
			dependency(producing, before.ref(), before.mode(), recursive(before.ref(), before.mode(), s), before.at(),
					condition, s.thread(), held, FeasibleCycles.holdPattern(spec, before.ref(), held));
		}
	}

	private void dependency(Held h, LockRef ref, LockMode mode, boolean recursive, Site at, List<Sym> condition,
			String thread, List<Held> held, List<Object> holdPattern) {
		EdgeKey key = new EdgeKey(h.ref().decl(), ref.decl(), h.shared(), mode, h.ref().equals(ref), h.ref().owner() == null,
				ref.owner() == null, holdPattern);
		Witnesses kept = edgeWitnesses.computeIfAbsent(key, k -> new Witnesses());
		kept.seen++;
		boolean unconditional = condition.isEmpty();
		if (kept.seen <= 4 || unconditional && !kept.unconditional || !unconditional && kept.seen <= 16) {
			kept.unconditional |= unconditional;
			Edge e = new Edge(h, ref, mode, recursive, at, condition, thread, held);
			edges.add(e);
			kept.edges.add(e);
		} else if (!kept.unconditional) {
			conditionsUnknown.addAll(kept.edges);
		}
	}

	/** The paths kept of one kind of dependency, how many there were, and whether one kept has no condition. */
	private static final class Witnesses {
		final List<Edge> edges = new ArrayList<>();
		int seen;
		boolean unconditional;
	}

	/**
	 * Dependencies whose kind lost a path with a condition of its own while only conditional ones were kept: the
	 * lost one's condition may hold where theirs do not, so their conditions rule nothing out.
	 */
	private final java.util.Set<Edge> conditionsUnknown = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

	/** Whether {@code e}'s condition may stand for the path: false if it stands for lost paths too. */
	boolean conditionKnown(Edge e) {
		return !conditionsUnknown.contains(e);
	}

	/**
	 * What makes two dependencies alike for lockdep and for {@link FeasibleCycles}: the classes and labels, and the
	 * pattern of what the path holds (which classes, how, and which of them belong to one object); a few paths of
	 * each kind are kept.
	 */
	private record EdgeKey(EObject from, EObject to, boolean fromShared, LockMode mode, boolean sameInstance,
			boolean fromGlobal, boolean toGlobal, List<Object> holdPattern) {
	}

	@Override
	public void release(PathState s, LockRef ref, Held held, Site at) {
		if (held != null) {
			return;
		}
		boolean sameClass = s.held().stream().anyMatch(h -> h.ref().decl() == ref.decl());
		if (sameClass) {
			Held other = s.held().stream().filter(h -> h.ref().decl() == ref.decl()).reduce((a, b) -> b).get();
			note(hygiene, "wrong " + at.describe(), at, "unlocks '" + ref.name() + "' but the instance held is '"
					+ other.ref().name() + "' (taken at line " + other.at().line() + "): a different object's lock", s);
		} else {
			note(hygiene, "stray " + at.describe(), at, "unlocks '" + ref.name() + "', which is not held on this path", s);
		}
	}

	@Override
	public void sleep(PathState s, String what, Site at) {
		String why = atomicReason(s, null);
		if (why != null) {
			note(sleeps, what + " " + at.describe(), at, what + " may sleep, but " + why, s);
		}
	}

	/**
	 * A spinning wait ({@code timer_delete_sync}) may be done in atomic context, but not in hard-IRQ context: the
	 * softirq it waits for may be the one the interrupt cut short on this CPU (kernel/time/timer.c warns). On
	 * PREEMPT_RT it sleeps.
	 */
	@Override
	public void spinWait(PathState s, String what, Site at) {
		if (spec.preemptRt()) {
			sleep(s, what, at);
		} else if (LockKinds.mayRunInHardirq(s.context())) {
			note(sleeps, what + " " + at.describe(), at, what + " spins until the timer's function has returned, which "
					+ "must not be awaited in hard-IRQ context (an op declared 'in " + s.context().getLiteral()
					+ "'): the softirq that runs it may be the one this interrupt cut short", s);
		}
	}

	@Override
	public void access(PathState s, Sym obj, EObject feature, boolean write, List<LockRef> guards, Site at) {
		if (feature instanceof Field f && f.isAtomic()) {
			return;
		}
		if (recordAccesses) {
			Access a = new Access(s.thread(), obj, feature, write, s.held(), at);
			if (accessKeys.add(a.key())) {
				accessesByField.computeIfAbsent(feature, f -> new ArrayList<>()).add(a);
			}
		}
		if (feature instanceof Guarded g && !g.getGuards().isEmpty() && !guardHeld(s, guards, write)) {
			// a lock reached through refs is named from the object accessed: irq.msi.dev.msi_lock
			List<String> names = g.getGuards().stream().map(guard -> Guards.path(guard).isEmpty() || obj == null
					? Guards.text(guard) : obj + "." + Guards.text(guard)).toList();
			String fname = org.lockspec.naming.NameOf.name(feature);
			note(unguarded, (write ? "w " : "r ") + feature.hashCode() + " " + at.describe(), at,
					(write ? "writes " : "reads ") + (obj == null ? fname : obj + "." + fname) + " without holding "
							+ (names.size() == 1 ? names.get(0) : "any of " + String.join(", ", names))
							+ (write ? " for write" : ""),
					s, feature);
		}
	}

	@Override
	public void pathEnd(PathState s, Site at) {
		for (Held h : s.held()) {
			if (h.inherited() || declaredAcquire(h, at)) {
				continue;
			}
			Site where = at != null ? at : h.at();
			note(hygiene, "held " + h.ref().decl().hashCode() + " " + h.at().describe(), where,
					"'" + h.ref().name() + "' (taken at line " + h.at().line() + ") is still held when "
							+ h.at().entry().getName() + " returns, and the op does not say 'acquires'",
					s);
		}
	}

	@Override
	public void truncated(String why) {
		truncations.add(why);
	}

	private static boolean declaredAcquire(Held h, Site end) {
		var entry = h.at().entry();
		for (var e : entry.getAcquires()) {
			EObject decl = org.lockspec.typing.SpecTypes.typeOf(e).decl();
			if (decl == h.ref().decl()) {
				return true;
			}
		}
		return false;
	}

	/** Whether the path holds one of {@code guards} (a per-object one of the same object), exclusively to write. */
	private static boolean guardHeld(PathState s, List<LockRef> guards, boolean write) {
		for (LockRef guard : guards) {
			for (Held h : s.held()) {
				if (h.ref().decl() != guard.decl() || guard.owner() != null && !guard.owner().equals(h.ref().owner())) {
					continue;
				}
				if (write && h.shared()) {
					continue; // a write needs the exclusive side
				}
				return true;
			}
		}
		return false;
	}

	// --------------------------------------------------------------- contexts

	/** Why the path is atomic now for a sleep on a lock of kind {@code taking} (null: a wait), or null if it may sleep. */
	private String atomicReason(PathState s, LockKind taking) {
		Context c = s.context();
		if (LockKinds.mayRunInHardirq(c)) {
			return "the path runs in hard-IRQ context (an op declared 'in " + c.getLiteral() + "')";
		}
		if (c == Context.SOFTIRQ) {
			return "the path runs in softirq context (an op declared 'in softirq')";
		}
		Held spin = s.spinningHeld(spec.preemptRt());
		if (spin != null) {
			return "the " + describe(spin.ref()) + " '" + spin.ref().name() + "' is held (taken at line "
					+ spin.at().line() + ")";
		}
		for (Held h : s.held()) {
			if (h.irqsave()) {
				return "interrupts are off ('" + h.ref().name() + "' was taken irqsave at line " + h.at().line() + ")";
			}
		}
		for (Held h : s.held()) {
			if (LockKinds.readSectionAtomic(h.ref().kind()) && LockKinds.forbidsSleep(h.ref().kind(), spec.preemptRt(), taking)) {
				return "the path is inside an RCU read-side critical section (" + LockKinds.readLockCall(h.ref().kind())
						+ " at line " + h.at().line() + ")";
			}
		}
		return null;
	}

	private void waitContext(PathState s, LockRef ref, LockMode mode, boolean blocking, Site at) {
		LockKind k = ref.kind();
		if (LockKinds.sleeps(k, spec.preemptRt()) && blocking) {
			String why = atomicReason(s, k);
			if (why != null && !(spec.preemptRt() && s.context() == Context.SOFTIRQ && !LockKinds.alwaysSleeps(k)
					&& s.spinningHeld(true) == null)) {
				note(sleeps, "lock " + at.describe(), at, "taking the " + describe(ref) + " '" + ref.name()
						+ "' may sleep, but " + why, s);
			}
		}
		if (LockKinds.sleepsOnPreemptRt(k)) {
			Held raw = s.rawSpinlockHeld();
			if (raw != null) {
				note(sleeps, "nest " + at.describe(), at, "the " + describe(ref) + " '" + ref.name()
						+ "' is taken under the raw_spinlock '" + raw.ref().name() + "' (line " + raw.at().line()
						+ "): on PREEMPT_RT a " + k.getLiteral() + " sleeps, so it must not nest inside a raw spinlock",
						s);
			}
		}
	}

	/** Records lockdep's usage bits of a spinning lock: the context it is taken in, and which interrupts are on. */
	private void usage(PathState s, LockRef ref, LockMode mode, boolean irqsave, Site at) {
		LockKind k = ref.kind();
		if (LockKinds.alwaysSleeps(k) || LockKinds.readersOnly(k)) {
			return; // sleeping locks in IRQ context are wait-context errors; an srcu reader never waits
		}
		boolean read = LockKinds.shared(k, mode);
		boolean irqsOff = irqsave || s.irqsOff();
		Map<Usage, Finding> u = usages.computeIfAbsent(ref.decl(), d -> new LinkedHashMap<>());
		Finding f = new Finding(at, "", s.held(), ref.decl());
		Context c = s.context();
		if (LockKinds.mayRunInHardirq(c)) {
			u.putIfAbsent(new Usage(Irq.HARDIRQ, true, read), f);
		}
		if (c == Context.SOFTIRQ) {
			u.putIfAbsent(new Usage(Irq.SOFTIRQ, true, read), f);
		}
		// 'in any' may also run in process context with interrupts on; in hardirq context softirqs cannot run
		if (!irqsOff && c != Context.HARDIRQ) {
			u.putIfAbsent(new Usage(Irq.HARDIRQ, false, read), f);
			if (c != Context.SOFTIRQ) {
				u.putIfAbsent(new Usage(Irq.SOFTIRQ, false, read), f);
			}
		}
	}

	private static void note(Map<String, Finding> into, String key, Site at, String message, PathState s) {
		note(into, key, at, () -> message, s, null);
	}

	private static void note(Map<String, Finding> into, String key, Site at, String message, PathState s,
			EObject subject) {
		note(into, key, at, () -> message, s, subject);
	}

	/** The first finding under {@code key}: later ones (other paths to the same place) add nothing. */
	private static void note(Map<String, Finding> into, String key, Site at, java.util.function.Supplier<String> message,
			PathState s, EObject subject) {
		if (!into.containsKey(key)) {
			into.put(key, new Finding(at, message.get(), s.held(), subject));
		}
	}

	static String describe(LockRef ref) {
		return ref.isGate() ? "gate" : ref.isCompletion() ? "completion" : ref.isWork() ? "work"
				: ref.isRuntimePm() ? "runtime PM" : ref.kind().getLiteral();
	}
}
