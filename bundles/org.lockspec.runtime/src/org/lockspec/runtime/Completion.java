package org.lockspec.runtime;

/**
 * A {@code struct completion}: {@link #complete()} lets one waiter go on,
 * {@link #completeAll()} every waiter, now and later; {@link #waitForCompletion()}
 * sleeps until it is done and takes one {@code complete}; {@link #reinit()}
 * makes it not done again. For the validator, as for DEPT: a waiter depends on
 * the completion, and the completion depends on every lock its producer took
 * (and every wait it made) before it completed, so waiting for it while holding
 * one of those is reported as a circular dependency, which lockdep cannot see.
 */
public final class Completion extends Waitable {

	/** {@code complete_all}: done for every waiter ({@code UINT_MAX} in the kernel). */
	private static final int ALL = Integer.MAX_VALUE;

	private int done;

	public Completion(String className, String name) {
		super(className, name);
	}

	/** {@code complete}. */
	public void complete() {
		Participant p = Kernel.current();
		synchronized (Kernel.M) {
			p.validator.completing(p, this);
			done = done >= ALL - 1 ? ALL : done + 1;
			Kernel.M.notifyAll();
		}
	}

	/** {@code complete_all}. */
	public void completeAll() {
		Participant p = Kernel.current();
		synchronized (Kernel.M) {
			p.validator.completing(p, this);
			done = ALL;
			Kernel.M.notifyAll();
		}
	}

	/** {@code wait_for_completion}: sleeps until done, then takes one {@code complete}. */
	public void waitForCompletion() {
		Participant p = Kernel.current();
		p.validator.mightSleep(p, "wait_for_completion " + name(), name());
		synchronized (Kernel.M) {
			p.validator.waiting(p, this);
			while (done == 0) {
				Kernel.block(p, this);
			}
			consume();
		}
	}

	/**
	 * {@code wait_for_completion_timeout} (and the interruptible and killable forms): takes a {@code complete}
	 * if it is done, else gives up at once, as if the time ran out; true if it was done.
	 */
	public boolean waitForCompletionOrGiveUp() {
		Participant p = Kernel.current();
		p.validator.mightSleep(p, "wait_for_completion_timeout " + name(), name());
		synchronized (Kernel.M) {
			if (done == 0) {
				return false;
			}
			consume();
			return true;
		}
	}

	/** {@code reinit_completion}. */
	public void reinit() {
		synchronized (Kernel.M) {
			done = 0;
		}
	}

	/** Whether a waiter would go on now. Monitor held. */
	boolean isDone() {
		return done > 0;
	}

	private void consume() {
		if (done != ALL) {
			done--;
		}
	}

	@Override
	public String toString() {
		return "completion " + name();
	}
}
