package org.lockspec.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.emf.ecore.EObject;
import org.lockspec.kernel.LockKinds;
import org.lockspec.model.AddStmt;
import org.lockspec.model.AssertStmt;
import org.lockspec.model.AssignStmt;
import org.lockspec.model.Binary;
import org.lockspec.model.Block;
import org.lockspec.model.BoolLiteral;
import org.lockspec.model.BuiltinCall;
import org.lockspec.model.CallStmt;
import org.lockspec.model.ChooseStmt;
import org.lockspec.model.Const;
import org.lockspec.model.Context;
import org.lockspec.model.DrainStmt;
import org.lockspec.model.EnterStmt;
import org.lockspec.model.EnumLiteral;
import org.lockspec.model.Expression;
import org.lockspec.model.Field;
import org.lockspec.model.ForStmt;
import org.lockspec.model.Gate;
import org.lockspec.model.GetStmt;
import org.lockspec.model.IfStmt;
import org.lockspec.model.Init;
import org.lockspec.model.IntLiteral;
import org.lockspec.model.LeaveStmt;
import org.lockspec.model.LetStmt;
import org.lockspec.model.ListField;
import org.lockspec.model.Lock;
import org.lockspec.model.LockMode;
import org.lockspec.model.LockStmt;
import org.lockspec.model.MemberAccess;
import org.lockspec.model.NewExpr;
import org.lockspec.model.NullLiteral;
import org.lockspec.model.ObjectType;
import org.lockspec.model.Operation;
import org.lockspec.model.Param;
import org.lockspec.model.PutStmt;
import org.lockspec.model.QueueStmt;
import org.lockspec.model.Quantified;
import org.lockspec.model.Ref;
import org.lockspec.model.Refcount;
import org.lockspec.model.RemoveStmt;
import org.lockspec.model.ReturnStmt;
import org.lockspec.model.Statement;
import org.lockspec.model.TrylockStmt;
import org.lockspec.model.Unary;
import org.lockspec.model.UnlockStmt;
import org.lockspec.model.VarRef;
import org.lockspec.model.WaitStmt;
import org.lockspec.model.WhileStmt;
import org.lockspec.model.WithStmt;
import org.lockspec.typing.SpecType;
import org.lockspec.typing.SpecTypes;
import org.lockspec.typing.Syntax;

