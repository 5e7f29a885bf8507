package org.lockspec.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * A kernel list head ({@code struct list_head}) owned by {@code owner}. As
 * with list_del, an element that is unlinked has poisoned pointers: {@link
 * #next} from it fails, and so does a second add or a remove of an element
 * that is not linked. Walks read the live list. Reads and writes are checked
 * for races like a plain field of the owner.
 */
public final class KList<T extends KObject> {

	private final KObject owner;
	private final String field;
	private final List<T> members = new ArrayList<>();

	public KList(KObject owner, String field) {
		this.owner = owner;
		this.field = field;
	}

	String describe() {
		return owner.qualifiedName(field);
	}

	private void access(boolean write) {
		owner.checkLive();
		Participant p = Kernel.currentOrNull();
		if (p != null && p.run != null) {
			p.validator.access(p, owner, field, write);
		}
	}

	private LockspecFault corrupt(String what) {
		Participant p = Kernel.current();
		Report r = new Report(Report.Kind.LIST_CORRUPTION, describe(), p.name + " at " + p.site() + ": " + what);
		p.validator.report(r);
		return new LockspecFault(r);
	}

	/** list_add_tail. */
	public void add(T element) {
		element.checkLive();
		access(true);
		synchronized (Kernel.M) {
			if (members.contains(element)) {
				throw corrupt("list_add of " + element.objectName() + ", which is already on " + describe());
			}
			members.add(element);
			element.linked.add(this);
		}
		Kernel.changed();
	}

	/** list_del: poisons the element's pointers. */
	public void remove(T element) {
		element.checkLive();
		access(true);
		synchronized (Kernel.M) {
			if (!members.remove(element)) {
				throw corrupt("list_del of " + element.objectName() + ", which is not on " + describe()
						+ " (its pointers are poisoned)");
			}
			element.linked.remove(this);
		}
		Kernel.changed();
	}

	/** The first element, or null (list_first_entry_or_null). */
	public T first() {
		access(false);
		synchronized (Kernel.M) {
			return members.isEmpty() ? null : members.get(0);
		}
	}

	/**
	 * The element after {@code current}, or null at the end. {@code current}
	 * must be alive and still linked here: following the next pointer of a
	 * freed or unlinked node is a use after free or a walk into LIST_POISON.
	 */
	public T next(T current) {
		if (current == null) {
			return null;
		}
		access(false);
		if (current.isFreed()) {
			Participant p = Kernel.current();
			Report r = new Report(Report.Kind.USE_AFTER_FREE, current.objectName(), p.name + " at " + p.site()
					+ ": the walk of " + describe() + " stands on " + current.objectName()
					+ ", which was freed, and follows its next pointer");
			p.validator.report(r);
			throw new LockspecFault(r);
		}
		synchronized (Kernel.M) {
			int i = members.indexOf(current);
			if (i < 0) {
				throw corrupt(current.objectName() + " was unlinked from " + describe()
						+ " while the walk stood on it; its next pointer is LIST_POISON1");
			}
			return i + 1 < members.size() ? members.get(i + 1) : null;
		}
	}

	/** Whether {@code element} is on this list (the spec's {@code linked}). */
	public boolean contains(T element) {
		access(false);
		synchronized (Kernel.M) {
			return element != null && members.contains(element);
		}
	}

	/** list_empty. */
	public boolean isEmpty() {
		access(false);
		synchronized (Kernel.M) {
			return members.isEmpty();
		}
	}

	/** Links {@code element} when a topology is built (no checks, no race bookkeeping). */
	public void link(T element) {
		synchronized (Kernel.M) {
			if (!members.contains(element)) {
				members.add(element);
				element.linked.add(this);
			}
		}
	}

	/** The members now, unchecked (invariants read them). */
	public List<T> members() {
		synchronized (Kernel.M) {
			return List.copyOf(members);
		}
	}

	@Override
	public String toString() {
		return describe() + members();
	}
}
