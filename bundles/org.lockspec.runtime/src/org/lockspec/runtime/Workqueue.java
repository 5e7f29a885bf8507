package org.lockspec.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code struct workqueue_struct}, as kernel/workqueue.c runs the {@link Work}s queued on it (the rules:
 * org.lockspec.kernel.Workqueues): {@link #flushStart} and {@link #flushEnd} wait until every run queued when the
 * flush began has ended; {@link #drainStart} and {@link #drainEnd} until none is left, refusing runs queued from
 * elsewhere meanwhile; a destroyed queue is freed. An ordered queue runs one work at a time, in the order they
 * were queued. For the validator, as for lockdep: a kworker holds the queue's lock map while a work on it runs,
 * and a flush takes it.
 */
public final class Workqueue extends Waitable {

	private final boolean ordered;
	/** The runs queued on it that have not ended, in the order they were queued. */
	private final List<Run> runs = new ArrayList<>();
	private int draining;
	private boolean destroyed;

	/** One run of a work on the queue, and whether it has begun. */
	private static final class Run {
		final Work work;
		final int run;
		Participant kworker;
		boolean begun;

		Run(Work work, int run) {
			this.work = work;
			this.run = run;
		}

		@Override
		public String toString() {
			return "run " + run + " of " + work.name();
		}
	}

	public Workqueue(String className, String name, boolean ordered) {
		super(className, name);
		this.ordered = ordered;
	}

	/** What a flush or a drain waits for: the runs it fixed (a flush), or the queue empty (a drain). */
	public static final class Flush implements Awaited {
		private final Workqueue queue;
		private final List<Run> runs;

		private Flush(Workqueue queue, List<Run> runs) {
			this.queue = queue;
			this.runs = runs;
		}

		@Override
		public boolean stuck() {
			return runs == null ? !queue.runs.isEmpty() : runs.stream().anyMatch(queue.runs::contains);
		}

		@Override
		public List<Participant> waitedFor() {
			List<Participant> out = new ArrayList<>();
			for (Run r : runs == null ? queue.runs : runs) {
				if (queue.runs.contains(r) && r.kworker != null) {
					out.add(r.kworker);
				}
			}
			return out;
		}

		@Override
		public String toString() {
			return runs == null ? "the works on " + queue.name() + " to end" : runs + " to end";
		}
	}

	/** What a kworker of an ordered queue waits for before its run begins: the runs ahead of it. */
	private record Turn(Workqueue queue, Run run) implements Awaited {
		@Override
		public boolean stuck() {
			return !queue.mayBegin(run);
		}

		@Override
		public List<Participant> waitedFor() {
			List<Participant> out = new ArrayList<>();
			for (Run r : queue.runs.subList(0, queue.runs.indexOf(run))) {
				if (r.kworker != null) {
					out.add(r.kworker);
				}
			}
			return out;
		}

		@Override
		public String toString() {
			return "the works queued before " + run + " on " + queue.name() + " to end";
		}
	}

	/**
	 * {@code queue_work} of {@code work} onto the queue: whether it may queue (false: it is draining and the
	 * caller is no run of a work on it). Throws if the queue was destroyed. Monitor held.
	 */
	boolean admits(Participant p) {
		requireAlive(p, "queues a work on");
		return draining == 0 || runs.stream().anyMatch(r -> r.kworker == p && r.begun);
	}

	/** Throws if the queue was destroyed: {@code p} {@code does} it (a use after free). Monitor held. */
	private void requireAlive(Participant p, String does) {
		if (destroyed) {
			Report r = new Report(Report.Kind.USE_AFTER_FREE, name(), p.name + " " + does + " " + name() + " at " + p.site()
					+ ", which was destroyed (destroy_workqueue)");
			p.validator.report(r);
			throw new LockspecFault(r);
		}
	}

	/** Run {@code run} of {@code work} was queued on it. Monitor held. */
	void queued(Work work, int run) {
		runs.add(new Run(work, run));
	}

	/** Kworker {@code p} waits for the turn of run {@code run} of {@code work}, then holds the queue. Monitor held. */
	void begin(Participant p, Work work, int run) {
		Run r = find(work, run);
		r.kworker = p;
		while (!mayBegin(r)) {
			Kernel.block(p, new Turn(this, r));
		}
		r.begun = true;
	}

	/** Whether a run may begin: on an ordered queue, once every run queued before it has ended. */
	private boolean mayBegin(Run r) {
		return !ordered || runs.indexOf(r) == 0;
	}

	/** The run has ended (or was cancelled). Monitor held. */
	void ended(Work work, int run) {
		runs.remove(find(work, run));
		Kernel.M.notifyAll();
	}

	private Run find(Work work, int run) {
		for (Run r : runs) {
			if (r.work == work && r.run == run) {
				return r;
			}
		}
		throw new IllegalStateException(work.name() + " run " + run + " is not on " + name());
	}

	/** {@code flush_workqueue}, first step: the runs to wait for, those queued and not ended. */
	public Flush flushStart() {
		return start(false);
	}

	/** {@code drain_workqueue} and {@code destroy_workqueue}, first step: works from elsewhere are refused. */
	public Flush drainStart() {
		return start(true);
	}

	private Flush start(boolean drain) {
		Participant p = Kernel.current();
		p.validator.mightSleep(p, (drain ? "drain_workqueue " : "flush_workqueue ") + name(), name());
		synchronized (Kernel.M) {
			requireAlive(p, "flushes");
			p.validator.waiting(p, this);
			if (drain) {
				draining++;
			}
			return new Flush(this, drain ? null : List.copyOf(runs));
		}
	}

	/** {@code flush_workqueue}, second step: sleeps until the runs {@code f} fixed have ended. */
	public void flushEnd(Flush f) {
		Participant p = Kernel.current();
		synchronized (Kernel.M) {
			while (f.stuck()) {
				Kernel.block(p, f);
			}
		}
	}

	/** {@code drain_workqueue}, second step: sleeps until no run is left; {@code destroy}: then frees the queue. */
	public void drainEnd(Flush f, boolean destroy) {
		Participant p = Kernel.current();
		synchronized (Kernel.M) {
			try {
				while (f.stuck()) {
					Kernel.block(p, f);
				}
			} finally {
				draining--;
			}
			destroyed |= destroy;
		}
	}

	@Override
	public String toString() {
		return "workqueue " + name();
	}
}
