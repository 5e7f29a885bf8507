package org.lockspec.prover.mc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.eclipse.emf.ecore.EObject;
import org.lockspec.analysis.Sites;
import org.lockspec.analysis.SpecFacts;
import org.lockspec.analysis.semantics.Lowering;
import org.lockspec.analysis.semantics.OpGraph;
import org.lockspec.analysis.semantics.OpGraph.Node;
import org.lockspec.analysis.semantics.Step;
import org.lockspec.kernel.Completions;
import org.lockspec.kernel.GracePeriods;
import org.lockspec.kernel.IrqState;
import org.lockspec.kernel.LockKinds;
import org.lockspec.kernel.RuntimePmState;
import org.lockspec.kernel.WorkKind;
import org.lockspec.kernel.WorkState;
import org.lockspec.kernel.Workqueues;
import org.lockspec.model.*;
import org.lockspec.prover.mc.Heap.GateState;
import org.lockspec.prover.mc.Heap.LockState;
import org.lockspec.prover.mc.Heap.Obj;
import org.lockspec.prover.mc.Machine.*;
import org.lockspec.verdict.Obligation;
import org.lockspec.verdict.Trace;
import org.lockspec.typing.SpecType;
import org.lockspec.typing.SpecTypes;

/**
 * The scenario machine: the spec's own semantics, one atomic step per node of
 * the ops' graphs ({@link Lowering}); a thread stands at a node in each frame
 * of its call chain. Locks block as their kind does (a waiting writer blocks new rwsem
 * readers; rwlock readers are recursive), gates close when drained and make a
 * later {@code enter} fail (the op returns), {@code put} frees at zero, and list
 * walks read the live list, so a node unlinked under a walker poisons its
 * {@code next}.
 */
final class Engine {

	/** A read or write of a field or list a step makes. */
	record Access(int obj, EObject feature, boolean write) {
	}

	/**
	 * What a step did, for traces. Most steps are never shown, so the text and
	 * the call chain are made when asked for: {@code text} is a {@code String} or
	 * a {@code Supplier<String>}, {@code chain} the thread's frames, a list no
	 * later step changes (a step changes its own copy).
	 */
	static final class Event {
		private final int thread;
		private Object text;
		private final EObject stmt;
		private Object chain;
		private final boolean waits;
		/** What the step is to a replay, and which branch a choice took. */
		private final Trace.Kind kind;
		private final int choice;

		Event(int thread, Object text, EObject stmt, Object chain, boolean waits) {
			this(thread, text, stmt, chain, waits, Trace.Kind.STEP, 0);
		}

		Event(int thread, Object text, EObject stmt, Object chain, boolean waits, Trace.Kind kind, int choice) {
			this.thread = thread;
			this.text = text;
			this.stmt = stmt;
			this.chain = chain;
			this.waits = waits;
			this.kind = kind;
			this.choice = choice;
		}

		Trace.Kind kind() {
			return kind;
		}

		int choice() {
			return choice;
		}

		int thread() {
			return thread;
		}

		EObject stmt() {
			return stmt;
		}

		boolean waits() {
			return waits;
		}

		String text() {
			if (text instanceof java.util.function.Supplier<?> f) {
				text = f.get();
			}
			return (String) text;
		}

		String chain() {
			if (chain instanceof List<?> frames) {
				List<String> names = new ArrayList<>();
				for (Object f : frames) {
					names.add(((Frame) f).op().getName());
				}
				chain = String.join(" -> ", names);
			}
			return (String) chain;
		}
	}

	/** Something wrong a step did; {@code fatal} stops the run there (memory is corrupt). */
	record Finding(Obligation obligation, String subject, String message, EObject at, boolean fatal) {
	}

	/** {@code dataChanged}: the step changed what invariants read ({@link Ctx#dataChanged}); {@code state} null: the step would start a thread beyond {@link #MAX_THREADS}. */
	record Succ(Machine.State state, Event event, List<Access> accesses, List<Finding> findings, boolean dataChanged) {
	}

	/** Thrown while evaluating when the step is undefined (null dereference, use after free). */
	static final class Fault extends RuntimeException {
		private static final long serialVersionUID = 1L;
		final Obligation obligation;

		Fault(Obligation obligation, String message) {
			super(message, null, false, false);
			this.obligation = obligation;
		}
	}

	final Spec spec;
	final Scenario scenario;
	final SpecFacts facts;
	final List<Invariant> invariants;
	private final Map<EObject, Integer> instanceIds = new IdentityHashMap<>();
	/** Source texts and lines, read once per element: the node model walk is too slow for every step. */
	private final Map<EObject, String> texts = new IdentityHashMap<>();
	private final Map<EObject, Integer> lines = new IdentityHashMap<>();
	static final int MAX_THREADS = 8;
	/** The ops as graphs of steps: what a thread runs ({@link Lowering}, shared by every engine). */
	private final Lowering lowering;

	Engine(Spec spec, Scenario scenario, SpecFacts facts) {
		this(spec, scenario, facts, true);
	}

	/** {@code shortcuts}: false evaluates every quantifier the plain way ({@link Eval}), for comparison. */
	Engine(Spec spec, Scenario scenario, SpecFacts facts, boolean shortcuts) {
		this.spec = spec;
		this.scenario = scenario;
		this.facts = facts;
		this.lowering = facts.lowering();
		this.invariants = org.eclipse.xtext.EcoreUtil2.typeSelect(spec.getMembers(), Invariant.class);
		this.lockInvariants = invariants.stream().filter(i -> i.getUnder() != null).toList();
		this.invariantLocks = lockInvariants.stream().map(Invariant::getUnder).distinct().toArray(EObject[]::new);
		// object 0 holds the globals, then the instances in order (as initial() builds them)
		for (Instance i : scenario.getInstances()) {
			instanceIds.put(i, instanceIds.size() + 1);
		}
		this.eval = new Eval(this, instanceIds, shortcuts);
	}

	final Eval eval;

	/** {@link Sites#text}, cached: a statement's text is read for every step that runs it. */
	String text(EObject e) {
		if (e == null) {
			return Sites.text(null);
		}
		String t = texts.get(e);
		if (t == null) {
			t = Sites.text(e);
			texts.put(e, t);
		}
		return t;
	}

	/** {@link Sites#line}, cached. */
	int line(EObject e) {
		if (e == null) {
			return Sites.line(null);
		}
		Integer l = lines.get(e);
		if (l == null) {
			l = Sites.line(e);
			lines.put(e, l);
		}
		return l;
	}

	// ------------------------------------------------------------------ start

	Machine.State initial() {
		List<Obj> objects = new ArrayList<>();
		objects.add(new Obj(null, "<globals>", layout(spec)));
		for (Instance i : scenario.getInstances()) {
			objects.add(new Obj(i.getType(), i.getName(), layout(i.getType())));
		}
		Heap heap = new Heap(objects);
		Ctx init = new Ctx(heap, null, -1);
		for (Instance i : scenario.getInstances()) {
			Obj o = objects.get(instanceIds.get(i));
			for (Init in : i.getInits()) {
				o.fields[slot(in.getFeature())] = init.eval(in.getValue());
			}
			for (Expression list : i.getLists()) {
				if (list instanceof MemberAccess ma) {
					Object owner = init.eval(ma.getReceiver());
					if (owner instanceof Ptr r && !r.isNull()) {
						objects.get(r.id()).add(slot(ma.getMember()), instanceIds.get(i));
					}
				} else if (list instanceof VarRef v) {
					objects.get(0).add(slot(v.getRef()), instanceIds.get(i));
				}
			}
		}
		List<Machine.Thread> threads = new ArrayList<>();
		for (ScenarioThread t : scenario.getThreads()) {
			threads.add(start(t.getName(), t.getOp(), argumentValues(init, t.getArgs()), contextOf(t.getOp())));
		}
		// the PCI core enables runtime PM for its devices; the PM workqueue may suspend each at any time
		for (Instance i : scenario.getInstances()) {
			for (RuntimePm pm : org.eclipse.xtext.EcoreUtil2.typeSelect(i.getType().getFeatures(), RuntimePm.class)) {
				Key key = new Key(instanceIds.get(i), pm);
				Obj o = objects.get(key.obj());
				o.fields[slot(pm)] = ((RuntimePmState) o.fields[slot(pm)]).enable();
				if (pm.getSuspend() != null && !pm.getSuspend().eIsProxy()) {
					threads.add(startPmWorker(RuntimePmState.threadName(threads.size()), key, List.of(),
							Machine.Thread.NO_REFS));
				}
			}
		}
		return new Machine.State(heap, threads.toArray(Machine.Thread[]::new));
	}

	private static Context contextOf(Operation op) {
		return SpecFacts.entryContext(op);
	}

	private List<Object> argumentValues(Ctx c, List<Expression> args) {
		List<Object> values = new ArrayList<>();
		for (Expression a : args) {
			values.add(c.eval(a));
		}
		return values;
	}

	private Machine.Thread start(String name, Operation op, List<Object> args, Context context) {
		OpGraph g = lowering.graph(op);
		int[] pc = { g.start() };
		Object[][] slots = { new Object[g.slotCount()] };
		Object[][] envs = { params(op, args) };
		List<Frame> chain = List.of(new Frame(op, null));
		return new Machine.Thread(name, context, pc, slots, envs, chain, List.of(), Machine.Thread.NO_REFS, false);
	}

	/** Which run of which work a kworker runs: kept in its outermost frame, under the work's declaration. */
	record WorkRun(Key work, int run) {
	}

	/**
	 * A kworker for run {@code run} of a work: it starts at the work's {@link Step.WorkBegin} ({@link #atBegin}).
	 */
	private Machine.Thread startWork(String name, Key key, int run) {
		return atBegin(name, key, new WorkRun(key, run), List.of(), Machine.Thread.NO_REFS);
	}

	/** The run a kworker runs, or null for any other thread. */
	private static WorkRun workRun(Machine.Thread th) {
		return !th.chain().isEmpty() && th.chain().get(0).callSite() instanceof Work w && !w.isIrq() && th.envs().length > 0
				? (WorkRun) Vars.get(th.envs()[0], w)
				: null;
	}

	/** Whose thread an IRQ thread is: kept in its outermost frame, under the threaded irq's declaration. */
	record IrqThread(Key irq) {
	}

	/**
	 * The thread of a threaded irq ({@code irq/N-name}): it stands at the irq's {@link Step.WorkBegin} between
	 * runs ({@link #atBegin}). {@code held} and {@code refs}: what it kept from its last run (a finding already).
	 */
	private Machine.Thread startIrqThread(String name, Key key, List<Machine.Held> held, int[] refs) {
		return atBegin(name, key, new IrqThread(key), held, refs);
	}

