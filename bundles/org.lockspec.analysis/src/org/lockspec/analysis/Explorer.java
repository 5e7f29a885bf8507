package org.lockspec.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.emf.ecore.EObject;
import org.lockspec.analysis.semantics.Lowering;
import org.lockspec.analysis.semantics.OpGraph;
import org.lockspec.analysis.semantics.OpGraph.Node;
import org.lockspec.analysis.semantics.Step;
import org.lockspec.kernel.LockKinds;
import org.lockspec.kernel.Workqueues;
import org.lockspec.model.Binary;
import org.lockspec.model.BoolLiteral;
import org.lockspec.model.BuiltinCall;
import org.lockspec.model.Completion;
import org.lockspec.model.Const;
import org.lockspec.model.Context;
import org.lockspec.model.EnumLiteral;
import org.lockspec.model.Expression;
import org.lockspec.model.Field;
import org.lockspec.model.ForStmt;
import org.lockspec.model.Gate;
import org.lockspec.model.Guard;
import org.lockspec.model.Guarded;
import org.lockspec.model.Init;
import org.lockspec.model.IntLiteral;
import org.lockspec.model.LetStmt;
import org.lockspec.model.ListField;
import org.lockspec.model.Lock;
import org.lockspec.model.LockMode;
import org.lockspec.model.MemberAccess;
import org.lockspec.model.NewExpr;
import org.lockspec.model.NullLiteral;
import org.lockspec.model.ObjectType;
import org.lockspec.model.Operation;
import org.lockspec.model.Param;
import org.lockspec.model.Quantified;
import org.lockspec.model.Ref;
import org.lockspec.model.Refcount;
import org.lockspec.model.Unary;
import org.lockspec.model.VarRef;
import org.lockspec.model.WhileStmt;
import org.lockspec.model.WithStmt;
import org.lockspec.typing.Guards;
import org.lockspec.typing.SpecType;
import org.lockspec.typing.SpecTypes;

/**
 * Walks every path of an entry op through the ops' graphs of steps
 * ({@link Lowering}), calls inlined, and tells a {@link PathListener} what
 * happens on each. Branches ({@code if}, {@code choose},
 * trylock success and failure, a gate that cannot be entered) fork the path;
 * loops run 0, 1 and 2 times over fresh elements (or over a scenario's known
 * members), which is enough for every pairwise lock dependency and every
 * context a statement can be reached in. Values are symbolic ({@link Sym}); a
 * field that some op writes reads as a fresh unknown each time.
 */
public final class Explorer {

	/**
	 * How far to go. {@code maxPaths} bounds the paths of one entry; beyond it, or once the spec's
	 * {@code budget} is exhausted, the result is incomplete.
	 */
	public record Options(int maxPaths, int loopUnroll, Budget budget) {
		public static final Options DEFAULT = new Options(100_000, 2, Budget.unlimited());

		public Options withBudget(Budget b) {
			return new Options(maxPaths, loopUnroll, b);
		}
	}

	private final SpecFacts facts;
	/** The ops as graphs of steps ({@link Lowering}): what a path walks. */
	private final Lowering lowering;
	private final PathListener listener;
	private final Options options;
	private Topology topology;
	private int paths;
	private int work;
	private String entryName;
	private boolean truncated;

	public Explorer(SpecFacts facts, PathListener listener, Options options) {
		this.facts = facts;
		this.lowering = facts.lowering();
		this.listener = listener;
		this.options = options;
	}

	// ----------------------------------------------------------------- entries

	/** Explores an entry op with symbolic parameters, in its declared context. */
	public boolean explore(Operation entry) {
		List<Sym> args = new ArrayList<>();
		for (Param p : entry.getParams()) {
			SpecType t = SpecTypes.of(p.getType());
			args.add(new Sym.Var(p.getName(), t.objectType(), t.kind() == SpecType.Kind.BOOL));
		}
		return explore(entry, args, SpecFacts.entryContext(entry), entry.getName(), null);
	}

