package org.lockspec.prover.mc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;
import org.lockspec.analysis.Sites;
import org.lockspec.analysis.SpecFacts;
import org.lockspec.analysis.semantics.Lowering;
import org.lockspec.analysis.semantics.OpGraph;
import org.lockspec.analysis.semantics.Step;
import org.lockspec.kernel.Completions;
import org.lockspec.kernel.LockKinds;
import org.lockspec.kernel.RuntimePmState;
import org.lockspec.kernel.WorkState;
import org.lockspec.kernel.WorkKind;
import org.lockspec.kernel.Workqueues;
import org.lockspec.model.*;
import org.lockspec.naming.NameOf;
import org.lockspec.verdict.Obligation;

/**
 * A scenario as a bounded model checking formula for Z3 (SMT-LIB 2, bit-vectors),
 * written from the spec's semantics independently of {@link Engine}, so that
 * the two can be checked against each other ({@link CrossCheck}).
 * <p>
 * Each thread's ops are inlined into a control-flow graph whose nodes are the
 * engine's atomic steps (a statement, a loop test, the end of a {@code with},
 * the wait of a {@code drain}, a thread's return). The state at time {@code j}
 * is a vector of constants {@code name@j}: every field, refcount, freed flag,
 * list position, lock, gate, held count, grace period under way (the readers
 * it still waits for) and local variable of the topology,
 * plus one program counter per thread. Step {@code j} runs the thread
 * {@code sched@j} (or none: {@code sched@j = -1} ends the run). Objects made
 * by {@code new} and threads started by {@code queue} get fixed slots, so the
 * encoding does not support them inside loops; recursion is not supported
 * either. Unsupported input is reported, never approximated.
 * <p>
 * What each time step may find is a named Boolean per finding key, with the
 * keys of {@link ModelChecker}: {@code deadlock}, {@code race:<location>},
 * {@code inv:<name>} and {@code <obligation>:<subject>} for what a step does.
 */
final class Bmc {

	/** Input the encoding does not cover; the cross-check says so instead of answering. */
	static final class Unsupported extends RuntimeException {
		private static final long serialVersionUID = 1L;

		Unsupported(String what, EObject at) {
			super(what + (at == null ? "" : " (line " + Sites.line(at) + ")"), null, false, false);
		}
	}

	static final String BV = "(_ BitVec 64)";
	/** Program counters, the scheduled thread and choose branches: small numbers, compared with constants only. */
	static final String CV = "(_ BitVec 16)";
	static final String NONE = cl(0xffff);

	/** A control value (pc, thread, branch). */
	static String cl(int v) {
		return String.format("#x%04x", v & 0xffff);
	}
	static final String NULL = lit(-1);
	/** A completion done for all ({@link Completions#ALL}). */
	static final String ALL_DONE = lit(Completions.ALL);
	static final String ZERO = lit(0);
	static final String ONE = lit(1);

	static String lit(long v) {
		return String.format("#x%016x", v);
	}

	// ------------------------------------------------------------ term helpers

	static String and(String... xs) {
		List<String> keep = new ArrayList<>();
		for (String x : xs) {
			if (x.equals("false")) {
				return "false";
			}
			if (!x.equals("true")) {
				keep.add(x);
			}
		}
		return keep.isEmpty() ? "true" : keep.size() == 1 ? keep.get(0) : "(and " + String.join(" ", keep) + ")";
	}

	static String or(List<String> xs) {
		List<String> keep = new ArrayList<>();
		for (String x : xs) {
			if (x.equals("true")) {
				return "true";
			}
			if (!x.equals("false")) {
				keep.add(x);
			}
		}
		return keep.isEmpty() ? "false" : keep.size() == 1 ? keep.get(0) : "(or " + String.join(" ", keep) + ")";
	}

	static String or(String... xs) {
		return or(List.of(xs));
	}

	static String not(String x) {
		return x.equals("true") ? "false" : x.equals("false") ? "true" : "(not " + x + ")";
	}

	static String eq(String a, String b) {
		return a.equals(b) ? "true" : "(= " + a + " " + b + ")";
	}

	static String ite(String c, String a, String b) {
		return c.equals("true") || a.equals(b) ? a : c.equals("false") ? b : "(ite " + c + " " + a + " " + b + ")";
	}

	static String add(String a, long k) {
		return "(bvadd " + a + " " + lit(k) + ")";
	}

	/** A value: a 64-bit vector, or a Boolean formula (stored as 0 or 1). */
	record T(String s, boolean bool) {
		String bv() {
			return bool ? ite(s, ONE, ZERO) : s;
		}

		String b() {
			return bool ? s : eq(s, ONE);
		}

		static T v(String s) {
			return new T(s, false);
		}

		static T b(String s) {
			return new T(s, true);
		}
	}

	// ----------------------------------------------------------------- objects

	/** An object of the topology: 0 holds the globals; slots are made by {@code new}. */
	record Obj(int id, String name, ObjectType type, boolean slot) {
	}

	final Spec spec;
	final Scenario scenario;
	final SpecFacts facts;
	final List<Obj> objs = new ArrayList<>();
	final Map<Instance, Integer> instanceIds = new HashMap<>();
	private final Map<EObject, Integer> ids = new HashMap<>();
	private final Lowering lowering;
	final List<Invariant> invariants;

	int id(EObject decl) {
		return ids.computeIfAbsent(decl, k -> ids.size());
	}

	/** The features of an object: its type's, or the spec's globals for object 0. */
	List<EObject> features(Obj o) {
		List<EObject> out = new ArrayList<>();
		if (o.type() == null) {
			for (Member m : spec.getMembers()) {
				if (m instanceof Field || m instanceof Ref || m instanceof ListField || m instanceof Lock || m instanceof Gate
						|| m instanceof Completion || m instanceof Work) {
					out.add(m);
				}
			}
		} else {
			out.addAll(o.type().getFeatures());
		}
		return out;
	}

	/** Objects that may own {@code feature} (declared in an object type, or global). */
	List<Integer> owners(EObject feature) {
		if (!(feature.eContainer() instanceof ObjectType t)) {
			return List.of(0);
		}
		return ofType(t);
	}

	List<Integer> ofType(ObjectType t) {
		List<Integer> out = new ArrayList<>();
		for (Obj o : objs) {
			if (o.id() > 0 && (t == null || o.type() == t)) {
				out.add(o.id());
			}
		}
		return out;
	}

	// ------------------------------------------------------------ state vars

	/** A state variable: {@code base@j} for every time j; a control variable is 16 bits wide. */
	record Var(String base, boolean bool, String init, boolean control) {
		String sort() {
			return bool ? "Bool" : control ? CV : BV;
		}
	}

	final Map<String, Var> vars = new LinkedHashMap<>();

	private void var(String base, boolean bool, String init) {
		vars.putIfAbsent(base, new Var(base, bool, init, false));
	}

	/** State variables some step writes; the others keep their initial constant ({@code base@0}) throughout. */
	private java.util.Set<String> written;
	/** State variables steps of two threads touch. */
	private java.util.Set<String> shared;

	static String field(int o, int f) {
		return "f" + o + "_" + f;
	}

	static String rc(int o, int f) {
		return "rc" + o + "_" + f;
	}

	static String freed(int o) {
		return "fr" + o;
	}

	static String alloc(int o) {
		return "al" + o;
	}

	static String pos(int o, int l, int e) {
		return "lp" + o + "_" + l + "_" + e;
	}

	static String count(int o, int l) {
		return "lc" + o + "_" + l;
	}

	static String writer(int o, int l) {
		return "lw" + o + "_" + l;
	}

	static String readers(int o, int l, int t) {
		return "lr" + o + "_" + l + "_" + t;
	}

	static String active(int o, int g) {
		return "ga" + o + "_" + g;
	}

	static String closed(int o, int g) {
		return "gc" + o + "_" + g;
	}

	/**
	 * What a work is in ({@link WorkState}): {@code what} is q (runs queued), e (ended), r (one running: 0 or 1),
	 * c (cancelled up to), n (cancel_work_sync calls under way) or s (a kthread's kthread_should_stop: 0 or 1).
	 */
	static String work(String what, int o, int w) {
		return "w" + what + o + "_" + w;
	}

	private static final List<String> WORK_PARTS = List.of("q", "e", "r", "c", "n", "s");

	/**
	 * What a device's runtime PM is in ({@link RuntimePmState}): {@code what} is e (enabled), s (the status, an
	 * ordinal of {@link RuntimePmState.Status}), u (the usage count) or b (the thread whose callback is under way,
	 * or {@link #NULL}).
	 */
	static String pmPart(String what, int o, int p) {
		return "rp" + what + o + "_" + p;
	}

	static String pmStatus(RuntimePmState.Status status) {
		return lit(status.ordinal());
	}

	/** The run a kworker plan runs. */
	static String run(int t) {
		return "wid" + t;
	}

	/**
	 * Whether the {@code synchronize_srcu} (or {@code synchronize_rcu}) under way in thread {@code waiter} still waits
	 * for thread {@code reader} to leave its read section of srcu {@code k} of object {@code o}
	 * ({@link org.lockspec.kernel.GracePeriods}).
	 */
	static String owed(int o, int k, int waiter, int reader) {
		return "gp" + o + "_" + k + "_" + waiter + "_" + reader;
	}

	static String held(int t, int o, int k) {
		return "hc" + t + "_" + o + "_" + k;
	}

	static String irqs(int t, int o, int k) {
		return "hi" + t + "_" + o + "_" + k;
	}

	static String refs(int t, int o) {
		return "rf" + t + "_" + o;
	}

	static String pc(int t) {
		return "pc" + t;
	}

	// ---------------------------------------------------------------- threads

	/** A thread's nodes: not started (spawned work waiting for its queue), done, its return, or a step of an op. */
	enum Kind {
		NOT_STARTED, DONE, RETURNS, STEP
	}

	/** One inlined call of an op in a thread. */
	final class Inst {
		final int id;
		final Operation op;
		final Inst parent;
		final Plan plan;

		Inst(Operation op, Inst parent, Plan plan) {
			this.id = plan.insts++;
			this.op = op;
			this.parent = parent;
			this.plan = plan;
			for (Param p : op.getParams()) {
				var(local(p), false, NULL);
			}
			for (LetStmt l : EcoreUtil2.eAllOfType(op.getBody(), LetStmt.class)) {
				var(local(l), false, NULL);
			}
			for (ForStmt f : EcoreUtil2.eAllOfType(op.getBody(), ForStmt.class)) {
				var(local(f), false, NULL);
				var(hidden("fo", f), false, ZERO);
			}
			for (WithStmt w : EcoreUtil2.eAllOfType(op.getBody(), WithStmt.class)) {
				var(hidden("wk", w), false, ZERO);
			}
			for (DrainStmt d : EcoreUtil2.eAllOfType(op.getBody(), DrainStmt.class)) {
				var(hidden("dk", d), false, ZERO);
			}
			for (FlushWorkStmt f : EcoreUtil2.eAllOfType(op.getBody(), FlushWorkStmt.class)) {
				var(hidden("fk", f), false, ZERO); // the work's owner
				var(hidden("fw", f), false, ZERO); // the run the flush waits for
			}
		}

		String local(EObject decl) {
			return "v" + plan.index + "_" + id + "_" + id(decl);
		}

		/** Where a statement keeps what a later step needs: a with's or drain's object, a for's list owner. */
		String hidden(String what, EObject stmt) {
			return what + plan.index + "_" + id + "_" + id(stmt);
		}

		boolean declares(EObject decl) {
			return EcoreUtil2.isAncestor(op, decl);
		}
	}

	/** A step of an inlined op: the op graph's node in the frame {@code inst}, with the thread's pcs as edges. */
	final class Node {
		final int id;
		final Kind kind;
		final OpGraph.Node src;
		final Inst inst;
		int next = -1;
		int alt = -1;
		int[] branches;
		Inst callee;
		/** The callbacks a runtime PM call may run in the caller's thread, and where they start. */
		Inst resume;
		Inst suspend;
		int resumeAt = -1;
		int suspendAt = -1;
		Plan spawn;
		int slot = -1;

