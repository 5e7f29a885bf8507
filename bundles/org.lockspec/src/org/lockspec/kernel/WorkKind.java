package org.lockspec.kernel;

import org.lockspec.model.CancelCall;
import org.lockspec.model.Context;
import org.lockspec.model.FlushCall;
import org.lockspec.model.QueueCall;
import org.lockspec.model.Work;

/**
 * The four things a spec declares as a function the kernel runs on a thread or in softirq of its own: a work item
 * (kworkers, kernel/workqueue.c), a kthread (kernel/kthread.c), a threaded interrupt's action
 * (kernel/irq/manage.c) and a timer (kernel/time/timer.c). One place for what each is called, which call goes
 * with which, where its function runs, how a wait for it waits and what lockdep sees of that wait.
 */
public enum WorkKind {
	/** {@code struct work_struct}: lockdep's lock maps for works and flushes. */
	WORK("work", "work", "work function", "kworker", Context.PROCESS, "a flush of the work %s (flush_work or "
			+ "cancel_work_sync), which lockdep reports as (work_completion): the work's function needs what the flusher "
			+ "holds", "a kworker runs %2$s for %1$s", "waits for the run of %s to end",
			"CPU%1$d waits for the run of %3$s on CPU%2$d to end; CPU%2$d cannot end it: it waits for %4$s",
			"a work item runs on one kworker at a time (%s)"),
	/** {@code kthread_run}/{@code kthread_stop}: a completion, which lockdep does not track (DEPT does). */
	KTHREAD("kthread", "kthread", "thread function", "kthread", Context.PROCESS, "kthread_stop of %s, which lockdep "
			+ "does not track (DEPT does): the thread function needs what the stopper holds", "the thread %s runs %s",
			"waits for the thread %s to exit",
			"CPU%1$d waits in kthread_stop for the thread %3$s on CPU%2$d to exit; CPU%2$d cannot exit: it waits for %4$s",
			"one thread runs the function of the kthread %s"),
	/** {@code request_threaded_irq}: its thread, which lockdep does not track. */
	THREADED_IRQ("threaded_irq", "threaded irq", "thread function", "irq/", Context.PROCESS, "a wait for the IRQ "
			+ "thread of %s (synchronize_irq, disable_irq or free_irq), which lockdep does not track: the thread function "
			+ "needs what the waiter holds", "the IRQ thread of %s runs %s", "waits for the IRQ thread of %s to finish its run",
			"CPU%1$d waits for the IRQ thread of %3$s on CPU%2$d to finish its run; CPU%2$d cannot finish it: it waits "
					+ "for %4$s",
			"the irq %s has one IRQ thread"),
	/**
	 * {@code timer_setup}/{@code mod_timer}/{@code timer_delete_sync}: the function runs in softirq context, and a
	 * synchronous delete spins until it has returned; lockdep tracks that wait with the timer's lock map.
	 */
	TIMER("timer", "timer", "timer function", "timer", Context.SOFTIRQ, "timer_delete_sync of %s, which lockdep "
			+ "reports through the timer's lock map: the timer function needs what the deleter holds, and the deleter "
			+ "spins until it has returned", "the timer %s expires: softirq runs %s",
			"waits in timer_delete_sync for the function of %s to return",
			"CPU%1$d spins in timer_delete_sync until the function of %3$s on CPU%2$d returns; CPU%2$d cannot return: "
					+ "it waits for %4$s",
			"the function of the timer %s never runs on two CPUs at once");

	/** The declaration's keyword. */
	public final String keyword;
	/** What it is called in messages: "work", "threaded irq". */
	public final String noun;
	/** What its op is called: "work function". */
	public final String function;
	/** The name of the threads that run it, before their number. */
	private final String threadPrefix;
	/** Where its function runs. */
	public final Context context;
	/** What a lock cycle through a wait for it (names: %s) is, and what lockdep makes of it. */
	private final String cycle;
	/** How a thread came to be in its function (name, op). */
	private final String running;
	/** What a wait for it is (name). */
	private final String waitFor;
	/** A cycle's note on CPU i waiting for it on CPU j (i, j, name, what CPU j waits for). */
	private final String stuck;
	/** Why its function never runs on two CPUs at once for one declaration and object (name). */
	private final String onceAtATime;