	/**
	 * A thread at the {@link Step.WorkBegin} of a work, kthread or threaded irq {@code key} in its op, with the
	 * object that holds it as the op's argument; its outermost frame's call site is the declaration, under
	 * which the frame keeps {@code marker} (whose thread it is: {@link WorkRun}, {@link IrqThread}).
	 */
	private Machine.Thread atBegin(String name, Key key, Object marker, List<Machine.Held> held, int[] refs) {
		Work work = (Work) key.decl();
		Operation op = work.getOp();
		OpGraph g = lowering.graph(op);
		int[] pc = { g.workBegin(work) };
		Object[][] slots = { new Object[g.slotCount()] };
		List<Object> args = key.obj() == 0 ? List.of() : List.of(Ptr.of(key.obj()));
		Object[][] envs = { Vars.put(params(op, args), work, marker) };
		return new Machine.Thread(name, WorkKind.of(work).context, pc, slots, envs, List.of(new Frame(op, work)), held, refs,
				false);
	}

	/** Whose kworker a PM workqueue's kworker is: kept in its outermost frame, under the runtime PM's declaration. */
	record PmWorker(Key pm) {
	}

	/**
	 * The PM workqueue's kworker of a device ({@code pm_wq}): it stands at the runtime PM's {@link Step.PmBegin}
	 * in the suspend callback between suspends. {@code held} and {@code refs}: what it kept from its last run.
	 */
	private Machine.Thread startPmWorker(String name, Key key, List<Machine.Held> held, int[] refs) {
		RuntimePm pm = (RuntimePm) key.decl();
		Operation op = pm.getSuspend();
		OpGraph g = lowering.graph(op);
		int[] pc = { g.pmBegin(pm) };
		Object[][] slots = { new Object[g.slotCount()] };
		Object[][] envs = { Vars.put(params(op, List.of(Ptr.of(key.obj()))), pm, new PmWorker(key)) };
		return new Machine.Thread(name, Context.PROCESS, pc, slots, envs, List.of(new Frame(op, pm)), held, refs, false);
	}

	/** The device whose PM workqueue's kworker {@code th} is, or null for any other thread. */
	private static PmWorker pmWorker(Machine.Thread th) {
		return !th.chain().isEmpty() && th.chain().get(0).callSite() instanceof RuntimePm pm && th.envs().length > 0
				? (PmWorker) Vars.get(th.envs()[0], pm)
				: null;
	}

	/** What a device's runtime PM is in ({@link RuntimePmState}). */
	private RuntimePmState pmState(Heap heap, Key pm) {
		return (RuntimePmState) heap.get(pm.obj()).fields[slot(pm.decl())];
	}

	/** The irq whose thread {@code th} is, or null for any other thread. */
	private static IrqThread irqThread(Machine.Thread th) {
		return !th.chain().isEmpty() && th.chain().get(0).callSite() instanceof Work w && w.isIrq() && th.envs().length > 0
				? (IrqThread) Vars.get(th.envs()[0], w)
				: null;
	}

	/** What a threaded irq is in ({@link IrqState}). */
	private IrqState irqState(Heap heap, Key irq) {
		return (IrqState) heap.get(irq.obj()).fields[slot(irq.decl())];
	}

	/**
	 * Whether thread {@code t} is an IRQ thread waiting for an interrupt: between runs, not woken and not
	 * stopped; or the PM workqueue's kworker of a device with nothing to suspend. It has no step of its own to
	 * take, only the line's firing (another's put), which may never come; so it is no deadlocked thread, and a
	 * scenario whose other threads have ended is over ({@link ModelChecker}).
	 */
	boolean idleDaemon(Machine.State s, int t) {
		Machine.Thread th = s.threadArray()[t];
		PmWorker pm = th.done() ? null : pmWorker(th);
		if (pm != null) {
			return nextStep(th) instanceof Step.PmBegin && !pmState(s.heap(), pm.pm()).mayAutosuspend();
		}
		IrqThread irq = th.done() ? null : irqThread(th);
		if (irq == null || !(nextStep(th) instanceof Step.WorkBegin)) {
			return false;
		}
		IrqState q = irqState(s.heap(), irq.irq());
		return !q.woken() && !q.exits();
	}

	/** Whether thread {@code t} is the thread of a threaded irq, and has not ended. */
	boolean irqThread(Machine.State s, int t) {
		return !s.threadArray()[t].done() && irqThread(s.threadArray()[t]) != null;
	}

	/**
	 * Set when a step would have started a thread beyond {@link #MAX_THREADS}: that step has no successor (a
	 * {@link Succ} without a state: the thread can go on, so the state is no deadlock, but the search does not
	 * follow it), and the search says it did not cover the scenario (undecided), never proved.
	 */
	volatile boolean threadsCapped;

	/** The node thread {@code th} stands at (it has a frame, and stands inside its innermost op). */
	private Node node(Machine.Thread th) {
		int top = th.pc().length - 1;
		return lowering.graph(th.chain().get(top).op()).node(th.pc()[top]);
	}

	/** The step a thread waits at if it cannot go on (a lock, a drain), or null: done, or at its return. */
	private Step nextStep(Machine.Thread th0) {
		Machine.Thread th = normalise(th0);
		return th.done() || th.returned() ? null : node(th).step();
	}

	/** An op's frame on entry: its parameters bound to the arguments. */
	private static Object[] params(Operation op, List<Object> args) {
		Object[] vars = Vars.NONE;
		for (int i = 0; i < op.getParams().size() && i < args.size(); i++) {
			vars = Vars.put(vars, op.getParams().get(i), args.get(i));
		}
		return vars;
	}

	private final Map<EObject, Heap.Layout> layouts = new IdentityHashMap<>();
	/** Where an srcu keeps its grace periods ({@link GracePeriods}): a field slot beside its lock slot. */
	private final Map<EObject, Integer> gracePeriodSlots = new IdentityHashMap<>();
	/** Where a workqueue keeps what it is in ({@link Workqueues}): a field slot beside its lock slot. */
	private final Map<EObject, Integer> queueSlots = new IdentityHashMap<>();
	private final Map<EObject, Integer> slots = new IdentityHashMap<>();

	/** The layout of the objects of a type, or of the globals of a spec. */
	Heap.Layout layout(EObject owner) {
		Heap.Layout l = layouts.get(owner);
		if (l == null) {
			List<EObject> fields = new ArrayList<>();
			List<Object> defaults = new ArrayList<>();
			List<EObject> lists = new ArrayList<>();
			List<EObject> locks = new ArrayList<>();
			List<EObject> gates = new ArrayList<>();
			List<EObject> refcounts = new ArrayList<>();
			List<? extends EObject> decls = owner instanceof ObjectType t ? t.getFeatures() : ((Spec) owner).getMembers();
			for (EObject d : decls) {
				switch (d) {
				case Field f -> {
					place(f, fields);
					defaults.add(defaultValue(f));
				}
				case Ref r -> {
					place(r, fields);
					defaults.add(Ptr.NULL);
				}
				case ListField f -> place(f, lists);
				case Lock f -> {
					place(f, locks);
					if (LockKinds.readersOnly(f.getKind())) {
						gracePeriodSlots.put(f, fields.size()); // an srcu's grace periods under way
						fields.add(f);
						defaults.add(GracePeriods.NONE);
					} else if (Workqueues.isWorkqueue(f.getKind())) {
						queueSlots.put(f, fields.size()); // a workqueue's drains, and whether it is destroyed
						fields.add(f);
						defaults.add(Workqueues.ALIVE);
					}
				}
				case Gate f -> place(f, gates);
				case Completion f -> {
					place(f, fields); // its done count
					defaults.add(Completions.NOT_DONE);
				}
				case Work f -> {
					place(f, fields);
					defaults.add(f.isIrq() ? IrqState.FREE : WorkState.IDLE);
				}
				case RuntimePm f -> {
					place(f, fields); // enabled for a scenario's instances (initial())
					defaults.add(RuntimePmState.DISABLED);
				}
				case Refcount f -> place(f, refcounts);
				default -> {
				}
				}
			}
			l = new Heap.Layout(fields, defaults, lists, locks, gates, refcounts);
			layouts.put(owner, l);
		}
		return l;
	}

	/** Gives {@code decl} the next slot of its kind. */
	private void place(EObject decl, List<EObject> kind) {
		slots.put(decl, kind.size());
		kind.add(decl);
	}

	/** The slot of a feature (field, ref, list, lock, gate, refcount) in its owner's {@link #layout}. */
	int slot(EObject decl) {
		Integer s = slots.get(decl);
		if (s == null) {
			layout(decl.eContainer());
			s = slots.get(decl);
		}
		return s;
	}

	private static Object defaultValue(Field f) {
		SpecType t = SpecTypes.of(f.getType());
		return t.kind() == SpecType.Kind.BOOL ? Boolean.FALSE : Long.valueOf(0);
	}

	// ------------------------------------------------------------------- steps

	/** The steps thread {@code t} can take in {@code s}; empty if it is blocked or done. */
	List<Succ> successors(Machine.State s, int t) {
		Machine.Thread th = s.threadArray()[t];
		if (th.done()) {
			return List.of();
		}
		Machine.Thread norm = normalise(th);
		if (norm.returned()) {
			Ctx c = new Ctx(s.heap(), norm, t);
			c.returnFindings(s);
			WorkRun run = workRun(th);
			if (run != null) {
				// a kworker's return ends its run
				c.write(run.work().obj()).fields[slot(run.work().decl())] = c.workState(run.work()).end();
			}
			IrqThread irq = irqThread(th);
			if (irq != null && irqState(s.heap(), irq.irq()).running()) {
				return irqRunEnds(s, t, norm, irq.irq());
			}
			PmWorker pm = pmWorker(th);
			if (pm != null) {
				// the suspend callback returned: the device is suspended, and the kworker stands by again
				c.write(pm.pm().obj()).fields[slot(pm.pm().decl())] = pmState(s.heap(), pm.pm()).settled(t);
				return List.of(c.finish(s, startPmWorker(norm.name(), pm.pm(), norm.held(), norm.refs()), new Event(t,
						"returns: " + keyName(s.heap(), pm.pm()) + " is suspended", null, norm.chain(), false,
						Trace.Kind.RETURN, 0)));
			}
			return List.of(c.finish(s, norm.finished(), new Event(t, "returns", null, norm.chain(), false, Trace.Kind.RETURN, 0)));
		}
		Node n = node(norm);
		Ctx c = new Ctx(s.heap(), norm, t);
		try {
			return c.exec(s, n);
		} catch (Fault fault) {
			return List.of(c.fault(s, fault, n.step().at()));
		}
	}