/**
 * Walks every path of an entry op with calls inlined, and tells a
 * {@link PathListener} what happens on each. Branches ({@code if}, {@code choose},
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
	private final PathListener listener;
	private final Options options;
	private Topology topology;
	private int paths;
	private int work;
	private String entryName;
	private boolean truncated;

	public Explorer(SpecFacts facts, PathListener listener, Options options) {
		this.facts = facts;
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
		listener.pathStart(s);
		if (options.budget().exhausted()) {
			truncated = true;
			listener.truncated(options.budget().reason());
			return false;
		}
		run(s, Work.of(new Seq(entry.getBody().getStatements(), 0), Work.of(new PopFrame(), null)));
		return !truncated;
	}

	// ------------------------------------------------------------ continuation

	private sealed interface Item permits Seq, PopFrame, Release, ForNext, WhileNext, Join {
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

	private record Seq(List<Statement> list, int index) implements Item {
	}

	private record PopFrame() implements Item {
	}

	private record Release(LockRef ref, EObject stmt) implements Item {
	}

	private record ForNext(ForStmt loop, List<Sym> elements, int index) implements Item {
	}

	private record WhileNext(WhileStmt loop, int iteration) implements Item {
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

	/** A path's state at a {@link Join}, but for its path condition. */
	private record JoinKey(Work at, List<Site.Frame> chain, List<Map<EObject, Sym>> envs, List<Held> held,
			java.util.Set<Sym> fresh) {
	}

	/** For each state at a join, the assumptions every path that went on from there shares. */
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
			case Seq seq -> {
				if (seq.index() >= seq.list().size()) {
					k = rest;
					continue;
				}
				Work next = Work.of(new Seq(seq.list(), seq.index() + 1), rest);
				k = exec(s, seq.list().get(seq.index()), next);
				if (k == STOP) {
					return;
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
			case Release r -> {
				release(s, r.ref(), r.stmt());
				k = rest;
			}
			case ForNext f -> {
				if (f.index() >= f.elements().size()) {
					k = rest;
					continue;
				}
				s.envs.get(s.envs.size() - 1).put(f.loop(), f.elements().get(f.index()));
				k = Work.of(new Seq(f.loop().getBody().getStatements(), 0),
						Work.of(new ForNext(f.loop(), f.elements(), f.index() + 1), rest));
			}
			case Join j -> {
				if (!firstAtJoin(s, rest)) {
					return;
				}
				k = rest;
			}
			case WhileNext w -> {
				Sym cond = eval(s, w.loop().getCond());
				Work exit = rest;
				Work again = Work.of(new Seq(w.loop().getBody().getStatements(), 0),
						Work.of(new WhileNext(w.loop(), w.iteration() + 1), rest));
				if (w.iteration() >= options.loopUnroll()) {
					// bounded: leave the loop after the last unrolled iteration
					assume(s, not(cond));
					k = exit;
				} else {
					fork(s, cond, again, exit);
					return;
				}
			}
			}
		}
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
		JoinKey key = new JoinKey(rest, List.copyOf(s.chain), envs, List.copyOf(s.held), java.util.Set.copyOf(s.fresh));
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

	/** The work after a fork: its branches meet at a {@link Join} before going on. */
	private static Work joining(Work next) {
		return next == null ? null : Work.of(new Join(), next);
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

	/** Executes one statement; returns the work that follows, or STOP if the path ended or forked. */
	private Work exec(PathState s, Statement st, Work next) {
		switch (st) {
		case LockStmt l -> {
			LockRef ref = lockRef(s, l.getLock(), st);
			if (ref != null) {
				acquire(s, ref, modeOf(st), l.isIrqsave(), true, st);
			}
			return next;
		}
		case UnlockStmt u -> {
			LockRef ref = lockRef(s, u.getLock(), st);
			if (ref != null) {
				release(s, ref, st);
			}
			return next;
		}
		case WithStmt w -> {
			LockRef ref = lockRef(s, w.getLock(), st);
			if (ref == null) {
				return Work.of(new Seq(w.getBody().getStatements(), 0), next);
			}
			acquire(s, ref, modeOf(st), w.isIrqsave(), true, st);
			return Work.of(new Seq(w.getBody().getStatements(), 0), Work.of(new Release(ref, st), next));
		}
		case TrylockStmt t -> {
			next = joining(next);
			LockRef ref = lockRef(s, t.getLock(), st);
			Work failure = elseBranch(t.getElseIf(), t.getOtherwise(), next);
			PathState other = s.copy();
			if (ref != null) {
				acquire(s, ref, modeOf(st), t.isIrqsave(), false, st);
			}
			run(s, Work.of(new Seq(t.getThen().getStatements(), 0), next));
			run(other, failure);
			return STOP;
		}
		case IfStmt i -> {
			next = joining(next);
			Sym cond = eval(s, i.getCond());
			fork(s, cond, Work.of(new Seq(i.getThen().getStatements(), 0), next),
					elseBranch(i.getElseIf(), i.getOtherwise(), next));
			return STOP;
		}
		case ChooseStmt c -> {
			next = joining(next);
			List<Block> branches = c.getBranches();
			for (int b = 0; b < branches.size(); b++) {
				PathState p = b == branches.size() - 1 ? s : s.copy();
				run(p, Work.of(new Seq(branches.get(b).getStatements(), 0), next));
			}
			return STOP;
		}
		case LetStmt let -> {
			Sym value;
			if (let.getValue() instanceof NewExpr n) {
				value = create(s, n);
			} else {
				value = eval(s, let.getValue());
			}
			env(s).put(let, value);
			return next;
		}
		case AssignStmt a -> {
			Sym value = eval(s, a.getValue());
			Expression target = a.getTarget();
			if (target instanceof VarRef v && v.getRef() instanceof LetStmt local) {
				assignLocal(s, local, value);
			} else if (target instanceof VarRef v && v.getRef() != null) {
				listener.access(s, null, v.getRef(), true, site(s, st));
			} else if (target instanceof MemberAccess m) {
				Sym obj = eval(s, m.getReceiver());
				if (!s.isFresh(obj)) {
					listener.access(s, obj, m.getMember(), true, site(s, st));
				}
			}
			if (value != null && Sym.typeOf(value) != null) {
				s.fresh.remove(value); // stored somewhere: published
			}
			return next;
		}
		case AddStmt a -> {
			Sym elem = eval(s, a.getElem());
			listAccess(s, a.getList(), true, st);
			s.fresh.remove(elem);
			return next;
		}
		case RemoveStmt r -> {
			eval(s, r.getElem());
			listAccess(s, r.getList(), true, st);
			return next;
		}
		case ForStmt f -> {
			Sym owner = listAccess(s, f.getList(), false, st);
			EObject list = member(f.getList());
			if (topology != null && list != null && facts.isStableList(list)
					&& (owner == null || topology.isInstance(owner))) {
				return Work.of(new ForNext(f, topology.members(owner, list), 0), next);
			}
			// a list whose members are not known: 0, 1 or 2 fresh elements
			List<Sym> elements = freshElements(s, list, f);
			for (int n = 0; n <= elements.size(); n++) {
				PathState p = n == elements.size() ? s : s.copy();
				for (Sym e : elements.subList(0, n)) {
					p.condition.add(new Sym.Linked(e, owner, list)); // what the loop knows of its element
				}
				run(p, Work.of(new ForNext(f, elements.subList(0, n), 0), next));
			}
			return STOP;
		}
		case WhileStmt w -> {
			return Work.of(new WhileNext(w, 0), next);
		}
		case GetStmt g -> {
			eval(s, receiverOf(g.getRefcount()));
			return next;
		}
		case PutStmt p -> {
			eval(s, receiverOf(p.getRefcount()));
			return next;
		}
		case EnterStmt e -> {
			LockRef ref = lockRef(s, e.getGate(), st);
			// entering fails once the gate is drained: the op returns
			PathState failed = s.copy();
			if (ref != null) {
				acquire(s, ref, LockMode.READ, false, false, st);
			}
			run(s, next);
			unwind(failed, next, st);
			return STOP;
		}
		case LeaveStmt l -> {
			LockRef ref = lockRef(s, l.getGate(), st);
			if (ref != null) {
				release(s, ref, st);
			}
			return next;
		}
		case DrainStmt d -> {
			LockRef ref = lockRef(s, d.getGate(), st);
			if (ref != null) {
				listener.sleep(s, "drain " + ref.name(), site(s, st));
				if (facts.gateEntered(ref.decl())) {
					// waits until every holder has left: a write acquisition, released at once
					listener.acquire(s, ref, LockMode.WRITE, false, true, site(s, st));
				}
			}
			return next;
		}
		case WaitStmt w -> {
			eval(s, w.getCond());
			listener.sleep(s, "wait until " + Sites.text(w.getCond()), site(s, st));
			return next;
		}
		case CallStmt c -> {
			Operation op = c.getOp();
			if (op == null || op.eIsProxy() || op.getBody() == null || s.chain.size() > 64) {
				return next;
			}
			List<Sym> args = new ArrayList<>();
			for (Expression a : c.getArgs()) {
				args.add(eval(s, a));
			}
			Map<EObject, Sym> env = new java.util.HashMap<>();
			for (int i = 0; i < op.getParams().size() && i < args.size(); i++) {
				env.put(op.getParams().get(i), args.get(i));
			}
			s.chain.add(new Site.Frame(op, c));
			s.envs.add(env);
			return Work.of(new Seq(op.getBody().getStatements(), 0), Work.of(new PopFrame(), next));
		}
		case QueueStmt q -> {
			for (Expression a : q.getArgs()) {
				eval(s, a); // the queued op runs later on a worker: it is an entry of its own
			}
			return next;
		}
		case AssertStmt a -> {
			eval(s, a.getCond());
			return next;
		}
		case ReturnStmt r -> {
			unwind(s, next, st);
			return STOP;
		}
		default -> {
			return next;
		}
		}
	}

	/** Leaves the current op: {@code with} blocks release their locks, the rest is skipped. */
	private void unwind(PathState s, Work k, EObject at) {
		for (Work w = k; w != null; w = w.tail()) {
			if (w.head() instanceof Release r) {
				release(s, r.ref(), r.stmt());
			} else if (w.head() instanceof PopFrame) {
				run(s, w);
				return;
			}
		}
		endPath(s, at);
	}

	private Work elseBranch(Statement elseIf, Block otherwise, Work next) {
		if (elseIf != null) {
			return Work.of(new Seq(List.of(elseIf), 0), next);
		}
		if (otherwise != null) {
			return Work.of(new Seq(otherwise.getStatements(), 0), next);
		}
		return next;
	}

	// ------------------------------------------------------------------ locks

	private void acquire(PathState s, LockRef ref, LockMode mode, boolean irqsave, boolean blocking, EObject st) {
		Site at = site(s, st);
		listener.acquire(s, ref, mode, irqsave, blocking, at);
		s.held.add(new Held(ref, mode, irqsave, !blocking, false, at));
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

	private static LockMode modeOf(EObject st) {
		return LockKinds.modeTaken(Syntax.mode(st));
	}

	/** The lock or gate instance an expression names, or null. */
	private LockRef lockRef(PathState s, Expression e, EObject st) {
		if (e instanceof VarRef v && (v.getRef() instanceof Lock || v.getRef() instanceof Gate)) {
			return new LockRef(null, v.getRef());
		}
		if (e instanceof MemberAccess m && (m.getMember() instanceof Lock || m.getMember() instanceof Gate)) {
			return new LockRef(eval(s, m.getReceiver()), m.getMember());
		}
		return null;
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
				listener.access(s, owner, m.getMember(), write, site(s, st));
			}
			return owner;
		}
		if (list instanceof VarRef v && v.getRef() != null) {
			listener.access(s, null, v.getRef(), write, site(s, st));
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

	private static Expression receiverOf(Expression e) {
		return e instanceof MemberAccess m ? m.getReceiver() : null;
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
				} else if (c.getFn() == org.lockspec.model.Builtin.HELD) {
					args.add(Sym.TRUE);
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
				listener.access(s, null, d, false, site(s, e));
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
					listener.access(s, obj, f, false, site(s, e));
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
