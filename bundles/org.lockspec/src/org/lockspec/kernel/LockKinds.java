package org.lockspec.kernel;

import org.lockspec.model.Context;
import org.lockspec.model.LockKind;
import org.lockspec.model.LockMode;

/**
 * What the kernel's lock kinds do, in one place for the validator, the hover,
 * the analyses, every engine and the generator: which kinds have a read side,
 * which sleep (with and without PREEMPT_RT), which readers queue behind
 * writers, and the mode a lock statement takes when it names none.
 */
public final class LockKinds {

	private LockKinds() {
	}

	/** The mode a lock statement takes when it writes none: exclusive ({@code mutex_lock}, {@code down_write}). */
	public static final LockMode DEFAULT_MODE = LockMode.WRITE;

	/** The mode a lock statement takes: the one written ({@code read}/{@code write}), else {@link #DEFAULT_MODE}. */
	public static LockMode modeTaken(LockMode written) {
		return written == null ? DEFAULT_MODE : written;
	}

	/**
	 * An rwsem ({@code down_read}/{@code down_write}), an rwlock ({@code read_lock}/{@code write_lock}) or an
	 * srcu ({@code srcu_read_lock}; its only "writer" is {@code synchronize_srcu}, which takes nothing) or RCU
	 * ({@code rcu_read_lock}, {@code synchronize_rcu}).
	 */
	public static boolean hasReadSide(LockKind kind) {
		return kind == LockKind.RWSEM || kind == LockKind.RWLOCK || readersOnly(kind);
	}

	/**
	 * An srcu_struct: its readers ({@code srcu_read_lock}) never wait, nobody holds it exclusively, and a
	 * reader may sleep inside; {@code synchronize_srcu} waits for the readers that were inside when it began
	 * (kernel/GracePeriods). Lockdep orders it so since "rcu: Annotate SRCU's update-side lockdep dependencies"
	 * (f0f44752f5f6): a read is a recursive read, {@code synchronize_srcu} an acquire and release. RCU is the
	 * same, with one domain and read sections in which nothing sleeps ({@link #readSectionAtomic}).
	 */
	public static boolean readersOnly(LockKind kind) {
		return kind == LockKind.SRCU || kind == LockKind.RCU;
	}

	/**
	 * RCU's read sections ({@code rcu_read_lock}) are atomic: nothing may sleep inside ("Illegal context switch
	 * in RCU read-side critical section"). On PREEMPT_RT a reader is preemptible, and may take a spinlock_t or
	 * rwlock_t, an rt_mutex there (lockdep's wait type for RCU is LD_WAIT_CONFIG); nothing else that sleeps.
	 */
	public static boolean readSectionAtomic(LockKind kind) {
		return kind == LockKind.RCU;
	}

	/**
	 * Whether holding {@code held} forbids a sleep: taking a lock of kind {@code taking} that sleeps, or a wait
	 * ({@code taking} null). A spinning lock forbids every sleep; an RCU read section every one but a spinlock_t's
	 * or rwlock_t's on PREEMPT_RT.
	 */
	public static boolean forbidsSleep(LockKind held, boolean preemptRt, LockKind taking) {
		return spins(held, preemptRt)
				|| readSectionAtomic(held) && !(preemptRt && taking != null && sleepsOnPreemptRt(taking));
	}

	/** What a lock with readers only is called in messages: "an srcu", "RCU". */
	public static String readersOnlyNoun(LockKind kind) {
		return kind == LockKind.RCU ? "RCU" : "an srcu";
	}

	/** The call that waits for its readers: synchronize_srcu, synchronize_rcu. */
	public static String synchronizeCall(LockKind kind) {
		return kind == LockKind.RCU ? "synchronize_rcu" : "synchronize_srcu";
	}

	/** The call that opens a read section of it: srcu_read_lock, rcu_read_lock. */
	public static String readLockCall(LockKind kind) {
		return kind == LockKind.RCU ? "rcu_read_lock" : "srcu_read_lock";
	}

	/** Whether taking a lock of this kind in this mode lets others that take it shared in too: a read side. */
	public static boolean shared(LockKind kind, LockMode mode) {
		return mode == LockMode.READ && hasReadSide(kind);
	}

