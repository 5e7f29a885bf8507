package org.lockspec.analysis.semantics;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.emf.ecore.EObject;
import org.lockspec.analysis.semantics.OpGraph.Node;
import org.lockspec.kernel.LockKinds;
import org.lockspec.kernel.WorkKind;
import org.lockspec.model.*;
import org.lockspec.typing.Syntax;

/**
 * The one place that says what a statement does, as steps and edges: each
 * op's body becomes an {@link OpGraph}, made once per op and shared. Engines
 * interpret steps; none of them reads a statement.
 */
public final class Lowering {

	/** Concurrent: one lowering serves every engine of a spec ({@code SpecFacts.lowering()}). */
	private final Map<Operation, OpGraph> graphs = new ConcurrentHashMap<>();
	private final Map<Operation, Set<EObject>> completes = new ConcurrentHashMap<>();

	/** The op's graph; an op without a body has an empty graph (its start is {@link OpGraph#EXIT}). */
	public OpGraph graph(Operation op) {
		return graphs.computeIfAbsent(op, Lowering::lower);
	}

	/**
	 * The completions (declarations: classes, not instances) that a thread standing at node {@code from} of
	 * {@code op} may still complete: a {@code complete} or {@code complete_all} reachable from there, or in an op
	 * called or queued on the way (a queued op completes after its queuer got there).
	 */
	public Set<EObject> completedFrom(Operation op, int from) {
		Set<EObject> out = new HashSet<>();
		Set<Operation> ops = new HashSet<>();
		reachable(op, from, out, ops);
		for (Operation o : ops) {
			out.addAll(completedBy(o));
		}
		return out;
	}

	/** What {@link #completedFrom} says of the whole op: what it, and every op it calls or queues, completes. */
	public Set<EObject> completedBy(Operation op) {
		if (op == null || op.eIsProxy()) {
			return Set.of();
		}
		return completes.computeIfAbsent(op, first -> {
			Set<EObject> out = new HashSet<>();
			Set<Operation> done = new HashSet<>();
			Deque<Operation> todo = new ArrayDeque<>(List.of(first));
			while (!todo.isEmpty()) {
				Operation o = todo.poll();
				if (o != null && !o.eIsProxy() && done.add(o)) {
					Set<Operation> more = new HashSet<>();
					reachable(o, graph(o).start(), out, more);
					todo.addAll(more);
				}
			}
			return Set.copyOf(out);
		});
	}

	/** The completions completed in {@code op}'s graph from node {@code from} on, and the ops called or queued there. */
	private void reachable(Operation op, int from, Set<EObject> completions, Set<Operation> ops) {
		OpGraph g = graph(op);
		Deque<Integer> todo = new ArrayDeque<>();
		Set<Integer> seen = new HashSet<>();
		if (from >= 0) {
			todo.add(from);
		}
		while (!todo.isEmpty()) {
			Node n = g.node(todo.poll());
			if (!seen.add(n.id())) {
				continue;
			}
			switch (n.step()) {
			case Step.Complete c -> {
				EObject decl = Syntax.declaration(c.completion());
				if (decl != null) {
					completions.add(decl);
				}
			}
			case Step.Call c -> ops.add(c.op());
			case Step.PmControl p when Syntax.declaration(p.pm()) instanceof RuntimePm pm -> {
				ops.add(pm.getResume()); // a callback the caller may run itself
				ops.add(pm.getSuspend());
			}
			case Step.Spawn q -> ops.add(q.op());
			case Step.QueueWork q -> {
				if (Syntax.declaration(q.work()) instanceof Work w && w.getOp() != null) {
					ops.add(w.getOp());
				}
			}
			case Step.IrqControl i -> {
				if (i.call() == IrqCall.REQUEST && Syntax.declaration(i.irq()) instanceof Work w && w.getOp() != null) {
					ops.add(w.getOp());
				}
			}
			default -> {
			}
			}
			todo.addAll(n.successors());
		}
	}

	private static OpGraph lower(Operation op) {
		OpGraph g = new OpGraph(op);
		if (op.getBody() != null) {
			g.start = new Builder(g).block(op.getBody(), new Where(List.of(), false), OpGraph.EXIT);
		}
		for (Work w : org.eclipse.xtext.EcoreUtil2.eAllOfType(org.eclipse.xtext.EcoreUtil2.getRootContainer(op), Work.class)) {
			if (w.getOp() == op) {
				g.addWorkBegin(w);
			}
		}
		for (RuntimePm pm : org.eclipse.xtext.EcoreUtil2.eAllOfType(org.eclipse.xtext.EcoreUtil2.getRootContainer(op), RuntimePm.class)) {
			if (pm.getSuspend() == op) {
				g.addPmBegin(pm);
			}
		}
		return g;
	}

