package org.lockspec.diagram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.emf.ecore.EObject;
import org.lockspec.analysis.Explorer;
import org.lockspec.analysis.Held;
import org.lockspec.analysis.LockRef;
import org.lockspec.analysis.PathListener;
import org.lockspec.analysis.PathState;
import org.lockspec.analysis.Scc;
import org.lockspec.analysis.Site;
import org.lockspec.analysis.SpecFacts;
import org.lockspec.diagram.model.Cycle;
import org.lockspec.diagram.model.Dependency;
import org.lockspec.diagram.model.DiagramFactory;
import org.lockspec.diagram.model.DiagramKind;
import org.lockspec.diagram.model.LockClass;
import org.lockspec.diagram.model.LockGraph;
import org.lockspec.diagram.model.LockKind;
import org.lockspec.diagram.model.LockMode;
import org.lockspec.diagram.model.Witness;
import org.lockspec.model.Completion;
import org.lockspec.model.Work;
import org.lockspec.model.Gate;
import org.lockspec.model.Lock;
import org.lockspec.model.ObjectType;
import org.lockspec.model.Operation;
import org.lockspec.model.Spec;
import org.lockspec.naming.NameOf;
import org.lockspec.verdict.Location;
import org.lockspec.verdict.Obligation;
import org.lockspec.verdict.Trace;
import org.lockspec.verdict.Verdict;

/**
 * Fills a {@link LockGraph} from the path analysis: a class per lock and gate
 * declaration (lockdep's classes), a dependency A → B wherever some path takes
 * B while it holds A, with the ops and call chains that do it; then the cycle
 * of each lock-order verdict, matched to the dependencies by the source
 * positions of its counterexample. Graphs too large to draw are reduced to
 * their strongly connected components, the verdicts' cycles and the longest
 * chain, with a summary.
 */
final class LockGraphBuilder implements PathListener {

	/** Witnesses kept per dependency (all are counted). */
	static final int WITNESSES_KEPT = 6;

	private static final DiagramFactory F = DiagramFactory.eINSTANCE;

	private final Sources sources;
	private final boolean preemptRt;
	private final Map<EObject, LockClass> classes = new LinkedHashMap<>();
	private final Map<List<EObject>, Dependency> dependencies = new LinkedHashMap<>();
	private final Map<Dependency, Set<String>> seen = new HashMap<>();
	/** "held position > taken position" of every witness, kept or not, for matching counterexamples. */
	private final Map<String, Dependency> byPositions = new HashMap<>();
	/** A completion's dependencies by the position of what its producer takes first (a trace shows no hold for them). */
	private final Map<String, List<Dependency>> eventsByTaken = new HashMap<>();
	private final Map<EObject, Location> locations = new HashMap<>();
	private final Map<Location, String> keys = new HashMap<>();

	private LockGraphBuilder(Sources sources, boolean preemptRt) {
		this.sources = sources;
		this.preemptRt = preemptRt;
	}

	static LockGraph build(Spec spec, List<Verdict> verdicts, String obligation, Sources sources, Diagrams.Options options) {
		SpecFacts facts = new SpecFacts(spec);
		LockGraphBuilder b = new LockGraphBuilder(sources, facts.preemptRt());
		// every declared lock is a class, even one that no op takes
		for (EObject m : spec.getMembers()) {
			if (m instanceof Lock || m instanceof Gate || m instanceof Completion || m instanceof Work) {
				b.lockClass(m);
			} else if (m instanceof ObjectType t) {
				for (EObject f : t.getFeatures()) {
					if (f instanceof Lock || f instanceof Gate || f instanceof Completion || f instanceof Work
							|| f instanceof org.lockspec.model.RuntimePm) {
						b.lockClass(f);
					}
				}
			}
		}
		Explorer explorer = new Explorer(facts, b, options.explorer());
		for (Operation op : facts.entries()) {
			if (op.getBody() != null) {
				explorer.explore(op);
			}
		}
		LockGraph g = F.createLockGraph();
		g.setKind(DiagramKind.LOCKGRAPH);
		g.setSpec(spec.getName());
		g.setFile(Location.relative(Location.of(spec).file(), sources.base()));
		g.setTitle("lock graph of " + spec.getName());
		g.getClasses().addAll(b.classes.values());
		g.getDependencies().addAll(b.dependencies.values());
		g.setTotalClasses(g.getClasses().size());
		g.setTotalDependencies(g.getDependencies().size());
		List<Verdict> order = new ArrayList<>();
		for (Verdict v : verdicts) {
			if (v.obligation() == Obligation.LOCK_ORDER && (obligation == null || obligation.equals(v.id()))) {
				order.add(v);
			}
		}
		g.setObligation(order.size() == 1 ? order.get(0).id() : null);
		g.setStatus(Statuses.worst(order));
		// a cycle lockdep would report although it cannot deadlock is drawn too; the graph's status is the lock order's
		List<Verdict> drawn = new ArrayList<>(order);
		for (Verdict v : verdicts) {
			if (v.obligation() == Obligation.LOCKDEP_ONLY && obligation == null) {
				drawn.add(v);
			}
		}
		for (Verdict v : drawn) {
			b.cycle(g, v);
		}
		components(g);
		if (g.getClasses().size() > options.maxClasses() || g.getDependencies().size() > options.maxDependencies()) {
			reduce(g, options);
		} else {
			int cycles = (int) g.getClasses().stream().filter(c -> c.getComponent() >= 0).count();
			g.getNotes().add(g.getClasses().size() + " lock classes, " + g.getDependencies().size() + " dependencies"
					+ (cycles == 0 ? ", no cycle" : ", " + cycles + " classes on cycles"));
		}
		for (Verdict v : drawn) {
			g.getNotes().add(v.id() + ": " + Statuses.label(Statuses.of(v.status())) + " — " + v.message());
		}
		return g;
	}

