package org.lockspec.prover.mc;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.eclipse.emf.ecore.EObject;
import org.lockspec.model.Context;
import org.lockspec.model.LockMode;
import org.lockspec.model.Operation;
import org.lockspec.model.Statement;

/** Values, thread states and whole states of the scenario machine. */
final class Machine {

	private Machine() {
	}

	/** A pointer: an object index, or -1 for null. */
	record Ptr(int id) {
		static final Ptr NULL = new Ptr(-1);
		private static final Ptr[] SMALL = new Ptr[256];

		static {
			for (int i = 0; i < SMALL.length; i++) {
				SMALL[i] = new Ptr(i);
			}
		}

		/** The pointer to object {@code id}, shared for the first objects. */
		static Ptr of(int id) {
			return id >= 0 && id < SMALL.length ? SMALL[id] : new Ptr(id);
		}

		boolean isNull() {
			return id < 0;
		}
	}

	/** A lock or gate: the object that owns it (0 for globals) and its declaration. */
	record Key(int obj, EObject decl) {
	}

	/** A lock a thread holds. */
	record Held(Key key, LockMode mode, boolean irqsave, int line) {
	}

	/** One frame of a thread's call chain. */
	record Frame(Operation op, EObject callSite) {
	}

	// ------------------------------------------------------------- continuation

	sealed interface Item permits Seq, PopFrame, Release, ForIter, ForAdvance, WhileIter, DrainWait {
	}

	/**
	 * Statement {@code index} of a block. Blocks are compared by identity (every
	 * list is a block of the syntax tree, or one the engine made once), and
	 * hashed so: an {@code EList}'s own hash walks its elements.
	 */
	record Seq(List<Statement> list, int index) implements Item {
		@Override
		public boolean equals(Object o) {
			return o instanceof Seq q && q.list == list && q.index == index;
		}

		@Override
		public int hashCode() {
			return System.identityHashCode(list) * 31 + index;
		}
	}

	record PopFrame() implements Item {
	}

	/** The end of a {@code with} block: a visible unlock. */
	record Release(Key key, EObject stmt) implements Item {
	}

	/** A {@code for} loop standing on {@code current} (null: done). */
	record ForIter(EObject loop, int owner, EObject list, Ptr current) implements Item {
	}

	/** The end of a {@code for} body: move to the next element (reads the live list). */
	record ForAdvance(EObject loop, int owner, EObject list, Ptr current) implements Item {
	}

	record WhileIter(EObject loop, int iteration) implements Item {
	}

	/** A {@code drain} that closed its gate and waits for the users inside to leave. */
	record DrainWait(Key gate, EObject stmt) implements Item {
	}

	/** A continuation: immutable, shared between states, its hash computed once. */
	static final class Work {
		private final Item head;
		private final Work tail;
		private final int hash;

		private Work(Item head, Work tail) {
			this.head = head;
			this.tail = tail;
			this.hash = head.hashCode() * 31 + (tail == null ? 0 : tail.hash);
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
			if (o == this) {
				return true;
			}
			if (!(o instanceof Work w) || w.hash != hash) {
				return false;
			}
			Work a = this;
			Work b = w;
			while (a != null && b != null) {
				if (a == b) {
					return true;
				}
				if (a.hash != b.hash || !a.head.equals(b.head)) {
					return false;
				}
				a = a.tail;
				b = b.tail;
			}
			return a == b;
		}

		@Override
		public int hashCode() {
			return hash;
		}

		@Override
		public String toString() {
			return "Work[" + head + (tail == null ? "" : ", " + tail) + "]";
		}
	}

	/**
	 * The variables of one frame: declaration, value, declaration, value, ... in
	 * the order they were first bound (program order, so equal frames are equal
	 * arrays). Never changed once stored: binding makes a new array.
	 */
	static final class Vars {
		static final Object[] NONE = new Object[0];

		private Vars() {
		}

		static boolean has(Object[] vars, EObject decl) {
			for (int i = 0; i < vars.length; i += 2) {
				if (vars[i] == decl) {
					return true;
				}
			}
			return false;
		}

