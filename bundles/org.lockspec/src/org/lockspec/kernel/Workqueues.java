package org.lockspec.kernel;

import org.lockspec.model.FlushCall;
import org.lockspec.model.Lock;
import org.lockspec.model.LockKind;
import org.lockspec.model.ObjectType;
import org.lockspec.model.Work;
import org.lockspec.model.WorkqueueCall;

/**
 * What a {@code struct workqueue_struct} does, for the validator, the analyses, every engine and the generator:
 * the one place for the rules of kernel/workqueue.c about queues (a work's own runs: {@link WorkState}).
 * <ul>
 * <li>a work declared {@code on} a workqueue runs on it; its kworker holds the queue's lock map while the work's
 * function runs ({@code process_one_work}), so every lock the function takes depends on the queue;</li>
 * <li>{@code flush_workqueue} waits until every run queued on it when it was called has ended: an acquire and
 * release of the queue's lock map, so a flush from a work running on the queue waits for itself;</li>
 * <li>{@code drain_workqueue} waits until the queue is empty, the runs its own works queue meanwhile included;
 * a {@code queue_work} onto it from anywhere else is refused ({@code __queue_work}: WARN_ON_ONCE);
 * {@code destroy_workqueue} drains it, then frees it;</li>
 * <li>an ordered workqueue ({@code alloc_ordered_workqueue}) runs one work at a time, in the order they were
 * queued; {@code flush_work} of a work on it takes the queue's lock map too (lockdep, as {@code
 * start_flush_work} does for a queue of one active work), so a work waiting for one behind it is a cycle.</li>
 * </ul>
 * Lockdep gives every workqueue a class of its own ("workqueue: Use dynamic lockdep keys for workqueues",
 * 669de8bda87b); Lockspec's lock-order check keeps one class per declaration, and nests two of them by depth
 * with {@code order T.wq by parent}.
 *
 * @param draining {@code drain_workqueue} calls under way
 * @param destroyed whether {@code destroy_workqueue} has freed it
 */
public record Workqueues(int draining, boolean destroyed) {

	/** A workqueue after {@code alloc_workqueue}. */
	public static final Workqueues ALIVE = new Workqueues(0, false);

	/** Whether a lock declaration of this kind is a workqueue. */
	public static boolean isWorkqueue(LockKind kind) {
		return kind == LockKind.WORKQUEUE || kind == LockKind.ORDERED_WORKQUEUE;
	}

	/** Whether a workqueue of this kind runs one work at a time, in queue order. */
	public static boolean ordered(LockKind kind) {
		return kind == LockKind.ORDERED_WORKQUEUE;
	}

	/**
	 * Whether a work's workqueue is one of each object (then the one of the object that holds the work, which the
	 * scope allows only), rather than a global one.
	 */
	public static boolean perObject(Lock queue) {
		return queue.eContainer() instanceof ObjectType;
	}

	/** Whether a work runs on an ordered workqueue. */
	public static boolean onOrderedQueue(Work work) {
		return work.getQueue() != null && ordered(work.getQueue().getKind());
	}

	/** Whether a flush of {@code work} by {@code call} also waits on its queue's lock map, as lockdep has it. */
	public static boolean flushTakesQueue(FlushCall call, Work work) {
		return (call == FlushCall.FLUSH_WORK || call == FlushCall.FLUSH_DELAYED_WORK) && onOrderedQueue(work);
	}

	/** Whether the call waits until the queue is empty ({@code drain_workqueue}, {@code destroy_workqueue}). */
	public static boolean drains(WorkqueueCall call) {
		return call != WorkqueueCall.FLUSH_WORKQUEUE;
	}

	/**
	 * Whether {@code queue_work} onto the queue queues: not while it drains, unless the caller is a run of a
	 * work on the queue (a chained work).
	 */
	public boolean admits(boolean chained) {
		return draining == 0 || chained;
	}

	/** After {@code drain_workqueue} (or {@code destroy_workqueue}) began. */
	public Workqueues startDrain() {
		return new Workqueues(draining + 1, destroyed);
	}

	/** After a drain returned; {@code destroy}: the queue is freed. */
	public Workqueues endDrain(boolean destroy) {
		return new Workqueues(Math.max(0, draining - 1), destroyed || destroy);
	}
}