	// ------------------------------------------------------------ path events

	@Override
	public void acquire(PathState s, LockRef ref, org.lockspec.model.LockMode mode, boolean irqsave, boolean blocking,
			Site at) {
		lockClass(ref.decl());
		if (!blocking) {
			return; // a trylock or an enter never waits: no dependency into it
		}
		for (Held h : s.held()) {
			if (!h.ref().equals(ref)) { // the same instance again is lock hygiene (AA), not an order between classes
				dependency(s, h, ref, mode, at);
			}
		}
	}

	/** A completion depends on what its producer passed first (the analysis's rule, {@link PathState#producedAfter}). */
	@Override
	public void complete(PathState s, LockRef completion, Site at) {
		Held producing = new Held(completion, org.lockspec.model.LockMode.WRITE, false, false, false, at);
		for (Held before : s.producedAfter(completion)) {
			dependency(s, producing, before.ref(), before.mode(), before.at());
		}
	}

	/** {@code taken} (in {@code mode}, at {@code at}) depends on {@code h}: an edge, with this path as a witness. */
	private void dependency(PathState s, Held h, LockRef taken, org.lockspec.model.LockMode mode, Site at) {
		LockClass from = lockClass(h.ref().decl());
		LockClass to = lockClass(taken.decl());
		Dependency d = dependencies.computeIfAbsent(List.of(h.ref().decl(), taken.decl()), k -> {
			Dependency n = F.createDependency();
			n.setSource(from);
			n.setTarget(to);
			return n;
		});
		if (!s.condition().isEmpty()) {
			d.setConditional(true);
		}
		Location takenAt = location(at.stmt());
		Location heldAt = location(h.at().stmt());
		String takenKey = key(takenAt);
		String held = key(heldAt);
		String w = held + ">" + takenKey + ">" + at.describe();
		if (!seen.computeIfAbsent(d, k -> new HashSet<>()).add(w)) {
			return;
		}
		d.setWitnessCount(d.getWitnessCount() + 1);
		byPositions.putIfAbsent(held + ">" + takenKey, d);
		if (h.ref().isCompletion() && !eventsByTaken.computeIfAbsent(takenKey, k -> new ArrayList<>()).contains(d)) {
			eventsByTaken.get(takenKey).add(d);
		}
		if (d.getWitnesses().size() < WITNESSES_KEPT) {
			Witness wi = F.createWitness();
			wi.setOp(at.entry().getName());
			wi.setChain(at.describe());
			wi.setHeldMode(h.shared() ? LockMode.READ : LockMode.WRITE);
			wi.setTakenMode(mode == org.lockspec.model.LockMode.READ ? LockMode.READ : LockMode.WRITE);
			wi.setAt(sources.ref(takenAt));
			wi.setHeldAt(sources.ref(heldAt));
			d.getWitnesses().add(wi);
		}
		Set<String> ops = new LinkedHashSet<>();
		for (Witness x : d.getWitnesses()) {
			ops.add(x.getOp());
		}
		String label = String.join(", ", ops);
		d.setLabel(d.getWitnessCount() > d.getWitnesses().size() ? label + ", …" : label);
	}

	/** Positions are looked up once per statement: the explorer passes the same statements on many paths. */
	private Location location(EObject stmt) {
		return locations.computeIfAbsent(stmt, Location::of);
	}

	private String key(Location at) {
		return keys.computeIfAbsent(at, sources::key);
	}

