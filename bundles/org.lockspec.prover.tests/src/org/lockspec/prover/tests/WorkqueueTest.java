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
 * Workqueues as kernel/workqueue.c runs them: {@code flush_workqueue} waits for the runs queued on the queue when it
 * began (not for later ones); {@code drain_workqueue} until it is empty, refusing works queued from elsewhere;
 * {@code destroy_workqueue} frees it; an ordered queue runs one work at a time in queue order. Lockdep's
 * {@code (wq_completion)} lock map: a flush under a lock a work on the queue takes is a cycle, and a work flushing
 * its own queue waits for itself. Z3's BMC cross-checks the flushes (it must agree with the explicit engine); it does
 * not model drains and ordered queues, and says so.
 */
class WorkqueueTest {

	private static final String SPEC = """
			spec t.workqueues
			lock L : mutex
			QUEUE q
			field runs : int atomic
			work a : fa on q
			work b : fb on q
			op fa() {
			  FA
			}
			op fb() {
			  FB
			}
			op user() in process {
			  USER
			}
			scenario s {
			  thread u : user()
			}
			""";

	private static SpecResult prove(Path dir, String queue, String fa, String fb, String user) throws Exception {
		return SoundnessTest.proveCrossChecked(dir, SPEC.replace("QUEUE", queue).replace("FA", fa).replace("FB", fb)
				.replace("USER", user));
	}

	private static SpecResult prove(Path dir, String fa, String user) throws Exception {
		return prove(dir, "workqueue", fa, "runs = runs + 1", user);
	}

	private static Status status(SpecResult r, String id) {
		return SoundnessTest.verdict(r, id).status();
	}

	/** Whether an assertion of the scenario fails (its verdicts are named by the assertion's line). */
	private static boolean assertionFails(SpecResult r) {
		return r.verdicts().stream().anyMatch(v -> v.id().startsWith("scenario s/invariant") && v.status() == Status.VIOLATED);
	}