		Node(int id, Kind kind, OpGraph.Node src, Inst inst) {
			this.id = id;
			this.kind = kind;
			this.src = src;
			this.inst = inst;
		}

		Step step() {
			return src.step();
		}
	}

	/** A thread: its inlined ops as nodes; 0 = not started, 1 = done, 2 = returns. */
	final class Plan {
		final int index;
		final String name;
		final Context context;
		final List<Node> nodes = new ArrayList<>();
		int insts;
		Inst root;
		int start;
		boolean spawned;
		/** The work whose runs this kworker plan runs, or null. */
		Work work;
		/** The runtime PM this plan is the PM workqueue's kworker of ({@link #pmObj}'s), or null. */
		RuntimePm pm;
		int pmObj = -1;

		Plan(int index, String name, Context context) {
			this.index = index;
			this.name = name;
			this.context = context;
			node(Kind.NOT_STARTED, null, null);
			node(Kind.DONE, null, null);
			node(Kind.RETURNS, null, null);
		}

		Node node(Kind kind, OpGraph.Node src, Inst inst) {
			Node n = new Node(nodes.size(), kind, src, inst);
			nodes.add(n);
			return n;
		}
	}

	final List<Plan> plans = new ArrayList<>();
	/** The threads that exist from the start, numbered as the explicit engine does: the scenario's, then the PM workers. */
	int fixedThreads;

	/** Definitions of big subterms, written into the script before the definitions that use them. */
	private final StringBuilder aux = new StringBuilder();
	private int auxCount;
	private final Map<String, java.util.Set<String>> auxReads = new HashMap<>();

	/**
	 * A big term gets a name ({@code define-fun}), so that terms built from it do
	 * not copy it: list walks over symbolic owners nest selections, and without
	 * names the script grows beyond memory at 8 PEs.
	 */
	String share(String term, String sort, int j) {
		if (term.length() < 300) {
			return term;
		}
		String base = "a" + (auxCount++);
		String name = base + "@" + j;
		// the footprint of a term that uses the name is the footprint of the term it names
		auxReads.put(base, reads(List.of(term)));
		aux.append("(define-fun ").append(name).append(" () ").append(sort).append(' ').append(term).append(")\n");
		return name;
	}

	private void flushAux(StringBuilder s) {
		s.append(aux);
		aux.setLength(0);
	}

	Bmc(Spec spec, Scenario scenario, SpecFacts facts) {
		this.spec = spec;
		this.scenario = scenario;
		this.facts = facts;
		this.lowering = facts.lowering();
		this.invariants = EcoreUtil2.typeSelect(spec.getMembers(), Invariant.class);
		for (Bound b : scenario.getBounds()) {
			if (b.getKind() == BoundKind.PREEMPTIONS) {
				throw new Unsupported("a preemption bound", b);
			}
		}
		objs.add(new Obj(0, "<globals>", null, false));
		for (Instance i : scenario.getInstances()) {
			instanceIds.put(i, objs.size());
			objs.add(new Obj(objs.size(), i.getName(), i.getType(), false));
		}
		for (ScenarioThread t : scenario.getThreads()) {
			Plan p = new Plan(plans.size(), t.getName(), SpecFacts.entryContext(t.getOp()));
			plans.add(p);
		}
		// the PM workqueue's kworker of each instance's runtime PM, numbered after the threads as the engine does
		List<Plan> pmWorkers = new ArrayList<>();
		for (Instance i : scenario.getInstances()) {
			for (RuntimePm pm : EcoreUtil2.typeSelect(i.getType().getFeatures(), RuntimePm.class)) {
				Plan w = new Plan(plans.size(), RuntimePmState.threadName(plans.size()), Context.PROCESS);
				w.pm = pm;
				w.pmObj = instanceIds.get(i);
				plans.add(w);
				pmWorkers.add(w);
			}
		}
		fixedThreads = plans.size();
		for (int i = 0; i < scenario.getThreads().size(); i++) {
			compileThread(plans.get(i), scenario.getThreads().get(i).getOp());
		}
		for (Plan w : pmWorkers) {
			compilePmWorker(w);
		}
		if (plans.size() > Engine.MAX_THREADS) {
			throw new Unsupported("more than " + Engine.MAX_THREADS + " threads with queued work", scenario);
		}
		declareState();
	}

	private void compileThread(Plan p, Operation op) {
		if (op.getBody() == null) {
			throw new Unsupported("op " + op.getName() + " has no body", op);
		}
		p.root = new Inst(op, null, p);
		p.start = inline(p, p.root, 2, false);
	}

	/**
	 * The PM workqueue's kworker of a device: it stands at the runtime PM's begin in the suspend callback, runs
	 * the callback whenever the device may be suspended, and comes back there when it returns.
	 */
	private void compilePmWorker(Plan w) {
		Operation op = w.pm.getSuspend();
		if (op == null || op.getBody() == null) {
			throw new Unsupported("the suspend callback of " + w.pm.getName() + " has no body", w.pm);
		}
		w.root = new Inst(op, null, w);
		inline(w, w.root, 2, false);
		OpGraph.Node begin = lowering.graph(op).node(lowering.graph(op).pmBegin(w.pm));
		for (Node n : w.nodes) {
			if (n.src == begin && n.inst == w.root) {
				w.start = n.id;
			}
		}
	}

	/**
	 * Copies the graph of {@code inst}'s op into the thread, its exits going to
	 * {@code k}, calls inlined; returns the node the op starts at.
	 */
	private int inline(Plan p, Inst inst, int k, boolean inLoop) {
		OpGraph g = lowering.graph(inst.op);
		int[] at = new int[g.nodes().size()];
		for (OpGraph.Node src : g.nodes()) {
			at[src.id()] = p.node(Kind.STEP, src, inst).id;
		}
		java.util.function.IntUnaryOperator to = t -> t == OpGraph.EXIT ? k : at[t];
		for (OpGraph.Node src : g.nodes()) {
			Node n = p.nodes.get(at[src.id()]);
			n.next = to.applyAsInt(src.next());
			n.alt = to.applyAsInt(src.alt());
			n.branches = src.branches().stream().mapToInt(to::applyAsInt).toArray();
			boolean loop = inLoop || src.inLoop();
			switch (src.step()) {
			case Step.Call c -> {
				n.callee = callee(c, inst, p);
				n.next = inline(p, n.callee, n.next, loop);
			}
			case Step.Allocate a -> {
				if (loop) {
					throw new Unsupported("'new' inside a loop", a.at());
				}
				n.slot = objs.size();
				objs.add(new Obj(objs.size(), a.type().getName().toLowerCase(java.util.Locale.ROOT) + "#new" + objs.size(),
						a.type(), true));
			}
			case Step.Spawn q -> {
				if (loop) {
					throw new Unsupported("'queue' inside a loop", q.at());
				}
				n.spawn = worker(q);
			}
			case Step.QueueWork q -> {
				if (loop) {
					throw new Unsupported("'queue_work' inside a loop", q.at());
				}
				Work work = (Work) feature(q.work());
				if (Workqueues.onOrderedQueue(work)) {
					throw new Unsupported("an ordered workqueue ('" + Sites.text(q.at()) + "': its one-at-a-time order "
							+ "is not in the BMC's encoding)", q.at());
				}
				n.spawn = kworker(work, q.at());
			}
			case Step.PmControl pm -> {
				// the callbacks the call may run in this thread, returning to the settle step (n.next)
				RuntimePm decl = (RuntimePm) feature(pm.pm());
				if (RuntimePmState.resumes(pm.call())) {
					n.resume = callee(decl.getResume(), pm.at(), inst, p);
					n.resumeAt = inline(p, n.resume, n.next, loop);
				}
				if (RuntimePmState.suspends(pm.call())) {
					n.suspend = callee(decl.getSuspend(), pm.at(), inst, p);
					n.suspendAt = inline(p, n.suspend, n.next, loop);
				}
			}
			case Step.FlushQueue f when Workqueues.drains(f.call()) -> throw new Unsupported("a workqueue ('"
					+ Sites.text(f.at()) + "': a drain's wait for an empty queue, refusing works meanwhile, is not in the "
					+ "BMC's encoding)", f.at());
			case Step.IrqControl i -> throw new Unsupported("a threaded irq ('" + i.call().getLiteral()
					+ "': its line fires at any time, which the BMC does not model)", i.at());
			default -> {
			}
			}
		}
		return to.applyAsInt(g.start());
	}

	private Inst callee(Step.Call call, Inst caller, Plan p) {
		return callee(call.op(), call.at(), caller, p);
	}

	private Inst callee(Operation op, EObject at, Inst caller, Plan p) {
		for (Inst i = caller; i != null; i = i.parent) {
			if (i.op == op) {
				throw new Unsupported("the recursive call of " + op.getName(), at);
			}
		}
		if (op.getBody() == null) {
			throw new Unsupported("op " + op.getName() + " has no body", at);
		}
		return new Inst(op, caller, p);
	}

	/** The thread a {@code queue} starts: not started until the step runs. */
	private Plan worker(Step.Spawn q) {
		if (q.op().getBody() == null) {
			throw new Unsupported("op " + q.op().getName() + " has no body", q.at());
		}
		Plan w = new Plan(plans.size(), "kworker" + plans.size(), Context.PROCESS);
		w.spawned = true;
		plans.add(w);
		if (plans.size() > Engine.MAX_THREADS) {
			throw new Unsupported("more than " + Engine.MAX_THREADS + " threads with queued work", q.at());
		}
		compileThread(w, q.op());
		return w;
	}

	/** The kworker a {@code queue_work} starts: not started until the step runs, then at the work's begin. */
	private Plan kworker(Work work, EObject at) {
		Operation op = work.getOp();
		if (op.getBody() == null) {
			throw new Unsupported("op " + op.getName() + " has no body", at);
		}
		Plan w = new Plan(plans.size(), WorkKind.of(work).threadName(plans.size(), work.getName()), WorkKind.of(work).context);
		w.spawned = true;
		w.work = work;
		plans.add(w);
		if (plans.size() > Engine.MAX_THREADS) {
			throw new Unsupported("more than " + Engine.MAX_THREADS + " threads with queued work", at);
		}
		w.root = new Inst(op, null, w);
		inline(w, w.root, 2, false);
		OpGraph.Node begin = lowering.graph(op).node(lowering.graph(op).workBegin(work));
		for (Node n : w.nodes) {
			if (n.src == begin && n.inst == w.root) {
				w.start = n.id;
			}
		}
		return w;
	}