	/**
	 * Explores {@code entry} on the given arguments as thread {@code thread}; with a
	 * topology, reads of unchanging fields and lists take the scenario's values.
	 * Returns false if the path limit cut the exploration short.
	 */
	public boolean explore(Operation entry, List<Sym> args, Context context, String thread, Topology topology) {
		this.topology = topology;
		this.entryName = entry.getName();
		this.paths = 0;
		this.truncated = false;
		this.joined.clear();
		PathState s = new PathState(thread, context);
		s.chain.add(new Site.Frame(entry, null));
		Map<EObject, Sym> env = new java.util.HashMap<>();
		for (int i = 0; i < entry.getParams().size() && i < args.size(); i++) {
			env.put(entry.getParams().get(i), args.get(i));
		}
		s.envs.add(env);
		// an op that releases locks is entered holding them
		for (Expression e : entry.getReleases()) {
			LockRef ref = lockRef(s, e, null);
			if (ref != null) {
				s.held.add(new Held(ref, LockMode.WRITE, false, false, true, new Site(entry, List.copyOf(s.chain))));
			}
		}
		// a work's function runs holding the work, as lockdep has it (process_one_work's lock map of the work);
		// a kthread's and an IRQ thread's function, what kthread_stop and synchronize_irq wait for
		for (org.lockspec.model.Work w : facts.worksRunBy(entry)) {
			Sym owner = w.eContainer() instanceof org.lockspec.model.ObjectType && !args.isEmpty() ? args.get(0) : null;
			Site where = new Site(entry, List.copyOf(s.chain));
			s.held.add(new Held(new LockRef(owner, w), LockMode.WRITE, false, false, true, where));
			if (w.getQueue() != null) {
				// and its workqueue's, which flush_workqueue waits for: lockdep's chain wq -> work -> L, kept as
				// the two dependencies wq -> L and work -> L (a shared hold, so that both are recorded), each a
				// dependency of one CPU
				s.held.add(new Held(queueOf(w, owner), LockMode.READ, false, false, true, where));
			}
		}
		// a runtime PM callback runs holding the device's runtime PM: what pm_runtime_get_sync waits for (or runs)
		for (org.lockspec.model.RuntimePm pm : facts.runtimePmsOf(entry)) {
			Sym owner = !args.isEmpty() ? args.get(0) : null;
			s.held.add(new Held(new LockRef(owner, pm), LockMode.WRITE, false, false, true,
					new Site(entry, List.copyOf(s.chain))));
		}
		listener.pathStart(s);
		if (options.budget().exhausted()) {
			truncated = true;
			listener.truncated(options.budget().reason());
			return false;
		}
		run(s, enter(entry, null));
		return !truncated;
	}

	/** The workqueue a work runs on: a global one, or the one of the object {@code owner} that holds the work. */
	private static LockRef queueOf(org.lockspec.model.Work w, Sym owner) {
		return new LockRef(Workqueues.perObject(w.getQueue()) ? owner : null, w.getQueue());
	}

	// ------------------------------------------------------------ continuation

	/**
	 * What a path does next: where it stands in its innermost op ({@link At}),
	 * then where the branches of a fork meet ({@link Join}), the end of a call
	 * ({@link PopFrame}) and where the caller stands, and so on outwards.
	 */
	private sealed interface Item permits At, PopFrame, Join {
	}

	/**
	 * A node of the frame's op graph ({@link OpGraph#EXIT}: the op ends), with the frame's slots
	 * ({@link OpGraph#slot}): the lock a {@code with} took (null if its lock named none), the elements a
	 * {@code for} walks and how far, the iterations a {@code while} made (null outside the statement).
	 */
	private record At(int node, List<Object> slots) implements Item {
		At to(int next) {
			return new At(next, slots);
		}

		At with(int slot, Object value) {
			List<Object> l = new ArrayList<>(slots);
			l.set(slot, value);
			return new At(node, java.util.Collections.unmodifiableList(l));
		}

		Object slot(int slot) {
			return slots.get(slot);
		}
	}

	/** The walk of a {@code for}: the elements chosen for it, and the index of the next one. */
	private record Walk(List<Sym> elements, int index) {
	}

	/**
	 * Where the branches of a fork meet again: a path that arrives in a state already explored from here
	 * (same place, call chain, variables, locks held and unpublished objects) under a path condition at
	 * least as strong as that exploration's goes no further. What follows would repeat what was seen: the
	 * same acquisitions, accesses and findings, with conditions no weaker. So a sequence of n branches
	 * costs n paths, not 2^n.
	 */
	private record Join() implements Item {
	}

	private record PopFrame() implements Item {
	}

	/** An immutable list of work, shared between forked paths; equal lists are the same place. */
	private static final class Work {
		final Item head;
		final Work tail;
		private int hash;

		private Work(Item head, Work tail) {
			this.head = head;
			this.tail = tail;
		}

		static Work of(Item head, Work tail) {
			return new Work(head, tail);
		}

		Item head() {
			return head;
		}

		Work tail() {
			return tail;
		}

		@Override
		public boolean equals(Object o) {
			if (this == o) {
				return true;
			}
			if (!(o instanceof Work w) || hashCode() != w.hashCode() || !java.util.Objects.equals(head, w.head)) {
				return false;
			}
			return java.util.Objects.equals(tail, w.tail);
		}

		@Override
		public int hashCode() {
			if (hash == 0) {
				hash = 31 * java.util.Objects.hashCode(head) + (tail == null ? 1 : tail.hashCode());
				hash = hash == 0 ? 1 : hash;
			}
			return hash;
		}
	}

	/** The start of {@code op}'s body, its slots empty, then the end of the call, then {@code next}. */
	private Work enter(Operation op, Work next) {
		OpGraph g = lowering.graph(op);
		List<Object> slots = java.util.Collections.unmodifiableList(java.util.Arrays.asList(new Object[g.slotCount()]));
		return Work.of(new At(g.start(), slots), Work.of(new PopFrame(), next));
	}

	/** The op graph of the path's innermost frame. */
	private OpGraph graph(PathState s) {
		return lowering.graph(s.chain.get(s.chain.size() - 1).op());
	}

	/** A path's state at a {@link Join}, but for its path condition. */
	/** Paths that meet are one if they stand in one state: frames, values, locks held, what they passed. */
	private record JoinKey(Work at, List<Site.Frame> chain, List<Map<EObject, Sym>> envs, List<Held> held,
			java.util.Set<Sym> fresh, java.util.Set<List<Object>> passed) {
	}

