package org.lockspec.runtime;

/** How the threads of a run are interleaved: freely with random yields (stress) or by a script (replay). */
interface Schedule {

	/** The thread reaches the step at {@code line} (-1: it returns). Called with the monitor held. */
	void step(Participant p, int line) throws InterruptedException;

	/** The thread is about to block in the kernel (a lock, a drain, a wait). Monitor held. */
	void blocking(Participant p);

	/**
	 * A daemon thread between two runs blocks until it has work ({@link Kernel#idle}): its turn, if it has one,
	 * is over. Monitor held.
	 */
	void idles(Participant p);

	/** The thread has ended (returned or died). Monitor held. */
	void ended(Participant p);

	/** A {@code choose} among {@code n} branches. */
	int choose(Participant p, int n);

	/** Whether steps need the monitor (replay) or may run without it (stress). */
	boolean exclusive();
}
