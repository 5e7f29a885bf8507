package org.lockspec.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * A kernel object: a name for messages, a freed flag that turns any later
 * access into a {@link LockspecFault} (use after free), the lists it is linked
 * on, and the access hooks that generated field accessors call (a freed check
 * and, for plain fields, the validator's race check).
 */
public abstract class KObject {

	private final String name;
	private volatile boolean freed;
	final List<KList<?>> linked = new ArrayList<>(1);

	protected KObject(String name) {
		this.name = name;
	}

	public final String objectName() {
		return name;
	}

	/** Whether the object was freed (the spec's {@code freed(x)}). */
	public final boolean isFreed() {
		return freed;
	}

	/** Marks the object freed (a kref's last put does it). */
	public final void markFreed() {
		freed = true;
	}

	/** Throws if the object was freed; returns normally otherwise. */
	public final void checkLive() {
		if (freed) {
			Participant p = Kernel.current();
			Report r = new Report(Report.Kind.USE_AFTER_FREE, name, p.name + " uses " + name + " at " + p.site()
					+ ", which was freed");
			p.validator.report(r);
			throw new LockspecFault(r);
		}
	}

	/** The name of a field of this object in messages ({@code a.cmd}; globals have no prefix). */
	public final String qualifiedName(String field) {
		return name.isEmpty() ? field : name + "." + field;
	}

	/** Before reading plain field {@code field}: alive, and not racing a writer. */
	protected final void onRead(String field) {
		checkLive();
		Participant p = Kernel.currentOrNull();
		if (p != null && p.run != null) {
			p.validator.access(p, this, field, false);
		}
	}

	/** Before writing plain field {@code field}. */
	protected final void onWrite(String field) {
		checkLive();
		Participant p = Kernel.currentOrNull();
		if (p != null && p.run != null) {
			p.validator.access(p, this, field, true);
		}
		Kernel.changed();
	}

	/** Before reading or writing an atomic field: alive (atomics never race). */
	protected final void onAtomic() {
		checkLive();
		Kernel.changed();
	}

	/** A list this object is linked on, for messages (null if none). */
	final String linkedOn() {
		synchronized (Kernel.M) {
			return linked.isEmpty() ? null : linked.get(0).describe();
		}
	}

	@Override
	public String toString() {
		return name;
	}
}
