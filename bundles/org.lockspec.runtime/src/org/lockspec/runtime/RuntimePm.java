package org.lockspec.runtime;

import java.util.List;

/**
 * A device's runtime PM ({@code struct dev_pm_info}) and its driver's runtime_suspend and runtime_resume callbacks,
 * as drivers/base/power/runtime.c runs them (the rules the prover's {@code RuntimePmState} keeps):
 * <ul>
 * <li>{@code pm_runtime_get_sync} and {@code pm_runtime_resume_and_get} take a usage count; on a suspended device
 * the caller runs the resume callback itself ({@code rpm_resume}); while a callback is under way, on another
 * thread or on the caller's own, they first wait for it to end (a {@code wait_event} on
 * {@code power.wait_queue}).</li>
 * <li>{@code pm_runtime_put_sync} drops the count and, at zero, runs the suspend callback itself
 * ({@code rpm_suspend}), after waiting for a suspend under way (a resume under way makes it give up).</li>
 * <li>{@code pm_runtime_put} and {@code pm_runtime_put_autosuspend} drop the count and leave the suspend to the PM
 * workqueue, whose kworker ({@link #worker}) runs the suspend callback whenever the device is enabled, active and
 * unused: in a stress run now and then, in a replay when the script says.</li>
 * <li>{@code pm_runtime_get_noresume} and {@code pm_runtime_put_noidle} only count; {@code pm_runtime_barrier}
 * waits for a callback under way.</li>
 * <li>An unbalanced put leaves the count at zero. A new runtime PM is disabled (an object a scenario allocates:
 * every call only counts, no callback runs) until {@link #enable} ({@code pm_runtime_enable}, which the PCI core
 * does for a scenario's devices).</li>
 * </ul>
 * Two callbacks of one device never run at once. A call is {@link #call} (a step of the prover's scenario machine
 * and, when it ran a callback, that callback's steps) and then, only when it ran one, {@link #settle} (a step of its
 * own: the device is active after a resume, suspended after a suspend). For the validator: a callback runs holding
 * the runtime PM, and a call that may run or wait for one ({@code pm_runtime_get_sync}, {@code
 * pm_runtime_resume_and_get}, {@code pm_runtime_put_sync}, {@code pm_runtime_barrier}) sleeps and waits for it, so
 * calling one while holding a lock a callback takes is reported as a circular dependency (which lockdep does not
 * see: the wait on {@code power.wait_queue} is no lock to it).
 */
public final class RuntimePm extends Waitable {

	/** {@code enum rpm_status}. */
	public enum Status {
		ACTIVE, RESUMING, SUSPENDED, SUSPENDING
	}

	/** The runtime PM calls, as include/linux/pm_runtime.h names them. */
	public enum Call {
		GET_SYNC("pm_runtime_get_sync"), RESUME_AND_GET("pm_runtime_resume_and_get"),
		GET_NORESUME("pm_runtime_get_noresume"), PUT("pm_runtime_put"), PUT_AUTOSUSPEND("pm_runtime_put_autosuspend"),
		PUT_SYNC("pm_runtime_put_sync"), PUT_NOIDLE("pm_runtime_put_noidle"), BARRIER("pm_runtime_barrier");

		/** The kernel function, for messages. */
		public final String function;

		Call(String function) {
			this.function = function;
		}

		/** Whether it takes a usage count. */
		boolean takesCount() {
			return this == GET_SYNC || this == RESUME_AND_GET || this == GET_NORESUME;
		}

		/** Whether it drops a usage count. */
		boolean dropsCount() {
			return this == PUT || this == PUT_AUTOSUSPEND || this == PUT_SYNC || this == PUT_NOIDLE;
		}

		/** Whether it may wait for a callback, or run one, in the caller's context: it sleeps. */
		boolean waits() {
			return this == GET_SYNC || this == RESUME_AND_GET || this == PUT_SYNC || this == BARRIER;
		}
	}

