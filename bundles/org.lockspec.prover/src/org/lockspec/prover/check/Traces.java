package org.lockspec.prover.check;

import java.util.ArrayList;
import java.util.List;

import org.lockspec.analysis.Site;
import org.lockspec.analysis.Sites;
import org.lockspec.kernel.LockKinds;
import org.lockspec.kernel.RuntimePmState;
import org.lockspec.model.LockMode;
import org.lockspec.model.Operation;
import org.lockspec.model.Param;
import org.lockspec.verdict.Location;
import org.lockspec.verdict.LockChain;
import org.lockspec.verdict.Trace;

/** Counterexamples of the static obligations, as CPU lanes. */
final class Traces {

	private Traces() {
	}

	/**
	 * CPU i holds what edge i comes from and waits for what it goes to: every CPU waits, none can go on. A CPU
	 * whose edge comes from a completion holds nothing: it is on its way to completing it, and waits first.
	 */
	static Trace deadlock(List<Facts.Edge> cycle) {
		return lanes(cycle, "DEADLOCK", null);
	}

	/** lockdep's cycle drawn as lockdep draws it, with why its CPUs cannot all get there. */
	static Trace lockdepOnly(List<Facts.Edge> cycle, String why) {
		return lanes(cycle, "LOCKDEP SPLAT, NO DEADLOCK", "it cannot deadlock: " + why);
	}

	private static Trace lanes(List<Facts.Edge> cycle, String outcome, String lastNote) {
		List<Trace.Lane> lanes = new ArrayList<>();
		List<Trace.Event> events = new ArrayList<>();
		for (int i = 0; i < cycle.size(); i++) {
			Facts.Edge e = cycle.get(i);
			lanes.add(new Trace.Lane("CPU" + i, runs(e.from().at().entry(), e.thread())));
			if (producing(e)) {
				continue;
			}
			events.add(new Trace.Event(i, held(e.from()), Location.of(e.from().at().stmt()), e.from().at().describe(),
					false, false));
		}
		for (int i = 0; i < cycle.size(); i++) {
			Facts.Edge e = cycle.get(i);
			events.add(new Trace.Event(i, Sites.text(e.at().stmt()), Location.of(e.at().stmt()), e.at().describe(), true,
					i == cycle.size() - 1));
		}
		List<String> notes = new ArrayList<>();
		for (int i = 0; i < cycle.size(); i++) {
			notes.add(note(cycle, i));
		}
		if (lastNote != null) {
			notes.add(lastNote);
		}
		return new Trace(lanes, events, outcome, notes);
	}

	/**
	 * How a CPU came to hold what it holds: the statement that took it, or, for what the entry op holds from the
	 * start, a kworker's run of a work or the caller's lock ({@code releases}).
	 */
	private static String held(org.lockspec.analysis.Held h) {
		if (!h.inherited()) {
			return Sites.text(h.at().stmt());
		}
		return h.ref().isWork() ? h.ref().workKind().running(h.ref().name(), h.at().entry().getName())
				: h.ref().isWorkqueue() ? "a kworker of " + h.ref().name() + " runs " + h.at().entry().getName()
				: h.ref().isRuntimePm() ? RuntimePmState.running(h.ref().name(), h.at().entry().getName())
				: "enters holding " + h.ref().name();
	}

	/** The edge of a completion's producer: it takes (or waits for) something before it completes. */
	private static boolean producing(Facts.Edge e) {
		return e.from().ref().isCompletion();
	}

