package org.lockspec.prover.mc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;
import org.lockspec.analysis.Budget;
import org.lockspec.analysis.Sites;
import org.lockspec.analysis.SpecFacts;
import org.lockspec.kernel.RuntimePmState;
import org.lockspec.kernel.WorkKind;
import org.lockspec.model.Bound;
import org.lockspec.model.BoundKind;
import org.lockspec.model.Expression;
import org.lockspec.model.Field;
import org.lockspec.model.Invariant;
import org.lockspec.model.Scenario;
import org.lockspec.model.RuntimePm;
import org.lockspec.model.ScenarioThread;
import org.lockspec.model.Spec;
import org.lockspec.model.Work;
import org.lockspec.naming.NameOf;
import org.lockspec.prover.check.Prover;
import org.lockspec.prover.solver.SolverSession;
import org.lockspec.verdict.Location;
import org.lockspec.verdict.Obligation;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Trace;
import org.lockspec.verdict.Verdict;

/**
 * Explicit-state model checking of a scenario: breadth-first over every
 * interleaving of its threads on its topology, so the first counterexample of
 * each kind is a shortest one. Up to {@code bound steps} (2,000 by default);
 * a search that covers every state below the bound without reaching it proves
 * the scenario for every interleaving.
 */
public final class ModelChecker implements Prover.ScenarioEngine {

	public static final int DEFAULT_STEPS = 2_000;
	/** The states of a search when no {@code --max-states} is given ({@link Prover.Options#MAX_STATES}). */
	public static final int MAX_STATES = Prover.Options.MAX_STATES;

	private final boolean shortcuts;
	private final boolean reduce;

	public ModelChecker() {
		this(true, true);
	}

	/**
	 * {@code shortcuts}: see {@link Engine#Engine(Spec, Scenario, SpecFacts, boolean)};
	 * {@code reduce}: first try to prove with thread-local steps taken at once ({@link #search}).
	 */
	ModelChecker(boolean shortcuts, boolean reduce) {
		this.shortcuts = shortcuts;
		this.reduce = reduce;
	}

	/** How a search key was first reached: from which node, by which step, at what depth, after how many preemptions. */
	private record Node(Object key, Node parent, Engine.Event event, int depth, int last, int preemptions) {
	}

	/** With a preemption bound, the thread that ran last is part of where the search stands. */
	private record PKey(Machine.State state, int last) {
	}

	/**
	 * The states reached, with how: open addressing over the keys' hashes
	 * (kept beside them, so a probe compares a state only when its hash
	 * matches), without a node per entry.
	 */
	private static final class Seen {
		private int[] hashes = new int[1 << 12];
		private Object[] keys = new Object[1 << 12];
		private Node[] nodes = new Node[1 << 12];
		private int size;

		int size() {
			return size;
		}

		private int slot(Object key, int h) {
			int mask = keys.length - 1;
			int i = (h ^ (h >>> 16)) & mask;
			while (keys[i] != null && (hashes[i] != h || !keys[i].equals(key))) {
				i = (i + 1) & mask;
			}
			return i;
		}

		Node get(Object key) {
			return nodes[slot(key, key.hashCode())];
		}

		/** Adds {@code node} under {@code key} unless the key is there; returns the node that was there, or null. */
		Node putIfAbsent(Object key, Node node) {
			int h = key.hashCode();
			int i = slot(key, h);
			if (keys[i] != null) {
				return nodes[i];
			}
			hashes[i] = h;
			keys[i] = key;
			nodes[i] = node;
			if (++size * 2 > keys.length) {
				grow();
			}
			return null;
		}

		/** Replaces the node of a key that is there. */
		void replace(Object key, Node node) {
			nodes[slot(key, key.hashCode())] = node;
		}

		private void grow() {
			int[] h = hashes;
			Object[] k = keys;
			Node[] n = nodes;
			hashes = new int[h.length * 2];
			keys = new Object[k.length * 2];
			nodes = new Node[n.length * 2];
			int mask = keys.length - 1;
			for (int j = 0; j < k.length; j++) {
				if (k[j] != null) {
					int i = (h[j] ^ (h[j] >>> 16)) & mask;
					while (keys[i] != null) {
						i = (i + 1) & mask;
					}
					hashes[i] = h[j];
					keys[i] = k[j];
					nodes[i] = n[j];
				}
			}
		}
	}

