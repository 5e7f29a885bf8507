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
 * Work items as the kernel runs them (kernel/workqueue.c) and as lockdep orders them: queueing a pending work
 * is a no-op, runs of one work never overlap, {@code flush_work} waits for the run queued last,
 * {@code cancel_work_sync} takes a pending run off the queue and waits for the running one; a flush under a
 * lock the work's function takes is a cycle, and so is a run that flushes its own work; a kthread is a work of
 * one run, which {@code kthread_stop} tells to stop and waits for. Every scenario is also run by Z3's bounded
 * model checking, which must agree.
 */
class WorkTest {

	private static final String SPEC = """
			spec t.works
			lock L : mutex
			field done : bool
			field inside : int
			work w : fn
			op fn() {
			  FN
			}
			op user() in process {
			  USER
			}
			op kick() in process { queue_work w }
			scenario s {
			  thread u : user()
			  thread k : kick()
			}
			""";

	private static SpecResult prove(Path dir, String fn, String user) throws Exception {
		return SoundnessTest.proveCrossChecked(dir, SPEC.replace("FN", fn).replace("USER", user));
	}

	/** An assertion has a verdict only where a scenario breaks it. */
	private static void assertNeverBroken(SpecResult r, String assertion) {
		assertTrue(r.verdicts().stream().noneMatch(v -> v.id().equals(assertion)), () -> SpecProofs.text(r));
		assertEquals(Status.PROVED, SoundnessTest.verdict(r, "scenario s/deadlock").status(), () -> SpecProofs.text(r));
	}

	private static void enginesAgree(SpecResult r) {
		Verdict cross = SoundnessTest.verdict(r, "scenario s/cross_check");
		assertEquals(Status.PROVED, cross.status(), cross::message);
		assertFalse(SoundnessTest.contradicted(r), () -> SpecProofs.text(r));
	}

	@Test
	void aFlushUnderALockTheWorkTakesIsACycle(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "lock L  done = true  unlock L", "lock L  flush_work w  unlock L");
		Verdict order = SoundnessTest.verdict(r, "lock_order");
		assertEquals(Status.VIOLATED, order.status(), order::message);
		assertTrue(order.message().contains("(work_completion)"), order::message);
		assertTrue(order.trace().notes().stream().anyMatch(n -> n.contains("waits for the run of w")),
				() -> order.trace().notes().toString());
		assertEquals(Status.VIOLATED, SoundnessTest.verdict(r, "scenario s/deadlock").status());
		enginesAgree(r);
	}

	/** cancel_work does not wait: under the lock it is no cycle (r8169's fix). */
	@Test
	void aCancelThatDoesNotWaitIsNone(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "lock L  done = true  unlock L", "lock L  cancel_work w  unlock L");
		assertEquals(Status.PROVED, SoundnessTest.verdict(r, "lock_order").status());
		assertEquals(Status.PROVED, SoundnessTest.verdict(r, "scenario s/deadlock").status());
		enginesAgree(r);
	}

	@Test
	void aRunThatFlushesItsOwnWorkWaitsForItself(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "flush_work w", "done = false");
		Verdict order = SoundnessTest.verdict(r, "lock_order");
		assertEquals(Status.VIOLATED, order.status(), order::message);
		assertTrue(order.trace().notes().stream().anyMatch(n -> n.contains("for itself")),
				() -> order.trace().notes().toString());
		Verdict deadlock = SoundnessTest.verdict(r, "scenario s/deadlock");
		assertEquals(Status.VIOLATED, deadlock.status(), deadlock::message);
		enginesAgree(r);
	}

	/** Queued by another thread or not, once flush_work returns the run queued before it has ended. */
	@Test
	void aFlushWaitsForTheRunQueuedLast(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "done = true", "queue_work w  flush_work w  assert done");
		assertNeverBroken(r, "scenario s/invariant/assert@10");
		assertEquals(Status.PROVED, SoundnessTest.verdict(r, "scenario s/deadlock").status());
		enginesAgree(r);
	}

	/** A run cancelled while pending never runs, so the assertion can fail; a flush of an idle work returns. */
	@Test
	void aSyncCancelMayTakeThePendingRunOff(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "done = true", "queue_work w  cancel_work_sync w  flush_work w  assert done");
		Verdict cancelled = SoundnessTest.verdict(r, "scenario s/invariant/assert@10");
		assertEquals(Status.VIOLATED, cancelled.status(), cancelled::message);
		assertTrue(cancelled.trace().events().stream().anyMatch(e -> e.text().contains("was cancelled")),
				() -> SpecProofs.text(r));
		assertEquals(Status.PROVED, SoundnessTest.verdict(r, "scenario s/deadlock").status());
		enginesAgree(r);
	}

	private static final String KTHREAD = """
			spec t.kthreads
			lock L : mutex
			field loops : int
			kthread t : fn
			op fn() {
			  if !kthread_should_stop(t) { lock L  loops = 1  unlock L }
			}
			op starter() in process { kthread_run t }
			op stopper() in process { STOP }
			scenario s {
			  thread a : starter()
			  thread b : stopper()
			}
			""";

	private static SpecResult proveKthread(Path dir, String stop) throws Exception {
		return SoundnessTest.proveCrossChecked(dir, KTHREAD.replace("STOP", stop));
	}

	/** kthread_stop waits for the thread function to return: under a lock the function takes, DEPT's cycle. */
	@Test
	void aKthreadStoppedUnderALockItsFunctionTakesIsACycle(@TempDir Path dir) throws Exception {
		SpecResult r = proveKthread(dir, "lock L  kthread_stop t  unlock L");
		Verdict order = SoundnessTest.verdict(r, "lock_order");
		assertEquals(Status.VIOLATED, order.status(), order::message);
		assertTrue(order.message().contains("kthread_stop of t, which lockdep does not track"), order::message);
		assertEquals(Status.VIOLATED, SoundnessTest.verdict(r, "scenario s/deadlock").status());
		enginesAgree(r);
	}

	/** Stopped without the lock, the thread sees kthread_should_stop and returns; one not begun never runs. */
	@Test
	void aKthreadStoppedWithoutTheLockReturns(@TempDir Path dir) throws Exception {
		SpecResult r = proveKthread(dir, "kthread_stop t");
		assertEquals(Status.PROVED, SoundnessTest.verdict(r, "lock_order").status());
		assertEquals(Status.PROVED, SoundnessTest.verdict(r, "scenario s/deadlock").status(), () -> SpecProofs.text(r));
		enginesAgree(r);
	}

	/** Two threads queue the work; its runs never overlap (one kworker at a time), so inside never reaches 2. */
	@Test
	void runsOfOneWorkNeverOverlap(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "inside = inside + 1  assert inside == 1  inside = inside - 1", "queue_work w");
		assertNeverBroken(r, "scenario s/invariant/assert@7");
		assertEquals(Status.PROVED, SoundnessTest.verdict(r, "scenario s/race").status(), () -> SpecProofs.text(r));
		enginesAgree(r);
	}
}
