package org.lockspec.prover.mc;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.eclipse.emf.ecore.EObject;
import org.lockspec.model.Context;
import org.lockspec.model.LockMode;
import org.lockspec.model.Operation;

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

	/** A lock, gate, completion or work: the object that owns it (0 for globals) and its declaration. */
	record Key(int obj, EObject decl) {
	}

	/** A lock a thread holds. */
	record Held(Key key, LockMode mode, boolean irqsave, int line) {
	}

	/** One frame of a thread's call chain. */
	record Frame(Operation op, EObject callSite) {
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
	 * A thread: where it stands in each frame of its call chain (a node of the
	 * frame's op graph, and the frame's slots: what its open {@code with},
	 * {@code for} and {@code drain} statements fixed, by
	 * {@link org.lockspec.analysis.semantics.OpGraph#slot}), variables per frame
	 * ({@link Vars}), call chain, locks held, references taken (object index to
	 * count) and whether it has finished. No frame left and not finished: the
	 * thread's next step is its return. Immutable: a step that changes a part
	 * makes a new one.
	 */
	static final class Thread {
		private final String name;
		private final Context context;
		/** Per frame, outermost first: the node of the frame's op graph where it stands ({@code OpGraph.EXIT}: it returns). */
		private final int[] pc;
		/** Per frame: its slots (null where the statement is not open). */
		private final Object[][] slots;
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

		Thread(String name, Context context, int[] pc, Object[][] slots, Object[][] envs, List<Frame> chain,
				List<Held> held, int[] refs, boolean done) {
			this.name = name;
			this.context = context;
			this.pc = pc;
			this.slots = slots;
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

		/** Never changed: a step copies it. */
		int[] pc() {
			return pc;
		}

		/** Never changed: a step copies it. */
		Object[][] slots() {
			return slots;
		}

		/** No frame left: the thread's next step is its return (or it is done). */
		boolean returned() {
			return pc.length == 0;
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
					&& Arrays.equals(t.pc, pc) && Arrays.deepEquals(t.slots, slots) && (t.partsHash == 0 || partsHash == 0 || t.partsHash == partsHash)
					&& Arrays.deepEquals(t.envs, envs) && t.held.equals(held) && Arrays.equals(t.refs, refs)
					&& t.chain.equals(chain) && t.context == context && t.name.equals(name);
		}

		@Override
		public int hashCode() {
			int h = hash;
			if (h == 0) {
				h = name.hashCode() * 31 + context.hashCode();
				h = h * 31 + Arrays.hashCode(pc);
				h = h * 31 + Arrays.deepHashCode(slots);
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

		/** This thread without the frames it has left ({@code Engine.normalise}), once made. */
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
			return "Thread[" + name + ", pc=" + Arrays.toString(pc) + ", slots=" + Arrays.deepToString(slots) + ", envs=" + Arrays.deepToString(envs) + ", chain=" + chain + ", held=" + held + ", refs="
					+ Arrays.toString(refs) + ", done=" + done + "]";
		}

		/** This thread without its innermost frame. */
		Thread popped() {
			int n = pc.length - 1;
			return new Thread(name, context, Arrays.copyOf(pc, n), Arrays.copyOf(slots, n), Arrays.copyOf(envs, n),
					List.copyOf(chain.subList(0, n)), held, refs, done).from(this);
		}

		static final Object[][] NO_FRAMES = new Object[0][];
		static final int[] NO_PC = new int[0];

		Thread finished() {
			return new Thread(name, context, NO_PC, NO_FRAMES, NO_FRAMES, List.of(), held, refs, true);
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