	private static Machine.State stateOf(Object key) {
		return key instanceof PKey k ? k.state() : (Machine.State) key;
	}

	/** A violation found: its kind, subject, message, where, and the interleaving that leads to it. */
	record Found(Obligation obligation, String subject, String message, EObject at, List<Engine.Event> path,
			List<String> notes, int depth, Map<String, Object> evidence) {
		Found(Obligation obligation, String subject, String message, EObject at, List<Engine.Event> path,
				List<String> notes, int depth) {
			this(obligation, subject, message, at, path, notes, depth, Map.of("depth", depth));
		}
	}

	/**
	 * The outcome of one search (also read by the benchmark and the cross-check):
	 * {@code depths} gives, per finding key, the number of steps of its shortest
	 * run (for a race or a deadlock, of the run to the state where it shows).
	 */
	public record Run(List<Verdict> verdicts, int states, int transitions, boolean boundHit, boolean capped, long millis,
			Map<FindingKey, Integer> depths, Map<FindingKey, int[]> schedules) {
	}

	@Override
	public List<Verdict> check(Spec spec, Scenario scenario, SpecFacts facts, SolverSession solver,
			Prover.Options options, String prefix) {
		Run r;
		try {
			r = run(spec, scenario, facts, prefix, options.maxStates(), options.budget());
		} catch (OutOfMemoryError e) {
			// the memory limit is checked between collections: a search may still fill the heap before it
			return List.of(new Verdict(prefix + "interleavings", Obligation.SCENARIO_DEADLOCK, Status.UNKNOWN,
					"the search ran out of memory (a Java heap of " + (Runtime.getRuntime().maxMemory() >> 20)
							+ " MiB) before it covered every run; with --memory below the heap it stops in time and "
							+ "says how far it got",
					Location.of(scenario), null, null, Map.of(), Verdict.EXPLICIT_STATE, List.of()));
		} catch (RuntimeException | StackOverflowError e) {
			// a spec the engine cannot run (it should have been refused earlier): undecided, never a crash
			return List.of(new Verdict(prefix + "interleavings", Obligation.SCENARIO_DEADLOCK, Status.UNKNOWN,
					"the scenario engine could not run the scenario: " + e, Location.of(scenario), null, null, Map.of(),
					Verdict.EXPLICIT_STATE, List.of()));
		}
		if (!options.crossCheck() || solver == null) {
			return r.verdicts();
		}
		List<Verdict> out = new ArrayList<>(r.verdicts());
		out.add(CrossCheck.verdict(CrossCheck.check(spec, scenario, facts, r, solver,
				options.budget().remaining(CrossCheck.PER_GOAL), options.crossCheckSteps()), scenario, prefix));
		return out;
	}

	public Run run(Spec spec, Scenario scenario, SpecFacts facts, String prefix, int maxStates) {
		return run(spec, scenario, facts, prefix, maxStates, Budget.unlimited());
	}

	/** The search, stopped (undecided) past {@code maxStates} states or once {@code budget} is exhausted. */
	public Run run(Spec spec, Scenario scenario, SpecFacts facts, String prefix, int maxStates, Budget budget) {
		long start = System.nanoTime();
		Engine engine = new Engine(spec, scenario, facts, shortcuts);
		int steps = DEFAULT_STEPS;
		int preemptionBound = -1;
		for (Bound b : scenario.getBounds()) {
			if (b.getKind() == BoundKind.STEPS) {
				steps = b.getValue();
			} else if (b.getKind() == BoundKind.PREEMPTIONS) {
				preemptionBound = b.getValue();
			}
		}
		Machine.State init;
		try {
			init = engine.initial();
		} catch (RuntimeException e) {
			Verdict v = new Verdict(prefix + "interleavings", Obligation.SCENARIO_DEADLOCK, Status.UNKNOWN,
					"the scenario's initial state cannot be built: " + e.getMessage(), Location.of(scenario), null, null,
					Map.of(), Verdict.EXPLICIT_STATE, List.of());
			return new Run(List.of(v), 0, 0, false, false, millis(start), Map.of(), Map.of());
		}
		if (reduce && preemptionBound < 0) {
			Run r = search(spec, scenario, prefix, maxStates, budget, start, engine, init, steps, preemptionBound, true);
			if (r != null) {
				return r;
			}
			init = engine.initial();
		}
		return search(spec, scenario, prefix, maxStates, budget, start, engine, init, steps, preemptionBound, false);
	}