	/** What encloses a statement: the open {@code with} blocks (outermost first), and whether a loop does. */
	private record Where(List<WithStmt> withs, boolean inLoop) {
		Where loop() {
			return new Where(withs, true);
		}

		Where with(WithStmt w) {
			List<WithStmt> l = new ArrayList<>(withs);
			l.add(w);
			return new Where(l, inLoop);
		}
	}

	/** Builds backwards: each statement is lowered knowing the node that follows it. */
	private static final class Builder {
		private final OpGraph g;

		Builder(OpGraph g) {
			this.g = g;
		}

		int block(Block b, Where w, int k) {
			int target = k;
			if (b != null) {
				for (int i = b.getStatements().size() - 1; i >= 0; i--) {
					target = statement(b.getStatements().get(i), w, target);
				}
			}
			return target;
		}

		private int otherwise(Statement elseIf, Block otherwise, Where w, int k) {
			return elseIf != null ? statement(elseIf, w, k) : block(otherwise, w, k);
		}

		private Node step(Step s, Where w, int next) {
			Node n = g.add(s, w.inLoop());
			n.next = next;
			return n;
		}

		private int statement(Statement s, Where w, int k) {
			switch (s) {
			case LockStmt l -> {
				return step(new Step.Acquire(l, Syntax.lockOperand(l), mode(l), l.isIrqsave()), w, k).id();
			}
			case UnlockStmt u -> {
				return step(new Step.Release(u, Syntax.lockOperand(u)), w, k).id();
			}
			case TrylockStmt t -> {
				Node n = step(new Step.TryAcquire(t, t.getLock(), mode(t), t.isIrqsave()), w, block(t.getThen(), w, k));
				n.alt = otherwise(t.getElseIf(), t.getOtherwise(), w, k);
				n.join = k;
				return n.id();
			}
			case IfStmt i -> {
				Node n = step(new Step.Branch(i, i.getCond()), w, block(i.getThen(), w, k));
				n.alt = otherwise(i.getElseIf(), i.getOtherwise(), w, k);
				n.join = k;
				return n.id();
			}
			case WhileStmt loop -> {
				// the test is one node: the loop's body ends by going back to it
				Node test = step(new Step.Branch(loop, loop.getCond()), w.loop(), OpGraph.EXIT);
				test.slot = g.slotFor(loop);
				test.next = block(loop.getBody(), w.loop(), test.id());
				test.alt = k;
				return test.id();
			}
			case ForStmt f -> {
				Node advance = step(new Step.ForAdvance(f), w.loop(), OpGraph.EXIT);
				int body = block(f.getBody(), w.loop(), advance.id());
				advance.next = body;
				advance.alt = k;
				Node first = step(new Step.ForFirst(f), w, body);
				first.alt = k;
				first.slot = g.slotFor(f);
				advance.slot = first.slot;
				return first.id();
			}
			case WithStmt with -> {
				Node end = step(new Step.EndWith(with), w, k);
				end.slot = g.slotFor(with);
				int body = block(with.getBody(), w.with(with), end.id());
				Node acquire = step(new Step.Acquire(with, with.getLock(), mode(with), with.isIrqsave()), w, body);
				acquire.slot = end.slot;
				return acquire.id();
			}
			case ChooseStmt ch -> {
				Node n = step(new Step.Choose(ch), w, OpGraph.EXIT);
				n.join = k;
				n.branches = new int[ch.getBranches().size()];
				for (int b = 0; b < n.branches.length; b++) {
					n.branches[b] = block(ch.getBranches().get(b), w, k);
				}
				return n.id();
			}
			case LetStmt let when let.getValue() instanceof NewExpr ne -> {
				return step(new Step.Allocate(let, ne), w, k).id();
			}
			case LetStmt let -> {
				return step(new Step.Bind(let, let.getValue()), w, k).id();
			}
			case AssignStmt a -> {
				return step(new Step.Store(a, a.getTarget(), a.getValue()), w, k).id();
			}
			case AddStmt a -> {
				return step(new Step.ListAdd(a, a.getElem(), a.getList()), w, k).id();
			}
			case RemoveStmt r -> {
				return step(new Step.ListDel(r, r.getElem(), r.getList()), w, k).id();
			}
			case GetStmt get -> {
				return step(new Step.RefGet(get, (MemberAccess) get.getRefcount()), w, k).id();
			}
			case PutStmt put -> {
				return put(put, w, k);
			}
			case EnterStmt e -> {
				Node n = step(new Step.GateEnter(e, e.getGate()), w, k);
				n.alt = OpGraph.EXIT;
				n.unwind = w.withs().reversed();
				return n.id();
			}
			case LeaveStmt l -> {
				return step(new Step.GateLeave(l, l.getGate()), w, k).id();
			}
			case DrainStmt d -> {
				Node wait = step(new Step.DrainWait(d, d.getGate()), w, k);
				wait.slot = g.slotFor(d);
				Node close = step(new Step.GateClose(d, d.getGate()), w, wait.id());
				close.slot = wait.slot;
				return close.id();
			}
			case MightSleepStmt m -> {
				return step(new Step.MightSleep(m), w, k).id();
			}
			case WaitStmt wait -> {
				return step(new Step.WaitUntil(wait, wait.getCond()), w, k).id();
			}
			case CompleteStmt c -> {
				return step(new Step.Complete(c, c.getCompletion(), c.isAll()), w, k).id();
			}
			case WaitForCompletionStmt wait -> {
				return step(new Step.WaitCompletion(wait, wait.getCompletion(), wait.isMayGiveUp()), w, k).id();
			}
			case ReinitCompletionStmt r -> {
				return step(new Step.ReinitCompletion(r, r.getCompletion()), w, k).id();
			}
			case QueueWorkStmt q -> {
				return step(new Step.QueueWork(q, q.getWork(), WorkKind.startedBy(q.getCall()) == WorkKind.KTHREAD), w, k).id();
			}
			case FlushWorkStmt f -> {
				boolean cancel = WorkKind.cancels(f.getCall());
				Node wait = step(new Step.WorkWait(f, f.getWork(), cancel), w, k);
				wait.slot = g.slotFor(f);
				Node fix = step(new Step.FlushWork(f, f.getWork(), cancel, WorkKind.stops(f.getCall()),
						WorkKind.awaitedBy(f.getCall())), w, wait.id());
				fix.slot = wait.slot;
				return fix.id();
			}
			case CancelWorkStmt c -> {
				return step(new Step.CancelWork(c, c.getWork()), w, k).id();
			}
			case FlushWorkqueueStmt f -> {
				Node wait = step(new Step.QueueWait(f, f.getQueue(), f.getCall()), w, k);
				wait.slot = g.slotFor(f);
				Node fix = step(new Step.FlushQueue(f, f.getQueue(), f.getCall()), w, wait.id());
				fix.slot = wait.slot;
				return fix.id();
			}
			case SynchronizeSrcuStmt y -> {
				Expression srcu = Syntax.lockOperand(y);
				return step(new Step.SrcuSync(y, srcu), w, step(new Step.SrcuWait(y, srcu), w, k).id()).id();
			}
			case IrqStmt i -> {
				Step.IrqControl call = new Step.IrqControl(i, i.getIrq(), i.getCall());
				int next = call.waits() ? step(new Step.IrqWait(i, i.getIrq(), i.getCall() == IrqCall.FREE), w, k).id() : k;
				return step(call, w, next).id();
			}
			case PmStmt p -> {
				int settle = step(new Step.PmSettle(p, p.getPm()), w, k).id();
				return step(new Step.PmControl(p, p.getPm(), p.getCall()), w, settle).id();
			}
			case CallStmt call -> {
				return step(new Step.Call(call, call.getOp(), call.getArgs()), w, k).id();
			}
			case QueueStmt q -> {
				return step(new Step.Spawn(q, q.getOp(), q.getArgs()), w, k).id();
			}
			case AssertStmt a -> {
				return step(new Step.Assert(a, a.getCond()), w, k).id();
			}
			case ReturnStmt r -> {
				Node n = step(new Step.Return(r), w, OpGraph.EXIT);
				n.unwind = w.withs().reversed();
				return n.id();
			}
			default -> throw new IllegalArgumentException("no lowering for " + s.eClass().getName());
			}
		}

