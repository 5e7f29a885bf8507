package org.lockspec.kernel;

/**
 * The SRCU grace periods under way on one {@code srcu_struct}, for every engine that keeps them as a value: the
 * one place for the rule of kernel/rcu/srcutree.c a spec relies on. {@code synchronize_srcu} waits for the
 * readers that were inside a read section when it began, and for no reader that entered after; a reader is
 * done with a grace period once it has left its outermost section ({@code srcu_read_unlock} of its last
 * {@code srcu_read_lock}). Readers never wait.
 * <p>
 * Kept as one {@code long}: for each waiting thread (index 0 to 7) a byte, the readers (by thread index) it
 * still waits for.
 *
 * @param owed per waiting thread, the mask of the readers it still waits for
 */
public record GracePeriods(long owed) {

	/** No {@code synchronize_srcu} under way. */
	public static final GracePeriods NONE = new GracePeriods(0);

	/** How many threads a value can tell apart. */
	public static final int MAX_THREADS = 8;

	/** After thread {@code waiter} began {@code synchronize_srcu} with {@code readers} (a mask) inside. */
	public GracePeriods begin(int waiter, int readers) {
		check(waiter);
		long shift = 8L * waiter;
		return new GracePeriods(owed & ~(0xffL << shift) | (readers & 0xffL) << shift);
	}

	/** After thread {@code reader} left its outermost read section: no grace period waits for it any more. */
	public GracePeriods left(int reader) {
		check(reader);
		long bit = 0x0101010101010101L << reader;
		return new GracePeriods(owed & ~bit);
	}

	/** The readers (a mask by thread index) thread {@code waiter}'s grace period still waits for. */
	public int owed(int waiter) {
		check(waiter);
		return (int) (owed >>> 8 * waiter & 0xff);
	}

	private static void check(int thread) {
		if (thread < 0 || thread >= MAX_THREADS) {
			throw new IllegalArgumentException("SRCU grace periods are kept for threads 0 to " + (MAX_THREADS - 1)
					+ ", not for thread " + thread);
		}
	}
}