	/**
	 * An IRQ thread's return from its function: the run ends, and the thread waits for the next interrupt at
	 * the irq's {@link Step.WorkBegin}; or, if the line could fire during the run, it may have, and the thread is
	 * woken at once (IRQTF_RUNTHREAD set again): two outcomes ({@link Trace.Kind#RUN_ENDS},
	 * {@link Trace.Kind#RUN_ENDS_WOKEN}), which a replay takes as a choice.
	 */
	private List<Succ> irqRunEnds(Machine.State s, int t, Machine.Thread norm, Key irq) {
		IrqState q = irqState(s.heap(), irq);
		List<Succ> out = new ArrayList<>(2);
		for (boolean again : q.mayRunAgain() ? new boolean[] { false, true } : new boolean[] { false }) {
			Ctx c = new Ctx(s.heap(), norm, t);
			c.returnFindings(s);
			c.write(irq.obj()).fields[slot(irq.decl())] = q.end(again);
			String text = !q.mayRunAgain() ? "returns" : again
					? "returns; " + keyName(s.heap(), irq) + " fired during the run: its thread is woken again"
					: "returns (no interrupt during the run)";
			Trace.Kind kind = !q.mayRunAgain() ? Trace.Kind.RETURN : again ? Trace.Kind.RUN_ENDS_WOKEN : Trace.Kind.RUN_ENDS;
			out.add(c.finish(s, startIrqThread(norm.name(), irq, norm.held(), norm.refs()),
					new Event(t, text, null, norm.chain(), false, kind, 0)));
		}
		return out;
	}

	/**
	 * The state after thread {@code t}'s next step in {@code s} if that step is
	 * thread-local; null if it is not. Thread-local: a {@code let} or an
	 * assignment of a {@code let} variable, an {@code if}, or a {@code while}
	 * test, on an expression of the thread's own variables, constants and
	 * literals only. Such a step reads and writes nothing another thread can
	 * see or be held up by, is always enabled, has one outcome and cannot fail;
	 * so running it at once, before any other thread's step, loses no state in
	 * which no thread has such a step pending (the search's reduction,
	 * {@link ModelChecker}). Two more conditions, checked on the step made:
	 * <ul>
	 * <li>it must not bring the thread to a {@code lock} or {@code with}: a
	 * writer waiting for a rwsem holds up new readers ({@code waitsToWrite}),
	 * so where a thread stands at a lock is seen by the others;</li>
	 * <li>what the syntax promises: nothing but the thread's own place and
	 * variables changed, no access, no finding.</li>
	 * </ul>
	 */
	Machine.State localStep(Machine.State s, int t) {
		Machine.Thread[] ts = s.threadArray();
		if (!localNext(ts[t])) {
			return null;
		}
		List<Succ> succs = successors(s, t);
		if (succs.size() != 1) {
			return null;
		}
		Succ x = succs.get(0);
		Machine.State n = x.state();
		if (!x.findings().isEmpty() || !x.accesses().isEmpty() || x.dataChanged() || n.heap() != s.heap()
				|| n.threadCount() != ts.length || atLock(n.threadArray()[t])) {
			return null;
		}
		for (int o = 0; o < ts.length; o++) {
			if (o != t && n.threadArray()[o] != ts[o]) {
				return null;
			}
		}
		return n;
	}

	/** Whether the next step of thread {@code th} is thread-local by its syntax ({@link #localStep}). */
	private boolean localNext(Machine.Thread th) {
		Step next = nextStep(th);
		return next != null && localSteps.computeIfAbsent(next, Engine::local);
	}

	/** Whether thread {@code th} stands at a lock (where others may see it wait). */
	private boolean atLock(Machine.Thread th) {
		return nextStep(th) instanceof Step.Acquire;
	}

	private final Map<Step, Boolean> localSteps = new IdentityHashMap<>();

	private static boolean local(Step step) {
		return switch (step) {
		case Step.Bind b -> pure(b.value());
		case Step.Store a -> a.target() instanceof VarRef v && v.getRef() instanceof LetStmt && pure(a.value());
		case Step.Branch b -> pure(b.cond());
		default -> false;
		};
	}

	/** An expression of literals, constants, instances and the thread's own variables. */
	private static boolean pure(Expression e) {
		return switch (e) {
		case IntLiteral i -> true;
		case BoolLiteral b -> true;
		case NullLiteral n -> true;
		case Unary u -> pure(u.getOperand());
		case Binary b -> pure(b.getLeft()) && pure(b.getRight());
		case VarRef v -> v.getRef() instanceof Const || v.getRef() instanceof EnumLiteral || v.getRef() instanceof Instance
				|| v.getRef() instanceof LetStmt || v.getRef() instanceof Param || v.getRef() instanceof ForStmt;
		default -> false;
		};
	}

	/**
	 * Takes the frames a thread has left (at {@link OpGraph#EXIT}) off its
	 * chain. Depends on the thread alone, so it is kept with the thread (a
	 * thread that does not move is in many states).
	 */
	private static Machine.Thread normalise(Machine.Thread th) {
		Machine.Thread n = th.normalised;
		if (n == null) {
			n = th;
			while (!n.returned() && n.pc()[n.pc().length - 1] == OpGraph.EXIT) {
				n = n.popped();
			}
			th.normalised = n;
			n.normalised = n;
		}
		return n;
	}

	/**
	 * A lock statement's text, with the instance it takes where the text names another ({@code lock dev.dev_lock
	 * (pf.dev_lock)}): a scenario's trace says which object's lock, not only which variable's.
	 */
	String lockText(Statement st, Expression lock, Heap heap, Key key) {
		String text = text(st);
		String instance = keyName(heap, key);
		return Sites.text(lock).equals(instance) ? text : text + " (" + instance + ")";
	}

	/** What a blocked thread waits for, for deadlock reports. */
	String blockedOn(Machine.State s, int t) {
		Machine.Thread th = normalise(s.threadArray()[t]);
		if (th.returned()) {
			return "returns";
		}
		Step step = node(th).step();
		if (step instanceof Step.Acquire a) {
			try {
				return lockText(a.at(), a.lock(), s.heap(), new Ctx(s.heap(), th, t).key(a.lock()));
			} catch (Fault f) {
				return text(a.at());
			}
		}
		if (step instanceof Step.WaitCompletion w) {
			return text(w.at()) + " (not completed)";
		}
		if (step instanceof Step.WorkWait w) {
			WorkRun wait = (WorkRun) new Ctx(s.heap(), th, t).kept(node(th));
			return text(w.at()) + " (run " + wait.run() + " of " + keyName(s.heap(), wait.work()) + " has not ended)";
		}
		if (step instanceof Step.SrcuWait y) {
			Ctx c = new Ctx(s.heap(), th, t);
			return text(y.at()) + " (readers still inside: " + threadNames(s, c.gracePeriods(c.key(y.srcu())).owed(t)) + ")";
		}
		if (step instanceof Step.IrqWait w) {
			Key irq = new Ctx(s.heap(), th, t).key(w.irq());
			return text(w.at()) + " (the IRQ thread of " + keyName(s.heap(), irq)
					+ (w.exit() ? " has not exited)" : " is running or woken)");
		}
		if (step instanceof Step.WorkBegin && irqThread(th) != null) {
			return "waits for an interrupt of " + keyName(s.heap(), irqThread(th).irq());
		}
		if (step instanceof Step.PmControl p) {
			Key pm = new Ctx(s.heap(), th, t).key(p.pm());
			RuntimePmState state = pmState(s.heap(), pm);
			return text(p.at()) + " (the " + (state.status() == RuntimePmState.Status.RESUMING ? "resume" : "suspend")
					+ " callback of " + keyName(s.heap(), pm) + " is under way on "
					+ (state.by() == t ? "this thread itself" : s.threadArray()[state.by()].name()) + ")";
		}
		if (step instanceof Step.WorkBegin) {
			WorkRun run = workRun(th);
			Key queue = queueOf(run.work());
			return "run " + run.run() + " of " + keyName(s.heap(), run.work()) + (orderedAhead(s, t, run).isEmpty()
					? " waits for the run before it to end"
					: " waits for the works queued before it on the ordered workqueue " + keyName(s.heap(), queue));
		}
		if (step instanceof Step.QueueWait w) {
			QueueFlush f = (QueueFlush) new Ctx(s.heap(), th, t).kept(node(th));
			return text(w.at()) + " (" + (f.drain() ? "works still on " + keyName(s.heap(), f.queue())
					: "runs not ended") + ": " + threadNames(s, mask(queueWaitsFor(s, f))) + ")";
		}
		if (step instanceof Step.DrainWait) {
			Key gate = (Key) new Ctx(s.heap(), th, t).kept(node(th));
			return "drain " + keyName(s.heap(), gate) + " (" + gate(s.heap(), gate).active() + " still inside)";
		}
		return text(step.at());
	}

	/**
	 * The threads a blocked thread waits for, when it waits for a lock, a gate or a completion: those that hold
	 * it (the drain of a gate waits for those inside), for a read of an rwsem the writers queued for it, and for
	 * a completion those that may still complete one of its class ({@link #mayComplete}). Null when it waits for
	 * something else (a condition), which no lock order can explain.
	 */
	List<Integer> waitsFor(Machine.State s, int t) {
		Machine.Thread th = normalise(s.threadArray()[t]);
		if (th.returned()) {
			return null;
		}
		Ctx c = new Ctx(s.heap(), th, t);
		Key key;
		boolean read = false;
		Step step = node(th).step();
		if (step instanceof Step.WaitCompletion w) {
			EObject completion = Eval.feature(w.completion());
			List<Integer> completers = new ArrayList<>();
			for (int o = 0; o < s.threadCount(); o++) {
				if (o != t && mayComplete(s.threadArray()[o], completion) && !waitsForOneOf(s.threadArray()[o], completion)) {
					completers.add(o);
				}
			}
			return completers;
		}
		if (step instanceof Step.WorkWait) {
			WorkRun wait = (WorkRun) c.kept(node(th));
			return kworkers(s, wait.work(), wait.run());
		}
		if (step instanceof Step.IrqWait w) {
			return irqThreads(s, c.key(w.irq()));
		}
		if (step instanceof Step.SrcuWait y) {
			List<Integer> readers = new ArrayList<>();
			int owed = c.gracePeriods(c.key(y.srcu())).owed(t);
			for (int o = 0; o < s.threadCount(); o++) {
				if ((owed & 1 << o) != 0) {
					readers.add(o); // a reader synchronizing its own srcu waits for itself
				}
			}
			return readers;
		}
		if (step instanceof Step.WorkBegin && irqThread(th) != null) {
			return null; // an interrupt, which no lock order can explain
		}
		if (step instanceof Step.PmControl p) {
			int by = pmState(s.heap(), c.key(p.pm())).by();
			return by < 0 ? List.of() : List.of(by); // the thread that runs the callback under way
		}
		if (step instanceof Step.PmBegin) {
			return null; // a device to suspend, which no lock order can explain
		}
		if (step instanceof Step.WorkBegin) {
			WorkRun run = workRun(th);
			List<Integer> ahead = new ArrayList<>(kworkers(s, run.work(), run.run() - 1));
			ahead.addAll(orderedAhead(s, t, run));
			return ahead;
		}
		if (step instanceof Step.QueueWait) {
			return queueWaitsFor(s, (QueueFlush) c.kept(node(th)));
		}
		if (step instanceof Step.DrainWait) {
			key = (Key) c.kept(node(th));
		} else if (step instanceof Step.Acquire a) {
			try {
				key = c.key(a.lock());
			} catch (Fault f) {
				return null;
			}
			read = a.mode() == LockMode.READ;
		} else {
			return null;
		}
		List<Integer> holders = new ArrayList<>();
		for (int o = 0; o < s.threadCount(); o++) {
			if (o == t) {
				continue;
			}
			Machine.Thread other = s.threadArray()[o];
			boolean holds = other.held().stream().anyMatch(h -> h.key().equals(key));
			boolean queuedWriter = read && !holds && c.waitsToWrite(s, o, key);
			if (holds || queuedWriter) {
				holders.add(o);
			}
		}
		return holders;
	}

