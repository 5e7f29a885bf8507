package org.lockspec.kernel;

import org.lockspec.model.Work;

/**
 * The three things a spec declares as a function run by a thread of the kernel's: a work item (kworkers,
 * kernel/workqueue.c), a kthread (kernel/kthread.c) and a threaded interrupt's action (kernel/irq/manage.c).
 * One place for what each is called, which thread runs it and what lockdep sees of a wait for it.
 */
public enum WorkKind {
	/** {@code struct work_struct}: lockdep's lock maps for works and flushes. */
	WORK("work", "work", "work function", "kworker", "a flush of the work %s (flush_work or cancel_work_sync), which "
			+ "lockdep reports as (work_completion): the work's function needs what the flusher holds"),
	/** {@code kthread_run}/{@code kthread_stop}: a completion, which lockdep does not track (DEPT does). */
	KTHREAD("kthread", "kthread", "thread function", "kthread", "kthread_stop of %s, which lockdep does not track "
			+ "(DEPT does): the thread function needs what the stopper holds"),
	/** {@code request_threaded_irq}: its thread, which lockdep does not track. */
	THREADED_IRQ("threaded_irq", "threaded irq", "thread function", "irq/", "a wait for the IRQ thread of %s "
			+ "(synchronize_irq, disable_irq or free_irq), which lockdep does not track: the thread function needs what "
			+ "the waiter holds");

	/** The declaration's keyword. */
	public final String keyword;
	/** What it is called in messages: "work", "threaded irq". */
	public final String noun;
	/** What its op is called: "work function". */
	public final String function;
	/** The name of the threads that run it, before their number. */
	private final String threadPrefix;
	/** What a lock cycle through a wait for it (names: %s) is, and what lockdep makes of it. */
	private final String cycle;

	WorkKind(String keyword, String noun, String function, String threadPrefix, String cycle) {
		this.keyword = keyword;
		this.noun = noun;
		this.function = function;
		this.threadPrefix = threadPrefix;
		this.cycle = cycle;
	}

	/**
	 * The name of thread {@code index} (of a scenario's threads) that runs one of these, named {@code name}:
	 * kworker3, kthread3, or irq/3-name as the kernel names an action's thread irq/N-devname.
	 */
	public String threadName(int index, String name) {
		return threadPrefix + index + (this == THREADED_IRQ ? "-" + name : "");
	}

	/** What a lock cycle through waits for these (their names, joined) is, and what lockdep makes of it. */
	public String cycleThrough(String names) {
		return String.format(cycle, names);
	}

	/** With its article: "a work". */
	public String what() {
		return "a " + noun;
	}

	public static WorkKind of(Work w) {
		return w.isIrq() ? THREADED_IRQ : w.isKthread() ? KTHREAD : WORK;
	}
}
