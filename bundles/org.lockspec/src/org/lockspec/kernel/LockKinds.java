package org.lockspec.kernel;

import org.lockspec.model.Context;
import org.lockspec.model.LockKind;
import org.lockspec.model.LockMode;

/**
 * What the kernel's lock kinds do, in one place for the validator, the
 * analyses, every engine and the generator.
 */
public final class LockKinds {

	private LockKinds() {
	}

	/**
	 * Whether a reader of this kind, taking it in {@code context}, queues behind a writer that waits for
	 * the lock: always for an rwsem (down_read), and for an rwlock outside interrupt context (qrwlock:
	 * read_lock in process context is fair; in an interrupt a reader only waits for a writer that holds it).
	 * {@code any} context may be process context, so its readers queue.
	 */
	public static boolean readerQueuesBehindWriters(LockKind kind, Context context) {
		return kind == LockKind.RWSEM || kind == LockKind.RWLOCK && !inInterrupt(context);
	}

	/**
	 * lockdep's recursive read (R): a read that a lock held for read by anyone never blocks, since it does not
	 * queue behind waiting writers: an rwlock read in interrupt context.
	 */
	public static boolean recursiveRead(LockKind kind, LockMode mode, Context context) {
		return mode == LockMode.READ && kind == LockKind.RWLOCK && inInterrupt(context);
	}

	/** Hard-IRQ or softirq context: not {@code any}, which may also be process context. */
	public static boolean inInterrupt(Context context) {
		return context == Context.HARDIRQ || context == Context.SOFTIRQ;
	}
}