	/** For each state at a join, the assumptions every path that went on from here shares. */
	private final Map<JoinKey, List<Sym>> joined = new java.util.HashMap<>();

	private void run(PathState s, Work k) {
		while (true) {
			if (truncated) {
				return;
			}
			if ((++work & 4095) == 0) {
				options.budget().progress("the paths of " + entryName, paths, "paths", s.chain.size());
			}
			if ((work & 255) == 0 && options.budget().exhausted()) {
				truncated = true;
				listener.truncated(options.budget().reason());
				return;
			}
			if (k == null) {
				return;
			}
			Item item = k.head();
			Work rest = k.tail();
			switch (item) {
			case At at -> {
				if (arrivesAtJoin(at, rest)) {
					k = Work.of(new Join(), Work.of(at, rest.tail().tail()));
				} else if (at.node() == OpGraph.EXIT) {
					k = rest;
				} else {
					k = step(s, graph(s).node(at.node()), at, rest);
					if (k == STOP) {
						return;
					}
				}
			}
			case PopFrame pop -> {
				s.chain.remove(s.chain.size() - 1);
				s.envs.remove(s.envs.size() - 1);
				if (s.chain.isEmpty()) {
					endPath(s, null);
					return;
				}
				k = rest;
			}
			case Join j -> {
				if (!firstAtJoin(s, rest)) {
					return;
				}
				k = rest;
			}
			}
		}
	}

	/** Whether a branch of a fork has reached the node where the fork's branches meet ({@link #joining}). */
	private static boolean arrivesAtJoin(At at, Work rest) {
		return rest != null && rest.head() instanceof Join && rest.tail().head() instanceof At meet
				&& meet.node() == at.node();
	}

	private static final Work STOP = new Work(null, null);

	/**
	 * Whether the path goes on from a join. Not if a path in the same state went on from here under
	 * assumptions that the path's include (it would repeat what that one saw, with conditions no weaker).
	 * Otherwise it goes on under only the assumptions it shares with every path that went on from here in
	 * that state: a weaker condition makes every later lock dependency at least as feasible, so nothing is
	 * lost, and each such path drops at least one assumption, so a join is passed at most one time more
	 * than the assumptions of the first path there.
	 */
	private boolean firstAtJoin(PathState s, Work rest) {
		List<Map<EObject, Sym>> envs = new ArrayList<>(s.envs.size());
		for (Map<EObject, Sym> env : s.envs) {
			envs.add(Map.copyOf(env));
		}
		java.util.Set<List<Object>> passed = new java.util.HashSet<>();
		for (Held h : s.passed) {
			passed.add(List.of(h.ref(), h.mode()));
		}
		JoinKey key = new JoinKey(rest, List.copyOf(s.chain), envs, List.copyOf(s.held), java.util.Set.copyOf(s.fresh),
				passed);
		List<Sym> shared = joined.get(key);
		if (shared != null && s.condition.containsAll(shared)) {
			return false;
		}
		if (shared != null) {
			s.condition.retainAll(shared);
		}
		joined.put(key, List.copyOf(s.condition));
		return true;
	}

	/**
	 * The work of a branch of fork {@code n} that starts at {@code branch}: its branches meet at
	 * {@link Node#join()}, where a {@link Join} waits for them.
	 */
	private static Work joining(Node n, At at, int branch, Work rest) {
		return Work.of(at.to(branch), Work.of(new Join(), Work.of(at.to(n.join()), rest)));
	}

	/** Continue both ways: which one the path takes depends on state the path does not track (a refcount). */
	private void both(PathState s, Work one, Work other) {
		PathState copy = s.copy();
		run(s, one);
		run(copy, other);
	}

	/** Continue with {@code yes} where {@code cond} holds and {@code no} where it does not. */
	private void fork(PathState s, Sym cond, Work yes, Work no) {
		if (cond instanceof Sym.Bool b) {
			run(s, b.value() ? yes : no);
			return;
		}
		PathState other = s.copy();
		assume(s, cond);
		run(s, yes);
		assume(other, not(cond));
		run(other, no);
	}

	private static void assume(PathState s, Sym cond) {
		if (!(cond instanceof Sym.Bool)) {
			s.condition.add(cond);
		}
	}

	private void endPath(PathState s, EObject at) {
		paths++;
		listener.pathEnd(s, at == null ? null : site(s, at));
		if (paths >= options.maxPaths() && !truncated) {
			truncated = true;
			listener.truncated("more than " + options.maxPaths() + " paths in one entry op");
		}
	}

