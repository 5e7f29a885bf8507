package org.lockspec.prover.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockspec.verdict.SpecResult;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Verdict;

/**
 * Timers as kernel/time/timer.c runs them: {@code mod_timer} arms the timer, its function runs in softirq context,
 * never twice at once; {@code timer_delete} takes a pending expiry off, and {@code timer_delete_sync} also spins until
 * a running function has returned. The spin is no sleep (it may be done under a spinlock) except on PREEMPT_RT, and
 * never in hard-IRQ context; a delete under a lock the function takes is a cycle, which lockdep sees through the
 * timer's lock map. Both scenario engines run it (the cross-check agrees).
 */
class TimerTest {

	private static final String SPEC = """
			spec t.timers
			CONFIG
			lock L : LOCK
			field runs : int
			timer tm : fn
			op fn() in softirq {
			  FN
			}
			op user() in USER_CONTEXT {
			  mod_timer tm
			  USER
			}
			scenario s {
			  thread u : user()
			}
			""";

	private static SpecResult prove(Path dir, String config, String lock, String fn, String context, String user)
			throws Exception {
		return SoundnessTest.proveCrossChecked(dir, SPEC.replace("CONFIG", config).replace("LOCK", lock)
				.replace("FN", fn).replace("USER_CONTEXT", context).replace("USER", user));
	}

	private static SpecResult prove(Path dir, String lock, String fn, String user) throws Exception {
		return prove(dir, "", lock, fn, "process", user);
	}

	private static Status status(SpecResult r, String id) {
		return SoundnessTest.verdict(r, id).status();
	}

	@Test
	void aSyncDeleteUnderALockTheFunctionTakesIsACycleLockdepSees(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "spinlock", "lock L  runs = runs + 1  unlock L",
				"lock L irqsave  timer_delete_sync tm  unlock L");
		Verdict order = SoundnessTest.verdict(r, "lock_order");
		assertEquals(Status.VIOLATED, order.status(), order::message);
		assertTrue(order.message().contains("timer_delete_sync of tm, which lockdep reports through the timer's lock map"),
				order::message);
		assertTrue(order.trace().notes().stream().anyMatch(n -> n.contains("spins in timer_delete_sync")),
				() -> order.trace().notes().toString());
		Verdict deadlock = SoundnessTest.verdict(r, "scenario s/deadlock");
		assertEquals(Status.VIOLATED, deadlock.status(), deadlock::message);
		assertTrue(deadlock.message().contains("timer1 waits at 'lock L'"), deadlock::message);
		// the spin is no sleep: under a spinlock with interrupts off, nothing is said about the wait context
		assertEquals(Status.PROVED, status(r, "wait_context"), () -> SpecProofs.text(r));
		assertEquals(Status.PROVED, status(r, "scenario s/sleep_in_atomic"), () -> SpecProofs.text(r));
		assertEquals(Status.PROVED, status(r, "scenario s/cross_check"), () -> SpecProofs.text(r));
		assertFalse(SoundnessTest.contradicted(r), () -> SpecProofs.text(r));
	}

	@Test
	void aSyncDeleteOutsideTheLockReturns(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "spinlock", "lock L  runs = runs + 1  unlock L",
				"timer_delete_sync tm  lock L irqsave  assert runs <= 1  unlock L");
		assertEquals(Status.PROVED, status(r, "lock_order"), () -> SpecProofs.text(r));
		assertEquals(Status.PROVED, status(r, "scenario s/deadlock"), () -> SpecProofs.text(r));
		assertEquals(Status.PROVED, status(r, "scenario s/cross_check"), () -> SpecProofs.text(r));
	}

	/** After timer_delete_sync no run is under way and none begins; after timer_delete one may still be running. */
	@Test
	void theSyncDeleteWaitsForARunningFunctionAndThePlainOneDoesNot(@TempDir Path dir) throws Exception {
		SpecResult sync = prove(dir, "mutex", "runs = runs + 1", "timer_delete_sync tm  let n = runs  assert runs == n");
		assertTrue(sync.verdicts().stream().noneMatch(v -> v.status() == Status.VIOLATED), () -> SpecProofs.text(sync));
		SpecResult plain = prove(dir, "mutex", "runs = runs + 1", "timer_delete tm  let n = runs  assert runs == n");
		assertTrue(plain.verdicts().stream().anyMatch(v -> v.id().startsWith("scenario s/invariant")
				&& v.status() == Status.VIOLATED), () -> SpecProofs.text(plain));
	}

	/** The function runs in softirq context: a mutex there sleeps in atomic context, in both engines. */
	@Test
	void theFunctionRunsInSoftirqContext(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "mutex", "lock L  unlock L", "runs = 1");
		assertEquals(Status.VIOLATED, status(r, "wait_context"), () -> SpecProofs.text(r));
		Verdict sleep = SoundnessTest.verdict(r, "scenario s/sleep_in_atomic");
		assertEquals(Status.VIOLATED, sleep.status(), () -> SpecProofs.text(r));
		assertTrue(sleep.message().contains("softirq"), sleep::message);
		assertEquals(Status.PROVED, status(r, "scenario s/cross_check"), () -> SpecProofs.text(r));
	}

	/**
	 * On PREEMPT_RT the delete sleeps on the timer base's expiry lock: under a raw spinlock it sleeps in atomic
	 * context; without PREEMPT_RT it only spins there.
	 */
	@Test
	void onPreemptRtTheSyncDeleteSleeps(@TempDir Path dir) throws Exception {
		String user = "lock L  timer_delete_sync tm  unlock L";
		SpecResult spins = prove(dir, "raw_spinlock", "runs = 1", user);
		assertEquals(Status.PROVED, status(spins, "wait_context"), () -> SpecProofs.text(spins));
		SpecResult rt = prove(dir, "config preempt_rt", "raw_spinlock", "runs = 1", "process", user);
		Verdict wait = SoundnessTest.verdict(rt, "wait_context");
		assertEquals(Status.VIOLATED, wait.status(), () -> SpecProofs.text(rt));
		assertTrue(wait.message().contains("timer_delete_sync tm may sleep"), wait::message);
		assertEquals(Status.VIOLATED, status(rt, "scenario s/sleep_in_atomic"), () -> SpecProofs.text(rt));
	}

	/** A sync delete must not be done in hard-IRQ context: the softirq it waits for may be the one cut short. */
	@Test
	void aSyncDeleteInHardIrqContextIsAWaitContextFinding(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "", "spinlock", "runs = 1", "hardirq", "timer_delete_sync tm");
		Verdict wait = SoundnessTest.verdict(r, "wait_context");
		assertEquals(Status.VIOLATED, wait.status(), () -> SpecProofs.text(r));
		assertTrue(wait.message().contains("hard-IRQ context"), wait::message);
	}

	/** The timer's function deleting its own timer synchronously spins waiting for itself. */
	@Test
	void theFunctionDeletingItsOwnTimerSyncWaitsForItself(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "spinlock", "timer_delete_sync tm", "runs = 1");
		assertEquals(Status.VIOLATED, status(r, "scenario s/deadlock"), () -> SpecProofs.text(r));
		assertTrue(r.verdicts().stream().anyMatch(v -> v.status() == Status.VIOLATED
				&& v.message().contains("it spins until it has returned itself")), () -> SpecProofs.text(r));
		SpecResult plain = prove(dir, "spinlock", "timer_delete tm", "runs = 1");
		assertEquals(Status.PROVED, status(plain, "scenario s/deadlock"), () -> SpecProofs.text(plain));
	}
}