	/**
	 * The kworkers of runs up to {@code run} of a work that have not ended: whom a flush of that run waits for
	 * (a kworker flushing its own run waits for itself).
	 */
	private static List<Integer> kworkers(Machine.State s, Key work, int run) {
		List<Integer> out = new ArrayList<>();
		for (int o = 0; o < s.threadCount(); o++) {
			WorkRun r = s.threadArray()[o].done() ? null : workRun(s.threadArray()[o]);
			if (r != null && r.work().equals(work) && r.run() <= run) {
				out.add(o);
			}
		}
		return out;
	}

	/** The workqueue the runs of {@code work} run on: a global one, or the one of the work's object; null if none (or no work). */
	private static Key queueOf(Key work) {
		Lock queue = work != null && work.decl() instanceof Work w ? w.getQueue() : null;
		return queue == null ? null : new Key(Workqueues.perObject(queue) ? work.obj() : 0, queue);
	}

	/** The kworkers of runs on {@code queue} that have not ended: whom a flush or a drain of the queue waits for. */
	private static List<Integer> queueKworkers(Machine.State s, Key queue) {
		List<Integer> out = new ArrayList<>();
		for (int o = 0; o < s.threadCount(); o++) {
			WorkRun r = s.threadArray()[o].done() ? null : workRun(s.threadArray()[o]);
			if (r != null && queue.equals(queueOf(r.work()))) {
				out.add(o);
			}
		}
		return out;
	}

	/**
	 * For a kworker {@code t} at the begin of a run on an ordered workqueue, the kworkers it waits for: the one
	 * running a work on the queue, and those queued on it before (they started before: threads are numbered as
	 * they start). Empty on any other queue.
	 */
	private List<Integer> orderedAhead(Machine.State s, int t, WorkRun run) {
		Key queue = queueOf(run.work());
		if (queue == null || !Workqueues.ordered(((Lock) queue.decl()).getKind())) {
			return List.of();
		}
		List<Integer> ahead = new ArrayList<>();
		for (int o : queueKworkers(s, queue)) {
			if (o != t && (o < t || !(nextStep(s.threadArray()[o]) instanceof Step.WorkBegin))) {
				ahead.add(o);
			}
		}
		return ahead;
	}

	/** What a flush or drain of a workqueue waits for: the runs a flush fixed (none for a drain: the queue empty). */
	record QueueFlush(Key queue, List<WorkRun> runs, boolean drain) {
	}

	/** The work a kworker runs, or null for any other thread. */
	private static Key workRunKey(Machine.Thread th) {
		WorkRun r = workRun(th);
		return r == null ? null : r.work();
	}

	/** "run 1 of slot0.work, run 2 of slot1.work". */
	private String runNames(Heap heap, List<WorkRun> runs) {
		List<String> names = new ArrayList<>();
		for (WorkRun r : runs) {
			names.add("run " + r.run() + " of " + keyName(heap, r.work()));
		}
		return String.join(", ", names);
	}

	/** The kworkers a flush or drain of a workqueue waits for. */
	private static List<Integer> queueWaitsFor(Machine.State s, QueueFlush f) {
		if (f.drain()) {
			return queueKworkers(s, f.queue());
		}
		List<Integer> out = new ArrayList<>();
		for (WorkRun r : f.runs()) {
			out.addAll(kworkers(s, r.work(), r.run()));
		}
		return out.stream().distinct().sorted().toList();
	}

	private static int mask(List<Integer> threads) {
		int m = 0;
		for (int o : threads) {
			m |= 1 << o;
		}
		return m;
	}

	/** The names of the threads in {@code mask} (bit i: thread i). */
	private static String threadNames(Machine.State s, int mask) {
		List<String> names = new ArrayList<>();
		for (int o = 0; o < s.threadCount(); o++) {
			if ((mask & 1 << o) != 0) {
				names.add(s.threadArray()[o].name());
			}
		}
		return String.join(", ", names);
	}

	/** The thread of a threaded irq, if it has not ended: whom {@code synchronize_irq} and {@code free_irq} wait for. */
	private static List<Integer> irqThreads(Machine.State s, Key irq) {
		List<Integer> out = new ArrayList<>();
		for (int o = 0; o < s.threadCount(); o++) {
			IrqThread r = s.threadArray()[o].done() ? null : irqThread(s.threadArray()[o]);
			if (r != null && r.irq().equals(irq)) {
				out.add(o);
			}
		}
		return out;
	}

	/** Whether thread {@code t} stands at a {@code wait_for_completion}. */
	boolean waitsForACompletion(Machine.State s, int t) {
		return nextStep(s.threadArray()[t]) instanceof Step.WaitCompletion;
	}

	/**
	 * Whether a thread stands at a wait for a completion of this class: one that would complete it after that
	 * wait closes a cycle through the completion's class alone, which the lock order leaves to the scenarios
	 * (Facts' rule leaves out a completion's dependency on its own class).
	 */
	private boolean waitsForOneOf(Machine.Thread th, EObject completion) {
		return nextStep(th) instanceof Step.WaitCompletion w && Eval.feature(w.completion()) == completion;
	}

	/**
	 * Whether a thread may still complete a completion of this class: a {@code complete} of it is reachable
	 * from where it stands in some frame (the lowering's {@code completedFrom}).
	 */
	private boolean mayComplete(Machine.Thread th0, EObject completion) {
		Machine.Thread th = normalise(th0);
		if (th.done() || th.returned()) {
			return false;
		}
		for (int f = 0; f < th.pc().length; f++) {
			if (lowering.completedFrom(th.chain().get(f).op(), th.pc()[f]).contains(completion)) {
				return true;
			}
		}
		return false;
	}

	EObject blockedStmt(Machine.State s, int t) {
		Step step = nextStep(s.threadArray()[t]);
		return step == null ? null : step.at();
	}

	/** The state of a lock in a heap. */
	LockState lock(Heap heap, Key key) {
		return heap.get(key.obj()).locks[slot(key.decl())];
	}

	/** The state of a gate in a heap. */
	GateState gate(Heap heap, Key key) {
		return heap.get(key.obj()).gates[slot(key.decl())];
	}

	static String keyName(Heap heap, Key key) {
		String n = org.lockspec.naming.NameOf.name(key.decl());
		return key.obj() == 0 ? n : heap.get(key.obj()).name + "." + n;
	}

	static String chain(Machine.Thread th) {
		List<String> names = new ArrayList<>();
		for (Frame f : th.chain()) {
			names.add(f.op().getName());
		}
		return String.join(" -> ", names);
	}

	// ------------------------------------------------------- one step's context

	/** The mutable copy of one thread (and, once written, of the heap) while a step runs. */
	final class Ctx {
		Heap heap;
		boolean heapCopied;
		/** The objects of the step's heap that are the step's own copies (or new). */
		/** The heap of the state the step starts from: an object of the step's heap not in it is the step's own. */
		private final Heap origin;
		final Machine.Thread th;
		final int t;
		/** What the step read and wrote, what it found wrong, the threads it queued: made on first use. */
		private List<Access> accesses = List.of();
		private List<Finding> findings = List.of();
		private List<Machine.Thread> spawned = List.of();
		/** The step would start a thread beyond {@link #MAX_THREADS}: it has no successor state. */
		private boolean capped;
		boolean invariantMode;

		/**
		 * The thread's variables, frames, locks held and references as the step
		 * leaves them: the state's own until the step changes one, then the
		 * step's copy ({@link #envsMut} and the like), so that a step that changes
		 * nothing copies nothing.
		 */
		private int[] pc;
		private Object[][] slots;
		private Object[][] envs;
		private List<Frame> chain;
		private List<Held> held;
		private int[] refs;
		private boolean slotsOwned;
		private boolean envsOwned;
		private boolean chainOwned;
		private boolean heldOwned;
		/** The frame the step runs in: the thread's innermost. */
		private final int frame;

		/** {@code th}: a thread of a state, never changed here. */
		Ctx(Heap heap, Machine.Thread th, int t) {
			this.heap = heap;
			this.origin = heap;
			this.th = th;
			this.t = t;
			this.frame = th == null ? -1 : th.pc().length - 1;
			if (th != null) {
				pc = th.pc();
				slots = th.slots();
				envs = th.envs();
				chain = th.chain();
				held = th.held();
				refs = th.refs();
			}
		}

		/** Binds {@code decl} to {@code value} in frame {@code frame} (the step's copy of the frames). */
		void bind(int frame, EObject decl, Object value) {
			if (!envsOwned) {
				envs = envs.clone();
				envsOwned = true;
			}
			envs[frame] = Vars.put(envs[frame], decl, value);
		}

		/** What the statement of node {@code n} fixed in the step's frame ({@link OpGraph#slot}). */
		Object kept(Node n) {
			return slots[frame][n.slot()];
		}

		/** Sets (or, with null, clears) a slot of the step's frame. */
		void keep(int slot, Object value) {
			if (!slotsOwned) {
				slots = slots.clone();
				slotsOwned = true;
			}
			slots[frame] = slots[frame].clone();
			slots[frame][slot] = value;
		}

		/** Enters {@code op} from the step's frame, which goes on at {@code returnTo} when the op returns. */
		void call(Operation op, List<Object> args, Statement site, int returnTo) {
			OpGraph g = lowering.graph(op);
			pc = Arrays.copyOf(pc, pc.length + 1);
			pc[frame] = returnTo;
			pc[pc.length - 1] = g.start();
			slots = Arrays.copyOf(slots, slots.length + 1);
			slots[slots.length - 1] = new Object[g.slotCount()];
			slotsOwned = true;
			envs = Arrays.copyOf(envs, envs.length + 1);
			envsOwned = true;
			envs[envs.length - 1] = params(op, args);
			chainMut().add(new Frame(op, site));
		}

		List<Frame> chainMut() {
			if (!chainOwned) {
				chain = new ArrayList<>(chain);
				chainOwned = true;
			}
			return chain;
		}

		List<Held> heldMut() {
			if (!heldOwned) {
				held = new ArrayList<>(held);
				heldOwned = true;
			}
			return held;
		}

		/** Counts {@code delta} more references of this thread to object {@code obj}. */
		void refs(int obj, int delta) {
			refs = Machine.Thread.refs(refs, obj, delta);
		}

