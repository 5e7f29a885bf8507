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

	/** kref_get. */
	public void get() {
		Participant p = Kernel.current();
		synchronized (Kernel.M) {
			owner.checkLive();
			count++;
			p.refs.merge(this, 1, Integer::sum);
		}
	}

	/** kref_put: true if this put released the object. */
	public boolean put() {
		Participant p = Kernel.current();
		boolean released;
		synchronized (Kernel.M) {
			owner.checkLive();
			if (count == 0) {
				Report r = new Report(Report.Kind.REFCOUNT, owner.objectName(), p.name + " puts " + owner.objectName() + " at " + p.site()
						+ " below zero");
				p.validator.report(r);
				throw new LockspecFault(r);
			}
			count--;
			int mine = p.refs.merge(this, -1, Integer::sum);
			if (mine == 0) {
				p.refs.remove(this);
			}
			released = count == 0;
			if (released) {
				String where = owner.linkedOn();
				owner.markFreed();
				if (where != null) {
					p.validator.report(new Report(Report.Kind.REFCOUNT, owner.objectName(), p.name + " frees " + owner.objectName() + " at "
							+ p.site() + " while it is still linked on " + where));
				}
			}
		}
		Kernel.changed();
		if (released && release != null) {
			release.run();
		}
		return released;
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
