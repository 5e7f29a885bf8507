package org.lockspec.prover.mc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.emf.ecore.EObject;
import org.lockspec.analysis.Sites;
import org.lockspec.analysis.SpecFacts;
import org.lockspec.model.*;
import org.lockspec.prover.mc.Heap.GateState;
import org.lockspec.prover.mc.Heap.LockState;
import org.lockspec.prover.mc.Heap.Obj;
import org.lockspec.prover.mc.Machine.*;
import org.lockspec.verdict.Obligation;
import org.lockspec.typing.SpecType;
import org.lockspec.typing.SpecTypes;
import org.lockspec.typing.Syntax;

/**
 * The scenario machine: the spec's own semantics, one atomic step per
 * statement. Locks block as their kind does (a waiting writer blocks new rwsem
 * readers; rwlock readers are recursive), gates close when drained and make a
 * later {@code enter} fail (the op returns), {@code put} frees at zero, and list
 * walks read the live list, so a node unlinked under a walker poisons its
 * {@code next}.
 */
final class Engine {

	/** A read or write of a field or list a step makes. */
	record Access(int obj, EObject feature, boolean write) {
	}

	/** What a step did, for traces. */
	record Event(int thread, String text, EObject stmt, String chain, boolean waits) {
	}

	/** Something wrong a step did; {@code fatal} stops the run there (memory is corrupt). */
	record Finding(Obligation obligation, String subject, String message, EObject at, boolean fatal) {
	}

	record Succ(Machine.State state, Event event, List<Access> accesses, List<Finding> findings) {
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
	private final Map<Instance, Integer> instanceIds = new HashMap<>();
	/** Source texts and lines, read once per element: the node model walk is too slow for every step. */
	private final Map<EObject, String> texts = new IdentityHashMap<>();
	private final Map<EObject, Integer> lines = new IdentityHashMap<>();
	static final int MAX_THREADS = 8;

	Engine(Spec spec, Scenario scenario, SpecFacts facts) {
		this.spec = spec;
		this.scenario = scenario;
		this.facts = facts;
		this.invariants = org.eclipse.xtext.EcoreUtil2.typeSelect(spec.getMembers(), Invariant.class);
		this.lockInvariants = invariants.stream().filter(i -> i.getUnder() != null).toList();
	}

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
		objects.add(new Obj(null, "<globals>"));
		for (Instance i : scenario.getInstances()) {
			instanceIds.put(i, objects.size());
			Obj o = new Obj(i.getType(), i.getName());
			initialise(o, i.getType());
			objects.add(o);
		}
		Heap heap = new Heap(objects);
		// global state
		for (Member m : spec.getMembers()) {
			if (m instanceof Field f) {
				objects.get(0).fields.put(f, defaultValue(f));
			} else if (m instanceof Ref r) {
				objects.get(0).fields.put(r, Ptr.NULL);
			} else if (m instanceof ListField l) {
				objects.get(0).lists.put(l, new ArrayList<>());
			} else if (m instanceof Lock l) {
				objects.get(0).locks.put(l, LockState.FREE);
			} else if (m instanceof Gate g) {
				objects.get(0).gates.put(g, GateState.OPEN);
			}
		}
		Ctx init = new Ctx(heap, null, -1);
		for (Instance i : scenario.getInstances()) {
			Obj o = objects.get(instanceIds.get(i));
			for (Init in : i.getInits()) {
				o.fields.put(in.getFeature(), init.eval(in.getValue()));
			}
			for (Expression list : i.getLists()) {
				if (list instanceof MemberAccess ma) {
					Object owner = init.eval(ma.getReceiver());
					if (owner instanceof Ptr r && !r.isNull()) {
						objects.get(r.id()).lists.computeIfAbsent(ma.getMember(), k -> new ArrayList<>())
								.add(instanceIds.get(i));
					}
				} else if (list instanceof VarRef v) {
					objects.get(0).lists.computeIfAbsent(v.getRef(), k -> new ArrayList<>()).add(instanceIds.get(i));
				}
			}
		}
		List<Machine.Thread> threads = new ArrayList<>();
		for (ScenarioThread t : scenario.getThreads()) {
			threads.add(start(t.getName(), t.getOp(), argumentValues(init, t.getArgs()), contextOf(t.getOp())));
		}
		return new Machine.State(heap, threads);
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

	private static Machine.Thread start(String name, Operation op, List<Object> args, Context context) {
		Map<EObject, Object> env = new HashMap<>();
		for (int i = 0; i < op.getParams().size() && i < args.size(); i++) {
			env.put(op.getParams().get(i), args.get(i));
		}
		List<Map<EObject, Object>> envs = new ArrayList<>();
		envs.add(env);
		List<Frame> chain = new ArrayList<>();
		chain.add(new Frame(op, null));
		Work k = Work.of(new Seq(op.getBody().getStatements(), 0), Work.of(new PopFrame(), null));
		return new Machine.Thread(name, context, k, envs, chain, List.of(), Map.of(), false);
	}

