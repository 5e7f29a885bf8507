package org.lockspec.prover.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.emf.ecore.EObject;
import org.lockspec.analysis.Budget;
import org.lockspec.analysis.LockRef;
import org.lockspec.analysis.Scc;
import org.lockspec.analysis.Sym;
import org.lockspec.kernel.WorkKind;
import org.lockspec.model.LockKind;
import org.lockspec.model.LockMode;
import org.lockspec.model.ObjectType;
import org.lockspec.model.Order;
import org.lockspec.naming.NameOf;
import org.lockspec.prover.solver.SolverException;
import org.lockspec.prover.solver.SolverResult;
import org.lockspec.prover.solver.SolverSession;
import org.lockspec.prover.solver.Smt;
import org.lockspec.verdict.Location;
import org.lockspec.verdict.Obligation;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Verdict;

/**
 * Lock order over all ops and call chains. A linear SCC pass over the lock
 * classes decides plain acyclicity; only the strongly connected parts are
 * searched for cycles, with lockdep's read/write rules (a cycle deadlocks only
 * if it is "strong": no recursive-read acquisition followed by a shared hold),
 * and Z3 is asked only about cycles whose edges carry path conditions. A proof
 * comes with its artifact: a rank for every class that every edge increases.
 */
final class LockOrderCheck {

	/** Cycles tried per strongly connected part before giving up with {@code unknown}. */
	static final int MAX_CYCLES = 20_000;

	private final Facts facts;
	private final LockGraph graph;
	private final SolverSession solver;
	private final Budget budget;
	private final FeasibleCycles feasible;
	int solverQueries;
	int cyclesRuledOut;
	int nestedByDepth;

	LockOrderCheck(Facts facts, LockGraph graph, SolverSession solver, Budget budget) {
		this.facts = facts;
		this.graph = graph;
		this.solver = solver;
		this.budget = budget;
		this.feasible = new FeasibleCycles(facts, solver, budget);
	}

	/** Two instances of a lock whose owners nothing on the path tells apart: they may be one. */
	private static boolean mayBeOneObject(LockRef a, LockRef b) {
		return a.owner() != null && b.owner() != null && !(a.owner() instanceof Sym.New) && !(b.owner() instanceof Sym.New);
	}