	/** Who CPU i waits for, and why that one cannot go on. */
	private static String note(List<Facts.Edge> cycle, int i) {
		Facts.Edge e = cycle.get(i);
		int j = (i + 1) % cycle.size();
		Facts.Edge next = cycle.get(j);
		if (e.to().isCompletion()) {
			return "CPU" + i + " waits for " + e.to().name() + " to be completed; CPU" + j + " completes it (line "
					+ next.from().at().line() + ") only after it takes " + next.to().name();
		}
		if (e.to().isWork() && i == j) {
			return "CPU" + i + " runs " + e.to().name() + " and waits for that run to end: for itself"
					+ (e.to().isIrq() ? " (an IRQ thread waiting for its own irq)" : "");
		}
		if (e.to().isWorkqueue() && i == j) {
			return "CPU" + i + " runs a work on " + e.to().name() + " and waits for the works on it to end: for itself";
		}
		if (e.to().isWorkqueue()) {
			return "CPU" + i + " waits for the works on " + e.to().name() + " to end; CPU" + j + " runs one of them and "
					+ "waits for " + next.to().name();
		}
		if (e.to().isRuntimePm() && i == j) {
			return "CPU" + i + " runs a runtime PM callback of " + e.to().name() + " and waits for the callback under way: "
					+ "for itself";
		}
		if (e.to().isRuntimePm()) {
			return "CPU" + i + " waits for the runtime PM callback of " + e.to().name() + " under way, or runs one itself; "
					+ "the callback (on CPU" + j + ") waits for " + next.to().name();
		}
		if (e.to().isSrcu()) {
			return "CPU" + i + " waits in " + LockKinds.synchronizeCall(e.to().kind()) + " for the readers of "
					+ e.to().name() + "; CPU" + j
					+ " is inside a read section of it and waits for " + next.to().name();
		}
		if (e.to().isWork()) {
			return e.to().workKind().stuck(i, j, e.to().name(), next.to().name());
		}
		String producer = producing(e) ? " before it can complete " + e.from().ref().name() + " (line "
				+ e.from().at().line() + ")" : "";
		String wants = e.to().name();
		String holds = next.from().ref().name();
		boolean readBehindReader = e.toMode() == org.lockspec.model.LockMode.READ && next.from().shared();
		return "CPU" + i + " waits for " + wants + producer + (wants.equals(holds) ? "" : " (the same "
				+ LockOrderCheck.className(e.toClass()) + " as " + holds + ")") + (readBehindReader
						? " for read, held for read by CPU" + j
								+ ": it waits behind a writer that queues in between (a writer may live elsewhere in the kernel)"
						: ", held by CPU" + j);
	}

	/**
	 * The cycle as lockdep reports it: CPU i's task (its entry op), the lock it holds (for a completion's producer,
	 * the completion) and the one it waits for, each with its class's lockdep name and backtrace.
	 */
	static LockChain lockChain(List<Facts.Edge> cycle) {
		List<LockChain.Step> steps = new ArrayList<>();
		for (Facts.Edge e : cycle) {
			org.lockspec.analysis.Held h = e.from();
			LockChain.Acquire holds = new LockChain.Acquire(lockdepName(h.ref()), h.shared(),
					backtrace(h.inherited() ? runner(h) : call(h.ref(), h.mode(), h.irqsave(), h.at()), h.at()));
			LockChain.Acquire waits = new LockChain.Acquire(lockdepName(e.to()), e.toMode() == LockMode.READ,
					backtrace(call(e.to(), e.toMode(), false, e.at()), e.at()));
			steps.add(new LockChain.Step(e.from().at().entry().getName(), holds, waits));
		}
		return new LockChain(steps);
	}

	/**
	 * A lock's class as lockdep names it: a global by its name, an object's lock by the field through a pointer
	 * ({@code &port->reset_lock}), a workqueue's and a work's lock maps as {@code (wq_completion)wq} and {@code
	 * (work_completion)(&dev->w)}; the other waits (DEPT's) by their kind.
	 */
	static String lockdepName(org.lockspec.analysis.LockRef ref) {
		String field = org.lockspec.naming.NameOf.name(ref.decl());
		String name = ref.decl().eContainer() instanceof org.lockspec.model.ObjectType t
				? "&" + Character.toLowerCase(t.getName().charAt(0)) + t.getName().substring(1) + "->" + field
				: field;
		if (ref.isWorkqueue()) {
			return "(wq_completion)" + field;
		}
		if (ref.isWork()) {
			return ref.workKind() == org.lockspec.kernel.WorkKind.WORK ? "(work_completion)(" + name + ")"
					: "(" + ref.workKind().noun + ")" + name;
		}
		if (ref.kind() == org.lockspec.model.LockKind.RCU) {
			return "rcu_read_lock";
		}
		return ref.isLock() ? name : ref.isCompletion() ? "(completion)" + name : ref.isGate() ? "(active)" + name
				: ref.isRuntimePm() ? "(runtime_pm)" + name : name;
	}

