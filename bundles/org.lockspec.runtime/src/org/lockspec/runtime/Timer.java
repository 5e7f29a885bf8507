package org.lockspec.runtime;

/**
 * A {@code struct timer_list} bound to its function ({@code timer_setup}), as kernel/time/timer.c runs it: a
 * {@link Work} whose runs happen in softirq context. {@code mod_timer} and {@code add_timer} are {@link #queue} (a
 * no-op while the timer is pending: only its expiry moves), {@code timer_delete} is {@link #cancel}, and {@code
 * timer_delete_sync} is {@link #cancelSyncStart} and {@link #cancelSyncEnd}: it spins until a running function has
 * returned, which is no sleep (except on PREEMPT_RT), but is as much a wait for the validator's lock order as a
 * flush is (lockdep's timer lock map).
 */
public final class Timer extends Work {

	public Timer(String className, String name) {
		super(className, name);
	}

	@Override
	Context context() {
		return Context.SOFTIRQ;
	}

	@Override
	String runnerName(int index) {
		return "timer" + index;
	}

	@Override
	String cancelSyncCall() {
		return "timer_delete_sync";
	}

	@Override
	void beforeWait(Participant p, String what) {
		p.validator.mightSpin(p, what, name());
	}

	@Override
	public String toString() {
		return "timer " + name();
	}
}