	Verdict run(String idPrefix, Location specLocation) {
		// 1. lockdep's dependencies (LockGraph: in a closed world, a read that no writer can block adds none)
		// 2. one class nested in itself: the same instance (AA) or two instances
		for (Facts.Edge e : graph.dependencies) {
			if (e.fromClass() != e.toClass()) {
				continue;
			}
			if (e.from().ref().equals(e.to())) {
				if (e.from().shared() && e.toRecursive()) {
					continue; // rwlock readers in interrupt context are recursive
				}
				return violation(idPrefix, List.of(e), "recursive locking: '" + e.to().name()
						+ "' is taken while this path already holds it (line " + e.from().at().line() + ")"
						+ (e.from().shared() && e.toMode() == LockMode.READ
								? "; a writer that queues between the two reads blocks the second" : ""));
			}
			Nesting nesting = nestedByOrder(e);
			if (nesting == Nesting.UNDECIDED) {
				return verdict(idPrefix, Status.UNKNOWN, "undecided: whether " + e.to().name() + " is always deeper than "
						+ e.from().ref().name() + " ('order ... by') could not be shown: " + undecidedWhy,
						Location.of(e.at().stmt()), Map.of());
			}
			if (nesting == Nesting.PARENT_FIRST) {
				nestedByDepth++;
			} else {
				return violation(idPrefix, List.of(e), "two " + e.to().name().replaceAll(".*\\.", "")
						+ (e.to().isWorkqueue() ? " workqueues" : " locks") + " of one class are nested ("
						+ e.from().ref().name() + " then " + e.to().name()
						+ ") and no 'order ... by' says which comes first: another path may take them the other way round"
						+ (mayBeOneObject(e.from().ref(), e.to()) ? "; and if " + e.from().ref().owner() + " and "
								+ e.to().owner() + " are one object, this path waits for the lock it holds" : "")
						+ (e.to().isWorkqueue() ? "; lockdep gives each workqueue a class of its own (\"workqueue: Use "
								+ "dynamic lockdep keys for workqueues\", 669de8bda87b) and reports nothing here" : ""));
			}
		}
		// 3. the class graph and its strongly connected parts
		int n = graph.size();
		List<int[]> pairs = new ArrayList<>();
		for (LockGraph.GEdge g : graph.grouped.values()) {
			pairs.add(new int[] { g.from(), g.to() });
		}
		int[] count = new int[1];
		int[] comp = Scc.components(Scc.adjacency(n, pairs), count);
		int[] size = new int[count[0]];
		for (int c : comp) {
			size[c]++;
		}
		boolean incomplete = false;
		for (int c = 0; c < count[0]; c++) {
			if (size[c] < 2) {
				continue;
			}
			CycleSearch search = new CycleSearch(comp, c, graph.out);
			List<LockGraph.GEdge> cycle = search.findFeasibleStrongCycle();
			if (cycle != null) {
				List<Facts.Edge> witnesses = new ArrayList<>();
				for (LockGraph.GEdge g : cycle) {
					witnesses.add(search.chosen.getOrDefault(g, g.witnesses().get(0)));
				}
				int scc = c;
				FeasibleCycles.Result cpus = feasible.search(graph.dependencies,
						decl -> graph.index.containsKey(decl) && comp[graph.index.get(decl)] == scc, witnesses);
				if (cpus.deadlock() == null && !cpus.gaveUp()) {
					lockdepOnly.add(new LockdepOnly(witnesses, cpus.why(), cycleNames(comp, c)));
					continue;
				}
				List<Facts.Edge> deadlock = cpus.gaveUp() ? witnesses : cpus.deadlock();
				return violation(idPrefix, deadlock, "possible deadlock: a cycle of " + deadlock.size()
						+ " lock dependencies (" + names(deadlock) + ")" + throughCompletions(deadlock));
			}
			incomplete |= search.incomplete;
		}
		if (incomplete) {
			return verdict(idPrefix, Status.UNKNOWN, budget.exhausted() ? "undecided: " + budget.reason()
					: "some lock classes depend on each other in too many ways to check every cycle (more than "
							+ MAX_CYCLES + "), or the solver could not decide one", specLocation, Map.of());
		}
		// 4. proved: the rank function (topological order of the components), checked on every edge
		int[] rankOf = new int[n];
		for (int i = 0; i < n; i++) {
			rankOf[i] = count[0] - 1 - comp[i];
		}
		for (LockGraph.GEdge g : graph.grouped.values()) {
			if (comp[g.from()] != comp[g.to()] && rankOf[g.from()] >= rankOf[g.to()]) {
				// (inside a component its cycles were shown not to deadlock)
				throw new IllegalStateException("rank function does not increase on " + className(graph.classes.get(g.from()))
						+ " -> " + className(graph.classes.get(g.to())));
			}
		}
		Map<String, Object> rank = new LinkedHashMap<>();
		for (int i = 0; i < n; i++) {
			rank.put(className(graph.classes.get(i)), rankOf[i]);
		}
		Map<String, Object> proof = new LinkedHashMap<>();
		proof.put("kind", "rank function");
		proof.put("classes", n);
		proof.put("dependencies", graph.grouped.size());
		proof.put("rank", rank);
		if (cyclesRuledOut > 0) {
			proof.put("cyclesRuledOut", cyclesRuledOut);
		}
		if (nestedByDepth > 0) {
			proof.put("nestedByDepth", nestedByDepth);
		}
		List<String> parts = new ArrayList<>();
		boolean sccs = false;
		for (int c = 0; c < count[0]; c++) {
			sccs |= size[c] > 1;
		}
		if (n == 0 && nestedByDepth == 0 && graph.unblockableReads == 0) {
			parts.add("no lock is taken while another is held");
		} else if (n > 0) {
			parts.add(sccs ? "every dependency between the " + n + " lock classes goes up a rank function, except inside "
					+ "classes that depend on each other, where no cycle can deadlock (" + cyclesRuledOut
					+ " cycles ruled out: not strong, or path conditions that cannot hold together)"
					: "every dependency goes up a rank function over " + n + " lock classes (" + graph.grouped.size()
							+ (graph.grouped.size() == 1 ? " dependency)" : " dependencies)"));
		}
		if (nestedByDepth > 0) {
			parts.add(nestedByDepth + " nesting(s) of one class go parent first, proved with the rank (class, depth)"
					+ (assumed.isEmpty() ? "" : ", assuming the invariants " + String.join(", ", assumed)));
			if (!assumed.isEmpty()) {
				proof.put("assumes", List.copyOf(assumed));
			}
		}
		if (!lockdepOnly.isEmpty()) {
			parts.add(lockdepOnly.size() + " cycle(s) that lockdep would report cannot deadlock (lockdep_only says why)");
			proof.put("lockdepOnly", lockdepOnly.size());
		}
		if (graph.unblockableReads > 0) {
			parts.add(facts.spec.closedWorldNote(graph.unblockableReads));
			proof.put("closedWorldReads", graph.unblockableReads);
		}
		String how = String.join("; ", parts);
		return verdict(idPrefix, Status.PROVED, how, specLocation, proof);
	}