	/**
	 * The breadth-first search.
	 * <p>
	 * {@code reduced}: every state is first settled ({@link #settle}): its
	 * thread-local steps ({@link Engine#localStep}: a {@code let}, an assignment
	 * of a local, an {@code if} or a {@code while} test on the thread's own
	 * variables) are taken at once, as Spin merges local statements, and only
	 * the settled state is kept. Such a step reads and writes nothing another
	 * thread sees and cannot fail or block, so it commutes with every other
	 * thread's step: every state of the full search in which no thread has one
	 * pending is reached, and every finding shows in one of those (a step that
	 * goes wrong, two threads poised to race, a deadlock, a broken invariant).
	 * The reduced search keeps about half the states of the EEH scenarios.
	 * <p>
	 * But a finding may show past another thread's pending local step, later
	 * than in the full search, whose counterexamples are the shortest; and the
	 * bound counts every step. So the reduced search only ever proves: it gives
	 * up (null) at its first finding, at the step bound or the state cap, or on a
	 * run of thread-local steps that does not end, and the full search decides.
	 */
	private Run search(Spec spec, Scenario scenario, String prefix, int maxStates, Budget budget, long start,
			Engine engine, Machine.State init, int steps, int preemptionBound, boolean reduced) {
		int initDepth = 0;
		if (reduced) {
			int[] local = { 0 };
			init = settle(engine, init, local);
			if (init == null) {
				return null;
			}
			initDepth = local[0];
		}
		int localSteps = initDepth;
		Seen seen = new Seen();
		ArrayDeque<Node> queue = new ArrayDeque<>();
		Object initKey = preemptionBound < 0 ? init : new PKey(init, -1);
		Node root = new Node(initKey, null, null, initDepth, -1, 0);
		seen.putIfAbsent(initKey, root);
		queue.add(root);
		Map<FindingKey, Found> found = new LinkedHashMap<>();
		for (var e : engine.failingInvariants(init).entrySet()) {
			found.put(FindingKey.invariant(e.getKey()), new Found(Obligation.SCENARIO_INVARIANT, e.getKey(), e.getValue() + " initially",
					invariant(spec, e.getKey()), List.of(), List.of(), 0));
		}
		if (reduced && !found.isEmpty()) {
			return null;
		}
		boolean boundHit = false;
		boolean capped = false;
		String stopped = null;
		int polls = 0;
		int transitions = 0;
		int threads = init.threads().size();
		while (!queue.isEmpty()) {
			Node polled = queue.poll();
			// with a preemption bound, a key reached again with fewer preemptions is explored with its new node
			Node node = preemptionBound < 0 ? polled : seen.get(polled.key());
			Object key = node.key();
			Machine.State s = stateOf(key);
			if (node.depth() >= steps) {
				if (reduced) {
					return null;
				}
				boundHit = true;
				continue;
			}
			List<List<Engine.Succ>> perThread = new ArrayList<>();
			boolean anyEnabled = false;
			boolean allDone = true;
			for (int t = 0; t < s.threadCount(); t++) {
				List<Engine.Succ> succ = engine.successors(s, t);
				perThread.add(succ);
				// an IRQ thread waiting for an interrupt has ended its work, unless an interrupt comes
				boolean idle = engine.idleDaemon(s, t);
				anyEnabled |= !succ.isEmpty() && !idle;
				allDone &= s.threadArray()[t].done() || idle;
			}
			if (!anyEnabled && !allDone && !found.containsKey(FindingKey.deadlock())) {
				Boolean rescued = interruptsMayUnblock(engine, s);
				if (rescued == null && reduced) {
					return null;
				}
				if (rescued == null && stopped == null) {
					stopped = "deciding whether interrupts could end a wait took more than " + MAX_RESCUE_STATES
							+ " states";
				} else if (Boolean.FALSE.equals(rescued)) {
					found.put(FindingKey.deadlock(), deadlock(engine, node));
				}
			}
			races(engine, node, perThread, found);
			for (int t = 0; t < perThread.size(); t++) {
				// a switch away from a thread that could go on is a preemption (not from one waiting for an interrupt)
				int preemptions = node.preemptions() + (node.last() >= 0 && node.last() != t
						&& node.last() < perThread.size() && !perThread.get(node.last()).isEmpty()
						&& !engine.idleDaemon(s, node.last()) ? 1 : 0);
				if (preemptionBound >= 0 && preemptions > preemptionBound) {
					if (!perThread.get(t).isEmpty()) {
						boundHit = true;
					}
					continue;
				}
				List<Engine.Succ> succs = perThread.get(t);
				for (int i = 0; i < succs.size(); i++) {
					Engine.Succ succ = succs.get(i);
					if (succ.state() == null) {
						continue; // beyond the thread cap: not followed (the run is undecided)
					}
					transitions++;
					boolean fatal = false;
					for (int fi = 0; fi < succ.findings().size(); fi++) {
						Engine.Finding f = succ.findings().get(fi);
						fatal |= f.fatal();
						FindingKey fkey = FindingKey.step(f.obligation(), f.subject());
						if (!found.containsKey(fkey)) {
							List<Engine.Event> path = path(node);
							path.add(succ.event());
							found.put(fkey, new Found(f.obligation(), f.subject(), f.message(), f.at(), path,
									holding(s, engine), node.depth() + 1));
						}
					}
					if (fatal) {
						continue;
					}
					Machine.State state = succ.state();
					int depth = node.depth() + 1;
					if (reduced) {
						int[] local = { 0 };
						state = settle(engine, state, local);
						if (state == null) {
							return null;
						}
						depth += local[0];
						localSteps += local[0];
					}
					Object next = preemptionBound < 0 ? state : new PKey(state, t);
					Node added = new Node(next, node, succ.event(), depth, t, preemptions);
					Node before = seen.putIfAbsent(next, added);
					if (before != null) {
						if (preemptionBound < 0 || before.preemptions() <= preemptions) {
							continue; // reached before, with no more preemptions spent
						}
						seen.replace(next, added);
						queue.add(added); // fewer preemptions spent: explore again from here
						continue;
					}
					// invariants read only fields, lists, refcounts and freed flags: a step that wrote none
					// of them keeps those of the state before it, and those it broke are already recorded
					// (first where they broke); a lock invariant also falls due when its lock is released
					Map<String, String> failing = !succ.dataChanged() && !engine.releasedInvariantLock(s, succ.state())
							? Map.of()
							: engine.failingInvariants(succ.state());
					if (!failing.isEmpty()) {
						for (var e : failing.entrySet()) {
							found.computeIfAbsent(FindingKey.invariant(e.getKey()), k -> new Found(Obligation.SCENARIO_INVARIANT,
									e.getKey(), e.getValue(), succ.event().stmt(), path(added),
									holding(succ.state(), engine), node.depth() + 1));
						}
					}
					queue.add(added);
				}
			}
			if (reduced && !found.isEmpty()) {
				return null;
			}
			if ((polls & 1023) == 0) {
				budget.progress("scenario " + scenario.getName(), seen.size(), "states", node.depth());
			}
			if (seen.size() > maxStates || (polls++ & 255) == 0 && budget.exhausted()) {
				if (reduced) {
					return null;
				}
				capped = true;
				stopped = seen.size() > maxStates ? "the search stopped at " + maxStates + " states (--max-states) before covering the bound"
						: "the search stopped after " + seen.size() + " states: " + budget.reason();
				break;
			}
		}
		if (engine.threadsCapped && stopped == null) {
			if (reduced) {
				return null;
			}
			capped = true;
			stopped = "a step would start a thread beyond the " + Engine.MAX_THREADS + " the search keeps (queued work), "
					+ "so it did not cover every run";
		}
		List<Verdict> verdicts = verdicts(spec, scenario, prefix, found, seen.size(), transitions, steps, preemptionBound,
				boundHit, stopped, threads, localSteps > 0);
		Map<FindingKey, Integer> depths = new LinkedHashMap<>();
		Map<FindingKey, int[]> schedules = new LinkedHashMap<>();
		found.forEach((k, f) -> {
			depths.put(k, f.depth());
			// the threads of the run's steps (a race's or deadlock's path goes on past its state)
			int[] threadsRun = new int[Math.min(f.depth(), f.path().size())];
			for (int i = 0; i < threadsRun.length; i++) {
				threadsRun[i] = f.path().get(i).thread();
			}
			schedules.put(k, threadsRun);
		});
		return new Run(verdicts, seen.size(), transitions, boundHit, capped, millis(start), depths, schedules);
	}