	/**
	 * Takes step {@code n}, where the path stands at {@code at} with {@code rest} to do after its frame;
	 * returns the work that follows, or STOP if the path ended or forked.
	 */
	private Work step(PathState s, Node n, At at, Work rest) {
		EObject st = n.step().at();
		Work next = Work.of(at.to(n.next()), rest);
		switch (n.step()) {
		case Step.Acquire a -> {
			LockRef ref = lockRef(s, a.lock(), st);
			if (ref != null) {
				// an srcu reader never waits: no dependency into it, as a trylock has none
				acquire(s, ref, a.mode(), a.irqsave(), !ref.isSrcu(), st);
			}
			return a.scope() == null ? next : Work.of(at.with(n.slot(), ref).to(n.next()), rest);
		}
		case Step.Release r -> {
			LockRef ref = lockRef(s, r.lock(), st);
			if (ref != null) {
				release(s, ref, st);
			}
			return next;
		}
		case Step.EndWith e -> {
			if (at.slot(n.slot()) instanceof LockRef ref) {
				release(s, ref, st);
			}
			return Work.of(at.with(n.slot(), null).to(n.next()), rest);
		}
		case Step.TryAcquire t -> {
			LockRef ref = lockRef(s, t.lock(), st);
			PathState other = s.copy();
			if (ref != null) {
				acquire(s, ref, t.mode(), t.irqsave(), false, st);
			}
			run(s, joining(n, at, n.next(), rest));
			run(other, joining(n, at, n.alt(), rest));
			return STOP;
		}
		case Step.Branch b when st instanceof WhileStmt -> {
			Sym cond = eval(s, b.cond());
			int iteration = at.slot(n.slot()) instanceof Integer i ? i : 0;
			Work exit = Work.of(at.with(n.slot(), null).to(n.alt()), rest);
			if (iteration >= options.loopUnroll()) {
				// bounded: leave the loop after the last unrolled iteration
				assume(s, not(cond));
				return exit;
			}
			fork(s, cond, Work.of(at.with(n.slot(), iteration + 1).to(n.next()), rest), exit);
			return STOP;
		}
		case Step.Branch b -> {
			Sym cond = eval(s, b.cond());
			fork(s, cond, joining(n, at, n.next(), rest), joining(n, at, n.alt(), rest));
			return STOP;
		}
		case Step.Choose c -> {
			List<Integer> branches = n.branches();
			for (int b = 0; b < branches.size(); b++) {
				PathState p = b == branches.size() - 1 ? s : s.copy();
				run(p, joining(n, at, branches.get(b), rest));
			}
			return STOP;
		}
		case Step.Bind let -> {
			env(s).put(let.at(), eval(s, let.value()));
			return next;
		}
		case Step.Allocate let -> {
			env(s).put(let.at(), create(s, let.value()));
			return next;
		}
		case Step.Store a -> {
			store(s, a, st);
			return next;
		}
		case Step.ListAdd a -> {
			Sym elem = eval(s, a.elem());
			listAccess(s, a.list(), true, st);
			s.fresh.remove(elem);
			return next;
		}
		case Step.ListDel r -> {
			eval(s, r.elem());
			listAccess(s, r.list(), true, st);
			return next;
		}
		case Step.ForFirst f -> {
			walks(s, n, at, rest);
			return STOP;
		}
		case Step.ForAdvance f -> {
			return walk(s, n, at, rest);
		}
		case Step.RefGet g -> {
			eval(s, g.refcount().getReceiver());
			return next;
		}
		case Step.RefPut p -> {
			eval(s, p.refcount().getReceiver());
			if (p.releases()) {
				both(s, next, Work.of(at.to(n.alt()), rest)); // not the last put, or the last: the release op runs
				return STOP;
			}
			return next;
		}
		case Step.RefPutUnlessLast p -> {
			eval(s, p.refcount().getReceiver());
			both(s, next, Work.of(at.to(n.alt()), rest)); // not the last put, or the last: it takes the lock
			return STOP;
		}
		case Step.RefFree p -> {
			eval(s, p.refcount().getReceiver());
			return next;
		}
		case Step.GateEnter e -> {
			LockRef ref = lockRef(s, e.gate(), st);
			// entering fails once the gate is drained: the op returns
			PathState failed = s.copy();
			if (ref != null) {
				acquire(s, ref, LockMode.READ, false, false, st);
			}
			run(s, next);
			unwind(failed, n, at, rest);
			return STOP;
		}
		case Step.GateLeave l -> {
			LockRef ref = lockRef(s, l.gate(), st);
			if (ref != null) {
				release(s, ref, st);
			}
			return next;
		}
		case Step.GateClose d -> {
			LockRef ref = lockRef(s, d.gate(), st);
			if (ref != null) {
				listener.sleep(s, "drain " + ref.name(), site(s, st));
				if (facts.gateEntered(ref.decl())) {
					// waits until every holder has left
					waitFor(s, ref, site(s, st));
				}
			}
			return next;
		}
		case Step.DrainWait d -> {
			return next; // the wait is the acquisition the gate's closing reported
		}
		case Step.MightSleep m -> {
			listener.sleep(s, "might_sleep", site(s, st));
			return next;
		}
		case Step.WaitUntil w -> {
			eval(s, w.cond());
			listener.sleep(s, "wait until " + Sites.text(w.cond()), site(s, st));
			return next;
		}
		case Step.Complete c -> {
			LockRef ref = lockRef(s, c.completion(), st);
			if (ref != null) {
				listener.complete(s, ref, site(s, st));
			}
			return next;
		}
		case Step.WaitCompletion w -> {
			LockRef ref = lockRef(s, w.completion(), st);
			Site where = site(s, st);
			listener.sleep(s, Sites.text(st), where);
			if (ref != null && !w.mayGiveUp()) {
				waitFor(s, ref, where); // a wait that may give up never waits for ever
			}
			return next;
		}
		case Step.ReinitCompletion r -> {
			lockRef(s, r.completion(), st);
			return next;
		}
		case Step.Call c -> {
			return call(s, c, next);
		}
		case Step.Spawn q -> {
			for (Expression a : q.args()) {
				eval(s, a); // the queued op runs later on a worker: it is an entry of its own
			}
			// but what it completes, it completes after this path got here
			for (EObject completion : facts.lowering().completedBy(q.op())) {
				listener.complete(s, new LockRef(null, completion), site(s, st));
			}
			return next;
		}
		case Step.QueueWork q -> {
			// the work's function runs later on a kworker (an entry of its own), but completes what it
			// completes after this path got here
			if (lockRef(s, q.work(), st) instanceof LockRef ref) {
				for (EObject completion : facts.lowering().completedBy(((org.lockspec.model.Work) ref.decl()).getOp())) {
					listener.complete(s, new LockRef(null, completion), site(s, st));
				}
			}
			return next;
		}
		case Step.FlushWork f -> {
			LockRef ref = lockRef(s, f.work(), st);
			Site where = site(s, st);
			if (f.kind().waitSleeps(false)) {
				listener.sleep(s, Sites.text(st), where);
			} else {
				listener.spinWait(s, Sites.text(st), where);
			}
			if (ref != null && ref.decl() instanceof org.lockspec.model.Work w
					&& Workqueues.flushTakesQueue(f.at().getCall(), w)) {
				waitFor(s, queueOf(w, ref.owner()), where); // lockdep: an ordered queue's lock map too
			}
			if (ref != null) {
				waitFor(s, ref, where); // lockdep: the work's lock map, taken and released
			}
			return next;
		}
		case Step.FlushQueue f -> {
			LockRef ref = lockRef(s, f.queue(), st);
			Site where = site(s, st);
			listener.sleep(s, Sites.text(st), where);
			if (ref != null) {
				waitFor(s, ref, where); // lockdep: the queue's lock map, taken and released
			}
			return next;
		}
		case Step.QueueWait w -> {
			return next; // the wait is the acquisition the flush reported
		}
		case Step.WorkWait w -> {
			return next; // the wait is the acquisition the flush reported
		}
		case Step.CancelWork c -> {
			lockRef(s, c.work(), st);
			return next;
		}
		case Step.WorkBegin b -> {
			return next; // a kworker's start: no entry path comes here
		}
		case Step.IrqControl i -> {
			LockRef ref = lockRef(s, i.irq(), st);
			Site where = site(s, st);
			if (i.waits()) {
				listener.sleep(s, Sites.text(st), where);
				if (ref != null) {
					waitFor(s, ref, where); // for the irq's thread to be idle, or gone
				}
			} else if (i.call() == org.lockspec.model.IrqCall.REQUEST && ref != null) {
				// the thread function runs later (an entry of its own), but completes what it completes after
				// this path got here
				for (EObject completion : facts.lowering().completedBy(((org.lockspec.model.Work) ref.decl()).getOp())) {
					listener.complete(s, new LockRef(null, completion), where);
				}
			}
			return next;
		}
		case Step.SrcuSync y -> {
			LockRef ref = lockRef(s, y.srcu(), st);
			Site where = site(s, st);
			listener.sleep(s, Sites.text(st), where);
			if (ref != null) {
				waitFor(s, ref, where); // lockdep's lock_sync: an acquire and release of the srcu
			}
			return next;
		}
		case Step.SrcuWait y -> {
			return next; // the wait is the acquisition the grace period's start reported
		}
		case Step.IrqWait w -> {
			return next; // the wait is the acquisition the call reported
		}
		case Step.PmControl p -> {
			LockRef ref = lockRef(s, p.pm(), st);
			if (org.lockspec.kernel.RuntimePmState.waits(p.call())) {
				Site where = site(s, st);
				listener.sleep(s, Sites.text(st), where);
				if (ref != null) {
					waitFor(s, ref, where); // for a callback under way, or one it runs itself
				}
			}
			return next;
		}
		case Step.PmSettle p -> {
			return next; // the callback's end: the call reported the wait
		}
		case Step.PmBegin b -> {
			return next; // the PM workqueue's kworker: no entry path comes here
		}
		case Step.Assert a -> {
			eval(s, a.cond());
			return next;
		}
		case Step.Return r -> {
			unwind(s, n, at, rest);
			return STOP;
		}
		}
	}