	private void initialise(Obj o, ObjectType type) {
		for (Feature f : type.getFeatures()) {
			switch (f) {
			case Field field -> o.fields.put(field, defaultValue(field));
			case Ref r -> o.fields.put(r, Ptr.NULL);
			case ListField l -> o.lists.put(l, new ArrayList<>());
			case Refcount rc -> o.refcounts.put(rc, 1);
			case Lock l -> o.locks.put(l, LockState.FREE);
			case Gate g -> o.gates.put(g, GateState.OPEN);
			default -> {
			}
			}
		}
	}

	private static Object defaultValue(Field f) {
		SpecType t = SpecTypes.of(f.getType());
		return t.kind() == SpecType.Kind.BOOL ? Boolean.FALSE : Long.valueOf(0);
	}

	// ------------------------------------------------------------------- steps

	/** The steps thread {@code t} can take in {@code s}; empty if it is blocked or done. */
	List<Succ> successors(Machine.State s, int t) {
		Machine.Thread th = s.threads().get(t);
		if (th.done()) {
			return List.of();
		}
		Machine.Thread norm = normalise(s, th);
		if (norm.k() == null) {
			Ctx c = new Ctx(s.heap(), norm.copyMutable(), t);
			for (Held h : norm.held()) {
				c.finding(Obligation.SCENARIO_HYGIENE, "held",
						th.name() + " returns with " + keyName(s.heap(), h.key()) + " still held (taken at line " + h.line()
								+ ")", null, false);
			}
			for (var e : norm.refs().entrySet()) {
				if (e.getValue() > 0) {
					c.finding(Obligation.SCENARIO_REFCOUNT, "leak", th.name() + " returns still holding " + e.getValue()
							+ " reference(s) to " + s.heap().get(e.getKey()).name + " that it took with get", null, false);
				}
			}
			return List.of(c.finish(s, norm.finished(), new Event(t, "returns", null, chain(norm), false)));
		}
		Item head = norm.k().head();
		Work rest = norm.k().tail();
		return switch (head) {
		case Seq seq -> statement(s, t, norm, seq.list().get(seq.index()),
				Work.of(new Seq(seq.list(), seq.index() + 1), rest));
		case Release r -> {
			Ctx c = new Ctx(s.heap(), norm.copyMutable(), t);
			c.unlock(r.key(), r.stmt());
			yield List.of(c.done(s, rest, "unlock " + keyName(s.heap(), r.key()) + " (end of with)", r.stmt()));
		}
		case ForAdvance f -> {
			Ctx c = new Ctx(s.heap(), norm.copyMutable(), t);
			try {
				Ptr next = c.next(f.current(), f.owner(), f.list(), f.loop());
				yield List.of(c.done(s, Work.of(new ForIter(f.loop(), f.owner(), f.list(), next), rest),
						"next " + ((ForStmt) f.loop()).getName(), f.loop()));
			} catch (Fault fault) {
				yield List.of(c.fault(s, fault, f.loop()));
			}
		}
		case WhileIter w -> {
			Ctx c = new Ctx(s.heap(), norm.copyMutable(), t);
			WhileStmt loop = (WhileStmt) w.loop();
			try {
				boolean cond = c.bool(loop.getCond());
				Work next = cond ? Work.of(new Seq(loop.getBody().getStatements(), 0),
						Work.of(new WhileIter(loop, w.iteration() + 1), rest)) : rest;
				yield List.of(c.done(s, next, "while " + text(loop.getCond()) + " (" + cond + ")", loop));
			} catch (Fault fault) {
				yield List.of(c.fault(s, fault, loop));
			}
		}
		case DrainWait d -> {
			GateState g = s.heap().get(d.gate().obj()).gates.get(d.gate().decl());
			if (g.active() > 0) {
				yield List.of();
			}
			Ctx c = new Ctx(s.heap(), norm.copyMutable(), t);
			yield List.of(c.done(s, rest, "drained " + keyName(s.heap(), d.gate()), d.stmt()));
		}
		default -> List.of();
		};
	}