	/** How many thread-local steps {@link #settle} takes in a row before it gives the reduced search up. */
	private static final int MAX_LOCAL_RUN = 10_000;

	/**
	 * The reduced search's state after {@code s}: thread-local steps
	 * ({@link Engine#localStep}) taken, first thread first, until no thread has
	 * one; {@code steps[0]} counts them. Null after {@link #MAX_LOCAL_RUN} of
	 * them (a loop of thread-local steps only).
	 */
	private static Machine.State settle(Engine engine, Machine.State s, int[] steps) {
		Machine.State cur = s;
		for (int run = 0; run <= MAX_LOCAL_RUN; run++) {
			Machine.State n = localStep(engine, cur);
			if (n == null) {
				return cur;
			}
			cur = n;
			steps[0]++;
		}
		return null;
	}

	/** The state after the first thread-local step of {@code s} ({@link Engine#localStep}); null if no thread has one. */
	private static Machine.State localStep(Engine engine, Machine.State s) {
		for (int t = 0; t < s.threadCount(); t++) {
			Machine.State n = engine.localStep(s, t);
			if (n != null) {
				return n;
			}
		}
		return null;
	}

	private static long millis(long start) {
		return (System.nanoTime() - start) / 1_000_000;
	}

	private static EObject invariant(Spec spec, String name) {
		for (Invariant i : EcoreUtil2.typeSelect(spec.getMembers(), Invariant.class)) {
			if (name.equals(i.getName())) {
				return i;
			}
		}
		return spec;
	}