	/** What a call does now. */
	private enum Action {
		/** It waits for the callback under way to end, and tries again then. */
		WAIT,
		/** It counts (or does nothing) and returns. */
		GO_ON,
		/** It runs the resume callback. */
		RUN_RESUME,
		/** It runs the suspend callback. */
		RUN_SUSPEND
	}

	private boolean enabled;
	private Status status = Status.ACTIVE;
	private int usage;
	/** The thread that runs the callback under way ({@link Status#RESUMING}, {@link Status#SUSPENDING}), or null. */
	private Participant by;

	public RuntimePm(String className, String name) {
		super(className, name);
	}

	/** What a thread blocked in a call waits for: the callback under way to end. */
	record Waiting(RuntimePm pm, Call call) implements Awaited {
		@Override
		public boolean stuck() {
			return pm.action(call) == Action.WAIT;
		}

		@Override
		public List<Participant> waitedFor() {
			return pm.by == null ? List.of() : List.of(pm.by);
		}

		@Override
		public String toString() {
			return pm.by == null ? "a runtime PM callback of " + pm.name() + " to end"
					: "the " + (pm.status == Status.RESUMING ? "resume" : "suspend") + " callback of " + pm.name()
							+ " under way on " + pm.by.name + " to end";
		}
	}

	/** What the PM workqueue's kworker waits for between suspends: the device enabled, active and unused. */
	record Idle(RuntimePm pm) implements Awaited {
		@Override
		public boolean stuck() {
			return !pm.mayAutosuspend();
		}

		@Override
		public List<Participant> waitedFor() {
			return List.of();
		}

		@Override
		public String toString() {
			return pm.name() + " to be unused, so that it may be suspended";
		}
	}

	/** {@code pm_runtime_enable}: the calls may run callbacks, and the PM workqueue may suspend the device. */
	public void enable() {
		synchronized (Kernel.M) {
			enabled = true;
			Kernel.M.notifyAll();
		}
	}

	/** {@code runtime_status}. */
	public Status status() {
		synchronized (Kernel.M) {
			return status;
		}
	}

	/** {@code usage_count}. */
	public int usage() {
		synchronized (Kernel.M) {
			return usage;
		}
	}

	/** Whether a callback is under way. Monitor held. */
	private boolean busy() {
		return by != null;
	}

	/** Whether the PM workqueue may run the suspend callback now ({@code rpm_check_suspend_allowed}). Monitor held. */
	private boolean mayAutosuspend() {
		return enabled && status == Status.ACTIVE && usage == 0 && !busy();
	}

	/** What {@code call} does now. Monitor held. */
	private Action action(Call call) {
		return switch (call) {
		case GET_SYNC, RESUME_AND_GET -> !enabled ? Action.GO_ON
				: busy() ? Action.WAIT
				: status == Status.SUSPENDED ? Action.RUN_RESUME
				: Action.GO_ON;
		case PUT_SYNC -> !enabled || dropped() > 0 ? Action.GO_ON
				: status == Status.SUSPENDING ? Action.WAIT
				: status == Status.ACTIVE && !busy() ? Action.RUN_SUSPEND
				: Action.GO_ON;
		case BARRIER -> busy() ? Action.WAIT : Action.GO_ON;
		case GET_NORESUME, PUT, PUT_AUTOSUSPEND, PUT_NOIDLE -> Action.GO_ON;
		};
	}

	/** The usage count after a put: never below zero. Monitor held. */
	private int dropped() {
		return Math.max(0, usage - 1);
	}

