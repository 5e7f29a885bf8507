package org.lockspec.prover.check;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.emf.ecore.EObject;
import org.lockspec.analysis.Budget;
import org.lockspec.analysis.Held;
import org.lockspec.analysis.LockRef;
import org.lockspec.analysis.SpecFacts;
import org.lockspec.analysis.Sym;
import org.lockspec.kernel.LockKinds;
import org.lockspec.kernel.Workqueues;
import org.lockspec.model.LockMode;
import org.lockspec.prover.solver.SolverException;
import org.lockspec.prover.solver.SolverResult;
import org.lockspec.prover.solver.SolverSession;
import org.lockspec.prover.solver.Smt;

/**
 * Whether a cycle of lockdep's class graph can deadlock. lockdep joins the instances of a lock into its class and
 * reports every cycle between classes; a deadlock needs CPUs, each holding a lock while it waits for one that the
 * next holds. The kernel rules some of them out, and a kernel developer dismisses a report that needs them:
 * <ul>
 * <li>two CPUs never hold one lock exclusively at once: a global lock that the paths of two CPUs both hold
 * (lockdep's "gate lock" false positive) keeps them apart, as does an object's lock when the cycle makes the two
 * objects one;</li>
 * <li>two CPUs never run the function of one work, kthread, IRQ thread or timer at once
 * ({@link org.lockspec.kernel.WorkKind#onceAtATime}), nor two works of one ordered workqueue
 * ({@link Workqueues#ordered}), if the spec runs those ops in no other way ({@link SpecFacts#onlyRunAsWork});</li>
 * <li>nestings of one class that go parent first ({@code order ... by parent}) cannot close a cycle alone.</li>
 * </ul>
 *
 * <p>A CPU is a path's acquisition and one of the locks it holds there (not only the last one, which is lockdep's
 * edge: a CPU may hold a lock it took long before). CPU a may wait for CPU b if a waits for a lock of the class b
 * holds, b's hold blocks that wait (lockdep's rule for recursive readers), and nothing keeps the two apart; a
 * deadlock is a cycle of such CPUs in which no two hold one global lock exclusively. Every closed walk of CPUs
 * contains a simple cycle whose CPUs and neighbours it has, so searching simple cycles is complete: if none is
 * found within the bound, no cycle of CPUs through these classes can deadlock.
 */
final class FeasibleCycles {

	/** Steps of the search before it gives up (the cycle is then reported as lockdep reports it). */
	static final int MAX_STEPS = 200_000;
	/** CPUs (paths' acquisitions with a hold) in one part of the graph past which the search is not tried. */
	static final int MAX_CPUS = 3_000;

	/** A CPU of a cycle: the path of {@code witness}, holding {@code via} (one of its holds), waiting for its lock. */
	record Cpu(Facts.Edge witness, Held via) {
		EObject holdsClass() {
			return via.ref().decl();
		}

		EObject waitsClass() {
			return witness.toClass();
		}

		/** A nesting of one class (parent first: anything else was reported before this search). */
		boolean nesting() {
			return holdsClass() == waitsClass();
		}

		/** The dependency as the report draws it: this CPU holds {@code via} and waits. */
		Facts.Edge asEdge() {
			Facts.Edge w = witness;
			return via == w.from() ? w
					: new Facts.Edge(via, w.to(), w.toMode(), w.toRecursive(), w.at(), w.condition(), w.thread(), w.held());
		}
	}

	/** The outcome of a search: a deadlocking cycle, none (with why, for the report), or gave up. */
	record Result(List<Facts.Edge> deadlock, boolean gaveUp, String why) {
	}

	private final Facts facts;
	private final SpecFacts spec;
	private final SolverSession solver;
	private final Budget budget;
	private final Map<Facts.Edge, Boolean> pathPossible = new IdentityHashMap<>();
	int solverQueries;
	private int steps;

	FeasibleCycles(Facts facts, SolverSession solver, Budget budget) {
		this.facts = facts;
		this.spec = facts.spec;
		this.solver = solver;
		this.budget = budget;
	}