	/** Two threads about to access one plain field, one of them writing: nothing orders them. */
	private void races(Engine engine, Node node, List<List<Engine.Succ>> perThread, Map<FindingKey, Found> found) {
		Machine.State s = stateOf(node.key());
		for (int a = 0; a < perThread.size(); a++) {
			for (int b = a + 1; b < perThread.size(); b++) {
				List<Engine.Succ> xs = perThread.get(a);
				List<Engine.Succ> ys = perThread.get(b);
				// indexed loops: this runs for every state, and iterators were a tenth of what the search allocated
				for (int i = 0; i < xs.size(); i++) {
					Engine.Succ x = xs.get(i);
					if (x.accesses().isEmpty()) {
						continue;
					}
					for (int j = 0; j < ys.size(); j++) {
						Engine.Succ y = ys.get(j);
						for (int pi = 0; pi < x.accesses().size(); pi++) {
							Engine.Access p = x.accesses().get(pi);
							for (int qi = 0; qi < y.accesses().size(); qi++) {
								Engine.Access q = y.accesses().get(qi);
								if (p.obj() != q.obj() || p.feature() != q.feature() || !(p.write() || q.write())
										|| p.feature() instanceof Field f && f.isAtomic()) {
									continue;
								}
								var obj = s.heap().get(p.obj());
								String name = (p.obj() == 0 ? "" : obj.name + ".") + NameOf.name(p.feature());
								String typed = obj.type == null ? null : obj.type.getName() + "." + NameOf.name(p.feature());
								FindingKey rkey = FindingKey.race(name);
								if (found.containsKey(rkey)) {
									continue;
								}
								List<Engine.Event> path = path(node);
								// the two racing steps, in an order in which both happen (a replay runs them one after
								// the other: the first may disable the second, a 'wait until' on the field written)
								boolean xFirst = stillAccesses(engine, x.state(), b, y, q) || !stillAccesses(engine, y.state(), a, x, p);
								path.add(xFirst ? x.event() : y.event());
								path.add(xFirst ? y.event() : x.event());
								String ta = s.threadArray()[a].name();
								String tb = s.threadArray()[b].name();
								String msg = "race on " + name + ": " + ta + " " + (p.write() ? "writes" : "reads") + " it ('"
										+ x.event().text() + "') while " + tb + " " + (q.write() ? "writes" : "reads")
										+ " it ('" + y.event().text() + "'), with nothing to order them";
								found.put(rkey, new Found(Obligation.SCENARIO_RACE, typed == null ? name : name + "," + typed,
										msg, y.event().stmt(), path, holding(s, engine), node.depth()));
							}
						}
					}
				}
			}
		}
	}