	/** Takes the silent items off a thread's continuation: block ends, returns, loop heads. */
	private Machine.Thread normalise(Machine.State s, Machine.Thread th) {
		Machine.Thread cur = th;
		boolean copied = false;
		while (cur.k() != null) {
			Item head = cur.k().head();
			Work rest = cur.k().tail();
			if (head instanceof Seq seq && seq.index() >= seq.list().size()) {
				cur = cur.with(rest);
			} else if (head instanceof PopFrame) {
				if (!copied) {
					cur = cur.copyMutable();
					copied = true;
				}
				cur.chain().remove(cur.chain().size() - 1);
				cur.envs().remove(cur.envs().size() - 1);
				cur = cur.with(cur.chain().isEmpty() ? null : rest);
			} else if (head instanceof ForIter f) {
				if (f.current().isNull()) {
					cur = cur.with(rest);
				} else {
					if (!copied) {
						cur = cur.copyMutable();
						copied = true;
					}
					cur.envs().get(cur.envs().size() - 1).put(f.loop(), f.current());
					ForStmt loop = (ForStmt) f.loop();
					cur = cur.with(Work.of(new Seq(loop.getBody().getStatements(), 0),
							Work.of(new ForAdvance(loop, f.owner(), f.list(), f.current()), rest)));
				}
			} else {
				break;
			}
		}
		return cur;
	}

	private List<Succ> statement(Machine.State s, int t, Machine.Thread th, Statement st, Work next) {
		Ctx c = new Ctx(s.heap(), th.copyMutable(), t);
		try {
			return c.exec(s, st, next);
		} catch (Fault fault) {
			return List.of(c.fault(s, fault, st));
		}
	}

	/** What a blocked thread waits for, for deadlock reports. */
	String blockedOn(Machine.State s, int t) {
		Machine.Thread th = normalise(s, s.threads().get(t));
		if (th.k() == null) {
			return "returns";
		}
		Item head = th.k().head();
		if (head instanceof Seq seq) {
			return text(seq.list().get(seq.index()));
		}
		if (head instanceof DrainWait d) {
			return "drain " + keyName(s.heap(), d.gate()) + " (" + s.heap().get(d.gate().obj()).gates.get(d.gate().decl()).active()
					+ " still inside)";
		}
		return head.getClass().getSimpleName();
	}

