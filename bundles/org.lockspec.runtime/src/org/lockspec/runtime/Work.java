package org.lockspec.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@code struct work_struct} bound to its function, as kernel/workqueue.c runs it: {@link #queue()} is a
 * no-op while a run is pending (queued, not begun) or a {@code cancel_work_sync} is under way; runs are numbered in
 * the order they were queued, and a kworker begins run n only once run n - 1 has ended (one worker at a time);
 * {@link #flushStart} and {@link #awaitEnd} wait until the run queued last has ended; {@link #cancel} takes
 * the pending run off the queue, and {@link #cancelSyncStart} and {@link #cancelSyncEnd} do so and wait for the
 * running one. (Each wait is two calls, as it is two steps of the prover's scenario machine.) A kthread is a
 * work of one run: {@code kthread_run} is {@link #queue}, {@code kthread_stop} is {@link #stopStart} and
 * {@link #cancelSyncEnd}. A {@link Timer} is a work whose function runs in softirq context. A work may be queued on
 * a {@link Workqueue}. For the validator, as for lockdep: the kworker holds the work's lock map (and its
 * workqueue's) while the function runs, and a flush takes it, so flushing while holding a lock the function takes
 * is reported as a circular dependency.
 */
public sealed class Work extends Waitable permits Timer {

	private int queued;
	private int ended;
	private boolean running;
	private int cancelledTo;
	private int cancelling;
	/** A kthread's {@code kthread_should_stop}. */
	private volatile boolean stopping;
	/** The kworkers of runs that have not ended, by run. */
	private final Map<Integer, Participant> kworkers = new TreeMap<>();

	/** The workqueue its runs are queued on ({@link #queue(Workqueue)}), or null: the system workqueue. */
	private Workqueue queue;

	public Work(String className, String name) {
		super(className, name);
	}

	/** Where its function runs: a kworker's process context. */
	Context context() {
		return Context.PROCESS;
	}

	/** The name of the thread that runs a queued run, thread {@code index} of the scenario's. */
	String runnerName(int index) {
		return "kworker" + index;
	}

	/** The call that cancels a pending run and waits for the running one, for messages. */
	String cancelSyncCall() {
		return "cancel_work_sync";
	}

	/** Thread {@code p} is about to wait for a run to end ({@code what}): a flush sleeps. */
	void beforeWait(Participant p, String what) {
		p.validator.mightSleep(p, what, name());
	}

	/** What a thread blocked on a work waits for: run {@code run} to end (a flush), or to begin (a kworker). */
	record Waiting(Work work, int run, boolean begin) implements Awaited {
		@Override
		public boolean stuck() {
			return work.stuck(this);
		}

		@Override
		public List<Participant> waitedFor() {
			return work.waitedFor(this);
		}

		@Override
		public String toString() {
			return begin ? "run " + (run - 1) + " of " + work.name() + " to end, before run " + run + " begins"
					: "run " + run + " of " + work.name() + " to end";
		}
	}

	/**
	 * {@code queue_work(queue, &work)}: as {@link #queue()}, on {@code queue} (a spec queues a work on one
	 * workqueue only).
	 */
	public int queue(Workqueue queue) {
		synchronized (Kernel.M) {
			this.queue = queue;
			return queue();
		}
	}

	/**
	 * {@code queue_work}: the number of the run it queued, or 0 when it is a no-op (or its workqueue, draining,
	 * refused it).
	 */
	public int queue() {
		synchronized (Kernel.M) {
			boolean pending = queued > ended + (running ? 1 : 0);
			if (queue != null && !queue.admits(Kernel.current()) || pending || cancelling > 0) {
				return 0;
			}
			if (queue != null) {
				queue.queued(this, queued + 1);
			}
			return ++queued;
		}
	}

	/**
	 * A kworker's run {@code run} of the work: waits until the run before it has ended, then runs
	 * {@code function} holding the work's lock map, unless the run was cancelled meanwhile. {@code line} is the
	 * work's declaration: where the run begins, a step of its own.
	 */
	public void run(int run, int line, Runnable function) {
		Kernel.step(line);
		Participant p = Kernel.current();
		boolean cancelled;
		synchronized (Kernel.M) {
			kworkers.put(run, p);
			if (queue != null) {
				queue.begin(p, this, run); // an ordered queue's turn
			}
			while (running || ended != run - 1) {
				Kernel.block(p, new Waiting(this, run, true));
			}
			cancelled = run <= cancelledTo;
			if (!cancelled) {
				running = true;
				if (queue != null) {
					p.held.add(new Held(queue, Mode.WRITE, false, p.site()));
				}
				p.held.add(new Held(this, Mode.WRITE, false, p.site()));
			}
		}
		try {
			if (!cancelled) {
				function.run();
			}
		} finally {
			synchronized (Kernel.M) {
				p.held.removeIf(h -> h.lock() == this || h.lock() == queue);
				running = false;
				ended++;
				kworkers.remove(run);
				if (queue != null) {
					queue.ended(this, run);
				}
				Kernel.M.notifyAll();
			}
		}
	}

	/**
	 * {@code flush_work}, first step: the run to wait for, the one queued last (0: every run has ended); then
	 * {@link #awaitEnd}.
	 */
	public int flushStart() {
		Participant p = Kernel.current();
		beforeWait(p, "flush_work " + name());
		synchronized (Kernel.M) {
			p.validator.waiting(p, this);
			return queued > ended ? queued : 0;
		}
	}

	/** {@code flush_work}, second step: sleeps until run {@code run} has ended. */
	public void awaitEnd(int run) {
		Participant p = Kernel.current();
		synchronized (Kernel.M) {
			awaitEnd(p, run);
		}
	}

	/** {@code cancel_work}: the pending run, if any, will not run; true if there was one. */
	public boolean cancel() {
		synchronized (Kernel.M) {
			boolean pending = queued > ended + (running ? 1 : 0);
			cancelledTo = queued;
			return pending;
		}
	}

	/**
	 * {@code cancel_work_sync}, first step: the pending run cancelled, nobody can queue the work until
	 * {@link #cancelSyncEnd}; returns the run to wait for.
	 */
	public int cancelSyncStart() {
		Participant p = Kernel.current();
		beforeWait(p, cancelSyncCall() + " " + name());
		synchronized (Kernel.M) {
			p.validator.waiting(p, this);
			cancelledTo = queued;
			cancelling++;
			return queued > ended ? queued : 0;
		}
	}

	/**
	 * {@code kthread_stop}, first step: the thread is told to stop ({@link #shouldStop}), then it is waited for
	 * as {@code cancel_work_sync} waits ({@link #cancelSyncEnd}): a thread that has not begun its function never
	 * runs it.
	 */
	public int stopStart() {
		stopping = true;
		return cancelSyncStart();
	}

	/** {@code kthread_run}: a new thread, not told to stop; the number of its run ({@link #queue}). */
	public int kthreadRun() {
		synchronized (Kernel.M) {
			int run = queue();
			if (run > 0) {
				stopping = false;
			}
			return run;
		}
	}

	/** {@code kthread_should_stop}: {@link #stopStart} was called. */
	public boolean shouldStop() {
		return stopping;
	}

	/** {@code cancel_work_sync}, second step: sleeps until run {@code run} has ended, then lets others queue. */
	public void cancelSyncEnd(int run) {
		Participant p = Kernel.current();
		synchronized (Kernel.M) {
			try {
				awaitEnd(p, run);
			} finally {
				cancelling--;
			}
		}
	}

	/** Monitor held. */
	private void awaitEnd(Participant p, int run) {
		while (ended < run) {
			Kernel.block(p, new Waiting(this, run, false));
		}
	}

	/** Whether what {@code w} waits for is still to come. Monitor held. */
	boolean stuck(Waiting w) {
		return w.begin() ? running || ended != w.run() - 1 : ended < w.run();
	}

	/** The kworkers a thread that waits as {@code w} says waits for. Monitor held. */
	List<Participant> waitedFor(Waiting w) {
		List<Participant> out = new ArrayList<>();
		int last = w.begin() ? w.run() - 1 : w.run();
		kworkers.forEach((run, p) -> {
			if (run <= last) {
				out.add(p);
			}
		});
		return out;
	}

	@Override
	public String toString() {
		return "work " + name();
	}
}