	/** Every state variable with its initial value. */
	private void declareState() {
		Map<Obj, Map<EObject, String>> initial = new HashMap<>();
		// initial values of instances: evaluated over the initial state (constants, instances, other inits)
		for (Instance i : scenario.getInstances()) {
			Obj o = objs.get(instanceIds.get(i));
			Map<EObject, String> m = new HashMap<>();
			for (Init in : i.getInits()) {
				m.put(in.getFeature(), constant(in.getValue()));
			}
			initial.put(o, m);
		}
		// list positions in the order of the instances
		Map<String, Integer> positions = new HashMap<>();
		Map<String, Integer> counts = new HashMap<>();
		for (Instance i : scenario.getInstances()) {
			for (Expression list : i.getLists()) {
				int owner;
				EObject feature;
				if (list instanceof MemberAccess ma) {
					String v = constant(ma.getReceiver());
					owner = (int) Long.parseUnsignedLong(v.substring(2), 16);
					feature = ma.getMember();
				} else if (list instanceof VarRef v) {
					owner = 0;
					feature = v.getRef();
				} else {
					throw new Unsupported("the list " + Sites.text(list), list);
				}
				int n = counts.merge(owner + "_" + id(feature), 1, Integer::sum);
				positions.put(pos(owner, id(feature), instanceIds.get(i)), n);
			}
		}
		for (Obj o : objs) {
			Map<EObject, String> init = initial.getOrDefault(o, Map.of());
			for (EObject f : features(o)) {
				int fid = id(f);
				switch (f) {
				case Field field -> var(field(o.id(), fid), false, init.getOrDefault(field, ZERO));
				case Ref r -> var(field(o.id(), fid), false, init.getOrDefault(r, NULL));
				case Refcount r -> var(rc(o.id(), fid), false, ONE);
				case ListField l -> {
					var(count(o.id(), fid), false, lit(counts.getOrDefault(o.id() + "_" + fid, 0)));
					for (int e : ofType(l.getType())) {
						var(pos(o.id(), fid, e), false, lit(positions.getOrDefault(pos(o.id(), fid, e), 0)));
					}
				}
				case Lock l -> {
					var(writer(o.id(), fid), false, NULL);
					for (Plan p : plans) {
						var(readers(o.id(), fid, p.index), false, ZERO);
					}
					if (LockKinds.readersOnly(l.getKind())) {
						for (Plan waiter : plans) {
							for (Plan reader : plans) {
								var(owed(o.id(), fid, waiter.index, reader.index), true, "false");
							}
						}
					}
				}
				case Completion c -> var(field(o.id(), fid), false, lit(Completions.NOT_DONE));
				case Work w -> {
					for (String part : WORK_PARTS) {
						var(work(part, o.id(), fid), false, ZERO);
					}
				}
				case Gate g -> {
					var(active(o.id(), fid), false, ZERO);
					var(closed(o.id(), fid), true, "false");
				}
				case RuntimePm pm -> {
					// enabled for the scenario's instances, not for objects it allocates; active and unused
					var(pmPart("e", o.id(), fid), true, o.slot() ? "false" : "true");
					var(pmPart("s", o.id(), fid), false, pmStatus(RuntimePmState.Status.ACTIVE));
					var(pmPart("u", o.id(), fid), false, ZERO);
					var(pmPart("b", o.id(), fid), false, NULL);
				}
				default -> {
				}
				}
				if (f instanceof Lock || f instanceof Gate) {
					for (Plan p : plans) {
						var(held(p.index, o.id(), fid), false, ZERO);
						var(irqs(p.index, o.id(), fid), false, ZERO);
					}
				}
			}
			if (o.id() > 0) {
				var(freed(o.id()), true, "false");
				if (o.slot()) {
					var(alloc(o.id()), true, "false");
				}
				for (Plan p : plans) {
					var(refs(p.index, o.id()), false, ZERO);
				}
			}
		}
		for (Plan p : plans) {
			vars.put(pc(p.index), new Var(pc(p.index), false, cl(p.spawned ? 0 : p.start), true));
			if (p.work != null) {
				var(run(p.index), false, ZERO);
			}
		}
		for (Plan p : plans) {
			for (Node n : p.nodes) {
				if (n.kind == Kind.STEP && n.step() instanceof Step.FlushQueue f) {
					for (Plan w : kworkersOn(feature(f.queue()))) {
						var(flushWaits(n.inst, f.at(), w), true, "false");
					}
				}
			}
		}
		for (Plan w : plans) {
			if (w.pm != null) {
				String base = w.root.local(w.pm.getSuspend().getParams().get(0));
				vars.put(base, new Var(base, false, lit(w.pmObj), false));
			}
		}
		for (int i = 0; i < scenario.getThreads().size(); i++) {
			ScenarioThread t = scenario.getThreads().get(i);
			Plan p = plans.get(i);
			for (int a = 0; a < t.getArgs().size() && a < t.getOp().getParams().size(); a++) {
				String base = p.root.local(t.getOp().getParams().get(a));
				vars.put(base, new Var(base, false, constant(t.getArgs().get(a)), false));
			}
		}
	}

	/** The kworkers of works that run on workqueue {@code queue}. */
	private List<Plan> kworkersOn(EObject queue) {
		return plans.stream().filter(w -> w.work != null && w.work.getQueue() == queue).toList();
	}

	/**
	 * Whether the {@code flush_workqueue} {@code at} of frame {@code inst} waits for kworker {@code w}: its run was
	 * queued on the queue flushed and had not ended when the flush began ({@link Workqueues}).
	 */
	private static String flushWaits(Inst inst, EObject at, Plan w) {
		return inst.hidden("fq", at) + "_" + w.index;
	}

	/** A closed expression of the scenario (an instance's init, a thread's argument) as a constant. */
	private String constant(Expression e) {
		switch (e) {
		case IntLiteral i -> {
			return lit(i.getValue());
		}
		case BoolLiteral b -> {
			return b.isValue() ? ONE : ZERO;
		}
		case NullLiteral n -> {
			return NULL;
		}
		case Unary u when u.getOp().equals("-") -> {
			return lit(-Long.parseUnsignedLong(constant(u.getOperand()).substring(2), 16));
		}
		case Binary b when b.getOp().equals("|") || b.getOp().equals("&") || b.getOp().equals("+") -> {
			long l = Long.parseUnsignedLong(constant(b.getLeft()).substring(2), 16);
			long r = Long.parseUnsignedLong(constant(b.getRight()).substring(2), 16);
			return lit(b.getOp().equals("|") ? l | r : b.getOp().equals("&") ? l & r : l + r);
		}
		case VarRef v when v.getRef() instanceof Const k -> {
			return lit(k.getValue());
		}
		case VarRef v when v.getRef() instanceof EnumLiteral lit -> {
			return lit(((EnumType) lit.eContainer()).getLiterals().indexOf(lit));
		}
		case VarRef v when v.getRef() instanceof Instance i -> {
			return lit(instanceIds.get(i));
		}
		default -> throw new Unsupported("the initial value " + Sites.text(e), e);
		}
	}

	// ------------------------------------------------------------- evaluation

	/** A read or write of a field or list by a step, under a condition. */
	record Acc(String cond, String obj, EObject feature, boolean write) {
	}

	/** Something a step finds: its key (as {@link ModelChecker} names it), when, and whether the run ends there. */
	record Find(FindingKey key, String cond, boolean fatal) {
	}

	/** A lock, gate, completion or work: the owner (a term) and its candidates, and the declaration. */
	record Key(String obj, List<Integer> cands, EObject decl) {
	}

	/** A list: its owner (a term) and candidates, and the declaration. */
	record LRef(String owner, List<Integer> cands, ListField decl) {
	}

	/**
	 * Evaluation of one step of one thread at time {@code j} (or of an
	 * invariant: {@code plan == null}). Reads see the step's own earlier writes.
	 */
	final class Ev {
		final int j;
		final Plan plan;
		final Inst inst;
		final boolean inv;
		final Map<String, String> upd = new LinkedHashMap<>();
		final List<Acc> acc = new ArrayList<>();
		final List<Find> finds = new ArrayList<>();
		final Map<EObject, String> bound = new HashMap<>();
		String ok = "true";
		String guard = "true";

		Ev(int j, Plan plan, Inst inst, boolean inv) {
			this.j = j;
			this.plan = plan;
			this.inst = inst;
			this.inv = inv;
		}

		String read(String base) {
			String u = upd.get(base);
			if (u != null) {
				return u;
			}
			if (!vars.containsKey(base)) {
				throw new IllegalStateException("no state variable " + base);
			}
			return base + "@" + (written == null || written.contains(base) ? j : 0);
		}

		void write(String base, String term) {
			upd.put(base, term);
		}

		void writeIf(String cond, String base, String term) {
			write(base, ite(cond, term, read(base)));
		}

		void fault(String cond) {
			String c = and(guard, cond);
			if (c.equals("false")) {
				return;
			}
			finds.add(new Find(FindingKey.step(Obligation.SCENARIO_MEMORY, "use_after_free"), and(ok, c), true));
			ok = and(ok, not(c));
		}

		void access(String obj, EObject feature, boolean write) {
			if (!inv) {
				acc.add(new Acc(and(guard, ok), obj, feature, write));
			}
		}

		void find(Obligation ob, String subject, String cond, boolean fatal) {
			String c = and(ok, cond);
			if (!c.equals("false")) {
				finds.add(new Find(FindingKey.step(ob, subject), c, fatal));
			}
		}

		/** {@code base(c)} of the candidate {@code obj} stands for, as an if-then-else chain. */
		String select(String obj, List<Integer> cands, java.util.function.IntFunction<String> base) {
			if (cands.isEmpty()) {
				return ZERO;
			}
			String last = base.apply(cands.get(cands.size() - 1));
			String t = read(last);
			for (int i = cands.size() - 2; i >= 0; i--) {
				t = ite(eq(obj, lit(cands.get(i))), read(base.apply(cands.get(i))), t);
			}
			return share(t, vars.get(last).sort(), j);
		}

		String any(String obj, List<Integer> cands, java.util.function.IntFunction<String> cond) {
			List<String> xs = new ArrayList<>();
			for (int c : cands) {
				xs.add(and(eq(obj, lit(c)), cond.apply(c)));
			}
			return or(xs);
		}

		/** Writes {@code base(c) := value(c)} for the candidate {@code obj} stands for, when {@code cond}. */
		void update(String cond, String obj, List<Integer> cands, java.util.function.IntFunction<String> base,
				java.util.function.IntFunction<String> value) {
			for (int c : cands) {
				String when = and(cond, cands.size() == 1 ? "true" : eq(obj, lit(c)));
				if (!when.equals("false")) {
					writeIf(when, base.apply(c), value.apply(c));
				}
			}
		}

		String freedOf(String p, List<Integer> cands) {
			return share(any(p, cands, c -> read(freed(c))), "Bool", j);
		}

		String deref(String p, ObjectType type) {
			List<Integer> cands = ofType(type);
			fault(eq(p, NULL));
			if (!inv) {
				fault(freedOf(p, cands));
			}
			return p;
		}

		// ------------------------------------------------------------- values

		T eval(Expression e) {
			switch (e) {
			case IntLiteral i -> {
				return T.v(lit(i.getValue()));
			}
			case BoolLiteral b -> {
				return T.b(b.isValue() ? "true" : "false");
			}
			case NullLiteral n -> {
				return T.v(NULL);
			}
			case Unary u -> {
				T v = eval(u.getOperand());
				return switch (u.getOp()) {
				case "!" -> T.b(not(v.b()));
				case "-" -> T.v("(bvneg " + v.bv() + ")");
				default -> T.v("(bvnot " + v.bv() + ")");
				};
			}
			case Binary b -> {
				return binary(b);
			}
			case Quantified q -> {
				return quantified(q);
			}
			case BuiltinCall c -> {
				return builtin(c);
			}
			case VarRef v -> {
				return T.v(varRef(v));
			}
			case MemberAccess m -> {
				EObject f = m.getMember();
				String obj = deref(eval(m.getReceiver()).bv(), (ObjectType) f.eContainer());
				int fid = id(f);
				if (f instanceof Refcount) {
					return T.v(select(obj, owners(f), c -> rc(c, fid)));
				}
				access(obj, f, false);
				return T.v(select(obj, owners(f), c -> field(c, fid)));
			}
			default -> {
				return T.v(NULL);
			}
			}
		}

		private T binary(Binary b) {
			String op = b.getOp();
			if (op.equals("&&") || op.equals("||") || op.equals("==>")) {
				String l = eval(b.getLeft()).b();
				String saved = guard;
				guard = and(guard, op.equals("||") ? not(l) : l);
				String r = eval(b.getRight()).b();
				guard = saved;
				return T.b(switch (op) {
				case "&&" -> and(l, r);
				case "||" -> or(l, r);
				default -> or(not(l), r);
				});
			}
			T l = eval(b.getLeft());
			T r = eval(b.getRight());
			String x = l.bv();
			String y = r.bv();
			return switch (op) {
			case "==" -> T.b(l.bool() && r.bool() ? eq(l.s(), r.s()) : eq(x, y));
			case "!=" -> T.b(not(l.bool() && r.bool() ? eq(l.s(), r.s()) : eq(x, y)));
			case "<" -> T.b("(bvslt " + x + " " + y + ")");
			case "<=" -> T.b("(bvsle " + x + " " + y + ")");
			case ">" -> T.b("(bvsgt " + x + " " + y + ")");
			case ">=" -> T.b("(bvsge " + x + " " + y + ")");
			case "+" -> T.v("(bvadd " + x + " " + y + ")");
			case "-" -> T.v("(bvsub " + x + " " + y + ")");
			case "*" -> T.v("(bvmul " + x + " " + y + ")");
			case "/" -> T.v(ite(eq(y, ZERO), ZERO, "(bvsdiv " + x + " " + y + ")"));
			case "%" -> T.v(ite(eq(y, ZERO), ZERO, "(bvsrem " + x + " " + y + ")"));
			case "|" -> T.v("(bvor " + x + " " + y + ")");
			case "&" -> T.v("(bvand " + x + " " + y + ")");
			default -> T.b("false");
			};
		}

