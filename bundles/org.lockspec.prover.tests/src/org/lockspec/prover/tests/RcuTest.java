package org.lockspec.prover.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockspec.verdict.SpecResult;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Verdict;

/**
 * RCU as the kernel runs it: {@code rcu_read_lock} sections never wait, nest, and are atomic (nothing sleeps inside:
 * "Illegal context switch in RCU read-side critical section"), except that on PREEMPT_RT a spinlock_t may be taken
 * there; {@code synchronize_rcu} sleeps until the readers inside when it began have left, so an object unpublished
 * before it and freed after it is never used after its free; inside a read section it waits for itself.
 */
class RcuTest {

	private static final String SPEC = """
			spec t.read_copy_update
			CONFIG
			lock rcu : rcu
			lock M : mutex
			lock S : spinlock
			object Obj {
			  refcount rc
			  field v : int atomic
			}
			ref cur : Obj?
			op reader() in process {
			  rcu_read_lock
			  READER
			  rcu_read_unlock
			}
			op updater() in process {
			  UPDATER
			}
			scenario s {
			  thread r : reader()
			  thread u : updater()
			}
			""";

	/** Proves the spec with Z3's BMC cross-checking the explicit engine, which must agree (grace periods included). */
	private static SpecResult prove(Path dir, String config, String reader, String updater) throws Exception {
		SpecResult r = SoundnessTest.proveCrossChecked(dir, SPEC.replace("CONFIG", config).replace("READER", reader)
				.replace("UPDATER", updater));
		Verdict cross = SoundnessTest.verdict(r, "scenario s/cross_check");
		assertEquals(Status.PROVED, cross.status(), () -> cross.message() + "\n" + String.join("\n", cross.details()));
		return r;
	}

	private static SpecResult prove(Path dir, String reader, String updater) throws Exception {
		return prove(dir, "", reader, updater);
	}

	private static Status status(SpecResult r, String id) {
		return SoundnessTest.verdict(r, id).status();
	}

	@Test
	void nothingSleepsInsideAReadSection(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "lock M  unlock M", "synchronize_rcu");
		Verdict wait = SoundnessTest.verdict(r, "wait_context");
		assertEquals(Status.VIOLATED, wait.status(), () -> SpecProofs.text(r));
		assertTrue(wait.message().contains("inside an RCU read-side critical section"), wait::message);
		Verdict sleep = SoundnessTest.verdict(r, "scenario s/sleep_in_atomic");
		assertEquals(Status.VIOLATED, sleep.status(), () -> SpecProofs.text(r));
		assertTrue(sleep.message().contains("RCU read-side critical section"), sleep::message);

		SpecResult mightSleep = prove(dir, "might_sleep", "synchronize_rcu");
		assertEquals(Status.VIOLATED, status(mightSleep, "wait_context"), () -> SpecProofs.text(mightSleep));
		assertEquals(Status.VIOLATED, status(mightSleep, "scenario s/sleep_in_atomic"), () -> SpecProofs.text(mightSleep));
	}

	/** A spinlock may be taken inside: it spins; on PREEMPT_RT it is an rt_mutex, which RCU allows (LD_WAIT_CONFIG). */
	@Test
	void aSpinlockMayBeTakenInsideEvenOnPreemptRt(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "lock S  unlock S", "lock S  unlock S  synchronize_rcu");
		assertEquals(Status.PROVED, status(r, "wait_context"), () -> SpecProofs.text(r));
		assertEquals(Status.PROVED, status(r, "scenario s/sleep_in_atomic"), () -> SpecProofs.text(r));
		assertEquals(Status.PROVED, status(r, "scenario s/deadlock"), () -> SpecProofs.text(r));
		SpecResult rt = prove(dir, "config preempt_rt", "lock S  unlock S", "synchronize_rcu");
		assertEquals(Status.PROVED, status(rt, "wait_context"), () -> SpecProofs.text(rt));
		assertEquals(Status.PROVED, status(rt, "scenario s/sleep_in_atomic"), () -> SpecProofs.text(rt));
		SpecResult rtMutex = prove(dir, "config preempt_rt", "lock M  unlock M", "synchronize_rcu");
		assertEquals(Status.VIOLATED, status(rtMutex, "wait_context"), () -> SpecProofs.text(rtMutex));
	}

	@Test
	void aSynchronizeInsideAReadSectionWaitsForItself(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "synchronize_rcu", "synchronize_rcu");
		assertEquals(Status.VIOLATED, status(r, "scenario s/deadlock"), () -> SpecProofs.text(r));
		assertTrue(r.verdicts().stream().anyMatch(v -> v.status() == Status.VIOLATED
				&& v.message().contains("Illegal synchronize_rcu() in RCU read-side critical section")),
				() -> SpecProofs.text(r));
	}

	/**
	 * The point of a grace period: an object unpublished, then freed after synchronize_rcu, is never used after its
	 * free by a reader that found it; freed without the grace period, it is.
	 */
	@Test
	void aGracePeriodKeepsAnUnpublishedObjectAliveForTheReadersInside(@TempDir Path dir) throws Exception {
		String reader = "let p = cur  if p != null { p.v = 1 }";
		SpecResult r = prove(dir, reader, "let q = new Obj  cur = q  cur = null  synchronize_rcu  put q.rc");
		assertEquals(Status.PROVED, status(r, "scenario s/use_after_free"), () -> SpecProofs.text(r));
		SpecResult early = prove(dir, reader, "let q = new Obj  cur = q  cur = null  put q.rc");
		assertEquals(Status.VIOLATED, status(early, "scenario s/use_after_free"), () -> SpecProofs.text(early));
	}
}
