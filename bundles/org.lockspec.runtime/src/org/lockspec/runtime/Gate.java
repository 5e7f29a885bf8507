package org.lockspec.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * A kernfs-style active reference: many threads may {@link #enter()} while
 * the gate is open; {@link #drain()} closes it and sleeps until everybody
 * inside has left; an {@code enter} after that fails (the sysfs store returns
 * -ENODEV). For the validator, being inside is holding the gate's read side
 * and draining takes its write side, like lockdep's lock maps.
 */
public final class Gate extends Waitable {

	final List<Participant> inside = new ArrayList<>(2);
	private boolean closed;

	public Gate(String className, String name) {
		super(className, name);
	}

	/** kernfs_get_active: false if the gate is closed (the caller returns). */
	public boolean enter() {
		Participant p = Kernel.current();
		synchronized (Kernel.M) {
			if (closed) {
				return false;
			}
			p.validator.acquiring(p, this, Mode.READ, false, true);
			inside.add(p);
			p.held.add(new Held(this, Mode.READ, false, p.site()));
			return true;
		}
	}

	/** kernfs_put_active. */
	public void leave() {
		Participant p = Kernel.current();
		synchronized (Kernel.M) {
			boolean was = false;
			for (int i = p.held.size() - 1; i >= 0; i--) {
				if (p.held.get(i).lock() == this) {
					p.held.remove(i);
					was = true;
					break;
				}
			}
			if (!was) {
				p.validator.report(new Report(Report.Kind.LOCK_MISUSE, name(), p.name + " leaves " + name() + " at "
						+ p.site() + " without having entered it"));
				return;
			}
			inside.remove(p);
			Kernel.M.notifyAll();
		}
	}

	/** The first half of a drain: close the gate (checked as a sleeping wait, ordered as the write side). */
	public void close() {
		Participant p = Kernel.current();
		synchronized (Kernel.M) {
			p.validator.acquiring(p, this, Mode.WRITE, true, false);
			closed = true;
		}
	}

	/** The second half of a drain: sleep until nobody is inside. */
	public void awaitDrained() {
		Participant p = Kernel.current();
		synchronized (Kernel.M) {
			while (!inside.isEmpty()) {
				Kernel.block(p, this);
			}
		}
	}

	/** kernfs_drain: close, then wait for everybody inside to leave. */
	public void drain() {
		close();
		awaitDrained();
	}

	public boolean isClosed() {
		synchronized (Kernel.M) {
			return closed;
		}
	}

	/** How many are inside. */
	public int active() {
		synchronized (Kernel.M) {
			return inside.size();
		}
	}

	@Override
	public String toString() {
		return "drain " + name();
	}
}