		private T quantified(Quantified q) {
			boolean forall = q.getQuantifier() == Quantifier.FORALL;
			String so = forall ? "true" : "false";
			String saved = guard;
			for (int c : ofType(q.getVariable().getType())) {
				String present = objs.get(c).slot() ? read(alloc(c)) : "true";
				guard = and(saved, present, forall ? so : not(so));
				bound.put(q.getVariable(), lit(c));
				String v = eval(q.getBody()).b();
				so = forall ? and(so, or(not(present), v)) : or(so, and(present, v));
			}
			bound.remove(q.getVariable());
			guard = saved;
			return T.b(so);
		}

		String varRef(VarRef v) {
			EObject d = v.getRef();
			if (d instanceof Const k) {
				return lit(k.getValue());
			}
			if (d instanceof EnumLiteral lit) {
				return lit(((EnumType) lit.eContainer()).getLiterals().indexOf(lit));
			}
			if (d instanceof Instance i) {
				return lit(instanceIds.get(i));
			}
			String q = bound.get(d);
			if (q != null) {
				return q;
			}
			String local = localVar(d);
			if (local != null) {
				return read(local);
			}
			if (d instanceof Field || d instanceof Ref) {
				access(lit(0), d, false);
				return read(field(0, id(d)));
			}
			return NULL;
		}

		/** The variable of a parameter, let or loop variable: in the innermost frame whose op declares it. */
		String localVar(EObject d) {
			if (!(d instanceof Param || d instanceof LetStmt || d instanceof ForStmt)) {
				return null;
			}
			for (Inst i = inst; i != null; i = i.parent) {
				if (i.declares(d)) {
					return i.local(d);
				}
			}
			return null;
		}

		/** The owner of a list expression, reporting the access. */
		LRef list(Expression e, boolean write) {
			if (e instanceof MemberAccess m && m.getMember() instanceof ListField l) {
				String owner = deref(eval(m.getReceiver()).bv(), (ObjectType) l.eContainer());
				access(owner, l, write);
				return new LRef(owner, owners(l), l);
			}
			if (e instanceof VarRef v && v.getRef() instanceof ListField l) {
				access(lit(0), l, write);
				return new LRef(lit(0), List.of(0), l);
			}
			throw new Unsupported("the list expression " + Sites.text(e), e);
		}

		String member(LRef l, String elem) {
			int fid = id(l.decl());
			List<Integer> elems = ofType(l.decl().getType());
			return share(any(l.owner(), l.cands(), o -> any(elem, elems, e -> "(bvsgt " + read(pos(o, fid, e)) + " " + ZERO + ")")),
					"Bool", j);
		}

		/** The first element of owner {@code o}'s list (or null). */
		String firstAt(int o, ListField l) {
			int fid = id(l);
			List<Integer> elems = ofType(l.getType());
			String t = NULL;
			for (int i = elems.size() - 1; i >= 0; i--) {
				int e = elems.get(i);
				String pe = read(pos(o, fid, e));
				List<String> conds = new ArrayList<>();
				conds.add("(bvsgt " + pe + " " + ZERO + ")");
				for (int x : elems) {
					if (x != e) {
						String px = read(pos(o, fid, x));
						conds.add(or(eq(px, ZERO), "(bvsgt " + px + " " + pe + ")"));
					}
				}
				t = ite(and(conds.toArray(String[]::new)), lit(e), t);
			}
			return share(t, BV, j);
		}

		/** The element after {@code cur} on owner {@code o}'s list (or null), {@code cur} being a member. */
		String nextAt(int o, ListField l, int cur) {
			int fid = id(l);
			List<Integer> elems = ofType(l.getType());
			String pc = read(pos(o, fid, cur));
			String t = NULL;
			for (int i = elems.size() - 1; i >= 0; i--) {
				int e = elems.get(i);
				if (e == cur) {
					continue;
				}
				String pe = read(pos(o, fid, e));
				List<String> conds = new ArrayList<>();
				conds.add("(bvsgt " + pe + " " + pc + ")");
				for (int x : elems) {
					if (x != e && x != cur) {
						String px = read(pos(o, fid, x));
						conds.add(or("(bvsle " + px + " " + pc + ")", "(bvsgt " + px + " " + pe + ")"));
					}
				}
				t = ite(and(conds.toArray(String[]::new)), lit(e), t);
			}
			return share(t, BV, j);
		}

		String first(LRef l) {
			return share(selectTerm(l.owner(), l.cands(), o -> firstAt(o, l.decl())), BV, j);
		}

		String selectTerm(String obj, List<Integer> cands, java.util.function.IntFunction<String> term) {
			String t = term.apply(cands.get(cands.size() - 1));
			for (int i = cands.size() - 2; i >= 0; i--) {
				t = ite(eq(obj, lit(cands.get(i))), term.apply(cands.get(i)), t);
			}
			return t;
		}

		/** The engine's {@code next}: a walk standing on {@code cur} follows its next pointer. */
		String next(String cur, LRef l) {
			String nonNull = not(eq(cur, NULL));
			access(l.owner(), l.decl(), false);
			List<Integer> elems = ofType(l.decl().getType());
			if (!inv) {
				fault(and(nonNull, freedOf(cur, elems)));
			}
			fault(and(nonNull, not(member(l, cur))));
			return share(ite(nonNull, selectTerm(l.owner(), l.cands(), o -> share(selectTerm(cur, elems,
					c -> nextAt(o, l.decl(), c)), BV, j)), NULL), BV, j);
		}

		T builtin(BuiltinCall c) {
			List<Expression> a = c.getArgs();
			switch (c.getFn()) {
			case FIRST -> {
				return T.v(first(list(a.get(0), false)));
			}
			case NEXT -> {
				String cur = eval(a.get(0)).bv();
				LRef l = list(a.get(1), false);
				String saved = guard;
				guard = and(guard, not(eq(cur, NULL)));
				String n = next(cur, l);
				guard = saved;
				return T.v(n);
			}
			case LINKED -> {
				String e = eval(a.get(0)).bv();
				LRef l = list(a.get(1), false);
				return T.b(and(not(eq(e, NULL)), member(l, e)));
			}
			case EMPTY -> {
				LRef l = list(a.get(0), false);
				int fid = id(l.decl());
				List<Integer> elems = ofType(l.decl().getType());
				return T.b(not(any(l.owner(), l.cands(), o -> or(elems.stream()
						.map(e -> "(bvsgt " + read(pos(o, fid, e)) + " " + ZERO + ")").toList()))));
			}
			case FREED -> {
				String v = eval(a.get(0)).bv();
				return T.b(and(not(eq(v, NULL)), freedOf(v, ofType(null))));
			}
			case KTHREAD_SHOULD_STOP -> {
				Key k = key(a.get(0));
				return T.b(eq(workPart(this, k, "s"), ONE));
			}
			case HELD -> {
				Key k = key(a.get(0));
				if (plan == null) {
					return T.b("false");
				}
				int kid = id(k.decl());
				return T.b("(bvsgt " + select(k.obj(), k.cands(), o -> held(plan.index, o, kid)) + " " + ZERO + ")");
			}
			}
			return T.b("false");
		}

		// -------------------------------------------------------------- locks

		Key key(Expression e) {
			if (e instanceof VarRef v) {
				return new Key(lit(0), List.of(0), v.getRef());
			}
			if (e instanceof MemberAccess m) {
				EObject d = m.getMember();
				String obj = deref(eval(m.getReceiver()).bv(), (ObjectType) d.eContainer());
				return new Key(obj, owners(d), d);
			}
			throw new Unsupported("the lock expression " + Sites.text(e), e);
		}

		String free(Key k) {
			int kid = id(k.decl());
			return selectTerm(k.obj(), k.cands(), o -> {
				List<String> xs = new ArrayList<>();
				xs.add(eq(read(writer(o, kid)), NULL));
				for (Plan p : plans) {
					xs.add(eq(read(readers(o, kid, p.index)), ZERO));
				}
				return and(xs.toArray(String[]::new));
			});
		}

		String acquirable(Key k, LockMode mode) {
			LockKind kind = ((Lock) k.decl()).getKind();
			if (!LockKinds.shared(kind, mode)) {
				return free(k);
			}
			int kid = id(k.decl());
			List<String> conds = new ArrayList<>();
			conds.add(eq(select(k.obj(), k.cands(), o -> writer(o, kid)), NULL));
			if (LockKinds.readerQueuesBehindWriters(kind, plan.context)) {
				// a writer waiting for this lock blocks new readers
				for (Plan other : plans) {
					if (other != plan) {
						conds.add(not(waitsToWrite(other, k)));
					}
				}
			}
			return and(conds.toArray(String[]::new));
		}

		private String waitsToWrite(Plan other, Key k) {
			List<String> xs = new ArrayList<>();
			for (Node n : other.nodes) {
				if (n.kind != Kind.STEP || !(n.step() instanceof Step.Acquire a) || a.mode() == LockMode.READ) {
					continue;
				}
				Ev probe = new Ev(j, other, n.inst, false);
				Key theirs = probe.key(a.lock());
				if (theirs.decl() != k.decl()) {
					continue;
				}
				xs.add(and(eq(read(pc(other.index)), cl(n.id)), probe.ok, eq(theirs.obj(), k.obj()), not(free(k))));
			}
			return or(xs);
		}

		String selfHeld(Key k, LockMode mode) {
			int kid = id(k.decl());
			String t = lit(plan.index);
			return or(eq(select(k.obj(), k.cands(), o -> writer(o, kid)), t), mode == LockMode.WRITE
					? "(bvsgt " + select(k.obj(), k.cands(), o -> readers(o, kid, plan.index)) + " " + ZERO + ")" : "false");
		}

		void take(String cond, Key k, LockMode mode, boolean irqsave) {
			boolean shared = LockKinds.shared(((Lock) k.decl()).getKind(), mode);
			int kid = id(k.decl());
			int t = plan.index;
			if (shared) {
				update(cond, k.obj(), k.cands(), o -> readers(o, kid, t), o -> add(read(readers(o, kid, t)), 1));
			} else {
				update(cond, k.obj(), k.cands(), o -> writer(o, kid), o -> lit(t));
			}
			update(cond, k.obj(), k.cands(), o -> held(t, o, kid), o -> add(read(held(t, o, kid)), 1));
			if (irqsave) {
				update(cond, k.obj(), k.cands(), o -> irqs(t, o, kid), o -> add(read(irqs(t, o, kid)), 1));
			}
		}

