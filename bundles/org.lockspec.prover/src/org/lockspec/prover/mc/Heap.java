package org.lockspec.prover.mc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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

	/** One object. Maps are keyed by the feature declaration. */
	static final class Obj {
		final ObjectType type;
		final String name;
		final Map<EObject, Object> fields;
		final Map<EObject, List<Integer>> lists;
		final Map<EObject, LockState> locks;
		final Map<EObject, GateState> gates;
		final Map<EObject, Integer> refcounts;
		boolean freed;

		Obj(ObjectType type, String name) {
			this.type = type;
			this.name = name;
			this.fields = new HashMap<>();
			this.lists = new HashMap<>();
			this.locks = new HashMap<>();
			this.gates = new HashMap<>();
			this.refcounts = new HashMap<>();
		}

		Obj(Obj o) {
			this.type = o.type;
			this.name = o.name;
			this.fields = new HashMap<>(o.fields);
			this.lists = new HashMap<>();
			for (var e : o.lists.entrySet()) {
				lists.put(e.getKey(), new ArrayList<>(e.getValue()));
			}
			this.locks = new HashMap<>(o.locks);
			this.gates = new HashMap<>(o.gates);
			this.refcounts = new HashMap<>(o.refcounts);
			this.freed = o.freed;
		}

		@Override
		public boolean equals(Object o) {
			return o == this || o instanceof Obj x && x.hashCode() == hashCode() && x.type == type && x.freed == freed
					&& x.fields.equals(fields) && x.lists.equals(lists) && x.locks.equals(locks) && x.gates.equals(gates)
					&& x.refcounts.equals(refcounts);
		}

		/**
		 * Cached: an object is only hashed once the step that made it is over, and
		 * a later step that changes it changes a copy ({@link Heap#mutable}).
		 */
		@Override
		public int hashCode() {
			int h = hash;
			if (h == 0) {
				h = Objects.hash(fields, lists, locks, gates, refcounts, freed) | 1;
				hash = h;
			}
			return h;
		}

		private int hash;
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
	 * a private copy the step may change; {@code owned} marks the objects the
	 * step already copied (or created).
	 */
	Obj mutable(int id, java.util.BitSet owned) {
		if (!owned.get(id)) {
			objects.set(id, new Obj(objects.get(id)));
			owned.set(id);
		}
		return objects.get(id);
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
