package org.lockspec.prover.mc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.eclipse.emf.ecore.EObject;
import org.lockspec.model.ObjectType;

/**
 * The objects of a scenario run: fields, list members, refcount, freed flag,
 * lock and gate states. Object 0 holds the globals. Copied on every step that
 * changes it; equal heaps are equal states.
 */
final class Heap {

	/** A lock's state: the exclusive holder (thread index or -1), the readers (thread indexes, sorted). */
	record LockState(int writer, int[] readers) {
		static final LockState FREE = new LockState(-1, new int[0]);

		boolean free() {
			return writer < 0 && readers.length == 0;
		}

		LockState withReader(int t) {
			int[] r = Arrays.copyOf(readers, readers.length + 1);
			r[r.length - 1] = t;
			Arrays.sort(r);
			return new LockState(writer, r);
		}

		LockState withoutReader(int t) {
			for (int i = 0; i < readers.length; i++) {
				if (readers[i] == t) {
					int[] r = new int[readers.length - 1];
					System.arraycopy(readers, 0, r, 0, i);
					System.arraycopy(readers, i + 1, r, i, readers.length - i - 1);
					return new LockState(writer, r);
				}
			}
			return this;
		}

		boolean readBy(int t) {
			for (int r : readers) {
				if (r == t) {
					return true;
				}
			}
			return false;
		}

		@Override
		public boolean equals(Object o) {
			return o instanceof LockState l && l.writer == writer && Arrays.equals(l.readers, readers);
		}

		@Override
		public int hashCode() {
			return writer * 31 + Arrays.hashCode(readers);
		}
	}

	/** A gate: how many are inside, and whether it was closed by a drain. */
	record GateState(int active, boolean closed) {
		static final GateState OPEN = new GateState(0, false);
	}

	/**
	 * Where the features of one object type (or the spec's globals) sit in an
	 * object's arrays: each declaration has a slot in its kind's array, the
	 * same for every object of the type, so a compiled access is an array read.
	 */
	static final class Layout {
		final EObject[] fields;
		final Object[] defaults;
		final EObject[] lists;
		final EObject[] locks;
		final EObject[] gates;
		final EObject[] refcounts;

		Layout(List<EObject> fields, List<Object> defaults, List<EObject> lists, List<EObject> locks, List<EObject> gates,
				List<EObject> refcounts) {
			this.fields = fields.toArray(EObject[]::new);
			this.defaults = defaults.toArray();
			this.lists = lists.toArray(EObject[]::new);
			this.locks = locks.toArray(EObject[]::new);
			this.gates = gates.toArray(EObject[]::new);
			this.refcounts = refcounts.toArray(EObject[]::new);
		}
	}

	private static final int[] EMPTY = new int[0];

	/**
	 * One object: its fields (values), lists (member indexes, an array never
	 * changed once stored: a change stores a new one), locks, gates, refcounts
	 * and freed flag, each an array in its type's {@link Layout}.
	 */
	static final class Obj {
		final ObjectType type;
		final String name;
		final Layout layout;
		final Object[] fields;
		final int[][] lists;
		final LockState[] locks;
		final GateState[] gates;
		final int[] refcounts;
		boolean freed;

		/** A new object: default fields, empty lists, free locks, open gates, refcounts at 1. */
		Obj(ObjectType type, String name, Layout layout) {
			this.type = type;
			this.name = name;
			this.layout = layout;
			this.fields = layout.defaults.clone();
			this.lists = new int[layout.lists.length][];
			Arrays.fill(lists, EMPTY);
			this.locks = new LockState[layout.locks.length];
			Arrays.fill(locks, LockState.FREE);
			this.gates = new GateState[layout.gates.length];
			Arrays.fill(gates, GateState.OPEN);
			this.refcounts = new int[layout.refcounts.length];
			Arrays.fill(refcounts, 1);
		}

		Obj(Obj o) {
			this.type = o.type;
			this.name = o.name;
			this.layout = o.layout;
			this.fields = o.fields.clone();
			this.lists = o.lists.clone();
			this.locks = o.locks.clone();
			this.gates = o.gates.clone();
			this.refcounts = o.refcounts.clone();
			this.freed = o.freed;
		}

		boolean contains(int list, int member) {
			for (int m : lists[list]) {
				if (m == member) {
					return true;
				}
			}
			return false;
		}

		/** Adds {@code member} at the end of list {@code list}. */
		void add(int list, int member) {
			int[] l = lists[list];
			int[] n = Arrays.copyOf(l, l.length + 1);
			n[l.length] = member;
			lists[list] = n;
		}

