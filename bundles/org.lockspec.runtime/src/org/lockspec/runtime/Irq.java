package org.lockspec.runtime;

import java.util.List;

/**
 * A threaded interrupt's action, as kernel/irq/manage.c runs it (the rules the prover's {@code IrqState} keeps):
 * {@link #request} lets the line fire and, the first time, starts the action's one thread ({@link #thread}),
 * which runs the thread function once per wake-up, never twice at once. In a stress run the device fires
 * whenever the line is requested and enabled; in a replay the script says when. {@link #syncStart} and
 * {@link #awaitIdle} ({@code synchronize_irq}) wait until the thread neither runs nor is woken; {@link #disable}
 * stops the line (and, unless nosync, waits the same way); {@link #freeStart} and {@link #awaitExit}
 * ({@code free_irq}) stop the line and wait until the thread, having run once more if it was woken, has left
 * its loop. (Each wait is two calls, as it is two steps of the prover's scenario machine.) For the validator:
 * the thread holds the irq while it runs the function, and a wait for it takes it, so waiting while holding a
 * lock the function takes is reported as a circular dependency (which lockdep does not see).
 */
public final class Irq extends Waitable {

	private boolean requested;
	private int depth;
	private boolean woken;
	private boolean running;
	private boolean firedDuringRun;
	/** The action's thread, from the first request until it leaves its loop. */
	private Participant thread;

	public Irq(String className, String name) {
		super(className, name);
	}

	/** What a thread blocked on an irq waits for. */
	record Waiting(Irq irq, Until until) implements Awaited {
		@Override
		public boolean stuck() {
			return irq.stuck(this);
		}

		@Override
		public List<Participant> waitedFor() {
			return irq.waitedFor(this);
		}

		@Override
		public String toString() {
			return switch (until) {
			case INTERRUPT -> "an interrupt of " + irq.name();
			case IDLE -> "the IRQ thread of " + irq.name() + " to finish";
			case EXIT -> "the IRQ thread of " + irq.name() + " to exit";
			};
		}
	}

	/** An idle IRQ thread waits for an interrupt; a synchronize for the thread to be idle; a free for it to exit. */
	enum Until {
		INTERRUPT, IDLE, EXIT
	}

	private boolean mayFire() {
		return requested && depth == 0;
	}

	private boolean stopping() {
		return thread != null && !requested;
	}

	/**
	 * {@code request_threaded_irq}: the line may fire; true if the action's thread must be started (then run
	 * {@link #thread} on it). A second request is refused (-EBUSY): false.
	 */
	public boolean request() {
		synchronized (Kernel.M) {
			if (requested) {
				return false;
			}
			requested = true;
			firedDuringRun |= running && depth == 0;
			Kernel.M.notifyAll();
			return thread == null;
		}
	}

	/**
	 * The action's thread: waits for an interrupt (one that fires now, in a stress run), runs {@code function}
	 * holding the irq, and again while it is woken, until {@code free_irq} stops it. {@code line} is the irq's
	 * declaration: where each run begins, and where the thread leaves its loop, a step of its own; each run's
	 * end is a step of its own too (the prover's "returns").
	 */
	public void thread(int line, Runnable function) {
		Participant p = Kernel.current();
		boolean replayed = p.run != null && p.run.schedule().exclusive();
		synchronized (Kernel.M) {
			thread = p;
		}
		try {
			while (runOnce(p, line, function, replayed)) {
				// the next wake-up
			}
		} finally {
			synchronized (Kernel.M) {
				thread = null; // it has left its loop, or its run was stopped
				running = false;
				Kernel.M.notifyAll();
			}
		}
	}