		/** The thread after a step that ends it. */
		Machine.Thread finished() {
			return new Machine.Thread(th.name(), th.context(), Machine.Thread.NO_PC, Machine.Thread.NO_FRAMES,
					Machine.Thread.NO_FRAMES, List.of(), held, refs, true);
		}

		/** The step's own heap: a copy of the state's, made on the first write. */
		Heap write() {
			if (!heapCopied) {
				heap = heap.copy();
				heapCopied = true;
			}
			return heap;
		}

		/**
		 * Whether the step changed what an invariant can read (a field, a list, a
		 * refcount, a freed flag, a new object), not only locks and gates.
		 */
		boolean dataChanged;

		/** {@link #write(int)} for a change of what invariants read. */
		Obj writeData(int id) {
			dataChanged = true;
			return write(id);
		}

		/** Object {@code id} of the step's own heap, copied on the step's first write to it. */
		Obj write(int id) {
			return write().mutable(id, origin);
		}

		/** What a thread that returns from its op still holds: locks, and references it took. */
		void returnFindings(Machine.State s) {
			for (Held h : th.held()) {
				finding(Obligation.SCENARIO_HYGIENE, "held", th.name() + " returns with " + keyName(s.heap(), h.key())
						+ " still held (taken at line " + h.line() + ")", null, false);
			}
			int[] refs = th.refs();
			for (int i = 0; i < refs.length; i += 2) {
				if (refs[i + 1] > 0) {
					finding(Obligation.SCENARIO_REFCOUNT, "leak", th.name() + " returns still holding " + refs[i + 1]
							+ " reference(s) to " + s.heap().get(refs[i]).name + " that it took with get", null, false);
				}
			}
		}

		void finding(Obligation ob, String subject, String message, EObject at, boolean fatal) {
			if (findings.isEmpty()) {
				findings = new ArrayList<>(2);
			}
			findings.add(new Finding(ob, subject, message, at, fatal));
		}

		/** Frees an object whose last reference is gone; freeing it while it is still on a list is a finding. */
		void free(int obj, Obj o, EObject at) {
			o.freed = true;
			String where = linkedWhere(obj);
			if (where != null) {
				finding(Obligation.SCENARIO_REFCOUNT, "freed_linked", o.name + " is freed while still linked on " + where,
						at, false);
			}
		}

		/** Records an access (not while evaluating an invariant, which no thread does). */
		void access(int obj, EObject feature, boolean write) {
			if (!invariantMode) {
				if (accesses.isEmpty()) {
					accesses = new ArrayList<>(4);
				}
				accesses.add(new Access(obj, feature, write));
			}
		}

		/** How many accesses the step has recorded; {@link #forgetAccesses} takes back those after. */
		int accessCount() {
			return accesses.size();
		}

		void forgetAccesses(int mark) {
			if (accesses.size() > mark) {
				accesses.subList(mark, accesses.size()).clear();
			}
		}

		Succ finish(Machine.State s, Machine.Thread newThread, Event ev) {
			if (capped) {
				// the step would start a thread beyond the cap: no state to go on from ({@link #threadsCapped})
				return new Succ(null, ev, List.of(), List.of(), false);
			}
			// not Arrays.copyOf: for an array type other than Object[] it goes through reflection
			Machine.Thread[] threads = new Machine.Thread[s.threadCount() + spawned.size()];
			System.arraycopy(s.threadArray(), 0, threads, 0, s.threadCount());
			threads[t] = newThread;
			for (int i = 0; i < spawned.size(); i++) {
				threads[s.threadCount() + i] = spawned.get(i);
			}
			return new Succ(new Machine.State(heap, threads), ev, accesses, findings, dataChanged);
		}

		/**
		 * The step done, its frame going on at node {@code next}. {@code text}: a
		 * {@code String}, or a {@code Supplier<String>} for a text made only if shown.
		 */
		Succ done(Machine.State s, int next, Object text, EObject stmt) {
			return finish(s, movedTo(next), new Event(t, text, stmt, chain, false));
		}

		/** The thread as the step leaves it, at node {@code next} of its frame. */
		private Machine.Thread movedTo(int next) {
			if (pc == th.pc()) {
				pc = pc.clone();
			}
			pc[frame] = next;
			return new Machine.Thread(th.name(), th.context(), pc, slots, envs, chain, held, refs, false).from(th);
		}

		/** The step of a {@code choose} that takes branch {@code branch} (0 for the first). */
		Succ chose(Machine.State s, int next, int branch, EObject stmt) {
			return finish(s, movedTo(next), new Event(t, "choose branch " + (branch + 1), stmt, chain, false,
					Trace.Kind.CHOICE, branch));
		}

		Succ fault(Machine.State s, Fault f, EObject at) {
			finding(f.obligation, f.obligation == Obligation.SCENARIO_MEMORY ? "use_after_free" : "fault", f.getMessage(), at,
					true);
			return finish(s, finished(), new Event(t, text(at) + "  <-- " + f.getMessage(), at, chain, false));
		}

		// ---------------------------------------------------------- statements