		/**
		 * {@code put o.rc}: one step. With {@code release op}, the last put calls op, then frees o; with
		 * {@code under l} too, only the last put takes l, and enters op with it held (op releases it).
		 */
		private int put(PutStmt put, Where w, int k) {
			MemberAccess rc = (MemberAccess) put.getRefcount();
			if (put.getRelease() == null) {
				return step(new Step.RefPut(put, rc), w, k).id();
			}
			Node free = step(new Step.RefFree(put, rc), w, k);
			Node release = step(new Step.Call(put, put.getRelease(), List.of(rc.getReceiver())), w, free.id());
			if (put.getLock() == null) {
				Node last = step(new Step.RefPut(put, rc), w, k);
				last.alt = release.id();
				return last.id();
			}
			Node unlock = step(new Step.Release(put, put.getLock()), w, k);
			Node last = step(new Step.RefPut(put, rc), w, unlock.id());
			last.alt = release.id();
			Node lock = step(new Step.Acquire(put, put.getLock(), LockKinds.DEFAULT_MODE, false), w, last.id());
			Node notLast = step(new Step.RefPutUnlessLast(put, rc), w, k);
			notLast.alt = lock.id();
			return notLast.id();
		}

		private static LockMode mode(Statement lockStatement) {
			return LockKinds.modeTaken(Syntax.mode(lockStatement));
		}
	}
}