	private void store(PathState s, Step.Store a, EObject st) {
		Sym value = eval(s, a.value());
		Expression target = a.target();
		if (target instanceof VarRef v && v.getRef() instanceof LetStmt local) {
			assignLocal(s, local, value);
		} else if (target instanceof VarRef v && v.getRef() != null) {
			listener.access(s, null, v.getRef(), true, guards(s, null, v.getRef()), site(s, st));
		} else if (target instanceof MemberAccess m) {
			Sym obj = eval(s, m.getReceiver());
			if (!s.isFresh(obj)) {
				listener.access(s, obj, m.getMember(), true, guards(s, obj, m.getMember()), site(s, st));
			}
		}
		if (value != null && Sym.typeOf(value) != null) {
			s.fresh.remove(value); // stored somewhere: published
		}
	}

	/** Enters a call's op, unless it has no body (or the chain is too deep): then it does nothing here. */
	private Work call(PathState s, Step.Call c, Work next) {
		Operation op = c.op();
		if (op == null || op.eIsProxy() || op.getBody() == null || s.chain.size() > 64) {
			return next;
		}
		List<Sym> args = new ArrayList<>();
		for (Expression a : c.args()) {
			args.add(eval(s, a));
		}
		Map<EObject, Sym> env = new java.util.HashMap<>();
		for (int i = 0; i < op.getParams().size() && i < args.size(); i++) {
			env.put(op.getParams().get(i), args.get(i));
		}
		s.chain.add(new Site.Frame(op, c.at()));
		s.envs.add(env);
		return enter(op, next);
	}