		List<Succ> exec(Machine.State s, Node n) {
			if (n.step() instanceof Step.WorkBegin b) {
				return b.at().isIrq() ? irqBegin(s, n, b) : workBegin(s, n, b);
			}
			if (n.step() instanceof Step.PmBegin b) {
				return pmBegin(s, n, b);
			}
			Statement st = (Statement) n.step().at();
			Supplier<String> text = () -> text(st);
			switch (n.step()) {
			case Step.Acquire a -> {
				Key key = key(a.lock());
				if (!acquirable(s, key, a.mode())) {
					return blocked(s, key, a.mode(), st, text);
				}
				sleepCheck(key, st);
				take(key, a.mode(), a.irqsave(), st);
				if (a.scope() != null) {
					keep(n.slot(), key);
				}
				return List.of(done(s, n.next(), (Supplier<String>) () -> lockText(st, a.lock(), heap, key), st));
			}
			case Step.Release r -> {
				unlock(key(r.lock()), st);
				return List.of(done(s, n.next(), text, st));
			}
			case Step.EndWith e -> {
				Key key = (Key) kept(n);
				unlock(key, st);
				keep(n.slot(), null);
				return List.of(done(s, n.next(), (Supplier<String>) () -> "unlock " + keyName(s.heap(), key) + " (end of with)", st));
			}
			case Step.TryAcquire tl -> {
				Key key = key(tl.lock());
				Heap h0 = heap;
				if (acquirable(s, key, tl.mode())) {
					take(key, tl.mode(), tl.irqsave(), st);
					return List.of(done(s, n.next(), (Supplier<String>) () -> "trylock " + keyName(h0, key) + " (taken)", st));
				}
				return List.of(done(s, n.alt(), (Supplier<String>) () -> "trylock " + keyName(h0, key) + " (busy)", st));
			}
			case Step.Branch b -> {
				boolean cond = bool(b.cond());
				String keyword = st instanceof WhileStmt ? "while " : "if ";
				return List.of(done(s, cond ? n.next() : n.alt(),
						(Supplier<String>) () -> keyword + text(b.cond()) + " (" + cond + ")", st));
			}
			case Step.Choose ch -> {
				List<Succ> out = new ArrayList<>();
				List<Integer> branches = n.branches();
				for (int b = 0; b < branches.size(); b++) {
					out.add(new Ctx(heap, th, t).chose(s, branches.get(b), b, st));
				}
				return out;
			}
			case Step.Bind let -> {
				bind(frame, let.at(), eval(let.value()));
				return List.of(done(s, n.next(), text, st));
			}
			case Step.Allocate let -> {
				bind(frame, let.at(), create(let.value()));
				return List.of(done(s, n.next(), text, st));
			}
			case Step.Store a -> {
				Object v = eval(a.value());
				Expression target = a.target();
				if (target instanceof VarRef vr && vr.getRef() instanceof LetStmt local) {
					for (int i = envs.length - 1; i >= 0; i--) {
						if (Vars.has(envs[i], local)) {
							bind(i, local, v);
							break;
						}
					}
				} else if (target instanceof VarRef vr) {
					store(0, vr.getRef(), v);
				} else if (target instanceof MemberAccess m) {
					store(deref(eval(m.getReceiver()), m), m.getMember(), v);
				}
				return List.of(done(s, n.next(), text, st));
			}
			case Step.ListAdd a -> {
				int elem = deref(eval(a.elem()), a.elem());
				Obj owner = writeData(list(a.list(), true));
				int slot = slot(Eval.feature(a.list()));
				if (owner.contains(slot, elem)) {
					throw new Fault(Obligation.SCENARIO_MEMORY, "list_add of " + heap.get(elem).name
							+ ", which is already on " + text(a.list()) + " (corrupts the list)");
				}
				owner.add(slot, elem);
				return List.of(done(s, n.next(), text, st));
			}
			case Step.ListDel r -> {
				int elem = deref(eval(r.elem()), r.elem());
				if (!writeData(list(r.list(), true)).remove(slot(Eval.feature(r.list())), elem)) {
					throw new Fault(Obligation.SCENARIO_MEMORY, "list_del of " + heap.get(elem).name
							+ ", which is not on " + text(r.list()) + " (its pointers are poisoned)");
				}
				return List.of(done(s, n.next(), text, st));
			}
			case Step.ForFirst f -> {
				int owner = list(f.at().getList(), false);
				int[] members = heap.get(owner).lists[slot(Eval.feature(f.at().getList()))];
				Ptr first = members.length == 0 ? Ptr.NULL : Ptr.of(members[0]);
				return List.of(done(s, walkTo(n, owner, first),
						(Supplier<String>) () -> "for " + f.at().getName() + " in " + text(f.at().getList()), st));
			}
			case Step.ForAdvance f -> {
				int owner = (Integer) kept(n);
				Ptr current = (Ptr) Vars.get(envs[frame], f.at());
				Ptr next = next(current, owner, Eval.feature(f.at().getList()), f.at());
				return List.of(done(s, walkTo(n, owner, next), "next " + f.at().getName(), st));
			}
			case Step.RefGet g -> {
				int obj = deref(eval(g.refcount().getReceiver()), g.refcount());
				Obj o = writeData(obj);
				if (o.refcounts[slot(g.refcount().getMember())] == 0) {
					finding(Obligation.SCENARIO_REFCOUNT, "get_at_zero", "get of " + o.name + " at 0: its last "
							+ "reference is gone and its release is under way (refcount_t: addition on 0; use-after-free)",
							st, true);
				}
				int count = ++o.refcounts[slot(g.refcount().getMember())];
				refs(obj, 1);
				return List.of(done(s, n.next(), (Supplier<String>) () -> text.get() + "  (" + count + ")", st));
			}
			case Step.RefPut p -> {
				int obj = deref(eval(p.refcount().getReceiver()), p.refcount());
				Obj o = writeData(obj);
				int v = --o.refcounts[slot(p.refcount().getMember())];
				refs(obj, -1);
				Supplier<String> what = () -> text.get() + "  (" + v + ")";
				if (v < 0) {
					finding(Obligation.SCENARIO_REFCOUNT, "underflow", "put of " + o.name + " below zero", st, true);
				} else if (v == 0 && p.releases()) {
					Operation release = p.at().getRelease();
					return List.of(done(s, n.alt(), (Supplier<String>) () -> text.get() + "  (0: the last put, "
							+ release.getName() + " runs)", st));
				} else if (v == 0) {
					free(obj, o, st);
					what = () -> text.get() + "  (0: " + o.name + " freed)";
				}
				return List.of(done(s, n.next(), what, st));
			}
			case Step.RefPutUnlessLast p -> {
				int obj = deref(eval(p.refcount().getReceiver()), p.refcount());
				int slot = slot(p.refcount().getMember());
				if (heap.get(obj).refcounts[slot] <= 1) {
					return List.of(done(s, n.alt(), (Supplier<String>) () -> text.get() + "  (the last reference: "
							+ "take " + text(p.at().getLock()) + " first)", st));
				}
				Obj o = writeData(obj);
				int v = --o.refcounts[slot];
				refs(obj, -1);
				return List.of(done(s, n.next(), (Supplier<String>) () -> text.get() + "  (" + v + ")", st));
			}
			case Step.RefFree p -> {
				int obj = deref(eval(p.refcount().getReceiver()), p.refcount());
				Obj o = writeData(obj);
				free(obj, o, st);
				return List.of(done(s, n.next(), (Supplier<String>) () -> p.at().getRelease().getName()
						+ " returned: " + o.name + " freed", st));
			}
			case Step.GateEnter e -> {
				Key key = key(e.gate());
				GateState g = gate(heap, key);
				if (g.closed()) {
					// the node is being removed: the store returns -ENODEV
					return List.of(returnFrom(s, n, (Supplier<String>) () -> text.get() + " (fails: gate closed, returns)", st));
				}
				write(key.obj()).gates[slot(key.decl())] = new GateState(g.active() + 1, false);
				heldMut().add(new Held(key, LockMode.READ, false, line(st)));
				return List.of(done(s, n.next(), text, st));
			}
			case Step.GateLeave l -> {
				Key key = key(l.gate());
				GateState g = gate(heap, key);
				removeHeld(key);
				write(key.obj()).gates[slot(key.decl())] = new GateState(Math.max(0, g.active() - 1), g.closed());
				return List.of(done(s, n.next(), text, st));
			}
			case Step.GateClose d -> {
				Key key = key(d.gate());
				GateState g = gate(heap, key);
				sleepCheck(null, st);
				write(key.obj()).gates[slot(key.decl())] = new GateState(g.active(), true);
				keep(n.slot(), key);
				return List.of(done(s, n.next(), (Supplier<String>) () -> text.get() + " (closes the gate)", st));
			}
			case Step.DrainWait d -> {
				Key key = (Key) kept(n);
				if (gate(heap, key).active() > 0) {
					return List.of();
				}
				keep(n.slot(), null);
				return List.of(done(s, n.next(), (Supplier<String>) () -> "drained " + keyName(s.heap(), key), st));
			}
			case Step.MightSleep m -> {
				sleepCheck(null, st);
				return List.of(done(s, n.next(), text, st));
			}
			case Step.WaitUntil w -> {
				if (!bool(w.cond())) {
					return List.of();
				}
				sleepCheck(null, st);
				return List.of(done(s, n.next(), text, st));
			}
			case Step.Complete c -> {
				Key key = key(c.completion());
				int count = doneCount(key);
				writeData(key.obj()).fields[slot(key.decl())] = c.all() ? Completions.ALL : Completions.completed(count);
				return List.of(done(s, n.next(), text, st));
			}
			case Step.WaitCompletion w -> {
				Key key = key(w.completion());
				int count = doneCount(key);
				if (!Completions.isDone(count) && !w.mayGiveUp()) {
					return List.of();
				}
				sleepCheck(null, st);
				if (!Completions.isDone(count)) {
					return List.of(done(s, n.next(), (Supplier<String>) () -> text.get() + " (gives up: not completed)", st));
				}
				writeData(key.obj()).fields[slot(key.decl())] = Completions.consumed(count);
				return List.of(done(s, n.next(), text, st));
			}
			case Step.ReinitCompletion r -> {
				Key key = key(r.completion());
				writeData(key.obj()).fields[slot(key.decl())] = Completions.NOT_DONE;
				return List.of(done(s, n.next(), text, st));
			}
			case Step.QueueWork q -> {
				Key key = key(q.work());
				WorkState w = workState(key);
				Key queue = queueOf(key);
				if (queue != null && !liveQueue(queue, st).admits(queue.equals(queueOf(workRunKey(th))))) {
					String why = " (refused: " + keyName(heap, queue) + " is being drained; the kernel warns)";
					return List.of(done(s, n.next(), (Supplier<String>) () -> text.get() + why, st));
				}
				if (!w.queues()) {
					String why = w.pending() ? " (already pending: a no-op)" : " (being cancelled: a no-op)";
					return List.of(done(s, n.next(), (Supplier<String>) () -> text.get() + why, st));
				}
				write(key.obj()).fields[slot(key.decl())] = q.kthread() ? w.startThread() : w.queue();
				WorkKind kind = WorkKind.of((Work) key.decl());
				spawn(s, index -> startWork(kind.threadName(index, null), key, w.queued() + 1));
				return List.of(done(s, n.next(), (Supplier<String>) () -> text.get() + " (run " + (w.queued() + 1) + ")", st));
			}
			case Step.FlushWork f -> {
				Key key = key(f.work());
				WorkState w = workState(key);
				if (f.kind().waitSleeps(facts.preemptRt())) {
					sleepCheck(null, st);
				}
				if (f.cancel()) {
					write(key.obj()).fields[slot(key.decl())] = (f.stop() ? w.stop() : w).startCancelSync();
				}
				int run = w.lastRun();
				keep(n.slot(), new WorkRun(key, run));
				boolean takesOff = f.cancel() && w.pending();
				Supplier<String> what = () -> text.get() + (takesOff ? " (takes run " + w.queued() + " off the queue"
						+ (w.running() ? "; waits for run " + (w.ended() + 1) + " to end)" : ")")
						: run == 0 ? " (nothing to wait for)" : " (waits for run " + run + " to end)");
				return List.of(done(s, n.next(), what, st));
			}
			case Step.WorkWait ww -> {
				WorkRun wait = (WorkRun) kept(n);
				WorkState w = workState(wait.work());
				if (!w.hasEnded(wait.run())) {
					return List.of();
				}
				if (ww.cancel()) {
					write(wait.work().obj()).fields[slot(wait.work().decl())] = w.endCancelSync();
				}
				keep(n.slot(), null);
				return List.of(done(s, n.next(), (Supplier<String>) () -> text.get() + " returns", st));
			}
			case Step.FlushQueue f -> {
				Key queue = key(f.queue());
				Workqueues q = liveQueue(queue, st);
				sleepCheck(null, st);
				boolean drain = Workqueues.drains(f.call());
				List<WorkRun> runs = new ArrayList<>();
				for (int o : drain ? List.<Integer>of() : queueKworkers(s, queue)) {
					runs.add(workRun(s.threadArray()[o]));
				}
				if (drain) {
					write(queue.obj()).fields[queueSlots.get(queue.decl())] = q.startDrain();
				}
				keep(n.slot(), new QueueFlush(queue, List.copyOf(runs), drain));
				Supplier<String> what = () -> text.get() + (drain ? " (refuses works from elsewhere until it is empty)"
						: runs.isEmpty() ? " (nothing to wait for)" : " (waits for " + runNames(s.heap(), runs) + " to end)");
				return List.of(done(s, n.next(), what, st));
			}
			case Step.QueueWait w -> {
				QueueFlush f = (QueueFlush) kept(n);
				if (!queueWaitsFor(s, f).isEmpty()) {
					return List.of();
				}
				if (f.drain()) {
					boolean destroy = w.call() == WorkqueueCall.DESTROY_WORKQUEUE;
					write(f.queue().obj()).fields[queueSlots.get(f.queue().decl())] = queueState(f.queue()).endDrain(destroy);
				}
				keep(n.slot(), null);
				return List.of(done(s, n.next(), (Supplier<String>) () -> text.get() + " returns"
						+ (w.call() == WorkqueueCall.DESTROY_WORKQUEUE ? " (the workqueue is freed)" : ""), st));
			}
			case Step.CancelWork c -> {
				Key key = key(c.work());
				WorkState w = workState(key);
				write(key.obj()).fields[slot(key.decl())] = w.cancel();
				return List.of(done(s, n.next(), (Supplier<String>) () -> text.get()
						+ (w.pending() ? " (takes run " + w.queued() + " off the queue)" : " (nothing pending)"), st));
			}
			case Step.WorkBegin b -> throw new IllegalStateException("a work's begin is not a statement");
			case Step.SrcuSync y -> {
				Key key = key(y.srcu());
				sleepCheck(null, st);
				int readers = 0;
				for (int r : lock(heap, key).readers()) {
					readers |= 1 << r;
				}
				write(key.obj()).fields[gracePeriodSlots.get(key.decl())] = gracePeriods(key).begin(t, readers);
				int inside = readers;
				return List.of(done(s, n.next(), (Supplier<String>) () -> text.get() + (inside == 0 ? " (no reader inside)"
						: " (waits for the readers inside: " + threadNames(s, inside) + ")"), st));
			}
			case Step.SrcuWait y -> {
				if (gracePeriods(key(y.srcu())).owed(t) != 0) {
					return List.of();
				}
				return List.of(done(s, n.next(), (Supplier<String>) () -> text.get() + " returns", st));
			}
			case Step.IrqControl i -> {
				return List.of(irqControl(s, n, i, st, text));
			}
			case Step.IrqWait w -> {
				IrqState q = irqState(heap, key(w.irq()));
				if (w.exit() ? q.stopping() : q.active()) {
					return List.of();
				}
				return List.of(done(s, n.next(), (Supplier<String>) () -> text.get() + " returns", st));
			}
			case Step.PmControl p -> {
				return pmControl(s, n, p, st, text);
			}
			case Step.PmSettle p -> {
				Key key = key(p.pm());
				RuntimePmState pm = pmState(heap, key);
				write(key.obj()).fields[slot(key.decl())] = pm.settled(t);
				return List.of(done(s, n.next(), (Supplier<String>) () -> text.get() + ": "
						+ (pm.status() == RuntimePmState.Status.RESUMING ? "the resume callback returned, "
								+ keyName(s.heap(), key) + " is active" : "the suspend callback returned, "
										+ keyName(s.heap(), key) + " is suspended"), st));
			}
			case Step.PmBegin b -> throw new IllegalStateException("a runtime PM kworker's begin is not a statement");
			case Step.Call call -> {
				call(call.op(), values(call.args()), call.at(), n.next());
				return List.of(done(s, n.next(), text, st));
			}
			case Step.Spawn q -> {
				List<Object> args = values(q.args());
				spawn(s, index -> start("kworker" + index, q.op(), args, Context.PROCESS));
				return List.of(done(s, n.next(), text, st));
			}
			case Step.Assert a -> {
				if (!bool(a.cond())) {
					String msg = a.at().getMessage() != null ? a.at().getMessage() : text(a.cond());
					finding(Obligation.SCENARIO_INVARIANT, "assert@" + line(a.at()), "assertion failed: " + msg, st, false);
				}
				return List.of(done(s, n.next(), text, st));
			}
			case Step.Return r -> {
				return List.of(returnFrom(s, n, text, st));
			}
			}
		}