	private LockClass lockClass(EObject decl) {
		return classes.computeIfAbsent(decl, k -> {
			LockClass c = F.createLockClass();
			EObject owner = decl.eContainer();
			String name = NameOf.name(decl);
			c.setName(name);
			c.setOwner(owner instanceof ObjectType t ? t.getName() : null);
			c.setId(owner instanceof ObjectType t ? t.getName() + "." + name : name);
			// a workqueue is drawn as a work: what a flush waits for
			LockKind kind = decl instanceof Lock l && org.lockspec.kernel.Workqueues.isWorkqueue(l.getKind()) ? LockKind.WORK
					: decl instanceof org.lockspec.model.RuntimePm ? LockKind.RUNTIME_PM
					: decl instanceof Lock l ? LockKind.get(l.getKind().getLiteral())
					: decl instanceof Completion ? LockKind.COMPLETION : decl instanceof Work ? LockKind.WORK : LockKind.GATE;
			c.setKind(kind == null ? LockKind.GATE : kind);
			c.setSleeps(switch (c.getKind()) {
			case MUTEX, RWSEM, GATE, COMPLETION, WORK, RUNTIME_PM -> true;
			case SPINLOCK, RWLOCK -> preemptRt;
			case RAW_SPINLOCK, SRCU, RCU -> false; // an srcu or RCU reader never waits
			});
			c.setComponent(-1);
			c.setDeclaredAt(sources.ref(decl));
			return c;
		});
	}

	// ----------------------------------------------------------------- cycles

	/**
	 * The cycle of a lock-order counterexample: lane i holds the lock of its
	 * first step and waits at its blocked step; the dependency is the one with
	 * a witness at exactly those two positions.
	 */
	private void cycle(LockGraph g, Verdict v) {
		Trace t = v.trace();
		if (t == null || t.lanes().isEmpty()) {
			return;
		}
		Cycle c = F.createCycle();
		c.setObligation(v.id());
		c.setStatus(Statuses.of(v.status()));
		c.setMessage(v.message());
		int n = t.lanes().size();
		Dependency[] deps = new Dependency[n];
		Trace.Event[] waitsOf = new Trace.Event[n];
		for (int lane = 0; lane < n; lane++) {
			Trace.Event held = null;
			for (Trace.Event e : t.events()) {
				if (e.lane() == lane && e.waits() && waitsOf[lane] == null) {
					waitsOf[lane] = e;
				} else if (e.lane() == lane && !e.waits() && held == null) {
					held = e;
				}
			}
			if (waitsOf[lane] == null) {
				return; // not a cycle of held/waiting CPUs
			}
			// a CPU on its way to complete what the one before it waits for holds nothing yet
			deps[lane] = held == null ? null : byPositions.get(key(held.at()) + ">" + key(waitsOf[lane].at()));
		}
		for (int lane = 0; lane < n; lane++) {
			Dependency before = deps[(lane + n - 1) % n];
			if (deps[lane] == null && before != null) {
				deps[lane] = eventsByTaken.getOrDefault(key(waitsOf[lane].at()), List.of()).stream()
						.filter(d -> d.getSource() == before.getTarget()).findFirst().orElse(null);
			}
			if (deps[lane] == null) {
				return;
			}
		}
		for (Dependency d : deps) {
			c.getDependencies().add(d);
			c.getClasses().add(d.getSource());
		}
		for (Dependency d : c.getDependencies()) {
			d.setInCycle(true);
			d.getSource().setInCycle(true);
			d.getTarget().setInCycle(true);
		}
		g.getCycles().add(c);
	}

	// ----------------------------------------------- strongly connected components

	private static void components(LockGraph g) {
		List<LockClass> cls = g.getClasses();
		Map<LockClass, Integer> idx = new HashMap<>();
		for (int i = 0; i < cls.size(); i++) {
			idx.put(cls.get(i), i);
		}
		int[][] succ = successors(g, idx);
		int[] comp = Scc.components(succ, null);
		int[] size = new int[cls.size()];
		for (int c : comp) {
			size[c]++;
		}
		boolean[] selfLoop = new boolean[cls.size()];
		for (Dependency d : g.getDependencies()) {
			if (d.getSource() == d.getTarget()) {
				selfLoop[comp[idx.get(d.getSource())]] = true;
			}
		}
		Map<Integer, Integer> numbering = new HashMap<>();
		for (int i = 0; i < cls.size(); i++) {
			int c = comp[i];
			if (size[c] > 1 || selfLoop[c]) {
				cls.get(i).setComponent(numbering.computeIfAbsent(c, k -> numbering.size()));
			}
		}
	}