	/**
	 * The start of a {@code for}: its elements are the scenario's members of a list that never changes,
	 * else 0, 1 or 2 fresh ones, each a path of its own that knows its elements are on the list.
	 */
	private void walks(PathState s, Node n, At at, Work rest) {
		ForStmt f = (ForStmt) n.step().at();
		Sym owner = listAccess(s, f.getList(), false, f);
		EObject list = member(f.getList());
		if (topology != null && list != null && facts.isStableList(list)
				&& (owner == null || topology.isInstance(owner))) {
			run(s, walk(s, n, at.with(n.slot(), new Walk(topology.members(owner, list), 0)), rest));
			return;
		}
		List<Sym> elements = freshElements(s, list, f);
		for (int count = 0; count <= elements.size(); count++) {
			PathState p = count == elements.size() ? s : s.copy();
			for (Sym e : elements.subList(0, count)) {
				p.condition.add(new Sym.Linked(e, owner, list)); // what the loop knows of its element
			}
			run(p, walk(p, n, at.with(n.slot(), new Walk(elements.subList(0, count), 0)), rest));
		}
	}

	/** A {@code for} goes on to its next element, or past the loop once it has walked them all. */
	private Work walk(PathState s, Node n, At at, Work rest) {
		Walk w = (Walk) at.slot(n.slot());
		if (w.index() >= w.elements().size()) {
			return Work.of(at.with(n.slot(), null).to(n.alt()), rest);
		}
		env(s).put(n.step().at(), w.elements().get(w.index()));
		return Work.of(at.with(n.slot(), new Walk(w.elements(), w.index() + 1)).to(n.next()), rest);
	}

	/**
	 * Leaves the current op from node {@code n} ({@code return}, a failed {@code enter}): the {@code with}
	 * blocks open there release their locks, and the path goes on in the caller (or ends).
	 */
	private void unwind(PathState s, Node n, At at, Work rest) {
		OpGraph g = graph(s);
		for (WithStmt w : n.unwind()) {
			if (at.slot(g.slot(w)) instanceof LockRef ref) {
				release(s, ref, n.step().at());
			}
		}
		for (Work w = rest; w != null; w = w.tail()) {
			if (w.head() instanceof PopFrame) {
				run(s, w);
				return;
			}
		}
		endPath(s, n.step().at());
	}

	// ------------------------------------------------------------------ locks

	private void acquire(PathState s, LockRef ref, LockMode mode, boolean irqsave, boolean blocking, EObject st) {
		Site at = site(s, st);
		listener.acquire(s, ref, mode, irqsave, blocking, at);
		Held h = new Held(ref, mode, irqsave, !blocking, false, at);
		s.held.add(h);
		if (blocking && facts.completes()) {
			s.passed.add(h);
		}
	}

	/** A wait that is over once it is done (a drain, a completion): a write acquisition released at once. */
	private void waitFor(PathState s, LockRef ref, Site at) {
		listener.acquire(s, ref, LockMode.WRITE, false, true, at);
		if (facts.completes()) {
			s.passed.add(new Held(ref, LockMode.WRITE, false, false, false, at));
		}
	}

	private void release(PathState s, LockRef ref, EObject st) {
		Held match = null;
		for (int i = s.held.size() - 1; i >= 0; i--) {
			if (s.held.get(i).ref().equals(ref)) {
				match = s.held.get(i);
				break;
			}
		}
		listener.release(s, ref, match, site(s, st));
		if (match != null) {
			s.held.remove(match);
		} else {
			// keep going as the kernel would: the wrong instance is what gets unlocked
			for (int i = s.held.size() - 1; i >= 0; i--) {
				if (s.held.get(i).ref().decl() == ref.decl()) {
					s.held.remove(i);
					break;
				}
			}
		}
	}


	/** The lock, gate, completion or work instance an expression names, or null. */
	private LockRef lockRef(PathState s, Expression e, EObject st) {
		if (e instanceof VarRef v && isWaitable(v.getRef())) {
			return new LockRef(null, v.getRef());
		}
		if (e instanceof MemberAccess m && isWaitable(m.getMember())) {
			return new LockRef(eval(s, m.getReceiver()), m.getMember());
		}
		return null;
	}

	private static boolean isWaitable(EObject decl) {
		return decl instanceof Lock || decl instanceof Gate || decl instanceof Completion
				|| decl instanceof org.lockspec.model.Work || decl instanceof org.lockspec.model.RuntimePm;
	}

	// ---------------------------------------------------------------- values

	private Map<EObject, Sym> env(PathState s) {
		return s.envs.get(s.envs.size() - 1);
	}