	/** Strong, feasible cycles inside one component, by bounded enumeration of simple cycles. */
	private final class CycleSearch {
		final int[] comp;
		final int c;
		final List<List<LockGraph.GEdge>> out;
		final Map<LockGraph.GEdge, Facts.Edge> chosen = new HashMap<>();
		boolean incomplete;
		int tried;

		CycleSearch(int[] comp, int c, List<List<LockGraph.GEdge>> out) {
			this.comp = comp;
			this.c = c;
			this.out = out;
		}

		List<LockGraph.GEdge> findFeasibleStrongCycle() {
			for (int start = 0; start < comp.length; start++) {
				if (comp[start] != c) {
					continue;
				}
				List<LockGraph.GEdge> path = new ArrayList<>();
				boolean[] onPath = new boolean[comp.length];
				List<LockGraph.GEdge> found = dfs(start, start, path, onPath);
				if (found != null || incomplete) {
					return found;
				}
			}
			return null;
		}

		/** Simple cycles through {@code start} whose other nodes are all greater than start (each found once). */
		private List<LockGraph.GEdge> dfs(int start, int v, List<LockGraph.GEdge> path, boolean[] onPath) {
			onPath[v] = true;
			try {
				for (LockGraph.GEdge g : out.get(v)) {
					if (comp[g.to()] != c || g.to() < start) {
						continue;
					}
					path.add(g);
					if (g.to() == start) {
						if (++tried > MAX_CYCLES || budget.exhausted()) {
							incomplete = true;
							return null;
						}
						if (strong(path) && feasible(path)) {
							return new ArrayList<>(path);
						}
						cyclesRuledOut++;
					} else if (!onPath[g.to()]) {
						List<LockGraph.GEdge> r = dfs(start, g.to(), path, onPath);
						if (r != null || incomplete) {
							return r;
						}
					}
					path.remove(path.size() - 1);
				}
				return null;
			} finally {
				onPath[v] = false;
			}
		}

		/**
		 * A dependency a path makes whatever holds: one without a condition, or one whose condition stands for paths
		 * that were not kept ({@link Facts#conditionKnown}).
		 */
		private boolean unconstrained(Facts.Edge w) {
			return w.condition().isEmpty() || !facts.conditionKnown(w);
		}

		private boolean unconstrained(LockGraph.GEdge g) {
			return g.witnesses().stream().anyMatch(this::unconstrained);
		}