	/** Whether thread {@code t} can still take step {@code succ}, making access {@code access}, in state {@code s}. */
	private static boolean stillAccesses(Engine engine, Machine.State s, int t, Engine.Succ succ, Engine.Access access) {
		for (Engine.Succ n : engine.successors(s, t)) {
			if (n.event().stmt() == succ.event().stmt() && n.accesses().stream()
					.anyMatch(x -> x.obj() == access.obj() && x.feature() == access.feature() && x.write() == access.write())) {
				return true;
			}
		}
		return false;
	}

	/** How many states {@link #interruptsMayUnblock} explores before it gives up. */
	static final int MAX_RESCUE_STATES = 100_000;

	/**
	 * Whether, in a state where every thread is blocked, has ended or waits for an interrupt, some interrupt
	 * could let a blocked thread go on: the states that IRQ threads alone reach (firings, their runs) include
	 * one where another thread can step. False: those threads are deadlocked whatever the device does. Null:
	 * more than {@link #MAX_RESCUE_STATES} such states.
	 */
	private static Boolean interruptsMayUnblock(Engine engine, Machine.State from) {
		int original = from.threadCount();
		Set<Machine.State> seen = new HashSet<>(List.of(from));
		ArrayDeque<Machine.State> todo = new ArrayDeque<>(List.of(from));
		while (!todo.isEmpty()) {
			Machine.State s = todo.poll();
			for (int t = 0; t < s.threadCount(); t++) {
				boolean own = t >= original || engine.irqThread(from, t);
				List<Engine.Succ> succs = engine.successors(s, t);
				if (!own) {
					if (!succs.isEmpty()) {
						return true;
					}
					continue;
				}
				for (Engine.Succ succ : succs) {
					if (succ.state() != null && seen.add(succ.state())) {
						if (seen.size() > MAX_RESCUE_STATES) {
							return null;
						}
						todo.add(succ.state());
					}
				}
			}
		}
		return false;
	}

	private Found deadlock(Engine engine, Node node) {
		Machine.State s = stateOf(node.key());
		List<Engine.Event> path = path(node);
		List<String> waits = new ArrayList<>();
		EObject at = null;
		for (int t = 0; t < s.threadCount(); t++) {
			Machine.Thread th = s.threadArray()[t];
			if (th.done() || engine.idleDaemon(s, t)) {
				continue;
			}
			EObject stmt = engine.blockedStmt(s, t);
			at = at == null ? stmt : at;
			path.add(new Engine.Event(t, engine.blockedOn(s, t), stmt, Engine.chain(th), true));
			waits.add(th.name() + " waits at '" + engine.blockedOn(s, t) + "'");
		}
		Map<String, Object> evidence = new LinkedHashMap<>();
		evidence.put("depth", node.depth());
		evidence.put("waitCycle", waitCycle(engine, s));
		return new Found(Obligation.SCENARIO_DEADLOCK, "deadlock", "deadlock: " + String.join("; ", waits), at, path,
				holding(s, engine), node.depth(), evidence);
	}

	/**
	 * How some blocked threads wait for each other in a cycle, a deadlock that the lock-order obligation must
	 * explain: {@code locks} when each waits for a lock or gate that the next holds; {@code completions} when
	 * the cycle also passes a wait for a completion that the next would complete ({@link Engine#waitsFor}; a run
	 * that stops there shows no inversion at run time: the completion never came); {@code other} when none.
	 */
	private static String waitCycle(Engine engine, Machine.State s) {
		return waitCycle(engine, s, false) ? "locks" : waitCycle(engine, s, true) ? "completions" : "other";
	}