		/** Starts a thread (made from its index among the state's threads), unless there are {@link #MAX_THREADS}. */
		private void spawn(Machine.State s, java.util.function.IntFunction<Machine.Thread> thread) {
			int index = s.threadCount() + spawned.size();
			if (index >= MAX_THREADS) {
				threadsCapped = true;
				capped = true;
				return;
			}
			if (spawned.isEmpty()) {
				spawned = new ArrayList<>(1);
			}
			spawned.add(thread.apply(index));
		}

		/**
		 * What a workqueue is in ({@link Workqueues}), for a statement that uses it: a destroyed one is a use after
		 * free.
		 */
		Workqueues liveQueue(Key queue, EObject at) {
			Workqueues q = queueState(queue);
			if (q.destroyed()) {
				throw new Fault(Obligation.SCENARIO_MEMORY, "use after free: " + keyName(heap, queue)
						+ " was destroyed (destroy_workqueue), and '" + text(at) + "' uses it");
			}
			return q;
		}

		/** What a workqueue is in ({@link Workqueues}). */
		Workqueues queueState(Key queue) {
			return (Workqueues) heap.get(queue.obj()).fields[queueSlots.get(queue.decl())];
		}

		/** What a work is in ({@link WorkState}). */
		WorkState workState(Key work) {
			return (WorkState) heap.get(work.obj()).fields[slot(work.decl())];
		}

		/**
		 * A kworker at the start of its run: it waits for the run before it to end; a run cancelled meanwhile
		 * returns at once, any other begins.
		 */
		private List<Succ> workBegin(Machine.State s, Node n, Step.WorkBegin b) {
			WorkRun run = (WorkRun) Vars.get(envs[frame], b.at());
			WorkState w = workState(run.work());
			if (!w.mayBegin(run.run()) || !orderedAhead(s, t, run).isEmpty()) {
				return List.of();
			}
			String name = "run " + run.run() + " of " + keyName(s.heap(), run.work());
			if (w.cancelled(run.run())) {
				// its end, as every run's, is the kworker's return
				return List.of(done(s, OpGraph.EXIT, name + " was cancelled: the kworker has nothing to do", b.at()));
			}
			write(run.work().obj()).fields[slot(run.work().decl())] = w.begin();
			return List.of(done(s, n.next(), name + " begins", b.at()));
		}

		/**
		 * An IRQ thread between runs: it begins one if it was woken or the line fires now, leaves its loop if
		 * {@code free_irq} stopped it, and otherwise waits for an interrupt (no step: {@link #idleDaemon}).
		 */
		private List<Succ> irqBegin(Machine.State s, Node n, Step.WorkBegin b) {
			Key key = ((IrqThread) Vars.get(envs[frame], b.at())).irq();
			IrqState q = irqState(heap, key);
			if (q.exits()) {
				write(key.obj()).fields[slot(key.decl())] = q.exit();
				return List.of(done(s, OpGraph.EXIT, "leaves its loop: free_irq stopped it (kthread_stop)", b.at()));
			}
			if (!q.mayBegin()) {
				return List.of();
			}
			write(key.obj()).fields[slot(key.decl())] = q.begin();
			String why = q.woken() ? "woken by an interrupt of " + keyName(s.heap(), key)
					: keyName(s.heap(), key) + " fires (the device interrupts) and wakes its thread";
			return List.of(done(s, n.next(), why + ": it runs " + b.at().getOp().getName(), b.at()));
		}

		/**
		 * A runtime PM call ({@link RuntimePmState}): it waits while another's callback is under way; it counts; it
		 * runs a callback itself (the thread enters the callback, and comes back to the {@link Step.PmSettle} after
		 * the call), or goes on past that settle.
		 */
		private List<Succ> pmControl(Machine.State s, Node n, Step.PmControl p, Statement st, Supplier<String> text) {
			Key key = key(p.pm());
			RuntimePmState pm = pmState(heap, key);
			RuntimePmState.Action action = pm.on(p.call());
			if (action == RuntimePmState.Action.WAIT) {
				return List.of();
			}
			if (RuntimePmState.waits(p.call())) {
				sleepCheck(null, st);
			}
			write(key.obj()).fields[slot(key.decl())] = pm.after(p.call(), t);
			RuntimePm decl = (RuntimePm) key.decl();
			String name = keyName(s.heap(), key);
			if (action == RuntimePmState.Action.GO_ON) {
				int past = lowering.graph(chain.get(frame).op()).node(n.next()).next();
				return List.of(done(s, past, text, st));
			}
			boolean resume = action == RuntimePmState.Action.RUN_RESUME;
			Operation callback = resume ? decl.getResume() : decl.getSuspend();
			call(callback, List.of(Ptr.of(key.obj())), p.at(), n.next());
			return List.of(done(s, n.next(), (Supplier<String>) () -> text.get() + ": " + name + " is "
					+ (resume ? "suspended" : "unused") + ", and this thread runs " + callback.getName() + " itself", st));
		}

		/**
		 * The PM workqueue's kworker between suspends: it runs the suspend callback when the device is active,
		 * enabled and unused, and otherwise has nothing to do (no step: {@link #idleDaemon}).
		 */
		private List<Succ> pmBegin(Machine.State s, Node n, Step.PmBegin b) {
			Key key = ((PmWorker) Vars.get(envs[frame], b.at())).pm();
			RuntimePmState pm = pmState(heap, key);
			if (!pm.mayAutosuspend()) {
				return List.of();
			}
			write(key.obj()).fields[slot(key.decl())] = pm.autosuspending(t);
			return List.of(done(s, n.next(), keyName(s.heap(), key) + " is unused: the PM workqueue suspends it "
					+ "(autosuspend): it runs " + b.at().getSuspend().getName(), b.at()));
		}

		/** A genirq call's first (or only) step ({@link IrqState}). */
		private Succ irqControl(Machine.State s, Node n, Step.IrqControl i, Statement st, Supplier<String> text) {
			Key key = key(i.irq());
			IrqState q = irqState(heap, key);
			if (i.waits()) {
				sleepCheck(null, st);
			}
			String what = "";
			IrqState after = q;
			switch (i.call()) {
			case REQUEST -> {
				if (q.requested()) {
					what = " (already requested: -EBUSY, a no-op)";
				} else {
					after = q.request();
					if (!q.thread()) {
						String name = ((Work) key.decl()).getName();
						spawn(s, index -> startIrqThread(WorkKind.THREADED_IRQ.threadName(index, name), key, List.of(),
								Machine.Thread.NO_REFS));
						what = " (creates its thread)";
					}
				}
			}
			case FREE -> {
				if (!q.requested()) {
					what = " (not requested: the kernel warns, a no-op)";
				} else {
					after = q.free();
					what = q.active() ? " (stops its thread, which is still busy)" : " (stops its thread)";
				}
			}
			case DISABLE, DISABLE_NOSYNC -> after = q.disable();
			case ENABLE -> {
				after = q.enable();
				what = q.depth() == 0 ? " (unbalanced: the kernel warns; the line stays enabled)" : "";
			}
			case SYNCHRONIZE -> {
			}
			}
			if (after != q) {
				write(key.obj()).fields[slot(key.decl())] = after;
			}
			String suffix = what;
			return done(s, n.next(), (Supplier<String>) () -> text.get() + suffix, st);
		}

		/** A completion's done count ({@link Completions}). */
		private int doneCount(Key completion) {
			return (Integer) heap.get(completion.obj()).fields[slot(completion.decl())];
		}

		private List<Object> values(List<Expression> args) {
			List<Object> values = new ArrayList<>();
			for (Expression a : args) {
				values.add(eval(a));
			}
			return values;
		}

		/**
		 * Where a list walk goes from node {@code n} (a {@code for}'s first element
		 * or advance) standing on {@code element}: into the body with the loop
		 * variable bound to it and the list's owner kept in the loop's slot, or
		 * past the loop when the list has no more.
		 */
		private int walkTo(Node n, int owner, Ptr element) {
			ForStmt loop = (ForStmt) n.step().at();
			if (element.isNull()) {
				keep(n.slot(), null);
				return n.alt();
			}
			bind(frame, loop, element);
			keep(n.slot(), owner);
			return n.next();
		}

		/** Leaves the current op from node {@code n}: the {@code with} blocks open there release their locks. */
		Succ returnFrom(Machine.State s, Node n, Object text, EObject st) {
			OpGraph g = lowering.graph(chain.get(frame).op());
			for (WithStmt w : n.unwind()) {
				unlock((Key) slots[frame][g.slot(w)], st);
			}
			return done(s, OpGraph.EXIT, text, st);
		}

		// ------------------------------------------------------------- locks

		Key key(Expression e) {
			if (e instanceof VarRef v) {
				return new Key(0, v.getRef());
			}
			MemberAccess m = (MemberAccess) e;
			return new Key(deref(eval(m.getReceiver()), m), m.getMember());
		}

		/**
		 * A lock the thread cannot take now: it waits (no step), unless it holds the lock itself, which is a
		 * self-deadlock reported as lock misuse (AA), ending its run, as the runtime's lock does.
		 */
		List<Succ> blocked(Machine.State s, Key key, LockMode mode, Statement st, Supplier<String> text) {
			if (!selfHeld(key, mode)) {
				return List.of();
			}
			finding(Obligation.SCENARIO_HYGIENE, "AA", th.name() + " takes " + keyName(heap, key) + " again while holding it",
					st, true);
			return List.of(finish(s, finished(), new Event(t, text.get() + "  <-- already held", st, chain, true)));
		}

		boolean selfHeld(Key key, LockMode mode) {
			LockState l = lock(heap, key);
			return l != null && (l.writer() == t || l.readBy(t) && mode == LockMode.WRITE);
		}

		boolean acquirable(Machine.State s, Key key, LockMode mode) {
			LockState l = lock(heap, key);
			if (l == null) {
				return true;
			}
			LockKind kind = ((Lock) key.decl()).getKind();
			if (!LockKinds.shared(kind, mode)) {
				return l.free();
			}
			if (l.writer() >= 0) {
				return false;
			}
			if (LockKinds.readerQueuesBehindWriters(kind, th.context())) {
				// a writer waiting for this lock blocks new readers
				for (int o = 0; o < s.threadCount(); o++) {
					if (o != t && waitsToWrite(s, o, key)) {
						return false;
					}
				}
			}
			return true;
		}

