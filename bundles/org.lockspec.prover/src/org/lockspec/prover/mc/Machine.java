package org.lockspec.prover.mc;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
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

		private Work next;

		/**
		 * For a continuation at statement {@code i} of a block: the one at statement
		 * {@code i + 1} with the same tail. Made once, so the threads that step on
		 * from here share it.
		 */
		Work next() {
			Work n = next;
			if (n == null) {
				Seq seq = (Seq) head;
				n = new Work(new Seq(seq.list(), seq.index() + 1), tail);
				next = n;
			}
			return n;
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
		/** Object index, count, object index, count, ... by object index; no zero counts. */
		private final int[] refs;
		private final boolean done;
		/**
		 * Cached: a thread is never changed once built.
		 */
		private int hash;

		Thread(String name, Context context, Work k, Object[][] envs, List<Frame> chain,
				List<Held> held, int[] refs, boolean done) {
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

		int[] refs() {
			return refs;
		}

		static final int[] NO_REFS = new int[0];

		/** {@code refs} with {@code delta} more references to {@code obj} (a new array). */
		static int[] refs(int[] refs, int obj, int delta) {
			int i = 0;
			while (i < refs.length && refs[i] < obj) {
				i += 2;
			}
			if (i < refs.length && refs[i] == obj) {
				int count = refs[i + 1] + delta;
				if (count == 0) {
					int[] n = new int[refs.length - 2];
					System.arraycopy(refs, 0, n, 0, i);
					System.arraycopy(refs, i + 2, n, i, refs.length - i - 2);
					return n;
				}
				int[] n = refs.clone();
				n[i + 1] = count;
				return n;
			}
			if (delta == 0) {
				return refs;
			}
			int[] n = new int[refs.length + 2];
			System.arraycopy(refs, 0, n, 0, i);
			n[i] = obj;
			n[i + 1] = delta;
			System.arraycopy(refs, i, n, i + 2, refs.length - i);
			return n;
		}

		boolean done() {
			return done;
		}

		@Override
		public boolean equals(Object o) {
			return o == this || o instanceof Thread t && t.hashCode() == hashCode() && t.done == done
					&& Objects.equals(t.k, k) && (t.partsHash == 0 || partsHash == 0 || t.partsHash == partsHash)
					&& Arrays.deepEquals(t.envs, envs) && t.held.equals(held) && Arrays.equals(t.refs, refs)
					&& t.chain.equals(chain) && t.context == context && t.name.equals(name);
		}

		@Override
		public int hashCode() {
			int h = hash;
			if (h == 0) {
				h = name.hashCode() * 31 + context.hashCode();
				h = h * 31 + (k == null ? 0 : k.hashCode());
				h = h * 31 + partsHash();
				h = (h * 31 + (done ? 1 : 0)) | 1;
				hash = h;
			}
			return h;
		}

		/**
		 * The hash of the variables, frames, locks held and references: cached,
		 * and taken over by a thread made from this one with the same parts (most
		 * steps change only the continuation).
		 */
		private int partsHash() {
			int h = partsHash;
			if (h == 0) {
				h = (envsHash() * 31 + restHash()) | 1;
				partsHash = h;
			}
			return h;
		}

		private int envsHash() {
			int h = envsHash;
			if (h == 0) {
				h = 1;
				for (Object[] frame : envs) {
					for (Object v : frame) {
						h = h * 31 + v.hashCode();
					}
					h = h * 31 + frame.length;
				}
				h |= 1;
				envsHash = h;
			}
			return h;
		}

		private int restHash() {
			int h = restHash;
			if (h == 0) {
				h = chain.hashCode() * 31 + held.hashCode();
				h = (h * 31 + Arrays.hashCode(refs)) | 1;
				restHash = h;
			}
			return h;
		}

		private int partsHash;
		private int envsHash;
		private int restHash;

		/** This thread without the silent items at the head of its continuation ({@code Engine.normalise}), once made. */
		Thread normalised;

		/** Takes over the hashes of the parts this thread shares with {@code base} (a step's thread before it). */
		Thread from(Thread base) {
			if (base != null) {
				boolean sameEnvs = base.envs == envs;
				boolean sameRest = base.chain == chain && base.held == held && base.refs == refs;
				if (sameEnvs) {
					envsHash = base.envsHash;
				}
				if (sameRest) {
					restHash = base.restHash;
				}
				if (sameEnvs && sameRest) {
					partsHash = base.partsHash;
				}
			}
			return this;
		}

		@Override
		public String toString() {
			return "Thread[" + name + ", k=" + k + ", envs=" + Arrays.deepToString(envs) + ", chain=" + chain + ", held=" + held + ", refs="
					+ Arrays.toString(refs) + ", done=" + done + "]";
		}

		Thread with(Work k2) {
			return new Thread(name, context, k2, envs, chain, held, refs, done).from(this);
		}

		Thread with(Work k2, Object[][] envs2, List<Frame> chain2) {
			return new Thread(name, context, k2, envs2, chain2, held, refs, done).from(this);
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
		private final Thread[] threads;
		private List<Thread> view;
		private int hash;

		/** {@code threads}: owned by the state from here on. */
		State(Heap heap, Thread[] threads) {
			this.heap = heap;
			this.threads = threads;
		}

		Heap heap() {
			return heap;
		}

		/** The threads as a list (made on first use: the search itself reads {@link #threadArray}). */
		List<Thread> threads() {
			List<Thread> v = view;
			if (v == null) {
				v = Collections.unmodifiableList(Arrays.asList(threads));
				view = v;
			}
			return v;
		}

		Thread[] threadArray() {
			return threads;
		}

		int threadCount() {
			return threads.length;
		}

		@Override
		public boolean equals(Object o) {
			return o == this || o instanceof State s && s.hashCode() == hashCode() && Arrays.equals(s.threads, threads)
					&& s.heap.equals(heap);
		}

		@Override
		public int hashCode() {
			int h = hash;
			if (h == 0) {
				h = (31 * heap.hashCode() + Arrays.hashCode(threads)) | 1;
				hash = h;
			}
			return h;
		}

		@Override
		public String toString() {
			return "State[heap=" + heap + ", threads=" + threads() + "]";
		}
	}
}
