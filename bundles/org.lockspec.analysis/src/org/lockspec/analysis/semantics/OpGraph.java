package org.lockspec.analysis.semantics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.emf.ecore.EObject;
import org.lockspec.model.Operation;
import org.lockspec.model.RuntimePm;
import org.lockspec.model.Statement;
import org.lockspec.model.WithStmt;
import org.lockspec.model.Work;

/**
 * An op's body as a graph of atomic {@link Step}s ({@link Lowering} makes it).
 * Node ids are indexes into {@link #nodes()}; {@link #EXIT} is where control
 * leaves the op (its end, a {@code return}, a failed {@code enter}): the
 * caller's continuation, or the end of the thread.
 */
public final class OpGraph {

	/** The target of an edge that leaves the op. */
	public static final int EXIT = -1;

	/** {@link Node#join()} of a step that does not fork. */
	public static final int NO_JOIN = -2;

	/** A step and where control goes after it. */
	public static final class Node {
		private final int id;
		private final Step step;
		private final boolean inLoop;
		int next = EXIT;
		int alt = EXIT;
		int[] branches = {};
		List<WithStmt> unwind = List.of();
		int slot = -1;
		int join = NO_JOIN;

		Node(int id, Step step, boolean inLoop) {
			this.id = id;
			this.step = step;
			this.inLoop = inLoop;
		}

		public int id() {
			return id;
		}

		public Step step() {
			return step;
		}

		/** Where control goes after the step (the true way of a branch, the way in of a trylock or enter). */
		public int next() {
			return next;
		}

		/** The second way out: a false branch, a failed trylock or enter, a loop's end. */
		public int alt() {
			return alt;
		}

		/** The first step of each branch of a {@code choose}. */
		public List<Integer> branches() {
			List<Integer> out = new ArrayList<>();
			for (int b : branches) {
				out.add(b);
			}
			return out;
		}

		/** Every node control may go to from here in this op: next, the second way out, the branches. */
		public List<Integer> successors() {
			List<Integer> out = new ArrayList<>(branches());
			out.add(next);
			out.add(alt);
			out.removeIf(id -> id < 0);
			return out;
		}

		/** The {@code with} blocks that a jump out of the op from here ends, innermost first. */
		public List<WithStmt> unwind() {
			return unwind;
		}

		/**
		 * The frame slot ({@link OpGraph#slot}) of the statement this step opens,
		 * ends or advances ({@code with}, {@code for}, {@code while}, {@code drain});
		 * -1 for other steps.
		 */
		public int slot() {
			return slot;
		}

		/**
		 * For an {@code if}, a trylock or a {@code choose}: the node where its
		 * branches meet again (the statement after it, or {@link OpGraph#EXIT});
		 * {@link OpGraph#NO_JOIN} for other steps. A path explorer may merge the
		 * paths that arrive there.
		 */
		public int join() {
			return join;
		}

		/** Inside a loop of this op: the step may run more than once in one call. */
		public boolean inLoop() {
			return inLoop;
		}
	}

	private final Operation op;
	private final List<Node> nodes = new ArrayList<>();
	private final Map<Statement, Integer> slots = new IdentityHashMap<>();
	int start = EXIT;
	/**
	 * Where a kworker starts a run of each work this op is the function of ({@link Step.WorkBegin}), and where the
	 * PM workqueue's kworker of each runtime PM it is the suspend callback of stands ({@link Step.PmBegin}).
	 */
	private final Map<EObject, Integer> begins = new IdentityHashMap<>();

	OpGraph(Operation op) {
		this.op = op;
	}

	Node add(Step step, boolean inLoop) {
		Node n = new Node(nodes.size(), step, inLoop);
		nodes.add(n);
		return n;
	}

	/**
	 * The slot of a {@code with}, {@code for}, {@code while} or {@code drain} of
	 * this op: where an engine keeps, per call, what the statement fixed when it
	 * started and a later step needs (the lock a {@code with} took, the list a
	 * {@code for} walks, the iterations a bounded {@code while} made, the gate a
	 * {@code drain} waits on, the run a {@code flush_work} waits for). Slots are numbered from 0 in
	 * each op, so a frame's slots are an array of {@link #slotCount()}.
	 */
	public int slot(Statement s) {
		Integer i = slots.get(s);
		if (i == null) {
			throw new IllegalArgumentException("no slot for " + s.eClass().getName() + " in " + op.getName());
		}
		return i;
	}

	public int slotCount() {
		return slots.size();
	}

	/** Gives {@code s} its slot (once) and returns it. */
	int slotFor(Statement s) {
		return slots.computeIfAbsent(s, k -> slots.size());
	}

	public Operation op() {
		return op;
	}

	public List<Node> nodes() {
		return Collections.unmodifiableList(nodes);
	}

	public Node node(int id) {
		return nodes.get(id);
	}

	/** The node where a kworker starts a run of {@code work}, whose function this op is. */
	public int workBegin(Work work) {
		return begin(work, "the function of work " + work.getName());
	}

	void addWorkBegin(Work work) {
		addBegin(work, new Step.WorkBegin(work));
	}

	/** The node where the PM workqueue's kworker of {@code pm}, whose suspend callback this op is, stands. */
	public int pmBegin(RuntimePm pm) {
		return begin(pm, "the suspend callback of " + pm.getName());
	}

	void addPmBegin(RuntimePm pm) {
		addBegin(pm, new Step.PmBegin(pm));
	}

	/** The begin node of {@code decl} (a work, a runtime PM) in this op, which must be {@code what}. */
	private int begin(EObject decl, String what) {
		Integer n = begins.get(decl);
		if (n == null) {
			throw new IllegalArgumentException(op.getName() + " is not " + what);
		}
		return n;
	}

	/** A begin node for {@code decl}: a thread that stands there goes on at the op's start. */
	private void addBegin(EObject decl, Step begin) {
		Node n = add(begin, false);
		n.next = start;
		begins.put(decl, n.id());
	}

	/** The first step of the op ({@link #EXIT} for an empty body). */
	public int start() {
		return start;
	}
}