	WorkKind(String keyword, String noun, String function, String threadPrefix, Context context, String cycle,
			String running, String waitFor, String stuck, String onceAtATime) {
		this.keyword = keyword;
		this.noun = noun;
		this.function = function;
		this.threadPrefix = threadPrefix;
		this.context = context;
		this.cycle = cycle;
		this.running = running;
		this.waitFor = waitFor;
		this.stuck = stuck;
		this.onceAtATime = onceAtATime;
	}

	/** The kernel function that calls this kind's function, as a backtrace shows it. */
	public String runner() {
		return switch (this) {
		case WORK -> "process_one_work";
		case KTHREAD -> "kthread";
		case THREADED_IRQ -> "irq_thread";
		case TIMER -> "call_timer_fn";
		};
	}

	/**
	 * Why two CPUs never run the function of one of these at once (for one object): the kernel runs a work item on
	 * one kworker at a time (workqueue non-reentrance), an action has one IRQ thread, a kthread is one thread, and a
	 * timer's function never runs on two CPUs at once (a timer rearmed while it runs stays on its base).
	 */
	public String onceAtATime(String name) {
		return String.format(onceAtATime, name);
	}

	/**
	 * The name of thread {@code index} (of a scenario's threads) that runs one of these, named {@code name}:
	 * kworker3, kthread3, timer3, or irq/3-name as the kernel names an action's thread irq/N-devname.
	 */
	public String threadName(int index, String name) {
		return threadPrefix + index + (this == THREADED_IRQ ? "-" + name : "");
	}

	/** What a lock cycle through waits for these (their names, joined) is, and what lockdep makes of it. */
	public String cycleThrough(String names) {
		return String.format(cycle, names);
	}

	/** How a thread came to run {@code op}, the function of {@code name}: "the IRQ thread of hp_irq runs pciehp_ist". */
	public String running(String name, String op) {
		return String.format(running, name, op);
	}

	/** What a wait for {@code name} is: "waits for the run of w to end". */
	public String waitFor(String name) {
		return String.format(waitFor, name);
	}

	/** Why CPU {@code i}, waiting for {@code name} on CPU {@code j}, waits forever: CPU j waits for {@code next}. */
	public String stuck(int i, int j, String name, String next) {
		return String.format(stuck, i, j, name, next);
	}

	/** With its article: "a work". */
	public String what() {
		return "a " + noun;
	}

	/**
	 * Whether a wait for its function's end sleeps: a timer's synchronous delete spins ({@code
	 * del_timer_wait_running}), except on PREEMPT_RT, where it sleeps on the timer base's expiry lock.
	 */
	public boolean waitSleeps(boolean preemptRt) {
		return this != TIMER || preemptRt;
	}

	public static WorkKind of(Work w) {
		return w.isTimer() ? TIMER : w.isIrq() ? THREADED_IRQ : w.isKthread() ? KTHREAD : WORK;
	}

	/** What a queue call starts: kthread_run a kthread, mod_timer and add_timer a timer, the others a work. */
	public static WorkKind startedBy(QueueCall call) {
		return switch (call) {
		case KTHREAD_RUN -> KTHREAD;
		case MOD_TIMER, ADD_TIMER -> TIMER;
		default -> WORK;
		};
	}

	/** What a waiting call waits for: kthread_stop a kthread, timer_delete_sync a timer, the others a work. */
	public static WorkKind awaitedBy(FlushCall call) {
		return switch (call) {
		case KTHREAD_STOP -> KTHREAD;
		case TIMER_DELETE_SYNC, DEL_TIMER_SYNC -> TIMER;
		default -> WORK;
		};
	}

	/** What a cancel call cancels: timer_delete a timer, the others a work. */
	public static WorkKind cancelledBy(CancelCall call) {
		return call == CancelCall.TIMER_DELETE || call == CancelCall.DEL_TIMER ? TIMER : WORK;
	}

	/** Whether a waiting call first takes a pending run off the queue (flush_work does not). */
	public static boolean cancels(FlushCall call) {
		return call != FlushCall.FLUSH_WORK && call != FlushCall.FLUSH_DELAYED_WORK;
	}

	/** Whether a waiting call tells the thread to stop first ({@code kthread_should_stop}). */
	public static boolean stops(FlushCall call) {
		return call == FlushCall.KTHREAD_STOP;
	}
}