		/** lockdep: no edge acquiring a recursive reader followed by an edge from a shared hold. */
		private boolean strong(List<LockGraph.GEdge> cycle) {
			for (int i = 0; i < cycle.size(); i++) {
				LockGraph.GEdge a = cycle.get(i);
				LockGraph.GEdge b = cycle.get((i + 1) % cycle.size());
				if (a.toRecursive() && b.fromShared()) {
					return false;
				}
			}
			return true;
		}

		private boolean feasible(List<LockGraph.GEdge> cycle) {
			if (cycle.stream().allMatch(this::unconstrained)) {
				for (LockGraph.GEdge g : cycle) {
					chosen.put(g, g.witnesses().stream().filter(this::unconstrained).findFirst().get());
				}
				return true;
			}
			if (solver == null) {
				incomplete = true;
				return false;
			}
			Smt smt = new Smt();
			int k = 0;
			for (LockGraph.GEdge g : cycle) {
				if (unconstrained(g)) {
					continue;
				}
				// the conditions of one of the paths that make this dependency, each path in its own names
				StringBuilder or = new StringBuilder("(or");
				int j = 0;
				for (Facts.Edge w : g.witnesses()) {
					String scope = "e" + k + "w" + j++ + "!";
					StringBuilder and = new StringBuilder("(and true");
					for (Sym c : w.condition()) {
						and.append(' ').append(smt.boolTerm(c, scope));
					}
					or.append(' ').append(and).append(')');
				}
				smt.assertRaw(or.append(')').toString());
				k++;
			}
			try {
				solverQueries++;
				SolverResult r = solver.check(smt.script(), budget.remaining(null));
				if (r.isUnsat()) {
					return false;
				}
				if (!r.isSat()) {
					incomplete = true;
					return false;
				}
				for (LockGraph.GEdge g : cycle) {
					chosen.put(g, g.witnesses().get(0));
				}
				return true;
			} catch (SolverException e) {
				incomplete = true;
				return false;
			}
		}
	}

	/** What the solver showed of one nesting of a class in itself. */
	private enum Nesting {
		PARENT_FIRST, NOT_SHOWN, UNDECIDED
	}

	private String undecidedWhy;

	/**
	 * {@code order T.l by parent}: the acquired instance must be provably deeper than the held one, with the
	 * spec's invariants assumed (the verdict says which, and is undecided if a scenario breaks one).
	 */
	private Nesting nestedByOrder(Facts.Edge e) {
		Order order = null;
		for (Order o : facts.spec.orders()) {
			if (o.isByParent() && o.getFirst() != null && o.getFirst().getLock() == e.toClass()) {
				order = o;
			}
		}
		if (order == null || order.getVia() == null) {
			return Nesting.NOT_SHOWN;
		}
		if (solver == null) {
			undecidedWhy = "no solver";
			return Nesting.UNDECIDED;
		}
		Smt smt = new Smt();
		String via = "|f!" + ((ObjectType) order.getVia().eContainer()).getName() + "." + order.getVia().getName() + "|";
		smt.declareFun(via, "(Obj) Obj");
		smt.declareFun("depth", "(Obj) Int");
		smt.assertRaw("(forall ((x Obj)) (=> (not (= (" + via + " x) null)) (= (depth (" + via + " x)) (- (depth x) 1))))");
		for (var inv : org.eclipse.xtext.EcoreUtil2.typeSelect(facts.spec.spec().getMembers(),
				org.lockspec.model.Invariant.class)) {
			smt.assertExpr(inv.getExpr());
			assumed.add(inv.getName());
		}
		for (Sym s : e.condition()) {
			smt.assertSym(s, "");
		}
		String held = smt.term(e.from().ref().owner(), "");
		String taken = smt.term(e.to().owner(), "");
		// both locks were taken through their owners: neither is null
		smt.assertRaw("(not (= " + held + " null))");
		smt.assertRaw("(not (= " + taken + " null))");
		smt.assertRaw("(not (< (depth " + held + ") (depth " + taken + ")))");
		try {
			solverQueries++;
			SolverResult r = solver.check(smt.script(), budget.remaining(null));
			if (r.isUnsat()) {
				return Nesting.PARENT_FIRST;
			}
			if (r.isSat()) {
				return Nesting.NOT_SHOWN;
			}
			undecidedWhy = r.reason();
		} catch (SolverException ex) {
			undecidedWhy = ex.getMessage();
		}
		return Nesting.UNDECIDED;
	}