	/**
	 * The pattern of what a path holds, as far as this search reads it: each hold's class, mode, whether it keeps
	 * other CPUs out, and which holds (and the lock waited for) belong to one object. Dependencies with one pattern
	 * are alike to it (so {@link Facts} keeps a few of each, and drops none this search could tell apart).
	 */
	static List<Object> holdPattern(SpecFacts spec, LockRef to, List<Held> held) {
		List<Sym> owners = new ArrayList<>();
		owners.add(to.owner());
		List<Object> pattern = new ArrayList<>();
		for (Held g : held) {
			pattern.add(g.ref().decl());
			pattern.add(g.mode());
			pattern.add(keepsOut(spec, g));
			pattern.add(code(g.ref().owner(), owners));
		}
		return pattern;
	}

	/** An owner as the pattern has it: which of the owners it is, and for a field read, of which owner. */
	private static Object code(Sym owner, List<Sym> owners) {
		if (owner == null) {
			return -1;
		}
		int i = owners.indexOf(owner);
		if (i < 0) {
			owners.add(owner);
			i = owners.size() - 1;
		}
		return owner instanceof Sym.Read r ? List.of(i, r.field(), code(r.obj(), owners)) : i;
	}

	/**
	 * Whether {@code a} on one CPU and {@code b} on the next are one object, where what the first waits for
	 * ({@code waited}'s) is what the next holds ({@code held}'s): those two, or one field of objects that are one
	 * (a field no op writes: {@link Sym.Read}), or one global field.
	 */
	static boolean oneObject(Sym a, Sym waited, Sym b, Sym held) {
		if (a == null || b == null) {
			return false;
		}
		if (waited != null && held != null && a.equals(waited) && b.equals(held)) {
			return true;
		}
		if (a instanceof Sym.Read ra && b instanceof Sym.Read rb && ra.field() == rb.field()) {
			return ra.obj() == null ? rb.obj() == null : oneObject(ra.obj(), waited, rb.obj(), held);
		}
		return false;
	}

	/**
	 * Whether holding {@code g} keeps another CPU that holds the same instance out: a lock that is not a read side
	 * shared by both ({@link LockKinds#excludes}), or the run of a work's function when that is how its op runs.
	 */
	static boolean keepsOut(SpecFacts spec, Held g) {
		if (g.ref().isWork()) {
			return g.inherited() && spec.onlyRunAsWork(g.at().entry()) == g.ref().decl();
		}
		if (g.ref().isWorkqueue()) {
			return g.inherited() && Workqueues.ordered(g.ref().kind()) && onlyRunOn(spec, g);
		}
		return g.ref().isLock() && LockKinds.excludes(g.ref().kind(), g.mode(), LockMode.WRITE);
	}

	/** Whether the op that holds workqueue {@code g} runs only as a work on it (then a kworker of it runs it). */
	private static boolean onlyRunOn(SpecFacts spec, Held g) {
		org.lockspec.model.Work w = spec.onlyRunAsWork(g.at().entry());
		return w != null && w.getQueue() == g.ref().decl();
	}

	/**
	 * Whether two holds of one instance keep their CPUs apart: a work's run (one at a time), an ordered workqueue's
	 * run of a work (one work at a time), or two lock holds that exclude each other.
	 */
	private boolean keepApart(Held g, Held h) {
		if (g.ref().decl() != h.ref().decl() || !keepsOut(spec, g) || !keepsOut(spec, h)) {
			return false;
		}
		return g.ref().isWork() || g.ref().isWorkqueue() || LockKinds.excludes(g.ref().kind(), g.mode(), h.mode());
	}

	/**
	 * A deadlocking cycle of CPUs through the classes {@code inScc}, taken from {@code dependencies}; {@code
	 * lockdepCycle} (lockdep's cycle, each CPU holding what its edge comes from) is tried first, so that the report
	 * draws lockdep's own cycle when it can deadlock.
	 */
	Result search(List<Facts.Edge> dependencies, java.util.function.Predicate<EObject> inScc, List<Facts.Edge> lockdepCycle) {
		List<Cpu> asLockdep = new ArrayList<>();
		for (Facts.Edge e : lockdepCycle) {
			asLockdep.add(new Cpu(e, e.from()));
		}
		if (deadlocks(asLockdep)) {
			return new Result(lockdepCycle, false, null);
		}
		List<Cpu> cpus = cpus(dependencies, inScc);
		if (cpus.size() > MAX_CPUS) {
			return new Result(null, true, null);
		}
		List<List<Integer>> next = new ArrayList<>();
		for (Cpu a : cpus) {
			List<Integer> out = new ArrayList<>();
			for (int j = 0; j < cpus.size(); j++) {
				if (mayWaitFor(a, cpus.get(j))) {
					out.add(j);
				}
			}
			next.add(out);
		}
		for (int start = 0; start < cpus.size(); start++) {
			List<Integer> path = new ArrayList<>(List.of(start));
			List<Cpu> found = extend(cpus, next, start, path);
			if (found != null) {
				List<Facts.Edge> cycle = new ArrayList<>();
				for (Cpu c : found) {
					cycle.add(c.asEdge());
				}
				return new Result(cycle, false, null);
			}
			if (steps > MAX_STEPS || budget.exhausted()) {
				return new Result(null, true, null);
			}
		}
		return new Result(null, false, why(asLockdep));
	}

