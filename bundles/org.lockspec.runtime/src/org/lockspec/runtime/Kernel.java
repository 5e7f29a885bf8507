package org.lockspec.runtime;

import java.util.function.Supplier;

/**
 * The runtime's entry points for generated code: step points (where a replay
 * scheduler takes turns and a stress run yields), {@code choose}, {@code wait
 * until}, and the one monitor that every lock, gate and wait of the runtime
 * uses, so the validator sees the whole wait-for graph at once.
 */
public final class Kernel {

	/** The monitor of all runtime state; blocked threads wait on it. */
	static final Object M = new Object();
	/** What a thread in {@code wait until} waits for. */
	static final Object CHANGE = new Object() {
		@Override
		public String toString() {
			return "a condition ('wait until')";
		}
	};
	private static final ThreadLocal<Participant> CURRENT = new ThreadLocal<>();
	/** The validator of threads that are not part of a scenario run. */
	static final Validator DEFAULT = new Validator();
	private static volatile long epoch;
	private static volatile int changeWaiters;

	private Kernel() {
	}

	/** The calling thread as a participant (a thread outside any run becomes one of the default validator). */
	static Participant current() {
		Participant p = CURRENT.get();
		if (p == null) {
			p = new Participant(Thread.currentThread().getName(), -1, Context.PROCESS, null, DEFAULT,
					Thread.currentThread().threadId());
			p.state = Participant.State.RUNNING;
			CURRENT.set(p);
		}
		return p;
	}

	static Participant currentOrNull() {
		return CURRENT.get();
	}

	static void bind(Participant p) {
		CURRENT.set(p);
	}

	static void unbind() {
		CURRENT.remove();
	}

	/** The validator of the calling thread. */
	public static Validator validator() {
		return current().validator;
	}

	/**
	 * A step point: the statement at spec line {@code line} is about to run. In a
	 * replay the thread waits here for its turn; in a stress run it may yield.
	 */
	public static void step(int line) {
		Participant p = CURRENT.get();
		if (p == null) {
			return;
		}
		p.line = line;
		ScenarioRun run = p.run;
		if (run == null) {
			return;
		}
		Schedule s = run.schedule();
		if (!s.exclusive()) {
			try {
				s.step(p, line);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new ScenarioRun.Stopped();
			}
			return;
		}
		synchronized (M) {
			try {
				s.step(p, line);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new ScenarioRun.Stopped();
			}
		}
	}

	/**
	 * A step point at the write side of a reader-writer lock ({@code lock L write}, {@code with L write}): as
	 * {@link #step}, and while the thread stands here, new readers of {@code lock} (evaluated when asked)
	 * queue behind it if others hold it, as behind a writer that waits.
	 */
	public static void stepToWrite(int line, Supplier<KernelLock> lock) {
		Participant p = CURRENT.get();
		if (p != null) {
			synchronized (M) {
				p.standingToWrite = lock;
			}
		}
		step(line);
	}

	/** {@code choose { } or { }}: the branch to take, 0-based (random, or the replayed one). */
	public static int choose(int branches) {
		Participant p = CURRENT.get();
		if (p == null || p.run == null) {
			return 0;
		}
		return p.run.schedule().choose(p, branches);
	}

	/** {@code assert e}: records a failed assertion (the thread goes on, as the prover's does). */
	public static void check(boolean condition, String message) {
		if (!condition) {
			Participant p = current();
			p.validator.report(new Report(Report.Kind.ASSERTION, message,
					p.name + ": assertion failed at " + p.site() + ": " + message));
		}
	}

	/** {@code might_sleep}: a call that may sleep (a GFP_KERNEL allocation), checked like a sleeping lock. */
	public static void mightSleep() {
		Participant p = current();
		p.validator.mightSleep(p, "might_sleep", null);
	}