	private static boolean waitCycle(Engine engine, Machine.State s, boolean throughCompletions) {
		int n = s.threadCount();
		List<List<Integer>> waits = new ArrayList<>();
		for (int t = 0; t < n; t++) {
			boolean skip = s.threadArray()[t].done() || !throughCompletions && engine.waitsForACompletion(s, t);
			waits.add(skip ? null : engine.waitsFor(s, t));
		}
		int[] color = new int[n]; // 0 new, 1 on the path, 2 done
		for (int t = 0; t < n; t++) {
			if (color[t] == 0 && onCycle(t, waits, color)) {
				return true;
			}
		}
		return false;
	}

	private static boolean onCycle(int t, List<List<Integer>> waits, int[] color) {
		color[t] = 1;
		for (int u : waits.get(t) == null ? List.<Integer>of() : waits.get(t)) {
			if (color[u] == 1 || color[u] == 0 && onCycle(u, waits, color)) {
				return true;
			}
		}
		color[t] = 2;
		return false;
	}

	/** Who holds what in a state: the notes under a counterexample. */
	private static List<String> holding(Machine.State s, Engine engine) {
		List<String> notes = new ArrayList<>();
		for (Machine.Thread th : s.threads()) {
			if (!th.held().isEmpty()) {
				List<String> names = new ArrayList<>();
				for (Machine.Held h : th.held()) {
					names.add(Engine.keyName(s.heap(), h.key()) + (h.mode() == org.lockspec.model.LockMode.READ ? " (read)" : ""));
				}
				notes.add(th.name() + " holds " + String.join(", ", names));
			}
		}
		List<String> freed = new ArrayList<>();
		for (Heap.Obj o : s.heap().objects) {
			if (o.freed) {
				freed.add(o.name);
			}
		}
		if (!freed.isEmpty()) {
			notes.add("freed: " + String.join(", ", freed));
		}
		return notes;
	}

	private static List<Engine.Event> path(Node node) {
		List<Engine.Event> events = new ArrayList<>();
		for (Node n = node; n != null && n.event() != null; n = n.parent()) {
			events.add(n.event());
		}
		java.util.Collections.reverse(events);
		return events;
	}

	// ---------------------------------------------------------------- verdicts

	private static final List<Obligation> KINDS = List.of(Obligation.SCENARIO_DEADLOCK, Obligation.SCENARIO_MEMORY,
			Obligation.SCENARIO_REFCOUNT, Obligation.SCENARIO_RACE, Obligation.SCENARIO_SLEEP,
			Obligation.SCENARIO_HYGIENE);

	private List<Verdict> verdicts(Spec spec, Scenario scenario, String prefix, Map<FindingKey, Found> found, int states,
			int transitions, int steps, int preemptionBound, boolean boundHit, String stopped, int threads,
			boolean reduced) {
		// reduced: the search took thread-local steps at once (and its counts are of the states it kept)
		List<Verdict> out = new ArrayList<>();
		Set<Obligation> violated = new HashSet<>();
		Set<String> brokenInvariants = new HashSet<>();
		for (Found f : found.values()) {
			violated.add(f.obligation());
			if (f.obligation() == Obligation.SCENARIO_INVARIANT) {
				brokenInvariants.add(f.subject());
			}
			String id = prefix + f.obligation().id()
					+ (f.obligation() == Obligation.SCENARIO_INVARIANT || f.obligation() == Obligation.SCENARIO_RACE
							? "/" + f.subject().split(",")[0] : "");
			out.add(new Verdict(id, f.obligation(), Status.VIOLATED, f.message(),
					f.at() == null ? Location.of(scenario) : Location.of(f.at()), f.subject(),
					trace(scenario, f), f.evidence(), Verdict.EXPLICIT_STATE, List.of()));
		}
		boolean capped = stopped != null;
		String how = capped ? null
				: boundHit ? "every interleaving up to " + steps + " steps" + (preemptionBound >= 0 ? " and "
						+ preemptionBound + " preemptions" : "") + " (" + states + " states)"
						: "every interleaving of the topology, to completion (" + states + " states, " + transitions
								+ " transitions" + (reduced ? ", thread-local steps taken at once" : "") + ")";
		Status status = capped ? Status.UNKNOWN : boundHit ? Status.SAFE_UP_TO_BOUND : Status.PROVED;
		String reason = capped ? stopped : how;
		for (Obligation k : KINDS) {
			if (!violated.contains(k)) {
				out.add(new Verdict(prefix + k.id(), k, status, (status == Status.UNKNOWN ? "" : "holds for ") + reason,
						Location.of(scenario), null, null, Map.of("kind", Verdict.EXPLICIT_STATE, "states", states,
								"bound", steps),
						Verdict.EXPLICIT_STATE, List.of()));
			}
		}
		for (Invariant inv : EcoreUtil2.typeSelect(spec.getMembers(), Invariant.class)) {
			if (!brokenInvariants.contains(inv.getName())) {
				out.add(new Verdict(prefix + Obligation.SCENARIO_INVARIANT.id() + "/" + inv.getName(),
						Obligation.SCENARIO_INVARIANT, status, "invariant " + inv.getName() + " "
								+ (status == Status.UNKNOWN ? "undecided: " : "holds for ") + reason,
						Location.of(inv), inv.getName(), null, Map.of(), Verdict.EXPLICIT_STATE, List.of()));
			}
		}
		return out;
	}