	private void assignLocal(PathState s, LetStmt local, Sym value) {
		for (int i = s.envs.size() - 1; i >= 0; i--) {
			if (s.envs.get(i).containsKey(local)) {
				s.envs.get(i).put(local, value);
				return;
			}
		}
		env(s).put(local, value);
	}

	private Sym create(PathState s, NewExpr n) {
		ObjectType type = n.getType();
		Sym obj = new Sym.New(n, type, s.next("new@" + System.identityHashCode(n)));
		s.fresh.add(obj);
		for (Init init : n.getInits()) {
			eval(s, init.getValue());
		}
		return obj;
	}

	/** Evaluates the list owner of a list expression and reports the access. */
	private Sym listAccess(PathState s, Expression list, boolean write, EObject st) {
		if (list instanceof MemberAccess m) {
			Sym owner = eval(s, m.getReceiver());
			if (!s.isFresh(owner)) {
				listener.access(s, owner, m.getMember(), write, guards(s, owner, m.getMember()), site(s, st));
			}
			return owner;
		}
		if (list instanceof VarRef v && v.getRef() != null) {
			listener.access(s, null, v.getRef(), write, guards(s, null, v.getRef()), site(s, st));
		}
		return null;
	}

	private List<Sym> freshElements(PathState s, EObject list, ForStmt f) {
		ObjectType type = list instanceof ListField lf ? lf.getType() : null;
		List<Sym> elements = new ArrayList<>();
		for (int i = 0; i < options.loopUnroll(); i++) {
			elements.add(new Sym.Var(f.getName() + "#" + s.next("elem@" + System.identityHashCode(f)), type, false));
		}
		return elements;
	}

	private static EObject member(Expression e) {
		return e instanceof MemberAccess m ? m.getMember() : e instanceof VarRef v ? v.getRef() : null;
	}

	/** Evaluates an expression to a symbolic value, reporting the reads it makes. */
	Sym eval(PathState s, Expression e) {
		switch (e) {
		case null -> {
			return fresh(s, "?", null, false);
		}
		case IntLiteral i -> {
			return new Sym.Int(i.getValue());
		}
		case BoolLiteral b -> {
			return b.isValue() ? Sym.TRUE : Sym.FALSE;
		}
		case NullLiteral n -> {
			return Sym.NULL;
		}
		case Unary u -> {
			Sym a = eval(s, u.getOperand());
			if ("!".equals(u.getOp())) {
				return not(a);
			}
			if (a instanceof Sym.Int i) {
				return new Sym.Int("-".equals(u.getOp()) ? -i.value() : ~i.value());
			}
			return new Sym.Op(u.getOp(), List.of(a));
		}
		case Binary b -> {
			return binary(b.getOp(), eval(s, b.getLeft()), eval(s, b.getRight()));
		}
		case BuiltinCall c -> {
			List<Sym> args = new ArrayList<>();
			for (int i = 0; i < c.getArgs().size(); i++) {
				Expression a = c.getArgs().get(i);
				boolean listArg = switch (c.getFn()) {
				case FIRST, EMPTY -> i == 0;
				case NEXT, LINKED -> i == 1;
				default -> false;
				};
				if (listArg) {
					args.add(listAccess(s, a, false, c));
				} else if (c.getFn() == org.lockspec.model.Builtin.HELD
						|| c.getFn() == org.lockspec.model.Builtin.KTHREAD_SHOULD_STOP) {
					args.add(Sym.TRUE); // names a lock or a kthread: no value read
				} else {
					args.add(eval(s, a));
				}
			}
			return switch (c.getFn()) {
			case FIRST, NEXT -> {
				SpecType t = SpecTypes.typeOf(e);
				yield fresh(s, c.getFn().getLiteral(), t.objectType(), false);
			}
			case LINKED -> new Sym.Linked(args.get(0), args.size() > 1 ? args.get(1) : null, member(c.getArgs().get(1)));
			default -> fresh(s, c.getFn().getLiteral(), null, true);
			};
		}
		case Quantified q -> {
			return fresh(s, "forall", null, true);
		}
		case NewExpr n -> {
			return create(s, n);
		}
		case VarRef v -> {
			EObject d = v.getRef();
			if (d instanceof EnumLiteral lit) {
				return new Sym.Int(((org.lockspec.model.EnumType) lit.eContainer()).getLiterals().indexOf(lit));
			}
			if (d instanceof Const c) {
				return new Sym.Int(c.getValue());
			}
			for (int i = s.envs.size() - 1; i >= 0; i--) {
				Sym value = s.envs.get(i).get(d);
				if (value != null) {
					return value;
				}
			}
			if (d instanceof Field || d instanceof Ref) {
				listener.access(s, null, d, false, guards(s, null, d), site(s, e));
				return read(s, null, d);
			}
			return fresh(s, org.lockspec.naming.NameOf.name(d), SpecTypes.typeOf(v).objectType(), false);
		}
		case MemberAccess m -> {
			Sym obj = eval(s, m.getReceiver());
			EObject f = m.getMember();
			if (f instanceof Refcount) {
				return fresh(s, obj + "." + org.lockspec.naming.NameOf.name(f), null, false);
			}
			if (f instanceof Field || f instanceof Ref) {
				if (!s.isFresh(obj)) {
					listener.access(s, obj, f, false, guards(s, obj, f), site(s, e));
				}
				return read(s, obj, f);
			}
			return fresh(s, obj + "." + org.lockspec.naming.NameOf.name(f), null, false);
		}
		default -> {
			return fresh(s, "?", null, false);
		}
		}
	}