	@Test
	void aFlushUnderALockAWorkOnTheQueueTakesIsACycleLockdepSees(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "lock L  runs = runs + 1  unlock L", "queue_work a  lock L  flush_workqueue q  unlock L");
		Verdict order = SoundnessTest.verdict(r, "lock_order");
		assertEquals(Status.VIOLATED, order.status(), order::message);
		assertTrue(order.message().contains("flush of the workqueue q, which lockdep reports as (wq_completion)"),
				order::message);
		Verdict deadlock = SoundnessTest.verdict(r, "scenario s/deadlock");
		assertEquals(Status.VIOLATED, deadlock.status(), deadlock::message);
		assertTrue(deadlock.message().contains("flush_workqueue q"), deadlock::message);
		assertCrossChecked(r);
	}

	/** Z3's BMC ran on the scenario and agrees with the explicit engine. */
	private static void assertCrossChecked(SpecResult r) {
		Verdict cross = SoundnessTest.verdict(r, "scenario s/cross_check");
		assertEquals(Status.PROVED, cross.status(), () -> cross.message() + "\n" + String.join("\n", cross.details()));
	}

	@Test
	void aFlushWaitsForTheRunsQueuedBeforeIt(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "runs = runs + 1", "queue_work a  queue_work b  flush_workqueue q  assert runs == 2");
		assertFalse(assertionFails(r), () -> SpecProofs.text(r));
		assertEquals(Status.PROVED, status(r, "scenario s/deadlock"), () -> SpecProofs.text(r));
		assertEquals(Status.PROVED, status(r, "lock_order"), () -> SpecProofs.text(r));
		assertCrossChecked(r);
		// without the flush, the runs may not have happened yet
		SpecResult early = prove(dir, "runs = runs + 1", "queue_work a  queue_work b  assert runs == 2");
		assertTrue(assertionFails(early), () -> SpecProofs.text(early));
		assertCrossChecked(early);
	}

	/** A flush waits for the runs queued before it only: a run queued by a work after the flush began is not waited for. */
	@Test
	void aFlushDoesNotWaitForRunsQueuedAfterItBegan(@TempDir Path dir) throws Exception {
		SpecResult flush = prove(dir, "queue_work b", "queue_work a  flush_workqueue q  assert runs == 1");
		assertTrue(assertionFails(flush), () -> SpecProofs.text(flush));
		assertCrossChecked(flush);
		SpecResult drain = prove(dir, "queue_work b", "queue_work a  drain_workqueue q  assert runs == 1");
		assertFalse(assertionFails(drain), () -> SpecProofs.text(drain));
		assertEquals(Status.PROVED, status(drain, "scenario s/deadlock"), () -> SpecProofs.text(drain));
		// a drain is not in the BMC's encoding: it says so, it does not agree blindly
		Verdict cross = SoundnessTest.verdict(drain, "scenario s/cross_check");
		assertEquals(Status.UNKNOWN, cross.status(), cross::message);
		assertTrue(cross.message().contains("a drain"), cross::message);
	}

	@Test
	void aWorkFlushingItsOwnQueueWaitsForItself(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "flush_workqueue q", "queue_work a");
		Verdict deadlock = SoundnessTest.verdict(r, "scenario s/deadlock");
		assertEquals(Status.VIOLATED, deadlock.status(), () -> SpecProofs.text(r));
		assertTrue(r.verdicts().stream().anyMatch(v -> v.status() == Status.VIOLATED
				&& v.message().contains("a work on the workqueue flushes it")), () -> SpecProofs.text(r));
		assertCrossChecked(r);
	}

	/** On an ordered queue a work waiting for one queued after it waits for ever; on a plain one it does not. */
	@Test
	void anOrderedQueueRunsOneWorkAtATimeInQueueOrder(@TempDir Path dir) throws Exception {
		String user = "queue_work a  queue_work b";
		SpecResult ordered = prove(dir, "ordered_workqueue", "flush_work b", "runs = runs + 1", user);
		assertEquals(Status.VIOLATED, status(ordered, "scenario s/deadlock"), () -> SpecProofs.text(ordered));
		assertTrue(ordered.verdicts().stream().anyMatch(v -> v.status() == Status.VIOLATED
				&& v.message().contains("flushes a work queued on it after it")), () -> SpecProofs.text(ordered));
		SpecResult plain = prove(dir, "workqueue", "flush_work b", "runs = runs + 1", user);
		assertEquals(Status.PROVED, status(plain, "scenario s/deadlock"), () -> SpecProofs.text(plain));
		assertEquals(Status.PROVED, status(plain, "lock_order"), () -> SpecProofs.text(plain));
		assertEquals(Status.PROVED, status(plain, "lock_hygiene"), () -> SpecProofs.text(plain));
		// one at a time: b never runs while a does
		SpecResult serial = prove(dir, "ordered_workqueue", "runs = 1  assert runs == 1", "runs = 2", user);
		assertFalse(assertionFails(serial), () -> SpecProofs.text(serial));
		SpecResult overlapping = prove(dir, "workqueue", "runs = 1  assert runs == 1", "runs = 2", user);
		assertTrue(assertionFails(overlapping), () -> SpecProofs.text(overlapping));
	}

	@Test
	void aDestroyedQueueIsFreed(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "runs = 1", "destroy_workqueue q  queue_work a");
		Verdict uaf = SoundnessTest.verdict(r, "scenario s/use_after_free");
		assertEquals(Status.VIOLATED, uaf.status(), () -> SpecProofs.text(r));
		assertTrue(uaf.message().contains("q was destroyed"), uaf::message);
	}

	/**
	 * Two workqueues of one declaration nested (a parent's work flushing its child's queue): Lockspec keeps one class
	 * per declaration and asks for 'order ... by'; lockdep gives each queue a class of its own, and the message says
	 * both.
	 */
	@Test
	void twoQueuesOfOneClassNestedSayWhatLockdepSees(@TempDir Path dir) throws Exception {
		SpecResult r = SoundnessTest.proveCrossChecked(dir, """
				spec t.nested_queues
				object Port {
				  ref child : Port?
				  workqueue wq
				  work ev : port_event on wq
				}
				op port_event(p: Port) {
				  let c = p.child
				  if c != null {
				    flush_workqueue c.wq
				  }
				}
				""");
		Verdict order = SoundnessTest.verdict(r, "lock_order");
		assertEquals(Status.VIOLATED, order.status(), order::message);
		assertTrue(order.message().contains("two wq workqueues of one class are nested"), order::message);
		assertTrue(order.message().contains("lockdep gives each workqueue a class of its own"), order::message);
	}
}