	/** The invariants a proof by depth assumed. */
	private final java.util.Set<String> assumed = new java.util.TreeSet<>();

	private Verdict violation(String idPrefix, List<Facts.Edge> cycle, String message) {
		Facts.Edge first = cycle.get(0);
		return new Verdict(idPrefix + Obligation.LOCK_ORDER.id(), Obligation.LOCK_ORDER, Status.VIOLATED, message,
				Location.of(first.at().stmt()), null, Traces.deadlock(cycle), Map.of(), "scc+search"
						+ (solverQueries > 0 ? "+z3" : ""),
				Traces.chains(cycle), Traces.lockChain(cycle));
	}

	private Verdict verdict(String idPrefix, Status status, String message, Location at, Map<String, Object> proof) {
		return new Verdict(idPrefix + Obligation.LOCK_ORDER.id(), Obligation.LOCK_ORDER, status, message, at, null, null,
				proof, "scc" + (solverQueries > 0 ? "+z3" : ""), List.of());
	}

	/**
	 * What a cycle through a completion's wait adds: lockdep cannot see it (no cross-release), DEPT can; and
	 * through a work's flush: lockdep's lock map of the work.
	 */
	private static String throughCompletions(List<Facts.Edge> cycle) {
		List<String> waits = new ArrayList<>();
		for (Facts.Edge e : cycle) {
			if (e.to().isCompletion()) {
				waits.add(e.to().name());
			}
		}
		String completions = waits.isEmpty() ? "" : "; it runs through a wait for the completion " + String.join(", ", waits)
				+ ", which lockdep does not track (DEPT does): its producer needs what the waiter holds";
		Map<WorkKind, List<String>> works = new java.util.EnumMap<>(WorkKind.class);
		for (Facts.Edge e : cycle) {
			if (e.to().isWork()) {
				works.computeIfAbsent(WorkKind.of((org.lockspec.model.Work) e.to().decl()), k -> new ArrayList<>())
						.add(e.to().name());
			}
		}
		List<String> srcus = new ArrayList<>();
		boolean rcu = false;
		for (Facts.Edge e : cycle) {
			if (e.to().isSrcu() && e.to().kind() == org.lockspec.model.LockKind.RCU) {
				rcu = true;
			} else if (e.to().isSrcu()) {
				srcus.add(e.to().name());
			}
		}
		List<String> queues = new ArrayList<>();
		for (Facts.Edge e : cycle) {
			if (e.to().isWorkqueue()) {
				queues.add(e.to().name());
			}
		}
		List<String> pms = new ArrayList<>();
		for (Facts.Edge e : cycle) {
			if (e.to().isRuntimePm()) {
				pms.add(e.to().name());
			}
		}
		StringBuilder out = new StringBuilder(completions);
		if (!pms.isEmpty()) {
			out.append("; it runs through the ").append(org.lockspec.kernel.RuntimePmState.cycleThrough(String.join(", ", pms)));
		}
		if (!queues.isEmpty()) {
			out.append("; it runs through a flush of the workqueue ").append(String.join(", ", queues)).append(", which "
					+ "lockdep reports as (wq_completion): a work on the queue needs what the flusher holds");
		}
		if (!srcus.isEmpty()) {
			out.append("; it runs through synchronize_srcu of ").append(String.join(", ", srcus)).append(", which lockdep "
					+ "reports since \"rcu: Annotate SRCU's update-side lockdep dependencies\" (f0f44752f5f6): a reader "
					+ "inside a read section needs what the synchronizer holds");
		}
		if (rcu) {
			out.append("; it runs through synchronize_rcu, which waits for every RCU reader inside when it began: a "
					+ "reader needs what the synchronizer holds (lockdep sees only that synchronize_rcu sleeps)");
		}
		works.forEach((kind, names) -> out.append("; it runs through ").append(kind.cycleThrough(String.join(", ", names))));
		return out.toString();
	}

