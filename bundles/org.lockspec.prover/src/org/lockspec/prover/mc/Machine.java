package org.lockspec.prover.mc;

import java.util.ArrayList;
import java.util.HashMap;
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

	record Seq(List<Statement> list, int index) implements Item {
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

	record Work(Item head, Work tail) {
		static Work of(Item head, Work tail) {
			return new Work(head, tail);
		}
	}

	/**
	 * A thread: its continuation, variables per frame, call chain, locks held,
	 * references taken (object index to count) and whether it has finished.
	 */
	static final class Thread {
		private final String name;
		private final Context context;
		private final Work k;
		private final List<Map<EObject, Object>> envs;
		private final List<Frame> chain;
		private final List<Held> held;
		private final Map<Integer, Integer> refs;
		private final boolean done;
		/**
		 * Cached: a thread is hashed only as part of a finished state; a step
		 * changes a {@link #copyMutable} copy, never a thread of a stored state.
		 */
		private int hash;

		Thread(String name, Context context, Work k, List<Map<EObject, Object>> envs, List<Frame> chain,
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

		List<Map<EObject, Object>> envs() {
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
					&& t.context == context && t.name.equals(name) && Objects.equals(t.k, k) && t.envs.equals(envs)
					&& t.chain.equals(chain) && t.held.equals(held) && t.refs.equals(refs);
		}

		@Override
		public int hashCode() {
			int h = hash;
			if (h == 0) {
				h = Objects.hash(name, context, k, envs, chain, held, refs, done) | 1;
				hash = h;
			}
			return h;
		}

		@Override
		public String toString() {
			return "Thread[" + name + ", k=" + k + ", envs=" + envs + ", chain=" + chain + ", held=" + held + ", refs="
					+ refs + ", done=" + done + "]";
		}

		Thread with(Work k2) {
			return new Thread(name, context, k2, envs, chain, held, refs, done);
		}

		Thread copyMutable() {
			List<Map<EObject, Object>> e = new ArrayList<>();
			for (Map<EObject, Object> m : envs) {
				e.add(new HashMap<>(m));
			}
			return new Thread(name, context, k, e, new ArrayList<>(chain), new ArrayList<>(held), new HashMap<>(refs),
					done);
		}

		Thread finished() {
			return new Thread(name, context, null, List.of(), List.of(), held, refs, true);
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