	/**
	 * The locks that guard an access to {@code feature} of {@code obj} (null: a global) on this path, as its
	 * {@code guarded_by} names them: an own lock of {@code obj}, a global lock, or the lock of the object its refs
	 * lead to now (refs no op assigns, so a lock statement that reads them reaches the same instance).
	 */
	private List<LockRef> guards(PathState s, Sym obj, EObject feature) {
		if (!(feature instanceof Guarded guarded) || guarded.getGuards().isEmpty()) {
			return List.of();
		}
		List<LockRef> out = new ArrayList<>();
		for (Guard guard : guarded.getGuards()) {
			Lock lock = Guards.lock(guard);
			if (lock == null) {
				continue;
			}
			Sym owner = obj;
			for (Ref ref : Guards.path(guard)) {
				owner = read(s, owner, ref);
			}
			out.add(new LockRef(lock.eContainer() instanceof ObjectType ? owner : null, lock));
		}
		return out;
	}

	/** The value of a field: fixed if no op writes it (from the scenario if known), else unknown. */
	private Sym read(PathState s, Sym obj, EObject field) {
		ObjectType refType = field instanceof Ref r ? r.getType() : null;
		boolean bool = field instanceof Field f && SpecTypes.of(f.getType()).kind() == SpecType.Kind.BOOL;
		if (!facts.isStable(field) || s.isFresh(obj)) {
			return fresh(s, (obj == null ? "" : obj + ".") + org.lockspec.naming.NameOf.name(field), refType, bool);
		}
		if (topology != null && (obj == null || topology.isInstance(obj))) {
			Expression init = obj == null ? null : topology.init(obj, field);
			if (init != null) {
				return evalConst(init);
			}
			if (obj != null) {
				return field instanceof Ref ? Sym.NULL : bool ? Sym.FALSE : new Sym.Int(0);
			}
		}
		return new Sym.Read(obj, field);
	}

	/** A scenario initialiser: instances, literals and constants. */
	private Sym evalConst(Expression e) {
		if (e instanceof VarRef v && v.getRef() instanceof org.lockspec.model.Instance i && topology != null) {
			Sym inst = topology.instance(i);
			if (inst != null) {
				return inst;
			}
		}
		PathState scratch = new PathState("init", Context.PROCESS);
		scratch.envs.add(new java.util.HashMap<>());
		return eval(scratch, e);
	}

	private static Sym fresh(PathState s, String what, ObjectType type, boolean bool) {
		return new Sym.Var(what + "'" + s.next("fresh"), type, bool);
	}

	static Sym not(Sym a) {
		if (a instanceof Sym.Bool b) {
			return b.value() ? Sym.FALSE : Sym.TRUE;
		}
		if (a instanceof Sym.Op o && "!".equals(o.op())) {
			return o.args().get(0);
		}
		return new Sym.Op("!", List.of(a));
	}

	static Sym binary(String op, Sym l, Sym r) {
		if (l instanceof Sym.Int a && r instanceof Sym.Int b) {
			long x = a.value();
			long y = b.value();
			switch (op) {
			case "+": return new Sym.Int(x + y);
			case "-": return new Sym.Int(x - y);
			case "*": return new Sym.Int(x * y);
			case "/": return y == 0 ? new Sym.Op(op, List.of(l, r)) : new Sym.Int(x / y);
			case "%": return y == 0 ? new Sym.Op(op, List.of(l, r)) : new Sym.Int(x % y);
			case "|": return new Sym.Int(x | y);
			case "&": return new Sym.Int(x & y);
			case "==": return new Sym.Bool(x == y);
			case "!=": return new Sym.Bool(x != y);
			case "<": return new Sym.Bool(x < y);
			case "<=": return new Sym.Bool(x <= y);
			case ">": return new Sym.Bool(x > y);
			case ">=": return new Sym.Bool(x >= y);
			default: break;
			}
		}
		if (l instanceof Sym.Bool a && r instanceof Sym.Bool b) {
			switch (op) {
			case "&&": return new Sym.Bool(a.value() && b.value());
			case "||": return new Sym.Bool(a.value() || b.value());
			case "==>": return new Sym.Bool(!a.value() || b.value());
			case "==": return new Sym.Bool(a.value() == b.value());
			case "!=": return new Sym.Bool(a.value() != b.value());
			default: break;
			}
		}
		if (("==".equals(op) || "!=".equals(op)) && isObject(l) && isObject(r) && l.equals(r)) {
			return new Sym.Bool("==".equals(op));
		}
		if ("&&".equals(op) && (l.equals(Sym.FALSE) || r.equals(Sym.FALSE))) {
			return Sym.FALSE;
		}
		if ("||".equals(op) && (l.equals(Sym.TRUE) || r.equals(Sym.TRUE))) {
			return Sym.TRUE;
		}
		return new Sym.Op(op, List.of(l, r));
	}

	private static boolean isObject(Sym s) {
		return s instanceof Sym.Null || Sym.typeOf(s) != null;
	}

	private static Site site(PathState s, EObject at) {
		return new Site(at, List.copyOf(s.chain));
	}
}
