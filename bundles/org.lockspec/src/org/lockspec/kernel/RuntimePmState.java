package org.lockspec.kernel;

import org.lockspec.model.PmCall;

/**
 * A device's runtime PM, as drivers/base/power/runtime.c keeps it ({@code struct dev_pm_info}), for every engine
 * that keeps one as a value: the one place for the runtime PM rules a spec relies on.
 * <ul>
 * <li>{@code pm_runtime_get_sync} (and {@code pm_runtime_resume_and_get}) takes a usage count; if the device is
 * suspended, the caller runs the driver's resume callback itself ({@code rpm_resume} calls it synchronously, with
 * {@code power.lock} dropped); if a callback is under way on another CPU, it first waits for it to end (a
 * {@code wait_event} on {@code power.wait_queue}, which lockdep does not see). A resume callback that calls it
 * on its own device waits for itself.</li>
 * <li>{@code pm_runtime_put_sync} drops the count and, at zero, runs the suspend callback itself (after
 * waiting for a suspend under way; a resume under way makes it give up, -EAGAIN).</li>
 * <li>{@code pm_runtime_put} and {@code pm_runtime_put_autosuspend} drop the count and leave the suspend to
 * the PM workqueue ({@code pm_wq}), which may run the suspend callback whenever the device is active, enabled
 * and unused: in a scenario a kworker of the PM workqueue stands by for each device (the open world: an
 * earlier put of anyone's, or the autosuspend timer, queued it).</li>
 * <li>{@code pm_runtime_get_noresume} and {@code pm_runtime_put_noidle} only count;
 * {@code pm_runtime_barrier} waits for a callback under way.</li>
 * <li>An unbalanced put leaves the count at zero (the kernel warns, "Runtime PM usage count underflow!").</li>
 * <li>Runtime PM is enabled for a scenario's instances (the PCI core enables it for every device it adds);
 * an object a scenario allocates has it disabled, and its calls only count (rpm_resume: -EACCES).</li>
 * </ul>
 * The PM core never runs two callbacks of one device at once: a callback runs while the status says so.
 *
 * @param enabled {@code pm_runtime_enable} was called ({@code disable_depth} 0)
 * @param status {@code runtime_status}
 * @param usage {@code usage_count}
 * @param by the thread that runs the callback under way ({@link Status#RESUMING}, {@link Status#SUSPENDING}),
 *        or -1
 */
public record RuntimePmState(boolean enabled, Status status, int usage, int by) {

	/** {@code enum rpm_status}. */
	public enum Status {
		ACTIVE, RESUMING, SUSPENDED, SUSPENDING
	}

	/** What a call does now. */
	public enum Action {
		/** It waits for the callback under way to end, and tries again then. */
		WAIT,
		/** It goes on, in the state {@link #after}. */
		GO_ON,
		/** It runs the resume callback, then goes on. */
		RUN_RESUME,
		/** It runs the suspend callback, then goes on. */
		RUN_SUSPEND
	}

	/** An object a scenario allocates: runtime PM disabled. */
	public static final RuntimePmState DISABLED = new RuntimePmState(false, Status.ACTIVE, 0, -1);

	/** A scenario's instance: enabled, active and unused, so the PM workqueue may suspend it at any time. */
	public static final RuntimePmState ENABLED = new RuntimePmState(true, Status.ACTIVE, 0, -1);

	/** Whether a callback is under way. */
	public boolean busy() {
		return by >= 0;
	}

	/** Whether the PM workqueue may run the suspend callback now ({@code rpm_check_suspend_allowed}, usage 0). */
	public boolean mayAutosuspend() {
		return enabled && status == Status.ACTIVE && usage == 0 && !busy();
	}

	/** What {@code call} does now (the same for every thread: one whose own callback is under way waits for itself). */
	public Action on(PmCall call) {
		if (resumes(call)) {
			return !enabled ? Action.GO_ON
					: busy() ? Action.WAIT
					: status == Status.SUSPENDED ? Action.RUN_RESUME
					: Action.GO_ON;
		}
		if (suspends(call)) {
			return !enabled || dropped() > 0 ? Action.GO_ON
					: status == Status.SUSPENDING ? Action.WAIT
					: status == Status.ACTIVE && !busy() ? Action.RUN_SUSPEND
					: Action.GO_ON;
		}
		return call == PmCall.BARRIER && busy() ? Action.WAIT : Action.GO_ON;
	}