	private static String names(List<Facts.Edge> cycle) {
		List<String> names = new ArrayList<>();
		for (Facts.Edge e : cycle) {
			names.add(className(e.fromClass()));
		}
		names.add(className(cycle.get(0).fromClass()));
		return String.join(" -> ", names);
	}

	/** Cycles named per part at most, for the report's details. */
	private static final int MAX_NAMED = 20;

	/**
	 * The cycles of lockdep's graph inside component {@code c} (at most {@link #MAX_NAMED}): lockdep reports
	 * whichever its run closes first, so a report names them all.
	 */
	private List<String> cycleNames(int[] comp, int c) {
		List<String> out = new ArrayList<>();
		for (int start = 0; start < comp.length && out.size() < MAX_NAMED; start++) {
			if (comp[start] == c) {
				collectCycles(comp, c, start, start, new ArrayList<>(), new boolean[comp.length], out);
			}
		}
		return out;
	}

	private void collectCycles(int[] comp, int c, int start, int v, List<Integer> path, boolean[] onPath,
			List<String> out) {
		onPath[v] = true;
		path.add(v);
		for (LockGraph.GEdge g : graph.out.get(v)) {
			if (out.size() >= MAX_NAMED || comp[g.to()] != c || g.to() < start) {
				continue;
			}
			if (g.to() == start) {
				List<String> names = new ArrayList<>();
				for (int i : path) {
					names.add(className(graph.classes.get(i)));
				}
				names.add(className(graph.classes.get(start)));
				String name = String.join(" -> ", names);
				if (!out.contains(name)) {
					out.add(name);
				}
			} else if (!onPath[g.to()]) {
				collectCycles(comp, c, start, g.to(), path, onPath, out);
			}
		}
		path.remove(path.size() - 1);
		onPath[v] = false;
	}

	/** A cycle lockdep reports, why no CPUs can deadlock on it, and the other cycles of its classes. */
	private record LockdepOnly(List<Facts.Edge> cycle, String why, List<String> allCycles) {
		String message() {
			return "lockdep would report a circular locking dependency (" + names(cycle) + "), but it cannot deadlock: "
					+ why;
		}
	}

	/** The cycles of lockdep's graph that cannot deadlock, found by the last {@link #run}. */
	private final List<LockdepOnly> lockdepOnly = new ArrayList<>();

	/**
	 * What lockdep would report that cannot deadlock ({@link Obligation#LOCKDEP_ONLY}): a violation naming the first
	 * such cycle, with the others in its details; nothing if there is none.
	 */
	List<Verdict> lockdepOnly(String idPrefix) {
		if (lockdepOnly.isEmpty()) {
			return List.of();
		}
		LockdepOnly first = lockdepOnly.get(0);
		List<String> details = new ArrayList<>(Traces.chains(first.cycle()));
		for (LockdepOnly each : lockdepOnly) {
			if (each != first) {
				details.add(each.message());
			}
			for (String cycle : each.allCycles()) {
				details.add("lockdep may report the cycle (" + cycle + ") of the same classes instead");
			}
		}
		Obligation ob = Obligation.LOCKDEP_ONLY;
		return List.of(new Verdict(idPrefix + ob.id(), ob, Status.VIOLATED, first.message(),
				Location.of(first.cycle().get(0).at().stmt()), null, Traces.lockdepOnly(first.cycle(), first.why()),
				Map.of(), "scc+cpus" + (feasible.solverQueries > 0 ? "+z3" : ""), details, Traces.lockChain(first.cycle())));
	}

	static String className(EObject decl) {
		EObject owner = decl.eContainer();
		return (owner instanceof ObjectType t ? t.getName() + "." : "") + NameOf.name(decl);
	}
}
