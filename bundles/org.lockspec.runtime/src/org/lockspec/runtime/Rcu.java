package org.lockspec.runtime;

/**
 * RCU itself ({@code lock rcu : rcu}): an {@link Srcu} whose read sections ({@code rcu_read_lock}) are atomic, so
 * the validator reports anything that sleeps inside one ("Illegal context switch in RCU read-side critical
 * section"), except a spinlock on PREEMPT_RT; {@code synchronize_rcu} is {@link #syncStart} and
 * {@link #awaitGracePeriod}.
 */
public final class Rcu extends Srcu {

	public Rcu(String className, String name) {
		super(className, name);
	}

	@Override
	String synchronizeCall() {
		return "synchronize_rcu";
	}

	@Override
	String kind() {
		return "rcu";
	}
}