	/** Each path's acquisition in the classes, with each hold in the classes that is not what it waits for. */
	private List<Cpu> cpus(List<Facts.Edge> dependencies, java.util.function.Predicate<EObject> inScc) {
		List<Cpu> out = new ArrayList<>();
		java.util.Set<List<Object>> seen = new java.util.HashSet<>();
		for (Facts.Edge e : dependencies) {
			if (!inScc.test(e.toClass())) {
				continue;
			}
			for (Held via : e.from().ref().isCompletion() ? List.of(e.from()) : e.held()) {
				if (inScc.test(via.ref().decl()) && !via.ref().equals(e.to())
						&& seen.add(List.of(e.at(), e.to(), via, e.held(), e.condition()))) {
					out.add(new Cpu(e, via));
				}
			}
		}
		return out;
	}

	/** Simple cycles through {@code start} over CPUs numbered above it, pruned where two CPUs hold one global lock. */
	private List<Cpu> extend(List<Cpu> cpus, List<List<Integer>> next, int start, List<Integer> path) {
		if (++steps > MAX_STEPS || budget.exhausted()) {
			return null;
		}
		int last = path.get(path.size() - 1);
		for (int j : next.get(last)) {
			if (j == start && closes(cpus, path)) {
				List<Cpu> cycle = new ArrayList<>();
				for (int i : path) {
					cycle.add(cpus.get(i));
				}
				return cycle;
			}
			if (j <= start || path.contains(j) || !apartFromGlobals(cpus, path, cpus.get(j))) {
				continue;
			}
			path.add(j);
			List<Cpu> found = extend(cpus, next, start, path);
			if (found != null) {
				return found;
			}
			path.remove(path.size() - 1);
			if (steps > MAX_STEPS) {
				return null;
			}
		}
		return null;
	}

	/** A cycle deadlocks unless it only nests one class parent first, or some CPU's path cannot be taken. */
	private boolean closes(List<Cpu> cpus, List<Integer> path) {
		boolean nestingOnly = true;
		for (int i : path) {
			nestingOnly &= cpus.get(i).nesting();
		}
		if (nestingOnly) {
			return false;
		}
		for (int i : path) {
			if (!possible(cpus.get(i).witness())) {
				return false;
			}
		}
		return true;
	}

	/** Whether lockdep's cycle, CPU i holding what edge i comes from, is itself a deadlock. */
	private boolean deadlocks(List<Cpu> cycle) {
		for (int i = 0; i < cycle.size(); i++) {
			if (!mayWaitFor(cycle.get(i), cycle.get((i + 1) % cycle.size()))) {
				return false;
			}
			for (int j = i + 1; j < cycle.size(); j++) {
				if (!apartFromGlobals(cycle.get(i), cycle.get(j))) {
					return false;
				}
			}
		}
		return true;
	}

	/**
	 * CPU a may wait for CPU b: b holds a lock of the class a waits for, b's hold blocks a's wait, and nothing they
	 * both hold keeps them apart once the lock a waits for is the one b holds (an object's lock then counts when
	 * both hold it of that one object).
	 */
	private boolean mayWaitFor(Cpu a, Cpu b) {
		if (a.waitsClass() != b.holdsClass()) {
			return false;
		}
		if (b.via().shared() && a.witness().toRecursive()) {
			return false; // lockdep: a recursive read never waits for a reader
		}
		Sym waited = a.witness().to().owner();
		Sym held = b.via().ref().owner();
		for (Held g : a.witness().held()) {
			for (Held h : b.witness().held()) {
				boolean oneInstance = g.ref().owner() == null ? h.ref().owner() == null
						: oneObject(g.ref().owner(), waited, h.ref().owner(), held);
				if (oneInstance && keepApart(g, h)) {
					return false;
				}
			}
		}
		return true;
	}

