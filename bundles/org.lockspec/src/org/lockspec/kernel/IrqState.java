package org.lockspec.kernel;

/**
 * What a threaded interrupt is in, for every engine that keeps one as a value: the one place for the genirq
 * rules (kernel/irq/manage.c) a spec relies on. {@code request_threaded_irq} creates the action's thread
 * ({@code irq/N-name}, one per action, so the thread function never runs twice at once) and lets the line
 * fire. The line fires at any time while it is requested and enabled (the device decides, not the spec: the
 * open world); a firing wakes the thread (IRQTF_RUNTHREAD), and a firing while the thread runs makes it run
 * once more after (unless the line is ONESHOT, which a spec cannot rely on without saying so).
 * <ul>
 * <li>{@code synchronize_irq} waits until the thread is neither running nor woken ({@code threads_active});</li>
 * <li>{@code disable_irq} stops the line from firing (nested: {@code depth}), then waits as
 * {@code synchronize_irq}; {@code disable_irq_nosync} does not wait; {@code enable_irq} undoes one disable;</li>
 * <li>{@code free_irq} stops the line from firing and stops the thread with {@code kthread_stop}, which waits
 * until it has left its loop: a thread woken before that runs its function one last time first
 * (irq_wait_for_interrupt).</li>
 * </ul>
 *
 * @param requested {@code request_threaded_irq} was called and no {@code free_irq} since
 * @param depth {@code disable_irq} calls not undone by {@code enable_irq}
 * @param woken the thread is woken and has not begun its run (IRQTF_RUNTHREAD)
 * @param running the thread runs the function
 * @param firedDuringRun the line could fire during the current run (it was requested and enabled at some time
 *        since the run began): the run may be followed by another
 * @param thread the action's thread exists (from the request until it leaves its loop)
 */
public record IrqState(boolean requested, int depth, boolean woken, boolean running, boolean firedDuringRun,
		boolean thread) {

	/** A line no one requested. */
	public static final IrqState FREE = new IrqState(false, 0, false, false, false, false);

	/** Whether the line can fire now: requested and not disabled. */
	public boolean mayFire() {
		return requested && depth == 0;
	}

	/** Whether {@code synchronize_irq} must wait: the thread runs or is woken. */
	public boolean active() {
		return woken || running;
	}

	/**
	 * After {@code request_threaded_irq}: the line may fire. Whether it starts the thread: {@link #thread} was
	 * false (a request of a line already requested is refused with -EBUSY: {@link #requested}).
	 */
	public IrqState request() {
		return new IrqState(true, depth, woken, running, firedDuringRun || running && depth == 0, true);
	}

	/** Whether the thread, not running, begins a run now: it was woken, or the line fires. */
	public boolean mayBegin() {
		return woken || mayFire();
	}

	/** After the thread began a run (woken before, or by a firing now). */
	public IrqState begin() {
		return new IrqState(requested, depth, false, true, mayFire(), thread);
	}

	/** After the run ended; {@code again}: the line fired during it, and the thread is woken at once. */
	public IrqState end(boolean again) {
		return new IrqState(requested, depth, again, false, false, thread);
	}

	/** Whether a firing during the run that ends now may have woken the thread again. */
	public boolean mayRunAgain() {
		return firedDuringRun || mayFire();
	}

	/**
	 * Whether {@code free_irq} stopped the thread and it has not left its loop yet: what the second half of
	 * {@code free_irq} waits for. (A {@code free_irq} of a line not requested is a no-op, and waits for nothing.)
	 */
	public boolean stopping() {
		return thread && !requested;
	}

	/** Whether the thread, not running and not woken, leaves its loop: {@code free_irq} stopped it. */
	public boolean exits() {
		return stopping() && !woken && !running;
	}

	/** After the thread left its loop. */
	public IrqState exit() {
		return new IrqState(requested, depth, false, false, false, false);
	}

	/** After {@code disable_irq} or {@code disable_irq_nosync}. */
	public IrqState disable() {
		return new IrqState(requested, depth + 1, woken, running, firedDuringRun, thread);
	}

	/** After {@code enable_irq} (the kernel warns of an unbalanced one and leaves the depth at 0). */
	public IrqState enable() {
		IrqState s = new IrqState(requested, Math.max(0, depth - 1), woken, running, firedDuringRun, thread);
		return s.mayFire() && running ? new IrqState(requested, s.depth, woken, true, true, thread) : s;
	}

	/** After the first half of {@code free_irq}: no more firing, the thread told to stop. */
	public IrqState free() {
		return new IrqState(false, depth, woken, running, firedDuringRun, thread);
	}
}