	/** A CPU column as every trace heads it: {@code CPU1 (t1: aer_recover bus0)}, the thread named unless it is {@code cpu1}. */
	private static Trace.Lane lane(int i, String thread, String runs) {
		String cpu = "CPU" + i;
		return new Trace.Lane(cpu, thread.equalsIgnoreCase(cpu) ? runs : thread + ": " + runs);
	}

	/**
	 * The lane of a thread a step started: a kthread or a kworker running a work's function (its first step is
	 * the run's begin, at the declaration), or a kworker running queued work.
	 */
	private static Trace.Lane spawned(List<Engine.Event> path, int thread) {
		for (Engine.Event e : path) {
			if (e.thread() == thread && e.stmt() instanceof Work w && w.getOp() != null) {
				WorkKind kind = WorkKind.of(w);
				return lane(thread, kind.threadName(thread, w.getName()),
						w.getOp().getName() + (kind == WorkKind.WORK ? " for work " + w.getName() : ""));
			}
			if (e.thread() == thread && e.stmt() instanceof RuntimePm pm && pm.getSuspend() != null) {
				return lane(thread, RuntimePmState.threadName(thread), pm.getSuspend().getName() + " (autosuspend)");
			}
		}
		return lane(thread, "kworker" + thread, "queued work");
	}

	private static Trace trace(Scenario scenario, Found f) {
		List<Trace.Lane> lanes = new ArrayList<>();
		for (ScenarioThread t : scenario.getThreads()) {
			List<String> args = new ArrayList<>();
			for (Expression a : t.getArgs()) {
				args.add(Sites.text(a));
			}
			lanes.add(lane(lanes.size(), t.getName(), t.getOp().getName() + (args.isEmpty() ? "" : " " + String.join(", ", args))));
		}
		List<Trace.Event> events = new ArrayList<>();
		for (int i = 0; i < f.path().size(); i++) {
			Engine.Event e = f.path().get(i);
			while (e.thread() >= lanes.size()) {
				lanes.add(spawned(f.path(), lanes.size()));
			}
			boolean last = i == f.path().size() - 1;
			events.add(new Trace.Event(e.thread(), e.text(), e.stmt() == null ? Location.of(scenario) : Location.of(e.stmt()),
					e.chain(), e.waits(), last && !e.waits(), e.kind(), e.choice()));
		}
		String outcome = switch (f.obligation()) {
		case SCENARIO_DEADLOCK -> "DEADLOCK";
		case SCENARIO_MEMORY -> "USE AFTER FREE";
		case SCENARIO_REFCOUNT -> "REFCOUNT ERROR";
		case SCENARIO_RACE -> "DATA RACE";
		case SCENARIO_INVARIANT -> "VIOLATION: " + f.subject();
		case SCENARIO_SLEEP -> "SLEEP IN ATOMIC";
		default -> "LOCK MISUSE";
		};
		List<String> notes = new ArrayList<>();
		notes.add(f.message());
		notes.addAll(f.notes());
		return new Trace(lanes, events, outcome, notes);
	}
}