		boolean waitsToWrite(Machine.State s, int o, Key key) {
			Machine.Thread other = normalise(s.threadArray()[o]);
			if (!(nextStep(other) instanceof Step.Acquire a) || a.mode() == LockMode.READ) {
				return false;
			}
			try {
				Ctx probe = new Ctx(heap, other, o);
				return probe.key(a.lock()).equals(key) && !lock(heap, key).free();
			} catch (Fault f) {
				return false;
			}
		}

		void take(Key key, LockMode mode, boolean irqsave, EObject st) {
			Obj o = write(key.obj());
			int slot = slot(key.decl());
			LockState l = o.locks[slot];
			boolean shared = LockKinds.shared(((Lock) key.decl()).getKind(), mode);
			o.locks[slot] = shared ? l.withReader(t) : new LockState(t, l.readers());
			heldMut().add(new Held(key, shared ? LockMode.READ : LockMode.WRITE, irqsave, line(st)));
		}

		void unlock(Key key, EObject st) {
			Held h = removeHeld(key);
			if (h == null) {
				finding(Obligation.SCENARIO_HYGIENE, "stray", th.name() + " unlocks " + keyName(heap, key)
						+ ", which it does not hold", st, false);
				return;
			}
			Obj o = write(key.obj());
			int slot = slot(key.decl());
			LockState l = o.locks[slot];
			o.locks[slot] = h.mode() == LockMode.READ ? l.withoutReader(t) : new LockState(-1, l.readers());
			if (gracePeriodSlots.containsKey(key.decl()) && held.stream().noneMatch(x -> x.key().equals(key))) {
				// the reader left its outermost section: no grace period waits for it any more
				int gp = gracePeriodSlots.get(key.decl());
				o.fields[gp] = ((GracePeriods) o.fields[gp]).left(t);
			}
		}

		/** The grace periods under way on srcu {@code key}. */
		GracePeriods gracePeriods(Key key) {
			return (GracePeriods) heap.get(key.obj()).fields[gracePeriodSlots.get(key.decl())];
		}

		Held removeHeld(Key key) {
			for (int i = held.size() - 1; i >= 0; i--) {
				if (held.get(i).key().equals(key)) {
					return heldMut().remove(i);
				}
			}
			return null;
		}

		void sleepCheck(Key key, EObject st) {
			boolean sleeping = key == null || LockKinds.sleeps(((Lock) key.decl()).getKind(), facts.preemptRt());
			if (!sleeping) {
				return;
			}
			String why = null;
			if (LockKinds.mayRunInInterrupt(th.context())) {
				why = "it runs in " + th.context().getLiteral() + " context";
			}
			LockKind taking = key == null ? null : ((Lock) key.decl()).getKind();
			for (Held h : held) {
				if (h.key().decl() instanceof Lock l && LockKinds.spins(l.getKind(), facts.preemptRt())) {
					why = "it holds the " + l.getKind().getLiteral() + " " + keyName(heap, h.key());
				} else if (h.key().decl() instanceof Lock l && LockKinds.readSectionAtomic(l.getKind())
						&& LockKinds.forbidsSleep(l.getKind(), facts.preemptRt(), taking)) {
					why = "it is inside an RCU read-side critical section";
				}
				if (h.irqsave()) {
					why = "interrupts are off";
				}
			}
			if (why != null) {
				finding(Obligation.SCENARIO_SLEEP, "sleep", th.name() + " may sleep at '" + text(st) + "' but " + why,
						st, false);
			}
		}

		// ------------------------------------------------------------ values

		Object create(NewExpr n) {
			Heap h = write();
			dataChanged = true;
			Obj o = new Obj(n.getType(), n.getType().getName().toLowerCase(java.util.Locale.ROOT) + "#" + h.objects.size(),
					layout(n.getType()));
			int id = h.objects.size();
			h.objects.add(o);
			for (Init in : n.getInits()) {
				o.fields[slot(in.getFeature())] = eval(in.getValue());
			}
			return Ptr.of(id);
		}

		void store(int obj, EObject feature, Object v) {
			access(obj, feature, true);
			writeData(obj).fields[slot(feature)] = v;
		}

		int deref(Object v, EObject at) {
			if (!(v instanceof Ptr r) || r.isNull()) {
				throw new Fault(Obligation.SCENARIO_MEMORY, "NULL pointer dereference in '" + text(at) + "'");
			}
			if (heap.get(r.id()).freed && !invariantMode) {
				throw new Fault(Obligation.SCENARIO_MEMORY, "use after free: " + heap.get(r.id()).name
						+ " was freed, and '" + text(at) + "' uses it");
			}
			return r.id();
		}

		/** The object owning a list expression ({@code [id]}), reporting the access. */
		int list(Expression e, boolean write) {
			return eval.owner(e).owner(this, write);
		}

		String linkedWhere(int obj) {
			for (int i = 0; i < heap.objects.size(); i++) {
				Obj o = heap.get(i);
				for (int l = 0; l < o.lists.length; l++) {
					if (o.contains(l, obj)) {
						return (i == 0 ? "" : o.name + ".") + org.lockspec.naming.NameOf.name(o.layout.lists[l]);
					}
				}
			}
			return null;
		}

		Ptr next(Ptr current, int owner, EObject list, EObject at) {
			if (current.isNull()) {
				return Ptr.NULL;
			}
			access(owner, list, false);
			if (heap.get(current.id()).freed && !invariantMode) {
				throw new Fault(Obligation.SCENARIO_MEMORY, "use after free: the walk stands on " + heap.get(current.id()).name
						+ ", which was freed, and follows its next pointer");
			}
			int[] members = heap.get(owner).lists[slot(list)];
			int i = members.length - 1;
			while (i >= 0 && members[i] != current.id()) {
				i--;
			}
			if (i < 0) {
				throw new Fault(Obligation.SCENARIO_MEMORY, "list poison: " + heap.get(current.id()).name
						+ " was unlinked from " + (owner == 0 ? "" : heap.get(owner).name + ".")
						+ org.lockspec.naming.NameOf.name(list) + " while the walk stood on it; its next pointer is LIST_POISON1");
			}
			return i + 1 < members.length ? Ptr.of(members[i + 1]) : Ptr.NULL;
		}

		boolean bool(Expression e) {
			return Eval.truth(eval(e));
		}

		Object eval(Expression e) {
			return eval.of(e).eval(this);
		}

		/** The slots of the quantified variables being evaluated. */
		Object[] bound() {
			if (bound == null || bound.length < eval.slots()) {
				bound = bound == null ? new Object[eval.slots()] : java.util.Arrays.copyOf(bound, eval.slots());
			}
			return bound;
		}

		private Object[] bound;

		/** A variable's value: the innermost frame that has it; null if none. */
		Object local(EObject d) {
			for (int i = envs.length - 1; i >= 0; i--) {
				Object val = Vars.get(envs[i], d);
				if (val != null) {
					return val;
				}
			}
			return null;
		}

		boolean holds(Key key) {
			for (Held h : held) {
				if (h.key().equals(key)) {
					return true;
				}
			}
			return false;
		}
	}

	/**
	 * Invariant outcomes by what they read of the heap (fields, lists,
	 * refcounts, freed flags: not locks, gates or threads; a lock invariant's
	 * lock is checked apart): many states share them.
	 */
	private final Map<Heap.Data, Map<String, String>> invariantsByHeap = new HashMap<>();
	private Heap lastHeap;
	private Map<String, String> lastOutcome;

	/** Evaluates the invariants in a state; returns the names of those that fail (with why), not to be changed. */
	Map<String, String> failingInvariants(Machine.State s) {
		if (invariants.isEmpty()) {
			return Map.of();
		}
		Map<String, String> known;
		if (s.heap() == lastHeap) {
			known = lastOutcome;
		} else {
			Heap.Data data = new Heap.Data(s.heap());
			known = invariantsByHeap.get(data);
			if (known == null) {
				known = evaluateInvariants(s);
				invariantsByHeap.put(data, known);
			}
			lastHeap = s.heap();
			lastOutcome = known;
		}
		if (known.isEmpty() || lockInvariants.isEmpty()) {
			return known;
		}
		Map<String, String> failing = new java.util.LinkedHashMap<>(known);
		if (!failing.isEmpty() && !lockInvariants.isEmpty()) {
			// a lock invariant ('under L') may be broken while some thread holds L
			for (Invariant inv : lockInvariants) {
				if (failing.containsKey(inv.getName()) && anyHolds(s, inv.getUnder())) {
					failing.remove(inv.getName());
				}
			}
		}
		return failing;
	}

	/** The invariants that hold only while their lock is free ({@code invariant I under L}). */
	private final List<Invariant> lockInvariants;

	/** Did the step from {@code before} to {@code after} release the last hold of a lock some invariant is under? */
	boolean releasedInvariantLock(Machine.State before, Machine.State after) {
		if (invariantLocks.length == 0) {
			return false;
		}
		// most steps leave every thread's locks as they were (the same list)
		Machine.Thread[] a = before.threadArray();
		Machine.Thread[] b = after.threadArray();
		boolean same = true;
		for (int i = 0; i < a.length && same; i++) {
			same = a[i].held() == b[i].held();
		}
		if (same) {
			return false;
		}
		for (EObject lock : invariantLocks) {
			if (anyHolds(before, lock) && !anyHolds(after, lock)) {
				return true;
			}
		}
		return false;
	}

	/** The locks of {@link #lockInvariants}, each once. */
	private final EObject[] invariantLocks;

	private static boolean anyHolds(Machine.State s, EObject lockDecl) {
		for (Machine.Thread t : s.threadArray()) {
			List<Held> held = t.held();
			for (int i = 0; i < held.size(); i++) {
				if (held.get(i).key().decl() == lockDecl) {
					return true;
				}
			}
		}
		return false;
	}

	/** The thread invariants are evaluated in: none of the scenario's, holding nothing. */
	private static final Machine.Thread GHOST = new Machine.Thread("invariant", Context.PROCESS,
			new int[] { OpGraph.EXIT }, new Object[][] { {} }, new Object[][] { Vars.NONE }, List.of(), List.of(), Machine.Thread.NO_REFS, false);

	private Eval.Ev[] compiledInvariants;

	private Map<String, String> evaluateInvariants(Machine.State s) {
		if (compiledInvariants == null) {
			compiledInvariants = invariants.stream().map(i -> eval.of(i.getExpr())).toArray(Eval.Ev[]::new);
		}
		Map<String, String> failing = Map.of();
		Ctx c = new Ctx(s.heap(), GHOST, -1);
		c.invariantMode = true;
		for (int i = 0; i < compiledInvariants.length; i++) {
			String why;
			try {
				if (Eval.truth(compiledInvariants[i].eval(c))) {
					continue;
				}
				why = " does not hold";
			} catch (Fault f) {
				why = " cannot be evaluated: " + f.getMessage();
			}
			if (failing.isEmpty()) {
				failing = new java.util.LinkedHashMap<>();
			}
			String name = invariants.get(i).getName();
			failing.put(name, "invariant " + name + why);
		}
		return failing;
	}
}
