package org.lockspec.runtime;

/**
 * A spinlock or raw spinlock. Taking it never sleeps and makes the thread
 * atomic until it is released: the validator reports anything that sleeps
 * meanwhile. Under PREEMPT_RT ({@link ScenarioRun#preemptRt}) a plain
 * spinlock becomes a sleeping lock; a raw one stays spinning. A contended
 * spinlock waits on the runtime's monitor (a JVM cannot disable preemption),
 * which the validator still counts as spinning.
 */
public final class SpinLock extends KernelLock {

	private final boolean raw;

	public SpinLock(String className, String name, boolean raw) {
		super(className, name);
		this.raw = raw;
	}

	public SpinLock(String name, boolean raw) {
		this(name, name, raw);
	}

	public boolean isRaw() {
		return raw;
	}

	@Override
	boolean sleeps(boolean preemptRt) {
		return preemptRt && !raw;
	}

	@Override
	boolean sharedRead() {
		return false;
	}

	@Override
	String kind() {
		return raw ? "raw_spinlock" : "spinlock";
	}
}