	EObject blockedStmt(Machine.State s, int t) {
		Machine.Thread th = normalise(s, s.threads().get(t));
		if (th.k() != null && th.k().head() instanceof Seq seq) {
			return seq.list().get(seq.index());
		}
		if (th.k() != null && th.k().head() instanceof DrainWait d) {
			return d.stmt();
		}
		return null;
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
		final java.util.BitSet owned = new java.util.BitSet();
		final Machine.Thread th;
		final int t;
		final List<Access> accesses = new ArrayList<>();
		final List<Finding> findings = new ArrayList<>();
		final List<Machine.Thread> spawned = new ArrayList<>();
		boolean invariantMode;

		Ctx(Heap heap, Machine.Thread th, int t) {
			this.heap = heap;
			this.th = th;
			this.t = t;
		}

		/** The step's own heap: a copy of the state's, made on the first write. */
		Heap write() {
			if (!heapCopied) {
				heap = heap.copy();
				heapCopied = true;
			}
			return heap;
		}

		/** Object {@code id} of the step's own heap, copied on the step's first write to it. */
		Obj write(int id) {
			return write().mutable(id, owned);
		}

		void finding(Obligation ob, String subject, String message, EObject at, boolean fatal) {
			findings.add(new Finding(ob, subject, message, at, fatal));
		}

		Succ finish(Machine.State s, Machine.Thread newThread, Event ev) {
			List<Machine.Thread> threads = new ArrayList<>(s.threads());
			threads.set(t, newThread);
			threads.addAll(spawned);
			return new Succ(new Machine.State(heap, threads), ev, accesses, findings);
		}

		Succ done(Machine.State s, Work next, String text, EObject stmt) {
			Machine.Thread nt = new Machine.Thread(th.name(), th.context(), next, th.envs(), th.chain(), th.held(),
					th.refs(), false);
			return finish(s, nt, new Event(t, text, stmt, chain(th), false));
		}

		Succ fault(Machine.State s, Fault f, EObject at) {
			finding(f.obligation, f.obligation == Obligation.SCENARIO_MEMORY ? "use_after_free" : "fault", f.getMessage(), at,
					true);
			return finish(s, th.finished(), new Event(t, text(at) + "  <-- " + f.getMessage(), at, chain(th), false));
		}

		// ---------------------------------------------------------- statements

		List<Succ> exec(Machine.State s, Statement st, Work next) {
			String text = text(st);
			switch (st) {
			case LockStmt l -> {
				Key key = key(l.getLock());
				LockMode mode = Syntax.mode(st) == null ? LockMode.WRITE : Syntax.mode(st);
				if (!acquirable(s, key, mode)) {
					if (selfHeld(key, mode)) {
						finding(Obligation.SCENARIO_HYGIENE, "AA", th.name() + " takes " + keyName(heap, key)
								+ " again while holding it", st, true);
						return List.of(finish(s, th.finished(), new Event(t, text + "  <-- already held", st, chain(th), true)));
					}
					return List.of();
				}
				sleepCheck(key, st);
				take(key, mode, l.isIrqsave(), st);
				return List.of(done(s, next, text, st));
			}
			case UnlockStmt u -> {
				unlock(key(u.getLock()), st);
				return List.of(done(s, next, text, st));
			}
			case WithStmt w -> {
				Key key = key(w.getLock());
				LockMode mode = Syntax.mode(st) == null ? LockMode.WRITE : Syntax.mode(st);
				if (!acquirable(s, key, mode)) {
					return List.of();
				}
				sleepCheck(key, st);
				take(key, mode, w.isIrqsave(), st);
				return List.of(done(s, Work.of(new Seq(w.getBody().getStatements(), 0), Work.of(new Release(key, st), next)),
						text.replaceAll("\\{.*", "").trim(), st));
			}
			case TrylockStmt tl -> {
				Key key = key(tl.getLock());
				LockMode mode = Syntax.mode(st) == null ? LockMode.WRITE : Syntax.mode(st);
				String head = "trylock " + keyName(heap, key);
				if (acquirable(s, key, mode)) {
					take(key, mode, tl.isIrqsave(), st);
					return List.of(done(s, Work.of(new Seq(tl.getThen().getStatements(), 0), next), head + " (taken)", st));
				}
				return List.of(done(s, elseBranch(tl.getElseIf(), tl.getOtherwise(), next), head + " (busy)", st));
			}
			case IfStmt i -> {
				boolean cond = bool(i.getCond());
				Work w = cond ? Work.of(new Seq(i.getThen().getStatements(), 0), next)
						: elseBranch(i.getElseIf(), i.getOtherwise(), next);
				return List.of(done(s, w, "if " + text(i.getCond()) + " (" + cond + ")", st));
			}
			case ChooseStmt ch -> {
				List<Succ> out = new ArrayList<>();
				for (int b = 0; b < ch.getBranches().size(); b++) {
					Ctx branch = new Ctx(heap, th.copyMutable(), t);
					out.add(branch.done(s, Work.of(new Seq(ch.getBranches().get(b).getStatements(), 0), next),
							"choose branch " + (b + 1), st));
				}
				return out;
			}
			case LetStmt let -> {
				Object v = let.getValue() instanceof NewExpr n ? create(n) : eval(let.getValue());
				th.envs().get(th.envs().size() - 1).put(let, v);
				return List.of(done(s, next, text, st));
			}
			case AssignStmt a -> {
				Object v = eval(a.getValue());
				Expression target = a.getTarget();
				if (target instanceof VarRef vr && vr.getRef() instanceof LetStmt local) {
					for (int i = th.envs().size() - 1; i >= 0; i--) {
						if (th.envs().get(i).containsKey(local)) {
							th.envs().get(i).put(local, v);
							break;
						}
					}
				} else if (target instanceof VarRef vr) {
					store(0, vr.getRef(), v);
				} else if (target instanceof MemberAccess m) {
					store(deref(eval(m.getReceiver()), m), m.getMember(), v);
				}
				return List.of(done(s, next, text, st));
			}
			case AddStmt a -> {
				int elem = deref(eval(a.getElem()), a.getElem());
				int[] list = list(a.getList(), true);
				List<Integer> members = write(list[0]).lists.computeIfAbsent(feature(a.getList()),
						k -> new ArrayList<>());
				if (members.contains(elem)) {
					throw new Fault(Obligation.SCENARIO_MEMORY, "list_add of " + heap.get(elem).name
							+ ", which is already on " + text(a.getList()) + " (corrupts the list)");
				}
				members.add(elem);
				return List.of(done(s, next, text, st));
			}
			case RemoveStmt r -> {
				int elem = deref(eval(r.getElem()), r.getElem());
				int[] list = list(r.getList(), true);
				List<Integer> members = write(list[0]).lists.computeIfAbsent(feature(r.getList()),
						k -> new ArrayList<>());
				if (!members.remove(Integer.valueOf(elem))) {
					throw new Fault(Obligation.SCENARIO_MEMORY, "list_del of " + heap.get(elem).name
							+ ", which is not on " + text(r.getList()) + " (its pointers are poisoned)");
				}
				return List.of(done(s, next, text, st));
			}
			case ForStmt f -> {
				int[] list = list(f.getList(), false);
				List<Integer> members = heap.get(list[0]).lists.getOrDefault(feature(f.getList()), List.of());
				Ptr first = members.isEmpty() ? Ptr.NULL : new Ptr(members.get(0));
				return List.of(done(s, Work.of(new ForIter(f, list[0], feature(f.getList()), first), next),
						"for " + f.getName() + " in " + text(f.getList()), st));
			}
			case WhileStmt w -> {
				boolean cond = bool(w.getCond());
				Work k = cond ? Work.of(new Seq(w.getBody().getStatements(), 0), Work.of(new WhileIter(w, 1), next)) : next;
				return List.of(done(s, k, "while " + text(w.getCond()) + " (" + cond + ")", st));
			}
			case GetStmt g -> {
				int obj = deref(eval(((MemberAccess) g.getRefcount()).getReceiver()), g.getRefcount());
				EObject rc = ((MemberAccess) g.getRefcount()).getMember();
				Obj o = write(obj);
				o.refcounts.merge(rc, 1, Integer::sum);
				th.refs().merge(obj, 1, Integer::sum);
				return List.of(done(s, next, text + "  (" + o.refcounts.get(rc) + ")", st));
			}
			case PutStmt p -> {
				int obj = deref(eval(((MemberAccess) p.getRefcount()).getReceiver()), p.getRefcount());
				EObject rc = ((MemberAccess) p.getRefcount()).getMember();
				Obj o = write(obj);
				int v = o.refcounts.merge(rc, -1, Integer::sum);
				th.refs().merge(obj, -1, Integer::sum);
				if (th.refs().get(obj) == 0) {
					th.refs().remove(obj);
				}
				String what = text + "  (" + v + ")";
				if (v < 0) {
					finding(Obligation.SCENARIO_REFCOUNT, "underflow", "put of " + o.name + " below zero", st, true);
				} else if (v == 0) {
					o.freed = true;
					what = text + "  (0: " + o.name + " freed)";
					String where = linkedWhere(obj);
					if (where != null) {
						finding(Obligation.SCENARIO_REFCOUNT, "freed_linked", o.name + " is freed while still linked on "
								+ where, st, false);
					}
				}
				return List.of(done(s, next, what, st));
			}
			case EnterStmt e -> {
				Key key = key(e.getGate());
				GateState g = heap.get(key.obj()).gates.get(key.decl());
				if (g.closed()) {
					// the node is being removed: the store returns -ENODEV
					return List.of(returnFrom(s, next, text + " (fails: gate closed, returns)", st));
				}
				write(key.obj()).gates.put(key.decl(), new GateState(g.active() + 1, false));
				th.held().add(new Held(key, LockMode.READ, false, line(st)));
				return List.of(done(s, next, text, st));
			}
			case LeaveStmt l -> {
				Key key = key(l.getGate());
				GateState g = heap.get(key.obj()).gates.get(key.decl());
				removeHeld(key);
				write(key.obj()).gates.put(key.decl(), new GateState(Math.max(0, g.active() - 1), g.closed()));
				return List.of(done(s, next, text, st));
			}
			case DrainStmt d -> {
				Key key = key(d.getGate());
				GateState g = heap.get(key.obj()).gates.get(key.decl());
				sleepCheck(null, st);
				write(key.obj()).gates.put(key.decl(), new GateState(g.active(), true));
				return List.of(done(s, Work.of(new DrainWait(key, st), next), text + " (closes the gate)", st));
			}
			case WaitStmt w -> {
				if (!bool(w.getCond())) {
					return List.of();
				}
				sleepCheck(null, st);
				return List.of(done(s, next, text, st));
			}
			case CallStmt call -> {
				List<Object> args = new ArrayList<>();
				for (Expression a : call.getArgs()) {
					args.add(eval(a));
				}
				Operation op = call.getOp();
				Map<EObject, Object> env = new HashMap<>();
				for (int i = 0; i < op.getParams().size() && i < args.size(); i++) {
					env.put(op.getParams().get(i), args.get(i));
				}
				th.envs().add(env);
				th.chain().add(new Frame(op, call));
				return List.of(done(s, Work.of(new Seq(op.getBody().getStatements(), 0), Work.of(new PopFrame(), next)),
						text, st));
			}
			case QueueStmt q -> {
				List<Object> args = new ArrayList<>();
				for (Expression a : q.getArgs()) {
					args.add(eval(a));
				}
				if (s.threads().size() + spawned.size() < MAX_THREADS) {
					spawned.add(start("kworker" + (s.threads().size() + spawned.size()), q.getOp(), args, Context.PROCESS));
				}
				return List.of(done(s, next, text, st));
			}
			case AssertStmt a -> {
				if (!bool(a.getCond())) {
					String msg = a.getMessage() != null ? a.getMessage() : text(a.getCond());
					finding(Obligation.SCENARIO_INVARIANT, "assert@" + line(a), "assertion failed: " + msg, st, false);
				}
				return List.of(done(s, next, text, st));
			}
			case ReturnStmt r -> {
				return List.of(returnFrom(s, next, text, st));
			}
			default -> {
				return List.of(done(s, next, text, st));
			}
			}
		}

		/** Leaves the current op: {@code with} blocks release their locks. */
		Succ returnFrom(Machine.State s, Work next, String text, EObject st) {
			Work w = next;
			for (; w != null; w = w.tail()) {
				if (w.head() instanceof Release r) {
					unlock(r.key(), st);
				} else if (w.head() instanceof PopFrame) {
					break;
				}
			}
			return done(s, w, text, st);
		}

		Work elseBranch(Statement elseIf, Block otherwise, Work next) {
			if (elseIf != null) {
				return Work.of(new Seq(List.of(elseIf), 0), next);
			}
			if (otherwise != null) {
				return Work.of(new Seq(otherwise.getStatements(), 0), next);
			}
			return next;
		}

		// ------------------------------------------------------------- locks

		Key key(Expression e) {
			if (e instanceof VarRef v) {
				return new Key(0, v.getRef());
			}
			MemberAccess m = (MemberAccess) e;
			return new Key(deref(eval(m.getReceiver()), m), m.getMember());
		}

		boolean selfHeld(Key key, LockMode mode) {
			LockState l = heap.get(key.obj()).locks.get(key.decl());
			return l != null && (l.writer() == t || l.readBy(t) && mode == LockMode.WRITE);
		}

		boolean acquirable(Machine.State s, Key key, LockMode mode) {
			LockState l = heap.get(key.obj()).locks.get(key.decl());
			if (l == null) {
				return true;
			}
			LockKind kind = ((Lock) key.decl()).getKind();
			if (mode == LockMode.WRITE || kind == LockKind.MUTEX || kind == LockKind.SPINLOCK
					|| kind == LockKind.RAW_SPINLOCK) {
				return l.free();
			}
			if (l.writer() >= 0) {
				return false;
			}
			if (kind == LockKind.RWSEM) {
				// a writer waiting for this rwsem blocks new readers
				for (int o = 0; o < s.threads().size(); o++) {
					if (o != t && waitsToWrite(s, o, key)) {
						return false;
					}
				}
			}
			return true;
		}

		private boolean waitsToWrite(Machine.State s, int o, Key key) {
			Machine.Thread other = normalise(s, s.threads().get(o));
			if (other.done() || other.k() == null || !(other.k().head() instanceof Seq seq)) {
				return false;
			}
			Statement st = seq.list().get(seq.index());
			Expression lockExpr = st instanceof LockStmt l ? l.getLock() : st instanceof WithStmt w ? w.getLock() : null;
			if (lockExpr == null || Syntax.mode(st) == LockMode.READ) {
				return false;
			}
			try {
				Ctx probe = new Ctx(heap, other.copyMutable(), o);
				return probe.key(lockExpr).equals(key) && !heap.get(key.obj()).locks.get(key.decl()).free();
			} catch (Fault f) {
				return false;
			}
		}

		void take(Key key, LockMode mode, boolean irqsave, EObject st) {
			Obj o = write(key.obj());
			LockState l = o.locks.getOrDefault(key.decl(), LockState.FREE);
			LockKind kind = ((Lock) key.decl()).getKind();
			boolean shared = mode == LockMode.READ && (kind == LockKind.RWSEM || kind == LockKind.RWLOCK);
			o.locks.put(key.decl(), shared ? l.withReader(t) : new LockState(t, l.readers()));
			th.held().add(new Held(key, shared ? LockMode.READ : LockMode.WRITE, irqsave, line(st)));
		}

		void unlock(Key key, EObject st) {
			Held h = removeHeld(key);
			if (h == null) {
				finding(Obligation.SCENARIO_HYGIENE, "stray", th.name() + " unlocks " + keyName(heap, key)
						+ ", which it does not hold", st, false);
				return;
			}
			Obj o = write(key.obj());
			LockState l = o.locks.get(key.decl());
			o.locks.put(key.decl(), h.mode() == LockMode.READ ? l.withoutReader(t) : new LockState(-1, l.readers()));
		}

		Held removeHeld(Key key) {
			for (int i = th.held().size() - 1; i >= 0; i--) {
				if (th.held().get(i).key().equals(key)) {
					return th.held().remove(i);
				}
			}
			return null;
		}

		void sleepCheck(Key key, EObject st) {
			boolean sleeping = key == null;
			if (key != null) {
				LockKind k = ((Lock) key.decl()).getKind();
				sleeping = k == LockKind.MUTEX || k == LockKind.RWSEM
						|| facts.preemptRt() && (k == LockKind.SPINLOCK || k == LockKind.RWLOCK);
			}
			if (!sleeping) {
				return;
			}
			String why = null;
			if (th.context() == Context.HARDIRQ || th.context() == Context.ANY || th.context() == Context.SOFTIRQ) {
				why = "it runs in " + th.context().getLiteral() + " context";
			}
			for (Held h : th.held()) {
				if (h.key().decl() instanceof Lock l && (l.getKind() == LockKind.RAW_SPINLOCK
						|| !facts.preemptRt() && (l.getKind() == LockKind.SPINLOCK || l.getKind() == LockKind.RWLOCK))) {
					why = "it holds the " + l.getKind().getLiteral() + " " + keyName(heap, h.key());
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
			Obj o = new Obj(n.getType(), n.getType().getName().toLowerCase(java.util.Locale.ROOT) + "#" + h.objects.size());
			initialise(o, n.getType());
			int id = h.objects.size();
			h.objects.add(o);
			owned.set(id);
			for (Init in : n.getInits()) {
				o.fields.put(in.getFeature(), eval(in.getValue()));
			}
			return new Ptr(id);
		}

		void store(int obj, EObject feature, Object v) {
			if (!invariantMode) {
				accesses.add(new Access(obj, feature, true));
			}
			write(obj).fields.put(feature, v);
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
		int[] list(Expression e, boolean write) {
			if (e instanceof MemberAccess m) {
				int owner = deref(eval(m.getReceiver()), m);
				if (!invariantMode) {
					accesses.add(new Access(owner, m.getMember(), write));
				}
				return new int[] { owner };
			}
			if (!invariantMode) {
				accesses.add(new Access(0, feature(e), write));
			}
			return new int[] { 0 };
		}

		EObject feature(Expression e) {
			return e instanceof MemberAccess m ? m.getMember() : ((VarRef) e).getRef();
		}

		String linkedWhere(int obj) {
			for (int i = 0; i < heap.objects.size(); i++) {
				for (var e : heap.get(i).lists.entrySet()) {
					if (e.getValue().contains(obj)) {
						return (i == 0 ? "" : heap.get(i).name + ".") + org.lockspec.naming.NameOf.name(e.getKey());
					}
				}
			}
			return null;
		}

		Ptr next(Ptr current, int owner, EObject list, EObject at) {
			if (current.isNull()) {
				return Ptr.NULL;
			}
			if (!invariantMode) {
				accesses.add(new Access(owner, list, false));
			}
			if (heap.get(current.id()).freed && !invariantMode) {
				throw new Fault(Obligation.SCENARIO_MEMORY, "use after free: the walk stands on " + heap.get(current.id()).name
						+ ", which was freed, and follows its next pointer");
			}
			List<Integer> members = heap.get(owner).lists.getOrDefault(list, List.of());
			int i = members.indexOf(current.id());
			if (i < 0) {
				throw new Fault(Obligation.SCENARIO_MEMORY, "list poison: " + heap.get(current.id()).name
						+ " was unlinked from " + (owner == 0 ? "" : heap.get(owner).name + ".")
						+ org.lockspec.naming.NameOf.name(list) + " while the walk stood on it; its next pointer is LIST_POISON1");
			}
			return i + 1 < members.size() ? new Ptr(members.get(i + 1)) : Ptr.NULL;
		}

		boolean bool(Expression e) {
			Object v = eval(e);
			return v instanceof Boolean b && b;
		}

		long integer(Object v) {
			return v instanceof Long l ? l : v instanceof Boolean b ? (b ? 1 : 0) : 0;
		}

		Object eval(Expression e) {
			switch (e) {
			case IntLiteral i -> {
				return i.getValue();
			}
			case BoolLiteral b -> {
				return b.isValue();
			}
			case NullLiteral n -> {
				return Ptr.NULL;
			}
			case Unary u -> {
				Object v = eval(u.getOperand());
				return switch (u.getOp()) {
				case "!" -> !(v instanceof Boolean b && b);
				case "-" -> -integer(v);
				default -> ~integer(v);
				};
			}
			case Binary b -> {
				String op = b.getOp();
				if (op.equals("&&")) {
					return bool(b.getLeft()) && bool(b.getRight());
				}
				if (op.equals("||")) {
					return bool(b.getLeft()) || bool(b.getRight());
				}
				if (op.equals("==>")) {
					return !bool(b.getLeft()) || bool(b.getRight());
				}
				Object l = eval(b.getLeft());
				Object r = eval(b.getRight());
				return switch (op) {
				case "==" -> l.equals(r);
				case "!=" -> !l.equals(r);
				case "<" -> integer(l) < integer(r);
				case "<=" -> integer(l) <= integer(r);
				case ">" -> integer(l) > integer(r);
				case ">=" -> integer(l) >= integer(r);
				case "+" -> integer(l) + integer(r);
				case "-" -> integer(l) - integer(r);
				case "*" -> integer(l) * integer(r);
				case "/" -> integer(r) == 0 ? 0L : integer(l) / integer(r);
				case "%" -> integer(r) == 0 ? 0L : integer(l) % integer(r);
				case "|" -> integer(l) | integer(r);
				case "&" -> integer(l) & integer(r);
				default -> Boolean.FALSE;
				};
			}
			case Quantified q -> {
				boolean forall = q.getQuantifier() == Quantifier.FORALL;
				for (int i = 1; i < heap.objects.size(); i++) {
					if (heap.get(i).type != q.getVariable().getType()) {
						continue;
					}
					th.envs().get(th.envs().size() - 1).put(q.getVariable(), new Ptr(i));
					boolean v = bool(q.getBody());
					if (forall && !v) {
						return false;
					}
					if (!forall && v) {
						return true;
					}
				}
				return forall;
			}
			case BuiltinCall c -> {
				return builtin(c);
			}
			case VarRef v -> {
				EObject d = v.getRef();
				if (d instanceof Const k) {
					return k.getValue();
				}
				if (d instanceof EnumLiteral lit) {
					return (long) ((EnumType) lit.eContainer()).getLiterals().indexOf(lit);
				}
				if (d instanceof Instance i) {
					return new Ptr(instanceIds.get(i));
				}
				for (int i = th.envs().size() - 1; i >= 0; i--) {
					Object val = th.envs().get(i).get(d);
					if (val != null) {
						return val;
					}
				}
				if (d instanceof Field || d instanceof Ref) {
					if (!invariantMode) {
						accesses.add(new Access(0, d, false));
					}
					return heap.get(0).fields.get(d);
				}
				return Ptr.NULL;
			}
			case MemberAccess m -> {
				int obj = deref(eval(m.getReceiver()), m);
				EObject f = m.getMember();
				if (f instanceof Refcount) {
					return (long) heap.get(obj).refcounts.getOrDefault(f, 0);
				}
				if (!invariantMode) {
					accesses.add(new Access(obj, f, false));
				}
				return heap.get(obj).fields.get(f);
			}
			default -> {
				return Ptr.NULL;
			}
			}
		}

		Object builtin(BuiltinCall c) {
			List<Expression> a = c.getArgs();
			switch (c.getFn()) {
			case FIRST -> {
				int[] list = list(a.get(0), false);
				List<Integer> members = heap.get(list[0]).lists.getOrDefault(feature(a.get(0)), List.of());
				return members.isEmpty() ? Ptr.NULL : new Ptr(members.get(0));
			}
			case NEXT -> {
				Object cur = eval(a.get(0));
				int[] list = list(a.get(1), false);
				if (!(cur instanceof Ptr r) || r.isNull()) {
					return Ptr.NULL;
				}
				return next(r, list[0], feature(a.get(1)), c);
			}
			case LINKED -> {
				Object elem = eval(a.get(0));
				int[] list = list(a.get(1), false);
				return elem instanceof Ptr r && !r.isNull()
						&& heap.get(list[0]).lists.getOrDefault(feature(a.get(1)), List.of()).contains(r.id());
			}
			case EMPTY -> {
				int[] list = list(a.get(0), false);
				return heap.get(list[0]).lists.getOrDefault(feature(a.get(0)), List.of()).isEmpty();
			}
			case FREED -> {
				Object v = eval(a.get(0));
				return v instanceof Ptr r && !r.isNull() && heap.get(r.id()).freed;
			}
			case HELD -> {
				Key key = key(a.get(0));
				for (Held h : th.held()) {
					if (h.key().equals(key)) {
						return true;
					}
				}
				return false;
			}
			}
			return Boolean.FALSE;
		}
	}

	/** Invariant outcomes by heap: they read nothing else, and many states share one heap. */
	private final Map<Heap, Map<String, String>> invariantsByHeap = new HashMap<>();

	/** Evaluates the invariants in a state; returns the names of those that fail (with why). */
	Map<String, String> failingInvariants(Machine.State s) {
		if (invariants.isEmpty()) {
			return new java.util.LinkedHashMap<>();
		}
		Map<String, String> known = invariantsByHeap.get(s.heap());
		if (known == null) {
			known = evaluateInvariants(s);
			invariantsByHeap.put(s.heap(), known);
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
		for (Invariant inv : lockInvariants) {
			if (anyHolds(before, inv.getUnder()) && !anyHolds(after, inv.getUnder())) {
				return true;
			}
		}
		return false;
	}

	private static boolean anyHolds(Machine.State s, EObject lockDecl) {
		for (Machine.Thread t : s.threads()) {
			for (Machine.Held h : t.held()) {
				if (h.key().decl() == lockDecl) {
					return true;
				}
			}
		}
		return false;
	}

	private Map<String, String> evaluateInvariants(Machine.State s) {
		Map<String, String> failing = new java.util.LinkedHashMap<>();
		List<Map<EObject, Object>> envs = new ArrayList<>();
		envs.add(new HashMap<>());
		Machine.Thread ghost = new Machine.Thread("invariant", Context.PROCESS, null, envs, new ArrayList<>(),
				new ArrayList<>(), new HashMap<>(), false);
		for (Invariant inv : invariants) {
			Ctx c = new Ctx(s.heap(), ghost, -1);
			c.invariantMode = true;
			try {
				if (!c.bool(inv.getExpr())) {
					failing.put(inv.getName(), "invariant " + inv.getName() + " does not hold");
				}
			} catch (Fault f) {
				failing.put(inv.getName(), "invariant " + inv.getName() + " cannot be evaluated: " + f.getMessage());
			}
		}
		return failing;
	}
}