		void unlock(String cond, Key k) {
			int kid = id(k.decl());
			int t = plan.index;
			String h = "(bvsgt " + select(k.obj(), k.cands(), o -> held(t, o, kid)) + " " + ZERO + ")";
			find(Obligation.SCENARIO_HYGIENE, "stray", and(cond, not(h)), false);
			String when = and(cond, h);
			for (int o : k.cands()) {
				String w = and(when, k.cands().size() == 1 ? "true" : eq(k.obj(), lit(o)));
				if (w.equals("false")) {
					continue;
				}
				String mine = eq(read(writer(o, kid)), lit(t));
				String r = read(readers(o, kid, t));
				String hc = add(read(held(t, o, kid)), -1);
				writeIf(and(w, mine), writer(o, kid), NULL);
				writeIf(and(w, not(mine), "(bvsgt " + r + " " + ZERO + ")"), readers(o, kid, t), add(r, -1));
				writeIf(w, held(t, o, kid), hc);
				if (LockKinds.readersOnly(((Lock) k.decl()).getKind())) {
					// the reader left its outermost section: no grace period waits for it any more
					for (Plan waiter : plans) {
						writeIf(and(w, eq(hc, ZERO)), owed(o, kid, waiter.index, t), "false");
					}
				}
				// irqsave holds: at most as many as the holds left (the last hold taken goes first)
				String hi = read(irqs(t, o, kid));
				writeIf(and(w, "(bvsgt " + hi + " " + read(held(t, o, kid)) + ")"), irqs(t, o, kid), read(held(t, o, kid)));
			}
		}

		/** The engine's sleepCheck: {@code key == null} for drain and wait. */
		void sleepCheck(String cond, Key k) {
			boolean sleeping = k == null || LockKinds.sleeps(((Lock) k.decl()).getKind(), facts.preemptRt());
			if (!sleeping) {
				return;
			}
			List<String> why = new ArrayList<>();
			if (LockKinds.mayRunInInterrupt(plan.context)) {
				why.add("true");
			}
			LockKind taking = k == null ? null : ((Lock) k.decl()).getKind();
			for (Obj o : objs) {
				for (EObject f : features(o)) {
					if (f instanceof Lock l) {
						String h = "(bvsgt " + read(held(plan.index, o.id(), id(l))) + " " + ZERO + ")";
						// a spinning lock, or an RCU read section
						if (LockKinds.forbidsSleep(l.getKind(), facts.preemptRt(), taking)) {
							why.add(h);
						}
						why.add("(bvsgt " + read(irqs(plan.index, o.id(), id(l))) + " " + ZERO + ")");
					}
				}
			}
			find(Obligation.SCENARIO_SLEEP, "sleep", and(cond, or(why)), false);
		}

		/** A {@code return} (or a failed {@code enter}): the with blocks of the frame release their locks. */
		void unwind(String cond, Node at) {
			for (WithStmt w : at.src.unwind()) {
				unlock(cond, withKey(w, at.inst));
			}
		}

		/** The lock a {@code with} block of the frame took. */
		Key withKey(WithStmt w, Inst frame) {
			Expression e = w.getLock();
			if (e instanceof VarRef v) {
				return new Key(lit(0), List.of(0), v.getRef());
			}
			EObject d = ((MemberAccess) e).getMember();
			return new Key(read(frame.hidden("wk", w)), owners(d), d);
		}
	}

	// ------------------------------------------------------------------ steps

	/** One node's step at time j: when it can run, what it writes, finds and accesses, and the next pc. */
	record Transition(String enabled, Map<String, String> upd, List<Find> finds, List<Acc> acc, String pcNext,
			java.util.Set<String> reads) {
	}

	private static final java.util.regex.Pattern STATE_REF = java.util.regex.Pattern.compile("([a-z]+[0-9_]+)@\\d+");

	/** The state variables a step's terms read (its footprint, with its writes, for the partial-order constraint). */
	private java.util.Set<String> reads(List<String> terms) {
		java.util.Set<String> out = new java.util.HashSet<>();
		for (String t : terms) {
			java.util.regex.Matcher m = STATE_REF.matcher(t);
			while (m.find()) {
				java.util.Set<String> named = auxReads.get(m.group(1));
				if (named != null) {
					out.addAll(named);
				} else {
					out.add(m.group(1));
				}
			}
		}
		return out;
	}

	Transition compute(Plan p, Node n, int j) {
		Ev ev = new Ev(j, p, n.inst, false);
		String[] out = switch (n.kind) {
		case NOT_STARTED, DONE -> new String[] { "false", cl(n.next) };
		case RETURNS -> threadReturns(ev, p);
		case STEP -> step(ev, p, n);
		};
		String enabled = out[0];
		String pcNext = out[1];
		List<String> terms = new ArrayList<>(ev.upd.values());
		terms.add(enabled);
		terms.add(pcNext);
		ev.finds.forEach(f -> terms.add(f.cond()));
		ev.acc.forEach(a -> terms.add(a.cond() + " " + a.obj()));
		java.util.Set<String> r = reads(terms);
		r.add(pc(p.index));
		return new Transition(enabled, ev.upd, ev.finds, ev.acc, pcNext, r);
	}

	/** The thread's end: what it still holds is a finding; a kworker's run has ended. */
	private String[] threadReturns(Ev ev, Plan p) {
		if (p.pm != null) {
			pmSettle(ev, p, pmWorkerKey(p)); // the suspend callback returned: the device is suspended
		}
		if (p.work != null) {
			Key k = workOf(ev, p);
			ev.update("true", k.obj(), k.cands(), o -> work("r", o, id(p.work)), o -> ZERO);
			addToWork(ev, "true", k, "e", 1);
		}
		for (Obj o : objs) {
			for (EObject f : features(o)) {
				if (f instanceof Lock || f instanceof Gate) {
					ev.find(Obligation.SCENARIO_HYGIENE, "held",
							"(bvsgt " + ev.read(held(p.index, o.id(), id(f))) + " " + ZERO + ")", false);
				}
			}
			if (o.id() > 0) {
				ev.find(Obligation.SCENARIO_REFCOUNT, "leak", "(bvsgt " + ev.read(refs(p.index, o.id())) + " " + ZERO + ")",
						false);
			}
		}
		// the PM workqueue's kworker stands by again
		return new String[] { "true", cl(p.pm != null ? p.start : 1) };
	}

	private static EObject feature(Expression e) {
		return e instanceof MemberAccess m ? m.getMember() : ((VarRef) e).getRef();
	}

	private void forIter(Ev ev, Node n, ForStmt f, String ptr) {
		ev.writeIf(not(eq(ptr, NULL)), n.inst.local(f), ptr);
	}