	/** The kernel call that took or waits: a lock's by its kind and mode, another wait's as its statement names it. */
	private static String call(org.lockspec.analysis.LockRef ref, LockMode mode, boolean irqsave, Site at) {
		if (ref.isLock()) {
			return LockKinds.acquireCall(ref.kind(), mode, irqsave);
		}
		String text = Sites.text(at.stmt());
		int space = text.indexOf(' ');
		return space > 0 ? text.substring(0, space) : text;
	}

	/** What made an entry op hold a lock from its start: the kworker, thread or softirq that runs it, or its caller. */
	private static String runner(org.lockspec.analysis.Held h) {
		return h.ref().isWork() ? h.ref().workKind().runner()
				: h.ref().isWorkqueue() ? org.lockspec.kernel.WorkKind.WORK.runner()
				: h.ref().isRuntimePm() ? "rpm_callback" : "(held by the caller)";
	}

	/** A kernel-style backtrace, innermost first: the call, then each op with the line it is at. */
	private static List<String> backtrace(String call, Site at) {
		List<String> out = new ArrayList<>();
		out.add(call);
		List<Site.Frame> chain = at.chain();
		for (int k = chain.size() - 1; k >= 0; k--) {
			int line = k == chain.size() - 1 ? at.line() : Sites.line(chain.get(k + 1).callSite());
			out.add(chain.get(k).op().getName() + "+l." + line);
		}
		return out;
	}

	/** One lane: the path to a finding, with the locks it holds there. */
	static Trace single(Site at, List<org.lockspec.analysis.Held> held, String outcome, String note) {
		List<Trace.Event> events = new ArrayList<>();
		for (org.lockspec.analysis.Held h : held) {
			if (!h.inherited()) {
				events.add(new Trace.Event(0, Sites.text(h.at().stmt()), Location.of(h.at().stmt()), h.at().describe(),
						false, false));
			}
		}
		events.add(new Trace.Event(0, Sites.text(at.stmt()), Location.of(at.stmt()), at.describe(), false, true));
		return new Trace(List.of(new Trace.Lane("CPU0", runs(at.entry(), at.entry().getName()))), events, outcome,
				note == null ? List.of() : List.of(note));
	}

	static String runs(Operation entry, String thread) {
		List<String> params = new ArrayList<>();
		for (Param p : entry.getParams()) {
			params.add(p.getName());
		}
		String call = entry.getName() + (params.isEmpty() ? "" : " " + String.join(", ", params));
		return thread == null || thread.equals(entry.getName()) ? call : thread + ": " + call;
	}

	/** The call chain of every step of a cycle, for the report's details. */
	static List<String> chains(List<Facts.Edge> cycle) {
		List<String> out = new ArrayList<>();
		for (int i = 0; i < cycle.size(); i++) {
			Facts.Edge e = cycle.get(i);
			String takes = e.to().isCompletion() ? " waits for " + e.to().name() + " to be completed"
					: e.to().isSrcu() ? " waits in " + LockKinds.synchronizeCall(e.to().kind()) + " for the readers of "
							+ e.to().name()
					: e.to().isWork() ? " " + e.to().workKind().waitFor(e.to().name())
					: e.to().isWorkqueue() ? " waits for the works on " + e.to().name() + " to end"
					: e.to().isRuntimePm() ? " " + RuntimePmState.waitFor(e.to().name())
					: " takes " + e.to().name() + (e.toMode() == org.lockspec.model.LockMode.READ ? " (read)" : "");
			String since = producing(e) ? " before it completes " + e.from().ref().name() + " at " + e.from().at().describe()
					: " while holding " + e.from().ref().name() + (e.from().shared() ? " (read)" : "") + " since "
							+ e.from().at().describe();
			out.add("CPU" + i + ": " + e.at().describe() + takes + since);
		}
		return out;
	}
}