	/**
	 * {@code wait until e}: sleeps until {@code condition} holds (it is
	 * evaluated again after every change another thread makes). Waiting sleeps,
	 * so it is checked like a sleeping lock.
	 */
	public static void waitUntil(Supplier<Boolean> condition) {
		Participant p = current();
		p.validator.mightSleep(p, "wait until", null);
		while (true) {
			long seen = epoch;
			if (condition.get()) {
				return;
			}
			synchronized (M) {
				if (epoch != seen) {
					continue;
				}
				changeWaiters++;
				try {
					block(p, CHANGE);
				} finally {
					changeWaiters--;
				}
			}
		}
	}

	/** {@code a / b} as the spec computes it: 0 when {@code b} is 0. */
	public static long div(long a, long b) {
		return b == 0 ? 0 : a / b;
	}

	/** {@code a % b} as the spec computes it: 0 when {@code b} is 0. */
	public static long mod(long a, long b) {
		return b == 0 ? 0 : a % b;
	}

	/** The spec's {@code freed(x)}: false for null. */
	public static boolean freed(KObject o) {
		return o != null && o.isFreed();
	}

	/** The first of {@code members} or null (invariants read lists unchecked). */
	public static <T> T first(java.util.List<T> members) {
		return members.isEmpty() ? null : members.get(0);
	}

	/** The member after {@code current} or null; {@code current} must be a member (else its pointers are poisoned). */
	public static <T> T next(java.util.List<T> members, T current) {
		if (current == null) {
			return null;
		}
		int i = members.indexOf(current);
		if (i < 0) {
			throw new IllegalStateException(current + " is not linked: its next pointer is LIST_POISON1");
		}
		return i + 1 < members.size() ? members.get(i + 1) : null;
	}

	/** A write of shared state: threads in {@code wait until} evaluate their conditions again. */
	static void changed() {
		if (changeWaiters > 0) {
			synchronized (M) {
				epoch++;
				M.notifyAll();
			}
		} else {
			epoch++;
		}
	}

	/**
	 * A daemon thread (an IRQ thread, the PM workqueue's kworker) between two runs blocks once until it has
	 * something to do ({@code what}): the run may end without it, and in a replay the turn it had, for the step
	 * that ended its last run, is over (it takes no step until it has work again). Monitor held.
	 */
	static void idle(Participant p, Object what) {
		p.betweenRuns = true;
		if (p.run != null) {
			p.run.schedule().idles(p);
		}
		block(p, what);
	}

	/**
	 * A stress run's daemon thread between two runs, which could begin one now, lets the others go on a while
	 * (a millisecond) instead: it works now and then, not at every chance. Monitor held.
	 */
	static void pause(Participant p) {
		try {
			M.wait(1);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new ScenarioRun.Stopped();
		}
		if (p.run != null && p.run.stopped()) {
			throw new ScenarioRun.Stopped();
		}
	}

	/**
	 * Blocks the thread once on the monitor (held by the caller) for {@code what}:
	 * the validator first checks the wait-for graph, and a deadlock it finds
	 * throws here instead of hanging. Callers loop until they can proceed.
	 */
	static void block(Participant p, Object what) {
		p.waitingFor = what;
		p.state = Participant.State.BLOCKED;
		try {
			if (p.run != null) {
				p.run.schedule().blocking(p);
			}
			p.validator.checkDeadlock(p);
			if (p.deadlock != null) {
				throw new LockspecFault(p.deadlock);
			}
			if (p.run != null && p.run.stopped()) {
				throw new ScenarioRun.Stopped(); // stopped before it blocked: nobody would wake it
			}
			M.wait(200);
			if (p.deadlock != null) {
				throw new LockspecFault(p.deadlock);
			}
			if (p.run != null && p.run.stopped()) {
				throw new ScenarioRun.Stopped();
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new ScenarioRun.Stopped();
		} finally {
			p.waitingFor = null;
			if (p.state == Participant.State.BLOCKED) {
				p.state = Participant.State.RUNNING;
			}
		}
	}
}