	/** A step of an op: {enabled, next pc}. */
	private String[] step(Ev ev, Plan p, Node n) {
		String next = cl(n.next);
		String alt = cl(n.alt);
		switch (n.step()) {
		case Step.Acquire l -> {
			Key k = ev.key(l.lock());
			String acq = ev.acquirable(k, l.mode());
			String self = ev.selfHeld(k, l.mode());
			ev.find(Obligation.SCENARIO_HYGIENE, "AA", and(not(acq), self), true);
			ev.sleepCheck(acq, k);
			ev.take(acq, k, l.mode(), l.irqsave());
			if (l.scope() != null && !(l.lock() instanceof VarRef)) {
				ev.write(n.inst.hidden("wk", l.scope()), k.obj());
			}
			return new String[] { or(not(ev.ok), acq, self), next };
		}
		case Step.TryAcquire t -> {
			Key k = ev.key(t.lock());
			String acq = ev.acquirable(k, t.mode());
			ev.take(acq, k, t.mode(), t.irqsave());
			return new String[] { "true", ite(acq, next, alt) };
		}
		case Step.Release u -> {
			ev.unlock("true", ev.key(u.lock()));
			return new String[] { "true", next };
		}
		case Step.EndWith w -> {
			ev.unlock("true", ev.withKey(w.at(), n.inst));
			return new String[] { "true", next };
		}
		case Step.Branch b -> {
			return new String[] { "true", ite(ev.eval(b.cond()).b(), next, alt) };
		}
		case Step.Choose ch -> {
			String br = "br@" + ev.j;
			String pcn = cl(n.branches[n.branches.length - 1]);
			for (int b = n.branches.length - 2; b >= 0; b--) {
				pcn = ite(eq(br, cl(b)), cl(n.branches[b]), pcn);
			}
			// any value of the free branch variable picks a branch (the last takes the rest), so whether the
			// step is enabled does not depend on it
			return new String[] { "true", pcn };
		}
		case Step.Allocate a -> {
			int s = n.slot;
			ev.write(alloc(s), "true");
			for (Init in : a.value().getInits()) {
				if (in.getFeature() instanceof Field || in.getFeature() instanceof Ref) {
					ev.write(field(s, id(in.getFeature())), ev.eval(in.getValue()).bv());
				}
			}
			ev.write(n.inst.local(a.at()), lit(s));
			return new String[] { "true", next };
		}
		case Step.Bind b -> {
			ev.write(n.inst.local(b.at()), ev.eval(b.value()).bv());
			return new String[] { "true", next };
		}
		case Step.Store a -> {
			store(ev, a);
			return new String[] { "true", next };
		}
		case Step.ListAdd a -> {
			listAdd(ev, a);
			return new String[] { "true", next };
		}
		case Step.ListDel r -> {
			listDel(ev, r);
			return new String[] { "true", next };
		}
		case Step.ForFirst f -> {
			LRef l = ev.list(f.at().getList(), false);
			String first = ev.first(l);
			ev.write(n.inst.hidden("fo", f.at()), l.owner());
			forIter(ev, n, f.at(), first);
			return new String[] { "true", ite(eq(first, NULL), alt, next) };
		}
		case Step.ForAdvance f -> {
			ListField l = (ListField) feature(f.at().getList());
			String cur = ev.read(n.inst.local(f.at()));
			String nxt = ev.next(cur, new LRef(ev.read(n.inst.hidden("fo", f.at())), owners(l), l));
			forIter(ev, n, f.at(), nxt);
			return new String[] { "true", ite(eq(nxt, NULL), alt, next) };
		}
		case Step.RefGet g -> {
			refGet(ev, p, g);
			return new String[] { "true", next };
		}
		case Step.RefPut pu -> {
			String last = refPut(ev, p, pu);
			return new String[] { "true", pu.releases() ? ite(last, alt, next) : next };
		}
		case Step.RefPutUnlessLast pu -> {
			String notLast = refPutUnlessLast(ev, p, pu);
			return new String[] { "true", ite(notLast, next, alt) };
		}
		case Step.RefFree f -> {
			refFree(ev, f);
			return new String[] { "true", next };
		}
		case Step.GateEnter e -> {
			Key k = ev.key(e.gate());
			int gid = id(k.decl());
			String closedNow = ev.select(k.obj(), k.cands(), o -> closed(o, gid));
			ev.unwind(closedNow, n);
			ev.update(not(closedNow), k.obj(), k.cands(), o -> active(o, gid), o -> add(ev.read(active(o, gid)), 1));
			ev.update(not(closedNow), k.obj(), k.cands(), o -> held(p.index, o, gid),
					o -> add(ev.read(held(p.index, o, gid)), 1));
			return new String[] { "true", ite(closedNow, alt, next) };
		}
		case Step.GateLeave l -> {
			gateLeave(ev, p, l);
			return new String[] { "true", next };
		}
		case Step.GateClose d -> {
			Key k = ev.key(d.gate());
			int gid = id(k.decl());
			ev.sleepCheck("true", null);
			ev.update("true", k.obj(), k.cands(), o -> closed(o, gid), o -> "true");
			if (!(d.gate() instanceof VarRef)) {
				ev.write(n.inst.hidden("dk", d.at()), k.obj());
			}
			return new String[] { "true", next };
		}
		case Step.DrainWait d -> {
			EObject gate = feature(d.gate());
			int gid = id(gate);
			String obj = d.gate() instanceof VarRef ? lit(0) : ev.read(n.inst.hidden("dk", d.at()));
			return new String[] { eq(ev.select(obj, owners(gate), o -> active(o, gid)), ZERO), next };
		}
		case Step.MightSleep m -> {
			ev.sleepCheck("true", null);
			return new String[] { "true", next };
		}
		case Step.WaitUntil w -> {
			String c = ev.eval(w.cond()).b();
			ev.sleepCheck(c, null);
			return new String[] { or(not(ev.ok), c), next };
		}
		case Step.Complete c -> {
			Key k = ev.key(c.completion());
			int cid = id(k.decl());
			ev.update("true", k.obj(), k.cands(), o -> field(o, cid),
					o -> c.all() ? ALL_DONE : ite(eq(ev.read(field(o, cid)), ALL_DONE), ALL_DONE, add(ev.read(field(o, cid)), 1)));
			return new String[] { "true", next };
		}
		case Step.WaitCompletion w -> {
			Key k = ev.key(w.completion());
			int cid = id(k.decl());
			String count = ev.select(k.obj(), k.cands(), o -> field(o, cid));
			String isDone = "(bvsgt " + count + " " + ZERO + ")";
			ev.sleepCheck("true", null);
			ev.update(isDone, k.obj(), k.cands(), o -> field(o, cid),
					o -> ite(eq(ev.read(field(o, cid)), ALL_DONE), ALL_DONE, add(ev.read(field(o, cid)), -1)));
			// the forms that may give up go on without it
			return new String[] { w.mayGiveUp() ? "true" : or(not(ev.ok), isDone), next };
		}
		case Step.ReinitCompletion r -> {
			Key k = ev.key(r.completion());
			int cid = id(k.decl());
			ev.update("true", k.obj(), k.cands(), o -> field(o, cid), o -> lit(Completions.NOT_DONE));
			return new String[] { "true", next };
		}
		case Step.QueueWork q -> {
			Key k = ev.key(q.work());
			String queued = workPart(ev, k, "q");
			String pending = "(bvsgt " + queued + " (bvadd " + workPart(ev, k, "e") + " " + workPart(ev, k, "r") + "))";
			String queues = and(not(pending), eq(workPart(ev, k, "n"), ZERO));
			addToWork(ev, queues, k, "q", 1);
			if (q.kthread()) {
				int wid = id(k.decl());
				ev.update(queues, k.obj(), k.cands(), o -> work("s", o, wid), o -> ZERO);
			}
			Plan w = n.spawn;
			if (k.decl().eContainer() instanceof ObjectType) {
				ev.writeIf(queues, w.root.local(w.work.getOp().getParams().get(0)), k.obj());
			}
			ev.writeIf(queues, run(w.index), add(queued, 1));
			ev.writeIf(queues, pc(w.index), cl(w.start));
			return new String[] { "true", next };
		}
		case Step.FlushWork f -> {
			Key k = ev.key(f.work());
			String queued = workPart(ev, k, "q");
			ev.write(n.inst.hidden("fw", f.at()), ite("(bvsgt " + queued + " " + workPart(ev, k, "e") + ")", queued, ZERO));
			if (f.kind().waitSleeps(facts.preemptRt())) {
				ev.sleepCheck("true", null);
			}
			if (f.stop()) {
				int wid = id(k.decl());
				ev.update("true", k.obj(), k.cands(), o -> work("s", o, wid), o -> ONE);
			}
			if (f.cancel()) {
				cancelPending(ev, k);
				addToWork(ev, "true", k, "n", 1);
			}
			ev.write(n.inst.hidden("fk", f.at()), k.obj());
			return new String[] { "true", next };
		}
		case Step.WorkWait ww -> {
			EObject decl = feature(ww.work());
			String obj = ww.work() instanceof VarRef ? lit(0) : ev.read(n.inst.hidden("fk", ww.at()));
			Key k = new Key(obj, owners(decl), decl);
			String over = "(bvsge " + workPart(ev, k, "e") + " " + ev.read(n.inst.hidden("fw", ww.at())) + ")";
			if (ww.cancel()) {
				addToWork(ev, over, k, "n", -1);
			}
			return new String[] { over, next };
		}
		case Step.CancelWork c -> {
			cancelPending(ev, ev.key(c.work()));
			return new String[] { "true", next };
		}
		case Step.WorkBegin b -> {
			if (p.work != b.at()) {
				return new String[] { "false", next }; // only a kworker of this work starts here
			}
			Key k = workOf(ev, p);
			String run = ev.read(run(p.index));
			String mayBegin = and(eq(workPart(ev, k, "r"), ZERO), eq(workPart(ev, k, "e"), add(run, -1)));
			String cancelled = "(bvsle " + run + " " + workPart(ev, k, "c") + ")";
			ev.update(and(mayBegin, not(cancelled)), k.obj(), k.cands(), o -> work("r", o, id(p.work)), o -> ONE);
			// a cancelled run returns at once (its end, as every run's, is the kworker's return)
			return new String[] { mayBegin, ite(cancelled, cl(2), next) };
		}
		case Step.SrcuSync y -> {
			Key k = ev.key(y.srcu());
			int sid = id(k.decl());
			ev.sleepCheck("true", null);
			for (Plan reader : plans) {
				// waits for the readers inside now (itself too, if it is one), not for those that enter later
				ev.update("true", k.obj(), k.cands(), o -> owed(o, sid, p.index, reader.index),
						o -> "(bvsgt " + ev.read(readers(o, sid, reader.index)) + " " + ZERO + ")");
			}
			return new String[] { "true", next };
		}
		case Step.SrcuWait y -> {
			Key k = ev.key(y.srcu());
			int sid = id(k.decl());
			List<String> left = new ArrayList<>();
			for (Plan reader : plans) {
				left.add(not(ev.select(k.obj(), k.cands(), o -> owed(o, sid, p.index, reader.index))));
			}
			return new String[] { or(not(ev.ok), and(left.toArray(String[]::new))), next };
		}
		case Step.Call call -> {
			bindParams(ev, call.op(), call.args(), n.callee);
			return new String[] { "true", next };
		}
		case Step.Spawn q -> {
			bindParams(ev, q.op(), q.args(), n.spawn.root);
			ev.write(pc(n.spawn.index), cl(n.spawn.start));
			return new String[] { "true", next };
		}
		case Step.Assert a -> {
			String c = ev.eval(a.cond()).b();
			ev.find(Obligation.SCENARIO_INVARIANT, "assert@" + Sites.line(a.at()), not(c), false);
			return new String[] { "true", next };
		}
		case Step.Return r -> {
			ev.unwind("true", n);
			return new String[] { "true", next };
		}
		case Step.IrqControl i -> throw new Unsupported("a threaded irq", i.at()); // refused when planned
		case Step.IrqWait i -> throw new Unsupported("a threaded irq", i.at());
		case Step.FlushQueue f -> {
			Key q = ev.key(f.queue());
			ev.sleepCheck("true", null);
			for (Plan w : kworkersOn(q.decl())) {
				String at = ev.read(pc(w.index));
				String notEnded = and(not(eq(at, cl(0))), not(eq(at, cl(1))));
				// a queue of each object: the kworkers of that object's works
				String ofThisQueue = Workqueues.perObject((Lock) q.decl())
						? eq(ev.read(w.root.local(w.work.getOp().getParams().get(0))), q.obj()) : "true";
				ev.write(flushWaits(n.inst, f.at(), w), and(notEnded, ofThisQueue));
			}
			return new String[] { "true", next };
		}
		case Step.QueueWait qw -> {
			List<String> ended = new ArrayList<>();
			for (Plan w : kworkersOn(feature(qw.queue()))) {
				ended.add(or(not(ev.read(flushWaits(n.inst, qw.at(), w))), eq(ev.read(pc(w.index)), cl(1))));
			}
			return new String[] { and(ended.toArray(String[]::new)), next };
		}
		case Step.PmControl pm -> {
			return pmControl(ev, p, n, pm);
		}
		case Step.PmSettle pm -> {
			pmSettle(ev, p, ev.key(pm.pm()));
			return new String[] { "true", next };
		}
		case Step.PmBegin b -> {
			if (p.pm != b.at() || n.inst != p.root) {
				return new String[] { "false", next }; // only the PM workqueue's kworker of this device stands here
			}
			Key k = pmWorkerKey(p);
			String may = mayAutosuspend(ev, k);
			setPm(ev, may, k, RuntimePmState.Status.SUSPENDING, lit(p.index));
			return new String[] { may, next };
		}
		}
	}

	/**
	 * A runtime PM call ({@link RuntimePmState#on}): it waits while another's callback is under way, counts, and
	 * runs a callback itself (this thread goes into its inlined copy, and comes back to the settle step), or goes on
	 * past that step.
	 */
	private String[] pmControl(Ev ev, Plan p, Node n, Step.PmControl pm) {
		Key k = ev.key(pm.pm());
		String enabled = pmRead(ev, k, "e");
		String status = pmRead(ev, k, "s");
		String usage = pmRead(ev, k, "u");
		String busy = not(eq(pmRead(ev, k, "b"), NULL));
		String waits = "false";
		String runResume = "false";
		String runSuspend = "false";
		if (RuntimePmState.resumes(pm.call())) {
			waits = and(enabled, busy);
			runResume = and(enabled, not(busy), eq(status, pmStatus(RuntimePmState.Status.SUSPENDED)));
		} else if (RuntimePmState.suspends(pm.call())) {
			String toZero = and(enabled, not("(bvsgt " + usage + " " + ONE + ")"));
			String suspending = eq(status, pmStatus(RuntimePmState.Status.SUSPENDING));
			waits = and(toZero, suspending);
			runSuspend = and(toZero, eq(status, pmStatus(RuntimePmState.Status.ACTIVE)), not(busy));
		} else if (pm.call() == PmCall.BARRIER) {
			waits = busy;
		}
		if (RuntimePmState.waits(pm.call())) {
			ev.sleepCheck("true", null);
		}
		int pid = id(k.decl());
		if (RuntimePmState.takesCount(pm.call())) {
			ev.update("true", k.obj(), k.cands(), o -> pmPart("u", o, pid), o -> add(ev.read(pmPart("u", o, pid)), 1));
		} else if (RuntimePmState.dropsCount(pm.call())) {
			// never below zero (the kernel warns of an unbalanced put)
			ev.update("true", k.obj(), k.cands(), o -> pmPart("u", o, pid), o -> {
				String u = ev.read(pmPart("u", o, pid));
				return ite("(bvsgt " + u + " " + ZERO + ")", add(u, -1), ZERO);
			});
		}
		setPm(ev, runResume, k, RuntimePmState.Status.RESUMING, lit(p.index));
		setPm(ev, runSuspend, k, RuntimePmState.Status.SUSPENDING, lit(p.index));
		if (n.resume != null) {
			ev.write(n.resume.local(n.resume.op.getParams().get(0)), k.obj());
		}
		if (n.suspend != null) {
			ev.write(n.suspend.local(n.suspend.op.getParams().get(0)), k.obj());
		}
		String past = cl(p.nodes.get(n.next).next);
		String to = ite(runResume, cl(n.resumeAt), ite(runSuspend, cl(n.suspendAt), past));
		return new String[] { or(not(ev.ok), not(waits)), to };
	}

	/** Thread {@code p}'s callback returned ({@link RuntimePmState#settled}): active after a resume, suspended after a suspend. */
	private void pmSettle(Ev ev, Plan p, Key k) {
		String mine = eq(pmRead(ev, k, "b"), lit(p.index));
		int pid = id(k.decl());
		ev.update(mine, k.obj(), k.cands(), o -> pmPart("s", o, pid),
				o -> ite(eq(ev.read(pmPart("s", o, pid)), pmStatus(RuntimePmState.Status.RESUMING)),
						pmStatus(RuntimePmState.Status.ACTIVE), pmStatus(RuntimePmState.Status.SUSPENDED)));
		ev.update(mine, k.obj(), k.cands(), o -> pmPart("b", o, pid), o -> NULL);
	}

	/** Whether the PM workqueue may suspend the device now ({@link RuntimePmState#mayAutosuspend}). */
	private String mayAutosuspend(Ev ev, Key k) {
		return and(pmRead(ev, k, "e"), eq(pmRead(ev, k, "s"), pmStatus(RuntimePmState.Status.ACTIVE)),
				eq(pmRead(ev, k, "u"), ZERO), eq(pmRead(ev, k, "b"), NULL));
	}