	private boolean apartFromGlobals(List<Cpu> cpus, List<Integer> path, Cpu c) {
		for (int i : path) {
			if (!apartFromGlobals(cpus.get(i), c)) {
				return false;
			}
		}
		return true;
	}

	/** No global lock (or global work) held by both that keeps one of them out. */
	private boolean apartFromGlobals(Cpu a, Cpu b) {
		for (Held g : a.witness().held()) {
			for (Held h : b.witness().held()) {
				if (g.ref().owner() == null && h.ref().owner() == null && keepApart(g, h)) {
					return false;
				}
			}
		}
		return true;
	}

	/** Whether a path's conditions can hold (each path in names of its own); undecided counts as possible. */
	private boolean possible(Facts.Edge w) {
		if (w.condition().isEmpty() || solver == null || !facts.conditionKnown(w)) {
			return true;
		}
		return pathPossible.computeIfAbsent(w, k -> {
			Smt smt = new Smt();
			for (Sym c : w.condition()) {
				smt.assertRaw(smt.boolTerm(c, "p!"));
			}
			try {
				solverQueries++;
				SolverResult r = solver.check(smt.script(), budget.remaining(null));
				return !r.isUnsat();
			} catch (SolverException e) {
				return true;
			}
		});
	}

	/** Why lockdep's own cycle cannot deadlock, as a kernel developer would say it. */
	private String why(List<Cpu> cycle) {
		for (int i = 0; i < cycle.size(); i++) {
			for (int j = i + 1; j < cycle.size(); j++) {
				String shared = sharedGlobal(cycle.get(i), cycle.get(j));
				if (shared != null) {
					return "CPU" + i + " and CPU" + j + " would both " + shared;
				}
			}
			int j = (i + 1) % cycle.size();
			String one = sharedOfOneObject(cycle.get(i), cycle.get(j));
			if (one != null) {
				return "CPU" + i + " waits for the " + cycle.get(i).witness().to().name() + " that CPU" + j
						+ " holds, so both would " + one;
			}
		}
		return "however its steps are taken, two of its CPUs would hold one lock, or run one thread, at once";
	}

	private String sharedGlobal(Cpu a, Cpu b) {
		for (Held g : a.witness().held()) {
			for (Held h : b.witness().held()) {
				if (g.ref().owner() == null && h.ref().owner() == null && keepApart(g, h)) {
					return holding(g, h, null);
				}
			}
		}
		return null;
	}

	private String sharedOfOneObject(Cpu a, Cpu b) {
		Sym waited = a.witness().to().owner();
		Sym held = b.via().ref().owner();
		for (Held g : a.witness().held()) {
			for (Held h : b.witness().held()) {
				if (oneObject(g.ref().owner(), waited, h.ref().owner(), held) && keepApart(g, h)) {
					org.lockspec.model.ObjectType type = Sym.typeOf(g.ref().owner());
					return holding(g, h, type == null ? "that one object" : "that one " + type.getName());
				}
			}
		}
		return null;
	}

	/** What two CPUs would both do: hold one lock, or run one work's function (for {@code object}, if not global). */
	private static String holding(Held g, Held h, String object) {
		String name = org.lockspec.naming.NameOf.name(g.ref().decl());
		if (g.ref().isWork()) {
			return "run " + g.at().entry().getName() + (object == null ? "" : " for " + object) + ": "
					+ g.ref().workKind().onceAtATime(name);
		}
		if (g.ref().isWorkqueue()) {
			return "run a work on the ordered workqueue " + name + (object == null ? "" : " of " + object) + " ("
					+ g.at().entry().getName() + ", " + h.at().entry().getName() + "): it runs one work at a time";
		}
		return "hold " + name + (object == null ? "" : " of " + object) + " (line " + g.at().line() + " and line "
				+ h.at().line() + ")"
				+ (g.shared() || h.shared() ? ", one of them for write" : "") + ": two CPUs never hold one lock at once";
	}
}