	/**
	 * A runtime PM call ({@link Call}), first step: waits while a callback it must wait for is under way, counts,
	 * and runs the callback it must run itself ({@code suspend} or {@code resume}, the driver's callbacks bound to
	 * the device). True if it ran one: then the call's second step is {@link #settle}.
	 */
	public boolean call(Call call, Runnable suspend, Runnable resume) {
		Participant p = Kernel.current();
		if (call.waits()) {
			p.validator.mightSleep(p, call.function + " " + name(), name());
		}
		Action action;
		synchronized (Kernel.M) {
			if (call.waits()) {
				p.validator.waiting(p, this);
			}
			while ((action = action(call)) == Action.WAIT) {
				Kernel.block(p, new Waiting(this, call));
			}
			usage = call.takesCount() ? usage + 1 : call.dropsCount() ? dropped() : usage;
			if (action == Action.GO_ON) {
				Kernel.M.notifyAll(); // at zero the PM workqueue may suspend the device
				return false;
			}
			begin(p, action == Action.RUN_RESUME ? Status.RESUMING : Status.SUSPENDING);
		}
		runCallback(p, action == Action.RUN_RESUME ? resume : suspend);
		return true;
	}

	/**
	 * A call's second step, after the callback it ran has returned: the device is active after a resume, suspended
	 * after a suspend, and those who waited for the callback go on.
	 */
	public void settle() {
		Participant p = Kernel.current();
		synchronized (Kernel.M) {
			settle(p);
		}
	}

	/**
	 * The PM workqueue's kworker for the device ({@code pm_runtime_work}, queued by an earlier put of anyone's or by
	 * the autosuspend timer): whenever the device is enabled, active and unused it runs {@code suspend} (in a stress
	 * run now and then, in a replay when the script says), and stands by again; it never resumes the device.
	 * {@code line} is the runtime PM's declaration: where each suspend begins, a step of its own; its end is a step
	 * of its own too (the prover's "returns"). It runs until its run is stopped: the run may end while it stands by.
	 */
	public void worker(int line, Runnable suspend) {
		Participant p = Kernel.current();
		boolean replayed = p.run != null && p.run.schedule().exclusive();
		while (true) {
			suspendOnce(p, line, suspend, replayed);
		}
	}

	/** One turn of the kworker's loop: a suspend, or (in a stress run) none when another took the device first. */
	private void suspendOnce(Participant p, int line, Runnable suspend, boolean replayed) {
		synchronized (Kernel.M) {
			p.betweenRuns = true;
			// in a replay it stands at its step point whenever it may suspend: the script says when it does
			while (!(mayAutosuspend() && (replayed || p.random.nextInt(4) == 0))) {
				if (mayAutosuspend()) {
					Kernel.pause(p);
				} else {
					Kernel.idle(p, new Idle(this));
				}
			}
		}
		Kernel.step(line);
		synchronized (Kernel.M) {
			if (!mayAutosuspend()) {
				return; // in a stress run a get came first
			}
			p.betweenRuns = false;
			begin(p, Status.SUSPENDING);
		}
		runCallback(p, suspend);
		Kernel.step(-1);
		synchronized (Kernel.M) {
			settle(p);
			p.betweenRuns = true; // a stress run may end here: say so before the others look
		}
	}

	/** {@code p} begins a callback: the status says so, and it holds the runtime PM. Monitor held. */
	private void begin(Participant p, Status callback) {
		status = callback;
		by = p;
		p.held.add(new Held(this, Mode.WRITE, false, p.site()));
		Kernel.M.notifyAll();
	}

	/** Runs {@code callback} on thread {@code p}, which then no longer holds the runtime PM. */
	private void runCallback(Participant p, Runnable callback) {
		try {
			callback.run();
		} finally {
			synchronized (Kernel.M) {
				p.held.removeIf(h -> h.lock() == this);
			}
		}
	}

	/** After {@code p}'s callback returned: active after a resume, suspended after a suspend. Monitor held. */
	private void settle(Participant p) {
		if (by != p) {
			return;
		}
		status = status == Status.RESUMING ? Status.ACTIVE : Status.SUSPENDED;
		by = null;
		Kernel.M.notifyAll();
	}

	@Override
	public String toString() {
		return "runtime PM of " + name();
	}
}
