package org.lockspec.runtime;

/**
 * A kref: starts at 1; {@link #get()} and {@link #put()}; the release
 * callback runs when it drops to 0, and the owner is freed. A get or put on a
 * freed object throws (use after free); a put below zero is an underflow. The
 * validator counts each thread's own references: a thread that ends holding
 * one it took has leaked it.
 */
public final class Kref {

	private final KObject owner;
	private final Runnable release;
	private int count = 1;

	public Kref(KObject owner, Runnable release) {
		this.owner = owner;
		this.release = release;
	}

	/** A kref whose release frees its owner. */
	public Kref(KObject owner) {
		this(owner, null);
	}

	/** kref_get; at 0 (the last put is releasing the owner) it is a use after free. */
	public void get() {
		Participant p = Kernel.current();
		synchronized (Kernel.M) {
			owner.checkLive();
			if (count == 0) {
				Report r = new Report(Report.Kind.REFCOUNT, owner.objectName(), p.name + " gets " + owner.objectName() + " at "
						+ p.site() + " at 0, while its release is under way (refcount_t: addition on 0; use-after-free)");
				p.validator.report(r);
				throw new LockspecFault(r);
			}
			count++;
			p.refs.merge(this, 1, Integer::sum);
		}
	}

	/** kref_put: true if this put released the object. */
	public boolean put() {
		Participant p = Kernel.current();
		boolean released;
		synchronized (Kernel.M) {
			drop(p);
			released = count == 0;
			if (released) {
				markFreed(p);
			}
		}
		Kernel.changed();
		if (released && release != null) {
			release.run();
		}
		return released;
	}

	/**
	 * The put of {@code put r release op}: true if it was the last, and the caller now runs the release op,
	 * then {@link #free()}s the owner.
	 */
	public boolean putReleasing() {
		Participant p = Kernel.current();
		boolean last;
		synchronized (Kernel.M) {
			drop(p);
			last = count == 0;
		}
		Kernel.changed();
		return last;
	}

	/** refcount_dec_not_one, the first step of kref_put_mutex: drops a reference unless it is the last; true if it did. */
	public boolean putUnlessLast() {
		Participant p = Kernel.current();
		synchronized (Kernel.M) {
			owner.checkLive();
			if (count <= 1) {
				return false;
			}
			drop(p);
		}
		Kernel.changed();
		return true;
	}

	/** After the release op of a last put: the owner is freed (a finding if it is still linked). */
	public void free() {
		Participant p = Kernel.current();
		synchronized (Kernel.M) {
			owner.checkLive();
			markFreed(p);
		}
		Kernel.changed();
	}

	/** One reference less, the thread's own count too; below zero is an underflow. Holding {@link Kernel#M}. */
	private void drop(Participant p) {
		owner.checkLive();
		if (count == 0) {
			Report r = new Report(Report.Kind.REFCOUNT, owner.objectName(), p.name + " puts " + owner.objectName() + " at "
					+ p.site() + " below zero");
			p.validator.report(r);
			throw new LockspecFault(r);
		}
		count--;
		if (p.refs.merge(this, -1, Integer::sum) == 0) {
			p.refs.remove(this);
		}
	}

	/** Frees the owner; a finding if it is still on a list. Holding {@link Kernel#M}. */
	private void markFreed(Participant p) {
		String where = owner.linkedOn();
		owner.markFreed();
		if (where != null) {
			p.validator.report(new Report(Report.Kind.REFCOUNT, owner.objectName(), p.name + " frees " + owner.objectName()
					+ " at " + p.site() + " while it is still linked on " + where));
		}
	}

	/** The count, checking that the owner is alive ({@code x.rc} in an op). */
	public int read() {
		synchronized (Kernel.M) {
			owner.checkLive();
			return count;
		}
	}

	/** The count, without checks (invariants read freed objects too). */
	public int count() {
		synchronized (Kernel.M) {
			return count;
		}
	}

	public KObject owner() {
		return owner;
	}

	@Override
	public String toString() {
		return owner.objectName() + ".kref(" + count() + ")";
	}
}