	/**
	 * Whether two CPUs can never hold one lock of this kind at once, one in mode {@code a} and the other in mode
	 * {@code b}: every exclusive hold, and a read against a write; never two reads, never a lock with readers only
	 * (srcu, RCU), never a workqueue's lock map, which a kworker of each running work holds.
	 */
	public static boolean excludes(LockKind kind, LockMode a, LockMode b) {
		if (readersOnly(kind) || Workqueues.isWorkqueue(kind)) {
			return false;
		}
		return !(shared(kind, a) && shared(kind, b));
	}

	/**
	 * The kernel call that takes a lock of this kind in this mode, as a backtrace shows it: {@code mutex_lock},
	 * {@code down_read}, {@code down_write}, {@code spin_lock_irqsave}, {@code raw_spin_lock}, {@code read_lock},
	 * {@code write_lock}, {@code srcu_read_lock}, {@code rcu_read_lock}; a workqueue's is the flush that waits on it.
	 */
	public static String acquireCall(LockKind kind, LockMode mode, boolean irqsave) {
		boolean read = mode == LockMode.READ;
		String call = switch (kind) {
		case MUTEX -> "mutex_lock";
		case RWSEM -> read ? "down_read" : "down_write";
		case SPINLOCK -> "spin_lock";
		case RAW_SPINLOCK -> "raw_spin_lock";
		case RWLOCK -> read ? "read_lock" : "write_lock";
		case SRCU, RCU -> read ? readLockCall(kind) : synchronizeCall(kind);
		case WORKQUEUE, ORDERED_WORKQUEUE -> "flush_workqueue";
		};
		return irqsave && spins(kind, false) ? call + "_irqsave" : call;
	}

	/**
	 * The kref call whose last put takes a lock of this kind ({@code put r release op under l}):
	 * {@code kref_put_mutex} (refcount_dec_and_mutex_lock) for a mutex, {@code kref_put_lock}
	 * (refcount_dec_and_lock) for a spinlock, {@code refcount_dec_and_raw_lock} for a raw spinlock; null for a
	 * kind no such call takes (a reader-writer lock, srcu, RCU, a workqueue).
	 */
	public static String refPutUnderCall(LockKind kind) {
		return switch (kind) {
		case MUTEX -> "kref_put_mutex";
		case SPINLOCK -> "kref_put_lock";
		case RAW_SPINLOCK -> "refcount_dec_and_raw_lock";
		default -> null;
		};
	}

	/** A mutex or an rwsem: waiting for it sleeps, whatever the kernel's configuration. */
	public static boolean alwaysSleeps(LockKind kind) {
		return kind == LockKind.MUTEX || kind == LockKind.RWSEM;
	}

	/** spinlock_t and rwlock_t: they spin, but sleep on PREEMPT_RT (an rt_mutex underneath); raw_spinlock_t never does. */
	public static boolean sleepsOnPreemptRt(LockKind kind) {
		return kind == LockKind.SPINLOCK || kind == LockKind.RWLOCK;
	}

	/** Whether waiting for a lock of this kind sleeps, as lockdep's wait-context rule sees it. */
	public static boolean sleeps(LockKind kind, boolean preemptRt) {
		return alwaysSleeps(kind) || preemptRt && sleepsOnPreemptRt(kind);
	}

	/**
	 * Whether holding a lock of this kind is atomic context (no sleeping under it): a raw spinlock always,
	 * a spinlock or rwlock unless PREEMPT_RT. Null (a gate, not a lock) does not spin.
	 */
	public static boolean spins(LockKind kind, boolean preemptRt) {
		return kind == LockKind.RAW_SPINLOCK || !preemptRt && sleepsOnPreemptRt(kind);
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
	 * queue behind waiting writers: an rwlock read in interrupt context, an srcu read anywhere.
	 */
	public static boolean recursiveRead(LockKind kind, LockMode mode, Context context) {
		return mode == LockMode.READ && (kind == LockKind.RWLOCK && inInterrupt(context) || readersOnly(kind));
	}

	/** Whether an op in this context may run in a hard or soft interrupt ({@code any} may), where nothing may sleep. */
	public static boolean mayRunInInterrupt(Context context) {
		return inInterrupt(context) || context == Context.ANY;
	}

	/** Whether an op in this context may run in a hard interrupt: lockdep's hardirq usage ({@code any} may). */
	public static boolean mayRunInHardirq(Context context) {
		return context == Context.HARDIRQ || context == Context.ANY;
	}

	/** Hard-IRQ or softirq context: not {@code any}, which may also be process context. */
	public static boolean inInterrupt(Context context) {
		return context == Context.HARDIRQ || context == Context.SOFTIRQ;
	}
}