		/** Removes {@code member} from list {@code list}; false if it was not on it. */
		boolean remove(int list, int member) {
			int[] l = lists[list];
			for (int i = 0; i < l.length; i++) {
				if (l[i] == member) {
					int[] n = new int[l.length - 1];
					System.arraycopy(l, 0, n, 0, i);
					System.arraycopy(l, i + 1, n, i, l.length - i - 1);
					lists[list] = n;
					return true;
				}
			}
			return false;
		}

		@Override
		public boolean equals(Object o) {
			if (o == this) {
				return true;
			}
			if (!(o instanceof Obj x) || x.hashCode() != hashCode() || x.type != type || x.freed != freed
					|| !Arrays.equals(x.fields, fields) || !Arrays.equals(x.refcounts, refcounts)
					|| !Arrays.equals(x.locks, locks) || !Arrays.equals(x.gates, gates)
					|| x.lists.length != lists.length) {
				return false;
			}
			for (int i = 0; i < lists.length; i++) {
				if (!Arrays.equals(x.lists[i], lists[i])) {
					return false;
				}
			}
			return true;
		}

		/**
		 * Cached: an object is only hashed once the step that made it is over, and
		 * a later step that changes it changes a copy ({@link Heap#mutable}).
		 */
		@Override
		public int hashCode() {
			int h = hash;
			if (h == 0) {
				h = dataHash() * 31 + Arrays.hashCode(locks);
				h = (h * 31 + Arrays.hashCode(gates)) | 1;
				hash = h;
			}
			return h;
		}

		private int hash;

		/** The hash of what an invariant can read: fields, lists, refcounts, freed (not locks or gates); cached. */
		int dataHash() {
			int h = dataHash;
			if (h == 0) {
				h = Arrays.hashCode(fields);
				for (int[] l : lists) {
					h = h * 31 + Arrays.hashCode(l);
				}
				h = h * 31 + Arrays.hashCode(refcounts);
				h = (h * 31 + (freed ? 1 : 0)) | 1;
				dataHash = h;
			}
			return h;
		}

		private int dataHash;

		boolean dataEquals(Obj x) {
			if (x == this) {
				return true;
			}
			if (x.dataHash() != dataHash() || x.type != type || x.freed != freed || !Arrays.equals(x.fields, fields)
					|| !Arrays.equals(x.refcounts, refcounts) || x.lists.length != lists.length) {
				return false;
			}
			for (int i = 0; i < lists.length; i++) {
				if (!Arrays.equals(x.lists[i], lists[i])) {
					return false;
				}
			}
			return true;
		}
	}

	/**
	 * A heap seen only through what invariants read ({@link Obj#dataHash}): a
	 * step that only takes or releases a lock keeps its invariants' outcomes.
	 */
	static final class Data {
		private final Heap heap;
		private final int hash;

		Data(Heap heap) {
			this.heap = heap;
			int h = 1;
			for (Obj o : heap.objects) {
				h = h * 31 + o.dataHash();
			}
			this.hash = h;
		}

		@Override
		public boolean equals(Object o) {
			if (!(o instanceof Data d) || d.hash != hash || d.heap.objects.size() != heap.objects.size()) {
				return false;
			}
			for (int i = 0; i < heap.objects.size(); i++) {
				if (!heap.objects.get(i).dataEquals(d.heap.objects.get(i))) {
					return false;
				}
			}
			return true;
		}

		@Override
		public int hashCode() {
			return hash;
		}
	}

	final List<Obj> objects;
	private int hash;

	Heap(List<Obj> objects) {
		this.objects = objects;
	}

	/**
	 * A heap for the next state: the same objects, shared until a step changes
	 * one ({@link #mutable}). Copying every object on every write was most of a
	 * step's cost, and shared objects compare by identity.
	 */
	Heap copy() {
		return new Heap(new ArrayList<>(objects));
	}

	/**
	 * Object {@code id} of a heap made by {@link #copy} in the current step, as
	 * a private copy the step may change: copied unless the step copied (or
	 * created) it already, that is unless it differs from {@code origin}'s, the
	 * heap the step started from.
	 */
	Obj mutable(int id, Heap origin) {
		Obj o = objects.get(id);
		if (id < origin.objects.size() && o == origin.objects.get(id)) {
			o = new Obj(o);
			objects.set(id, o);
		}
		return o;
	}

	Obj get(int id) {
		return objects.get(id);
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof Heap h && h.objects.equals(objects);
	}

	@Override
	public int hashCode() {
		if (hash == 0) {
			hash = objects.hashCode() | 1;
		}
		return hash;
	}
}