		/** The value bound to {@code decl}; null if none. */
		static Object get(Object[] vars, EObject decl) {
			for (int i = 0; i < vars.length; i += 2) {
				if (vars[i] == decl) {
					return vars[i + 1];
				}
			}
			return null;
		}

		/** {@code vars} with {@code decl} bound to {@code value}. */
		static Object[] put(Object[] vars, EObject decl, Object value) {
			for (int i = 0; i < vars.length; i += 2) {
				if (vars[i] == decl) {
					Object[] n = vars.clone();
					n[i + 1] = value;
					return n;
				}
			}
			Object[] n = Arrays.copyOf(vars, vars.length + 2);
			n[vars.length] = decl;
			n[vars.length + 1] = value;
			return n;
		}
	}

	/**
	 * A thread: its continuation, variables per frame ({@link Vars}), call chain,
	 * locks held, references taken (object index to count) and whether it has
	 * finished. Immutable: a step that changes a part makes a new one.
	 */
	static final class Thread {
		private final String name;
		private final Context context;
		private final Work k;
		private final Object[][] envs;
		private final List<Frame> chain;
		private final List<Held> held;
		private final Map<Integer, Integer> refs;
		private final boolean done;
		/**
		 * Cached: a thread is never changed once built.
		 */
		private int hash;

		Thread(String name, Context context, Work k, Object[][] envs, List<Frame> chain,
				List<Held> held, Map<Integer, Integer> refs, boolean done) {
			this.name = name;
			this.context = context;
			this.k = k;
			this.envs = envs;
			this.chain = chain;
			this.held = held;
			this.refs = refs;
			this.done = done;
		}

		String name() {
			return name;
		}

		Context context() {
			return context;
		}

		Work k() {
			return k;
		}

		Object[][] envs() {
			return envs;
		}

		List<Frame> chain() {
			return chain;
		}

		List<Held> held() {
			return held;
		}

		Map<Integer, Integer> refs() {
			return refs;
		}

		boolean done() {
			return done;
		}

		@Override
		public boolean equals(Object o) {
			return o == this || o instanceof Thread t && t.hashCode() == hashCode() && t.done == done
					&& t.context == context && t.name.equals(name) && Objects.equals(t.k, k) && Arrays.deepEquals(t.envs, envs)
					&& t.chain.equals(chain) && t.held.equals(held) && t.refs.equals(refs);
		}

		@Override
		public int hashCode() {
			int h = hash;
			if (h == 0) {
				h = Objects.hash(name, context, k, Arrays.deepHashCode(envs), chain, held, refs, done) | 1;
				hash = h;
			}
			return h;
		}

		@Override
		public String toString() {
			return "Thread[" + name + ", k=" + k + ", envs=" + Arrays.deepToString(envs) + ", chain=" + chain + ", held=" + held + ", refs="
					+ refs + ", done=" + done + "]";
		}

		Thread with(Work k2) {
			return new Thread(name, context, k2, envs, chain, held, refs, done);
		}

		Thread with(Work k2, Object[][] envs2, List<Frame> chain2) {
			return new Thread(name, context, k2, envs2, chain2, held, refs, done);
		}

		static final Object[][] NO_FRAMES = new Object[0][];

		Thread finished() {
			return new Thread(name, context, null, NO_FRAMES, List.of(), held, refs, true);
		}
	}

	/**
	 * A whole state: the heap and every thread. Never changed once built, so its
	 * hash is computed once (the search hashes a state several times).
	 */
	static final class State {
		private final Heap heap;
		private final List<Thread> threads;
		private int hash;

		State(Heap heap, List<Thread> threads) {
			this.heap = heap;
			this.threads = threads;
		}

		Heap heap() {
			return heap;
		}

		List<Thread> threads() {
			return threads;
		}

		@Override
		public boolean equals(Object o) {
			return o == this || o instanceof State s && s.hashCode() == hashCode() && s.heap.equals(heap)
					&& s.threads.equals(threads);
		}

		@Override
		public int hashCode() {
			int h = hash;
			if (h == 0) {
				h = (31 * heap.hashCode() + threads.hashCode()) | 1;
				hash = h;
			}
			return h;
		}

		@Override
		public String toString() {
			return "State[heap=" + heap + ", threads=" + threads + "]";
		}
	}
}
