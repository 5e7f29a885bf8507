package org.lockspec.kernel;

/**
 * What a {@code struct work_struct} is in, for every engine that keeps one as a value: the one place for the
 * workqueue rules (kernel/workqueue.c) a spec relies on. Runs are numbered from 1 in the order they were
 * queued; a work item is never run by two workers at once, so its runs begin and end in that order.
 * <ul>
 * <li>{@code queue_work} is a no-op while the work is pending (queued, not begun) or being cancelled by
 * {@code cancel_work_sync} (which holds its PENDING bit); otherwise it queues run {@code queued + 1};</li>
 * <li>a run begins once the run before it has ended (one worker at a time); a run cancelled while pending
 * ends there without running;</li>
 * <li>{@code flush_work} waits until the run queued last when it was called has ended;</li>
 * <li>{@code cancel_work} takes the pending run off the queue; {@code cancel_work_sync} does so too, then
 * waits for the running one, and no one can queue the work meanwhile.</li>
 * </ul>
 * A kthread is a work of one run (kernel/kthread.c): {@code kthread_run} queues it, {@code kthread_stop} sets
 * {@code kthread_should_stop} and then waits as {@code cancel_work_sync} does (a thread that has not begun its
 * function never runs it: kthread() checks should_stop first).
 *
 * @param queued runs queued so far
 * @param ended runs that have ended (run to the end, or cancelled before they began)
 * @param running whether run {@code ended + 1} is running
 * @param cancelledTo runs up to this one, if not begun, are cancelled
 * @param cancelling {@code cancel_work_sync} calls under way
 * @param stopping a kthread's {@code kthread_should_stop}: {@code kthread_stop} was called
 */
public record WorkState(int queued, int ended, boolean running, int cancelledTo, int cancelling, boolean stopping) {

	/** A work item after {@code INIT_WORK}: nothing queued. */
	public static final WorkState IDLE = new WorkState(0, 0, false, 0, 0, false);

	/** Whether a run is queued and has not begun. */
	public boolean pending() {
		return queued > ended + (running ? 1 : 0);
	}

	/** Whether {@code queue_work} queues a run now (it returns true); false: a no-op. */
	public boolean queues() {
		return !pending() && cancelling == 0;
	}

	/** After {@code queue_work} queued run {@code queued + 1}. */
	public WorkState queue() {
		return new WorkState(queued + 1, ended, running, cancelledTo, cancelling, stopping);
	}

	/** Whether run {@code run} may begin (or, cancelled, end): the runs before it have ended. */
	public boolean mayBegin(int run) {
		return !running && ended == run - 1;
	}

	/** Whether run {@code run} was cancelled before it began. */
	public boolean cancelled(int run) {
		return run <= cancelledTo;
	}

	/** After run {@code ended + 1} began. */
	public WorkState begin() {
		return new WorkState(queued, ended, true, cancelledTo, cancelling, stopping);
	}

	/** After the running run, or a cancelled one at its turn, ended (a kworker's return). */
	public WorkState end() {
		return new WorkState(queued, ended + 1, false, cancelledTo, cancelling, stopping);
	}

	/** The run a flush called now waits for: the one queued last, or 0 if every run has ended. */
	public int lastRun() {
		return queued > ended ? queued : 0;
	}

	/** Whether run {@code run} (0: none) has ended. */
	public boolean hasEnded(int run) {
		return ended >= run;
	}

	/** After {@code cancel_work}: the pending run, if any, will not run. */
	public WorkState cancel() {
		return new WorkState(queued, ended, running, queued, cancelling, stopping);
	}

	/** After {@code kthread_run} started run {@code queued + 1}: a new thread, not told to stop. */
	public WorkState startThread() {
		return new WorkState(queued + 1, ended, running, cancelledTo, cancelling, false);
	}

	/** After {@code kthread_stop} told the thread to stop ({@code kthread_should_stop} is true from now on). */
	public WorkState stop() {
		return new WorkState(queued, ended, running, cancelledTo, cancelling, true);
	}

	/** After the first half of {@code cancel_work_sync}: the pending run cancelled, queueing refused. */
	public WorkState startCancelSync() {
		return new WorkState(queued, ended, running, queued, cancelling + 1, stopping);
	}

	/** After {@code cancel_work_sync} returned. */
	public WorkState endCancelSync() {
		return new WorkState(queued, ended, running, cancelledTo, Math.max(0, cancelling - 1), stopping);
	}
}