	/** Whether {@code call} may run the resume callback ({@link Action#RUN_RESUME}). */
	public static boolean resumes(PmCall call) {
		return call == PmCall.GET_SYNC || call == PmCall.RESUME_AND_GET;
	}

	/** Whether {@code call} may run the suspend callback ({@link Action#RUN_SUSPEND}). */
	public static boolean suspends(PmCall call) {
		return call == PmCall.PUT_SYNC;
	}

	/** The state after {@code call} by thread {@code t} did {@link #on} (not {@link Action#WAIT}). */
	public RuntimePmState after(PmCall call, int t) {
		int count = takesCount(call) ? usage + 1 : dropsCount(call) ? dropped() : usage;
		return switch (on(call)) {
		case RUN_RESUME -> new RuntimePmState(enabled, Status.RESUMING, count, t);
		case RUN_SUSPEND -> new RuntimePmState(enabled, Status.SUSPENDING, count, t);
		default -> new RuntimePmState(enabled, status, count, by);
		};
	}

	/** The usage count after a put: never below zero. */
	private int dropped() {
		return Math.max(0, usage - 1);
	}

	/** The PM workqueue's kworker begins a suspend (thread {@code t}). */
	public RuntimePmState autosuspending(int t) {
		return new RuntimePmState(enabled, Status.SUSPENDING, usage, t);
	}

	/** After thread {@code t}'s callback returned: active after a resume, suspended after a suspend. */
	public RuntimePmState settled(int t) {
		if (by != t) {
			return this;
		}
		return new RuntimePmState(enabled, status == Status.RESUMING ? Status.ACTIVE : Status.SUSPENDED, usage, -1);
	}

	/** After {@code pm_runtime_enable} (a scenario's instance). */
	public RuntimePmState enable() {
		return new RuntimePmState(true, status, usage, by);
	}

	/** Whether {@code call} takes a usage count. */
	public static boolean takesCount(PmCall call) {
		return call == PmCall.GET_SYNC || call == PmCall.RESUME_AND_GET || call == PmCall.GET_NORESUME;
	}

	/** Whether {@code call} drops a usage count. */
	public static boolean dropsCount(PmCall call) {
		return call == PmCall.PUT || call == PmCall.PUT_AUTOSUSPEND || call == PmCall.PUT_SYNC
				|| call == PmCall.PUT_NOIDLE;
	}

	/**
	 * Whether {@code call} may wait for a callback, or run one, in the caller's context: it sleeps, and a lock it
	 * is called under is held across a callback.
	 */
	public static boolean waits(PmCall call) {
		return call == PmCall.GET_SYNC || call == PmCall.RESUME_AND_GET || call == PmCall.PUT_SYNC
				|| call == PmCall.BARRIER;
	}

	/** What a lock cycle through the runtime PM of {@code names} is, and what lockdep makes of it. */
	public static String cycleThrough(String names) {
		return "runtime PM of " + names + ": pm_runtime_get_sync, pm_runtime_put_sync and pm_runtime_barrier run a "
				+ "callback in the caller's context or wait for one under way (a wait on power.wait_queue), which "
				+ "lockdep does not track: the callback needs what the caller holds";
	}

	/** How a thread came to run {@code op}, a callback of the runtime PM {@code name}. */
	public static String running(String name, String op) {
		return "the PM core runs " + op + ", a runtime PM callback of " + name;
	}

	/** What a wait for the callbacks of {@code name} is. */
	public static String waitFor(String name) {
		return "waits for the runtime PM callback of " + name + " under way, or runs one";
	}

	/** The name of the PM workqueue's kworker that stands by for a device, thread {@code index}. */
	public static String threadName(int index) {
		return "pm_wq" + index;
	}
}
