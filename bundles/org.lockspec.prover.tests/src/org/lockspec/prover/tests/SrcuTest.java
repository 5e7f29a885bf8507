package org.lockspec.prover.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockspec.kernel.GracePeriods;
import org.lockspec.verdict.SpecResult;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Verdict;

/**
 * SRCU as kernel/rcu/srcutree.c runs it and lockdep orders it since "rcu: Annotate SRCU's update-side lockdep
 * dependencies": readers never wait and may sleep; {@code synchronize_srcu} waits for the readers that were
 * inside when it began, and for no later one; synchronizing under a lock a reader takes inside is a cycle, and
 * synchronizing inside a read section of the same srcu waits for itself.
 */
class SrcuTest {

	private static final String SPEC = """
			spec t.sleepable_rcu
			lock L : mutex
			srcu ss
			field n : int guarded_by L
			op reader() in process {
			  srcu_read_lock ss
			  READER
			  srcu_read_unlock ss
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
	private static SpecResult prove(Path dir, String reader, String updater) throws Exception {
		SpecResult r = SoundnessTest.proveCrossChecked(dir, SPEC.replace("READER", reader).replace("UPDATER", updater));
		Verdict cross = SoundnessTest.verdict(r, "scenario s/cross_check");
		assertEquals(Status.PROVED, cross.status(), () -> cross.message() + "\n" + String.join("\n", cross.details()));
		return r;
	}

	private static Status status(SpecResult r, String id) {
		return SoundnessTest.verdict(r, id).status();
	}

	@Test
	void aSynchronizeUnderALockAReaderTakesIsACycle(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "lock L  n = 1  unlock L", "lock L  n = 2  synchronize_srcu ss  unlock L");
		Verdict order = SoundnessTest.verdict(r, "lock_order");
		assertEquals(Status.VIOLATED, order.status(), order::message);
		assertTrue(order.message().contains("it runs through synchronize_srcu of ss"), order::message);
		assertTrue(order.trace().notes().stream().anyMatch(n -> n.contains("waits in synchronize_srcu for the readers of ss")),
				() -> order.trace().notes().toString());
		Verdict deadlock = SoundnessTest.verdict(r, "scenario s/deadlock");
		assertEquals(Status.VIOLATED, deadlock.status(), deadlock::message);
		assertTrue(deadlock.message().contains("readers still inside: r"), deadlock::message);
		assertFalse(SoundnessTest.contradicted(r), () -> SpecProofs.text(r));
	}

	/** The fix of 011: the lock dropped before the grace period. */
	@Test
	void aSynchronizeAfterTheUnlockIsNone(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "lock L  n = 1  unlock L", "lock L  n = 2  unlock L  synchronize_srcu ss");
		assertEquals(Status.PROVED, status(r, "lock_order"), () -> SpecProofs.text(r));
		assertEquals(Status.PROVED, status(r, "scenario s/deadlock"), () -> SpecProofs.text(r));
	}

	/** A reader may sleep: a mutex inside a read section is no sleep in atomic context, and readers never wait. */
	@Test
	void aReaderMaySleepAndNeverWaits(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "lock L  unlock L  srcu_read_lock ss  srcu_read_unlock ss", "srcu_read_lock ss  srcu_read_unlock ss");
		assertEquals(Status.PROVED, status(r, "wait_context"), () -> SpecProofs.text(r));
		assertEquals(Status.PROVED, status(r, "scenario s/sleep_in_atomic"), () -> SpecProofs.text(r));
		assertEquals(Status.PROVED, status(r, "scenario s/deadlock"), () -> SpecProofs.text(r));
		assertEquals(Status.PROVED, status(r, "lock_order"), () -> SpecProofs.text(r));
	}

	@Test
	void aSynchronizeInsideAReadSectionOfTheSameSrcuWaitsForItself(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "synchronize_srcu ss", "n = 0");
		assertEquals(Status.VIOLATED, status(r, "scenario s/deadlock"), () -> SpecProofs.text(r));
		assertTrue(r.verdicts().stream().anyMatch(v -> v.status() == Status.VIOLATED
				&& v.message().contains("Illegal synchronize_srcu() in same-type SRCU read-side critical section")),
				() -> SpecProofs.text(r));
	}

	/** The grace-period rule itself: a synchronize waits for the readers inside when it began, each until it leaves. */
	@Test
	void aGracePeriodWaitsForTheReadersInsideWhenItBeganOnly() {
		GracePeriods g = GracePeriods.NONE.begin(2, 0b011).begin(3, 0b001);
		assertEquals(0b011, g.owed(2));
		assertEquals(0b001, g.owed(3));
		g = g.left(0);
		assertEquals(0b010, g.owed(2));
		assertEquals(0, g.owed(3));
		// a reader that enters after a grace period began is not in it: only a new one waits for it
		assertEquals(0, g.left(1).owed(2));
		assertEquals(0b100_0000, g.begin(2, 0b100_0000).owed(2));
	}
}