	/** One turn of the thread's loop: false when it leaves the loop. */
	private boolean runOnce(Participant p, int line, Runnable function, boolean replayed) {
		synchronized (Kernel.M) {
			p.betweenRuns = true;
			// in a replay the script fires the line: the thread stands at its step point whenever it may; in a
			// stress run the device fires now and then while it may (always would starve synchronize_irq)
			while (!woken && !stopping() && !(mayFire() && (replayed || p.random.nextInt(4) == 0))) {
				if (mayFire()) {
					Kernel.pause(p);
				} else {
					Kernel.idle(p, new Waiting(this, Until.INTERRUPT));
				}
			}
		}
		Kernel.step(line);
		synchronized (Kernel.M) {
			if (stopping() && !woken && !running) {
				return false;
			}
			if (!woken && !mayFire()) {
				return true; // in a stress run the line was disabled meanwhile
			}
			p.betweenRuns = false;
			woken = false;
			running = true;
			firedDuringRun = mayFire();
			p.held.add(new Held(this, Mode.WRITE, false, p.site()));
		}
		try {
			function.run();
		} finally {
			synchronized (Kernel.M) {
				p.held.removeIf(h -> h.lock() == this);
			}
		}
		Kernel.step(-1);
		synchronized (Kernel.M) {
			// whether the line fired during the run (IRQTF_RUNTHREAD set again): the script says, or a coin
			boolean again = (firedDuringRun || mayFire()) && (replayed ? Kernel.choose(2) == 1 : p.random.nextInt(4) == 0);
			running = false;
			woken = again;
			firedDuringRun = false;
			p.betweenRuns = true; // a stress run may end here: say so before the others look
			Kernel.M.notifyAll();
		}
		return true;
	}

	/** {@code synchronize_irq}, first step. */
	public void syncStart() {
		startWait("synchronize_irq");
	}

	/** {@code disable_irq} ({@code sync}: it waits, then {@link #awaitIdle}) and {@code disable_irq_nosync}. */
	public void disable(boolean sync) {
		if (sync) {
			startWait("disable_irq");
		}
		synchronized (Kernel.M) {
			depth++;
		}
	}

	/** {@code enable_irq}: undoes one disable (an unbalanced one the kernel warns of, and ignores). */
	public void enable() {
		synchronized (Kernel.M) {
			depth = Math.max(0, depth - 1);
			firedDuringRun |= running && mayFire();
			Kernel.M.notifyAll();
		}
	}

	/** {@code free_irq}, first step: the line stops, its thread is told to stop; then {@link #awaitExit}. */
	public void freeStart() {
		startWait("free_irq");
		synchronized (Kernel.M) {
			requested = false;
			Kernel.M.notifyAll();
		}
	}

	/** {@code synchronize_irq} and {@code disable_irq}, second step: sleeps until the thread neither runs nor is woken. */
	public void awaitIdle() {
		await(Until.IDLE);
	}

	/** {@code free_irq}, second step: sleeps until the thread it stopped has left its loop. */
	public void awaitExit() {
		await(Until.EXIT);
	}

	private void startWait(String call) {
		Participant p = Kernel.current();
		p.validator.mightSleep(p, call + " " + name(), name());
		synchronized (Kernel.M) {
			p.validator.waiting(p, this);
		}
	}

	private void await(Until until) {
		Participant p = Kernel.current();
		synchronized (Kernel.M) {
			Waiting w = new Waiting(this, until);
			while (stuck(w)) {
				Kernel.block(p, w);
			}
		}
	}

	/** Whether what {@code w} waits for is still to come. Monitor held. */
	boolean stuck(Waiting w) {
		return switch (w.until()) {
		case INTERRUPT -> !woken && !stopping() && !mayFire();
		case IDLE -> woken || running;
		case EXIT -> stopping();
		};
	}

	/** The thread a wait for the irq waits for (none for an idle thread's wait for an interrupt). Monitor held. */
	List<Participant> waitedFor(Waiting w) {
		return w.until() == Until.INTERRUPT || thread == null ? List.of() : List.of(thread);
	}

	@Override
	public String toString() {
		return "threaded irq " + name();
	}
}