	/** When {@code cond}: a callback of thread {@code by} begins, the status {@code status}. */
	private void setPm(Ev ev, String cond, Key k, RuntimePmState.Status status, String by) {
		int pid = id(k.decl());
		ev.update(cond, k.obj(), k.cands(), o -> pmPart("s", o, pid), o -> pmStatus(status));
		ev.update(cond, k.obj(), k.cands(), o -> pmPart("b", o, pid), o -> by);
	}

	private String pmRead(Ev ev, Key k, String what) {
		int pid = id(k.decl());
		return ev.select(k.obj(), k.cands(), o -> pmPart(what, o, pid));
	}

	/** The device whose PM workqueue's kworker {@code w} is. */
	private static Key pmWorkerKey(Plan w) {
		return new Key(lit(w.pmObj), List.of(w.pmObj), w.pm);
	}

	/** Part {@code part} of the state of work {@code k} ({@link #work}). */
	private String workPart(Ev ev, Key k, String part) {
		int wid = id(k.decl());
		return ev.select(k.obj(), k.cands(), o -> work(part, o, wid));
	}

	/** Adds {@code delta} to part {@code part} of the state of work {@code k}, when {@code cond}. */
	private void addToWork(Ev ev, String cond, Key k, String part, int delta) {
		int wid = id(k.decl());
		ev.update(cond, k.obj(), k.cands(), o -> work(part, o, wid), o -> add(ev.read(work(part, o, wid)), delta));
	}

	/** {@code cancel_work}: runs up to the one queued last are cancelled if they have not begun. */
	private void cancelPending(Ev ev, Key k) {
		int wid = id(k.decl());
		ev.update("true", k.obj(), k.cands(), o -> work("c", o, wid), o -> ev.read(work("q", o, wid)));
	}

	/** The work a kworker plan runs runs of: the object that holds it (its op's argument), or the globals. */
	private Key workOf(Ev ev, Plan p) {
		if (p.work.eContainer() instanceof ObjectType) {
			return new Key(ev.read(p.root.local(p.work.getOp().getParams().get(0))), owners(p.work), p.work);
		}
		return new Key(lit(0), List.of(0), p.work);
	}

	private void bindParams(Ev ev, Operation op, List<Expression> args, Inst frame) {
		List<String> values = new ArrayList<>();
		for (Expression a : args) {
			values.add(ev.eval(a).bv());
		}
		List<Param> params = op.getParams();
		for (int i = 0; i < params.size() && i < values.size(); i++) {
			ev.write(frame.local(params.get(i)), values.get(i));
		}
	}

	private void store(Ev ev, Step.Store a) {
		String v = ev.eval(a.value()).bv();
		Expression target = a.target();
		if (target instanceof VarRef vr && vr.getRef() instanceof LetStmt) {
			String local = ev.localVar(vr.getRef());
			if (local != null) {
				ev.write(local, v);
			}
		} else if (target instanceof VarRef vr && (vr.getRef() instanceof Field || vr.getRef() instanceof Ref)) {
			ev.access(lit(0), vr.getRef(), true);
			ev.write(field(0, id(vr.getRef())), v);
		} else if (target instanceof MemberAccess m) {
			EObject f = m.getMember();
			String obj = ev.deref(ev.eval(m.getReceiver()).bv(), (ObjectType) f.eContainer());
			ev.access(obj, f, true);
			int fid = id(f);
			ev.update("true", obj, owners(f), c -> field(c, fid), c -> v);
		} else {
			throw new Unsupported("the assignment to " + Sites.text(target), a.at());
		}
	}

	private void listAdd(Ev ev, Step.ListAdd a) {
		LRef l0 = listOf(a.list());
		String elem = ev.deref(ev.eval(a.elem()).bv(), l0.decl().getType());
		LRef l = ev.list(a.list(), true);
		ev.fault(ev.member(l, elem));
		int fid = id(l.decl());
		List<Integer> elems = ofType(l.decl().getType());
		for (int o : l.cands()) {
			String isO = l.cands().size() == 1 ? "true" : eq(l.owner(), lit(o));
			String cnt = add(ev.read(count(o, fid)), 1);
			for (int e : elems) {
				ev.writeIf(and(isO, eq(elem, lit(e))), pos(o, fid, e), cnt);
			}
			ev.writeIf(isO, count(o, fid), cnt);
		}
	}

	private void listDel(Ev ev, Step.ListDel r) {
		LRef l0 = listOf(r.list());
		String elem = ev.deref(ev.eval(r.elem()).bv(), l0.decl().getType());
		LRef l = ev.list(r.list(), true);
		ev.fault(not(ev.member(l, elem)));
		int fid = id(l.decl());
		for (int o : l.cands()) {
			String isO = l.cands().size() == 1 ? "true" : eq(l.owner(), lit(o));
			for (int e : ofType(l.decl().getType())) {
				ev.writeIf(and(isO, eq(elem, lit(e))), pos(o, fid, e), ZERO);
			}
		}
	}

	/** The refcount {@code rc} names: its object (a term), its id and the objects that may own it. */
	private record Rc(String obj, int fid, List<Integer> owners) {
	}

	private Rc rc(Ev ev, MemberAccess refcount) {
		EObject rcd = refcount.getMember();
		String obj = ev.deref(ev.eval(refcount.getReceiver()).bv(), (ObjectType) rcd.eContainer());
		return new Rc(obj, id(rcd), owners(rcd));
	}

	private void refGet(Ev ev, Plan p, Step.RefGet g) {
		Rc r = rc(ev, g.refcount());
		int t = p.index;
		ev.find(Obligation.SCENARIO_REFCOUNT, "get_at_zero", eq(ev.select(r.obj(), r.owners(), c -> rc(c, r.fid())), ZERO), true);
		ev.update("true", r.obj(), r.owners(), c -> rc(c, r.fid()), c -> add(ev.read(rc(c, r.fid())), 1));
		ev.update("true", r.obj(), r.owners(), c -> refs(t, c), c -> add(ev.read(refs(t, c)), 1));
	}

	/** One reference less; returns the condition that it was the last (the object is freed, unless a release op runs first). */
	private String refPut(Ev ev, Plan p, Step.RefPut pu) {
		Rc r = rc(ev, pu.refcount());
		String v = add(ev.select(r.obj(), r.owners(), c -> rc(c, r.fid())), -1);
		ev.find(Obligation.SCENARIO_REFCOUNT, "underflow", "(bvslt " + v + " " + ZERO + ")", true);
		drop(ev, p, "true", r);
		String last = eq(v, ZERO);
		if (!pu.releases()) {
			free(ev, last, r.obj(), r.owners());
		}
		return last;
	}

	/** {@code refcount_dec_not_one}: drops a reference unless it is the last; returns the condition that it did. */
	private String refPutUnlessLast(Ev ev, Plan p, Step.RefPutUnlessLast pu) {
		Rc r = rc(ev, pu.refcount());
		String notLast = "(bvsgt " + ev.select(r.obj(), r.owners(), c -> rc(c, r.fid())) + " " + lit(1) + ")";
		drop(ev, p, notLast, r);
		return notLast;
	}

	/** Where {@code when} holds: one reference less, of the thread's own too. */
	private void drop(Ev ev, Plan p, String when, Rc r) {
		int t = p.index;
		ev.update(when, r.obj(), r.owners(), c -> rc(c, r.fid()), c -> add(ev.read(rc(c, r.fid())), -1));
		ev.update(when, r.obj(), r.owners(), c -> refs(t, c), c -> add(ev.read(refs(t, c)), -1));
	}

	/** The release op of a last put returned: the object is freed. */
	private void refFree(Ev ev, Step.RefFree f) {
		Rc r = rc(ev, f.refcount());
		free(ev, "true", r.obj(), r.owners());
	}

	/** Frees the object where {@code when} holds; freeing it while it is still on a list is a finding. */
	private void free(Ev ev, String when, String obj, List<Integer> cands) {
		ev.find(Obligation.SCENARIO_REFCOUNT, "freed_linked", and(when, linkedAnywhere(ev, obj, cands)), false);
		ev.update(when, obj, cands, Bmc::freed, c -> "true");
	}

	private void gateLeave(Ev ev, Plan p, Step.GateLeave l) {
		Key k = ev.key(l.gate());
		int gid = id(k.decl());
		for (int o : k.cands()) {
			String isO = k.cands().size() == 1 ? "true" : eq(k.obj(), lit(o));
			String h = ev.read(held(p.index, o, gid));
			ev.writeIf(and(isO, "(bvsgt " + h + " " + ZERO + ")"), held(p.index, o, gid), add(h, -1));
			String a = ev.read(active(o, gid));
			ev.writeIf(isO, active(o, gid), ite("(bvsgt " + a + " " + ZERO + ")", add(a, -1), ZERO));
		}
	}

	private LRef listOf(Expression e) {
		EObject f = feature(e);
		if (!(f instanceof ListField l)) {
			throw new Unsupported("the list expression " + Sites.text(e), e);
		}
		return new LRef(null, owners(l), l);
	}

	/** Is the object {@code obj} stands for on any list of any object? (the engine's linkedWhere) */
	private String linkedAnywhere(Ev ev, String obj, List<Integer> cands) {
		List<String> xs = new ArrayList<>();
		for (Obj o : objs) {
			for (EObject f : features(o)) {
				if (f instanceof ListField l) {
					int fid = id(l);
					for (int e : ofType(l.getType())) {
						if (cands.contains(e)) {
							xs.add(and(eq(obj, lit(e)), "(bvsgt " + ev.read(pos(o.id(), fid, e)) + " " + ZERO + ")"));
						}
					}
				}
			}
		}
		return or(xs);
	}

	// ------------------------------------------------------------------ script

	/** What the formula names, for goals: finding keys by time step, and how to read a model. */
	static final class Unrolled {
		final StringBuilder smt = new StringBuilder();
		/** Per key, the Boolean names that say "found at this time" with the depth each stands for. */
		final Map<FindingKey, List<Map.Entry<Integer, String>>> findings = new LinkedHashMap<>();
		int steps;

		void found(FindingKey key, int depth, String name) {
			findings.computeIfAbsent(key, k -> new ArrayList<>()).add(Map.entry(depth, name));
		}
	}