	private static int[][] successors(LockGraph g, Map<LockClass, Integer> idx) {
		int n = g.getClasses().size();
		int[] count = new int[n];
		for (Dependency d : g.getDependencies()) {
			count[idx.get(d.getSource())]++;
		}
		int[][] succ = new int[n][];
		for (int i = 0; i < n; i++) {
			succ[i] = new int[count[i]];
			count[i] = 0;
		}
		for (Dependency d : g.getDependencies()) {
			int s = idx.get(d.getSource());
			succ[s][count[s]++] = idx.get(d.getTarget());
		}
		return succ;
	}

	// -------------------------------------------------------------- reduction

	/**
	 * Keeps what a reader of a large graph needs: the classes of the verdicts'
	 * cycles, every class on some cycle (its strongly connected component), and
	 * the longest chain of dependencies between components (the deepest
	 * nesting), within the drawing limits.
	 */
	private static void reduce(LockGraph g, Diagrams.Options options) {
		int total = g.getClasses().size();
		int totalDeps = g.getDependencies().size();
		Set<LockClass> keep = new LinkedHashSet<>();
		for (Cycle c : g.getCycles()) {
			keep.addAll(c.getClasses());
		}
		int onCycles = 0;
		int components = 0;
		Set<Integer> seenComp = new HashSet<>();
		for (LockClass c : g.getClasses()) {
			if (c.getComponent() >= 0) {
				onCycles++;
				if (seenComp.add(c.getComponent())) {
					components++;
				}
				if (keep.size() < options.maxClasses()) {
					keep.add(c);
				}
			}
		}
		List<LockClass> chain = longestChain(g);
		int room = options.maxClasses() - keep.size();
		List<LockClass> drawnChain = chain.subList(0, Math.max(0, Math.min(room, chain.size())));
		keep.addAll(drawnChain);
		List<Dependency> deps = new ArrayList<>();
		Set<LockClass> chainSet = new HashSet<>(drawnChain);
		for (Dependency d : g.getDependencies()) {
			if (!keep.contains(d.getSource()) || !keep.contains(d.getTarget())) {
				continue;
			}
			boolean sameComponent = d.getSource().getComponent() >= 0
					&& d.getSource().getComponent() == d.getTarget().getComponent();
			boolean chainStep = chainSet.contains(d.getSource()) && chainSet.contains(d.getTarget())
					&& drawnChain.indexOf(d.getTarget()) == drawnChain.indexOf(d.getSource()) + 1;
			if ((d.isInCycle() || sameComponent || chainStep) && deps.size() < options.maxDependencies()) {
				deps.add(d);
			}
		}
		g.getDependencies().retainAll(new HashSet<>(deps));
		g.getClasses().retainAll(keep);
		g.setReduced(true);
		g.getNotes().add(total + " lock classes and " + totalDeps + " dependencies: too many to draw whole (limit "
				+ options.maxClasses() + " classes, " + options.maxDependencies() + " dependencies)");
		g.getNotes().add("drawn: " + (components == 0 ? "no cycle (every strongly connected component is one class)"
				: onCycles + " classes on cycles in " + components + " strongly connected components"
						+ (onCycles > g.getClasses().size() ? " (" + g.getClasses().size() + " of them drawn)" : ""))
				+ "; the longest chain of dependencies, " + chain.size() + " classes"
				+ (drawnChain.size() < chain.size() ? " (first " + drawnChain.size() + " drawn)" : ""));
	}

	/** The longest path over dependencies between different components (a DAG), in order. */
	static List<LockClass> longestChain(LockGraph g) {
		List<LockClass> cls = g.getClasses();
		int n = cls.size();
		Map<LockClass, Integer> idx = new HashMap<>();
		for (int i = 0; i < n; i++) {
			idx.put(cls.get(i), i);
		}
		int[][] succ = successors(g, idx);
		int[] comp = Scc.components(succ, null);
		// Tarjan numbers components in reverse topological order: a successor's component never has a larger number
		Integer[] order = new Integer[n];
		for (int i = 0; i < n; i++) {
			order[i] = i;
		}
		Arrays.sort(order, (a, b) -> Integer.compare(comp[a], comp[b]));
		int[] best = new int[n];
		int[] next = new int[n];
		Arrays.fill(next, -1);
		for (int v : order) {
			best[v] = 1;
			for (int w : succ[v]) {
				if (comp[w] != comp[v] && best[w] + 1 > best[v]) {
					best[v] = best[w] + 1;
					next[v] = w;
				}
			}
		}
		int start = -1;
		for (int i = 0; i < n; i++) {
			if (start < 0 || best[i] > best[start]) {
				start = i;
			}
		}
		List<LockClass> chain = new ArrayList<>();
		for (int v = start; v >= 0; v = next[v]) {
			chain.add(cls.get(v));
		}
		return chain;
	}
}