	/** The formula of every run of up to {@code steps} steps, with the findings of every time. */
	Unrolled unroll(int steps) {
		if (written == null) {
			java.util.Set<String> w = new java.util.HashSet<>();
			for (Plan p : plans) {
				for (Node n : p.nodes) {
					w.addAll(compute(p, n, 0).upd().keySet());
				}
				w.add(pc(p.index));
			}
			written = w;
			stepCache.clear();
			// variables two threads touch: only they can make steps of different threads dependent
			Map<String, java.util.Set<Integer>> touchedBy = new HashMap<>();
			for (Plan p : plans) {
				for (Node n : p.nodes) {
					Transition st = compute(p, n, 0);
					for (String v : st.reads()) {
						touchedBy.computeIfAbsent(v, k -> new java.util.HashSet<>()).add(p.index);
					}
					for (String v : st.upd().keySet()) {
						touchedBy.computeIfAbsent(v, k -> new java.util.HashSet<>()).add(p.index);
					}
				}
				// every step moves its thread's program counter, which another thread's step may read (a
				// reader of an rwsem sees a writer that stands at the lock): a variable like any other
				touchedBy.computeIfAbsent(pc(p.index), k -> new java.util.HashSet<>()).add(p.index);
			}
			shared = new java.util.LinkedHashSet<>();
			touchedBy.forEach((v, ts) -> {
				if (ts.size() > 1) {
					shared.add(v);
				}
			});
			stepCache.clear();
			aux.setLength(0);
		}
		// each script defines its own shared subterms: steps are computed afresh for it
		stepCache.clear();
		aux.setLength(0);
		Unrolled u = new Unrolled();
		u.steps = steps;
		StringBuilder s = u.smt;
		for (Var v : vars.values()) {
			s.append("(declare-const ").append(v.base()).append("@0 ").append(v.sort()).append(")\n");
			s.append("(assert (= ").append(v.base()).append("@0 ").append(v.init()).append("))\n");
		}
		stateFindings(u, 0);
		for (int j = 0; j < steps; j++) {
			s.append("(assert (or (= sched@").append(j).append(' ').append(NONE).append(") (bvult sched@").append(j)
					.append(' ').append(cl(plans.size())).append(")))\n");
			if (j > 0) {
				s.append("(assert (=> (= sched@").append(j - 1).append(' ').append(NONE).append(") (= sched@").append(j)
						.append(' ').append(NONE).append(")))\n");
			}
			s.append("(assert (=> (not (= sched@").append(j).append(' ').append(NONE).append(")) real@").append(j)
					.append("))\n");
			Map<String, List<String[]>> updates = new LinkedHashMap<>();
			Map<FindingKey, List<String>> finds = new LinkedHashMap<>();
			List<String> fatal = new ArrayList<>();
			List<String> taken = new ArrayList<>();
			Map<String, List<String>> readBy = new LinkedHashMap<>();
			Map<String, List<String>> writtenBy = new LinkedHashMap<>();
			for (Plan p : plans) {
				for (Node n : p.nodes) {
					if (n.kind == Kind.NOT_STARTED || n.kind == Kind.DONE) {
						continue;
					}
					Transition st = transition(p, n, j);
					String g = "g" + p.index + "_" + n.id + "@" + j;
					s.append("(define-fun ").append(g).append(" () Bool (and (= sched@").append(j).append(' ')
							.append(cl(p.index)).append(") e").append(p.index).append('_').append(n.id).append('@').append(j)
							.append("))\n");
					taken.add(g);
					for (var e : st.upd().entrySet()) {
						updates.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(new String[] { g, e.getValue() });
					}
					updates.computeIfAbsent(pc(p.index), k -> new ArrayList<>()).add(new String[] { g, st.pcNext() });
					for (String v : st.reads()) {
						if (shared.contains(v)) {
							readBy.computeIfAbsent(v, k -> new ArrayList<>()).add(g);
						}
					}
					for (String v : st.upd().keySet()) {
						if (shared.contains(v)) {
							writtenBy.computeIfAbsent(v, k -> new ArrayList<>()).add(g);
						}
					}
					if (shared.contains(pc(p.index))) {
						writtenBy.computeIfAbsent(pc(p.index), k -> new ArrayList<>()).add(g);
					}
					for (Find f : st.finds()) {
						finds.computeIfAbsent(f.key(), k -> new ArrayList<>()).add(and(g, f.cond()));
						if (f.fatal()) {
							fatal.add(and(g, f.cond()));
						}
					}
				}
			}
			s.append("(assert (=> (not (= sched@").append(j).append(' ').append(NONE).append(")) ").append(or(taken))
					.append("))\n");
			s.append("(define-fun fatal@").append(j).append(" () Bool ").append(or(fatal)).append(")\n");
			partialOrder(s, j, readBy, writtenBy);
			for (var e : finds.entrySet()) {
				String name = "F" + u.findings.size() + "_" + Math.abs(e.getKey().toString().hashCode()) + "@" + j;
				s.append("(define-fun ").append(name).append(" () Bool ").append(or(e.getValue())).append(")\n");
				u.found(e.getKey(), j + 1, name);
			}
			for (Var v : vars.values()) {
				if (!written.contains(v.base())) {
					continue;
				}
				String cur = v.base() + "@" + j;
				String t = cur;
				List<String[]> ups = updates.getOrDefault(v.base(), List.of());
				for (int i = ups.size() - 1; i >= 0; i--) {
					t = ite(ups.get(i)[0], ups.get(i)[1], t);
				}
				s.append("(declare-const ").append(v.base()).append('@').append(j + 1).append(' ').append(v.sort())
						.append(")\n");
				s.append("(assert (= ").append(v.base()).append('@').append(j + 1).append(' ').append(t).append("))\n");
			}
			stateFindings(u, j + 1);
		}
		return u;
	}

	/**
	 * Partial-order reduction: two adjacent steps of different threads that touch
	 * no common variable (one writing it) commute, and reach the same state in
	 * the same number of steps in either order; of the two orders only the one
	 * with the lower thread first is kept. Every state stays reachable at the
	 * same depth, so shortest counterexamples and the longest run keep their
	 * lengths, while the solver has far fewer interleavings to refute.
	 */
	private void partialOrder(StringBuilder s, int j, Map<String, List<String>> readBy, Map<String, List<String>> writtenBy) {
		List<String> wr = new ArrayList<>();
		for (String v : shared) {
			String r = or(readBy.getOrDefault(v, List.of()));
			String w = or(writtenBy.getOrDefault(v, List.of()));
			if (!w.equals("false")) {
				s.append("(define-fun W").append(v).append('@').append(j).append(" () Bool ").append(w).append(")\n");
			}
			if (!r.equals("false")) {
				s.append("(define-fun R").append(v).append('@').append(j).append(" () Bool ").append(r).append(")\n");
			}
			wr.add(v + (w.equals("false") ? "" : "W") + (r.equals("false") ? "" : "R"));
		}
		footprints.put(j, wr);
		if (j == 0) {
			return;
		}
		List<String> dep = new ArrayList<>();
		for (String prev : footprints.get(j - 1)) {
			String v = prev.replaceAll("[WR]+$", "");
			boolean pw = prev.endsWith("WR") || prev.endsWith("W");
			boolean pr = prev.endsWith("R");
			String now = footprints.get(j).stream().filter(x -> x.replaceAll("[WR]+$", "").equals(v)).findFirst().orElse(v);
			boolean nw = now.endsWith("WR") || now.endsWith("W");
			boolean nr = now.endsWith("R");
			if (pw && (nr || nw)) {
				dep.add(and("W" + v + "@" + (j - 1), or(nr ? "R" + v + "@" + j : "false", nw ? "W" + v + "@" + j : "false")));
			}
			if (pr && nw) {
				dep.add(and("R" + v + "@" + (j - 1), "W" + v + "@" + j));
			}
		}
		s.append("(assert (=> (and (not (= sched@").append(j - 1).append(' ').append(NONE).append(")) (not (= sched@")
				.append(j).append(' ').append(NONE).append(")) (bvult sched@").append(j).append(" sched@").append(j - 1)
				.append(")) ").append(or(dep)).append("))\n");
	}

	private final Map<Integer, List<String>> footprints = new HashMap<>();

	/** Steps of the nodes at time j are computed once per time (state findings use their enabledness too). */
	private final Map<String, Transition> stepCache = new HashMap<>();

	private Transition transition(Plan p, Node n, int j) {
		return stepCache.computeIfAbsent(p.index + "_" + n.id + "@" + j, k -> compute(p, n, j));
	}

	/** Is state j reached, what can each thread do there, and what is wrong in it. */
	private void stateFindings(Unrolled u, int j) {
		StringBuilder s = u.smt;
		s.append("(declare-const sched@").append(j).append(' ').append(CV).append(")\n");
		s.append("(declare-const br@").append(j).append(' ').append(CV).append(")\n");
		s.append("(define-fun real@").append(j).append(" () Bool ").append(j == 0 ? "true"
				: "(and (not (= sched@" + (j - 1) + " " + NONE + ")) (not fatal@" + (j - 1) + "))").append(")\n");
		Map<Integer, List<String>> enabledBy = new HashMap<>();
		List<String> started = new ArrayList<>();
		for (Plan p : plans) {
			for (Node n : p.nodes) {
				if (n.kind != Kind.NOT_STARTED && n.kind != Kind.DONE) {
					transition(p, n, j);
				}
			}
		}
		flushAux(s);
		for (Plan p : plans) {
			List<String> any = new ArrayList<>();
			for (Node n : p.nodes) {
				if (n.kind == Kind.NOT_STARTED || n.kind == Kind.DONE) {
					continue;
				}
				Transition st = transition(p, n, j);
				String e = "e" + p.index + "_" + n.id + "@" + j;
				s.append("(define-fun ").append(e).append(" () Bool ")
						.append(and("(= " + pc(p.index) + "@" + j + " " + cl(n.id) + ")", st.enabled())).append(")\n");
				any.add(e);
			}
			enabledBy.put(p.index, any);
			// the PM workqueue's kworker standing by has nothing to do, or can go on: it is never a deadlocked thread
			started.add(and(not(eq(pc(p.index) + "@" + j, cl(0))), not(eq(pc(p.index) + "@" + j, cl(1))),
					p.pm != null ? not(eq(pc(p.index) + "@" + j, cl(p.start))) : "true"));
		}
		// deadlock: some started thread has not finished and no thread can move
		List<String> none = new ArrayList<>();
		for (Plan p : plans) {
			none.add(not(or(enabledBy.get(p.index))));
		}
		define(u, FindingKey.deadlock(), j, and("real@" + j, or(started), and(none.toArray(String[]::new))));
		// invariants (a lock invariant only while nobody holds its lock)
		for (Invariant inv : invariants) {
			Ev ev = new Ev(j, null, null, true);
			String holds = ev.eval(inv.getExpr()).b();
			flushAux(s);
			String failing = or(not(ev.ok), not(holds));
			if (inv.getUnder() != null) {
				List<String> anyHolds = new ArrayList<>();
				for (Plan p : plans) {
					for (Obj o : objs) {
						if (features(o).contains(inv.getUnder())) {
							anyHolds.add("(bvsgt " + held(p.index, o.id(), id(inv.getUnder())) + "@" + j + " " + ZERO + ")");
						}
					}
				}
				failing = and(failing, not(or(anyHolds)));
			}
			define(u, FindingKey.invariant(inv.getName()), j, and("real@" + j, failing));
		}
		// races: two threads about to access one plain field, one writing
		Map<FindingKey, List<String>> races = new LinkedHashMap<>();
		for (int a = 0; a < plans.size(); a++) {
			for (int b = a + 1; b < plans.size(); b++) {
				for (Node na : plans.get(a).nodes) {
					if (na.kind == Kind.NOT_STARTED || na.kind == Kind.DONE) {
						continue;
					}
					Transition sa = transition(plans.get(a), na, j);
					for (Node nb : plans.get(b).nodes) {
						if (nb.kind == Kind.NOT_STARTED || nb.kind == Kind.DONE) {
							continue;
						}
						Transition sb = transition(plans.get(b), nb, j);
						for (Acc p : sa.acc()) {
							for (Acc q : sb.acc()) {
								if (p.feature() != q.feature() || !(p.write() || q.write())
										|| p.feature() instanceof Field f && f.isAtomic()) {
									continue;
								}
								for (int o : owners(p.feature())) {
									String c = and("e" + a + "_" + na.id + "@" + j, "e" + b + "_" + nb.id + "@" + j, p.cond(),
											q.cond(), eq(p.obj(), lit(o)), eq(q.obj(), lit(o)));
									if (!c.equals("false")) {
										races.computeIfAbsent(FindingKey.race(location(o, p.feature())), k -> new ArrayList<>()).add(c);
									}
								}
							}
						}
					}
				}
			}
		}
		for (var e : races.entrySet()) {
			define(u, e.getKey(), j, and("real@" + j, or(e.getValue())));
		}
	}

	String location(int o, EObject feature) {
		return (o == 0 ? "" : objs.get(o).name() + ".") + NameOf.name(feature);
	}

	private void define(Unrolled u, FindingKey key, int j, String body) {
		if (body.equals("false")) {
			return;
		}
		String name = "S" + u.findings.size() + "_" + Math.abs(key.toString().hashCode()) + "@" + j;
		u.smt.append("(define-fun ").append(name).append(" () Bool ").append(body).append(")\n");
		u.found(key, j, name);
	}

	/** The thread that ran step {@code j} in a model, or -1. */
	static int scheduled(String model, int j) {
		java.util.regex.Matcher m = java.util.regex.Pattern
				.compile("\\(define-fun sched@" + j + " \\(\\) \\(_ BitVec 16\\)\\s+#x([0-9a-f]+)\\)").matcher(model);
		if (!m.find()) {
			return -1;
		}
		int v = Integer.parseInt(m.group(1), 16);
		return v == 0xffff ? -1 : v;
	}
}
