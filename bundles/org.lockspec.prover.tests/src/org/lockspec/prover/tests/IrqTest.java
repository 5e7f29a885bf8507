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
 * Threaded interrupts as genirq runs them (kernel/irq/manage.c): once requested, the line fires whenever the
 * device likes while it is enabled, and the action's one thread runs the function once per wake-up;
 * {@code synchronize_irq} waits for a running or woken thread, {@code disable_irq} stops the line and waits
 * the same way, {@code disable_irq_nosync} does not wait, {@code free_irq} waits for the thread to exit. A
 * wait under a lock the function takes is a cycle lockdep does not see; a wait from the function itself waits
 * for itself; a thread waiting for an interrupt is no deadlock, but a waiter that no interrupt can release is.
 */
class IrqTest {

	private static final String SPEC = """
			spec t.irqs
			lock L : mutex
			field runs : int
			field done : bool
			threaded_irq irq : fn
			op fn() {
			  FN
			}
			op user() in process {
			  request_threaded_irq irq
			  USER
			}
			scenario s {
			  thread u : user()
			}
			""";

	/** Counts runs up to 3 (a bounded count: the line fires for ever, and the state space stays finite). */
	private static final String COUNT = "if runs < 3 { runs = runs + 1 }";

	private static SpecResult prove(Path dir, String fn, String user) throws Exception {
		return SoundnessTest.proveCrossChecked(dir, SPEC.replace("FN", fn).replace("USER", user));
	}

	private static Status status(SpecResult r, String id) {
		return SoundnessTest.verdict(r, id).status();
	}

	@Test
	void aSynchronizeUnderALockTheThreadTakesIsACycleLockdepDoesNotSee(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "lock L  done = true  unlock L", "lock L  synchronize_irq irq  unlock L");
		Verdict order = SoundnessTest.verdict(r, "lock_order");
		assertEquals(Status.VIOLATED, order.status(), order::message);
		assertTrue(order.message().contains("a wait for the IRQ thread of irq"), order::message);
		assertTrue(order.message().contains("which lockdep does not track"), order::message);
		assertTrue(order.trace().notes().stream().anyMatch(n -> n.contains("waits for the IRQ thread of irq")),
				() -> order.trace().notes().toString());
		Verdict deadlock = SoundnessTest.verdict(r, "scenario s/deadlock");
		assertEquals(Status.VIOLATED, deadlock.status(), deadlock::message);
		assertTrue(deadlock.trace().events().stream().anyMatch(e -> e.text().startsWith("irq fires")),
				() -> SpecProofs.text(r));
		// the BMC does not model a line that fires at any time: the cross-check says so, and proves nothing
		Verdict cross = SoundnessTest.verdict(r, "scenario s/cross_check");
		assertEquals(Status.UNKNOWN, cross.status(), cross::message);
		assertTrue(cross.message().contains("threaded irq"), cross::message);
		assertFalse(SoundnessTest.contradicted(r), () -> SpecProofs.text(r));
	}

	@Test
	void aSynchronizeWithoutTheLockReturns(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "lock L  done = true  unlock L", "synchronize_irq irq  lock L  unlock L  free_irq irq");
		assertEquals(Status.PROVED, status(r, "lock_order"), () -> SpecProofs.text(r));
		assertEquals(Status.PROVED, status(r, "scenario s/deadlock"), () -> SpecProofs.text(r));
	}

	/** disable_irq from the thread function waits for the thread that calls it (the nosync form is the fix). */
	@Test
	void disableIrqInItsOwnThreadWaitsForItself(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "disable_irq irq", "runs = 1");
		Verdict deadlock = SoundnessTest.verdict(r, "scenario s/deadlock");
		assertEquals(Status.VIOLATED, deadlock.status(), () -> SpecProofs.text(r));
		assertTrue(deadlock.message().contains("disable_irq irq"), deadlock::message);
		assertTrue(r.verdicts().stream().anyMatch(v -> v.status() == Status.VIOLATED && v.message().contains("for itself")),
				() -> SpecProofs.text(r));

		SpecResult fixed = prove(dir, "disable_irq_nosync irq", "runs = 1");
		assertEquals(Status.PROVED, status(fixed, "scenario s/deadlock"), () -> SpecProofs.text(fixed));
		assertEquals(Status.PROVED, status(fixed, "lock_order"), () -> SpecProofs.text(fixed));
	}

	/**
	 * After disable_irq returns no run begins; after disable_irq_nosync one may still be running, and one more
	 * may follow it: the line fired during the run, before it was disabled (IRQTF_RUNTHREAD).
	 */
	@Test
	void disableIrqWaitsAndTheNosyncFormLetsAWokenThreadRunOnceMore(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, COUNT, "disable_irq irq  let n = runs  synchronize_irq irq  assert runs == n");
		assertTrue(r.verdicts().stream().noneMatch(v -> v.id().startsWith("scenario s/invariant")), () -> SpecProofs.text(r));
		SpecResult nosync = prove(dir, COUNT,
				"wait until runs >= 1  disable_irq_nosync irq  let n = runs  synchronize_irq irq  assert runs <= n + 1");
		Verdict twice = nosync.verdicts().stream().filter(v -> v.id().startsWith("scenario s/invariant")).findFirst()
				.orElseThrow(() -> new AssertionError(SpecProofs.text(nosync)));
		assertEquals(Status.VIOLATED, twice.status(), twice::message);
		assertTrue(twice.trace().events().stream().anyMatch(e -> e.text().contains("its thread is woken again")),
				() -> SpecProofs.text(nosync));
	}

	/**
	 * A thread waiting for an interrupt is no deadlock, nor is a waiter an interrupt may still release; a waiter
	 * that the disabled line can no longer release is one.
	 */
	@Test
	void aWaiterIsDeadlockedOnlyIfNoInterruptCanReleaseIt(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "done = true", "wait until done");
		assertEquals(Status.PROVED, status(r, "scenario s/deadlock"), () -> SpecProofs.text(r));
		SpecResult disabled = prove(dir, "done = true", "disable_irq irq  wait until done");
		Verdict deadlock = SoundnessTest.verdict(disabled, "scenario s/deadlock");
		assertEquals(Status.VIOLATED, deadlock.status(), () -> SpecProofs.text(disabled));
		assertTrue(deadlock.message().contains("wait until done"), deadlock::message);
		assertFalse(deadlock.message().contains("irq/"), deadlock::message); // the idle IRQ thread waits for nothing
	}

	/** free_irq waits until the thread has exited: a run under way ends first, none begins after. */
	@Test
	void freeIrqWaitsForTheThreadToExit(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, COUNT, "free_irq irq  let n = runs  synchronize_irq irq  assert runs == n");
		assertTrue(r.verdicts().stream().noneMatch(v -> v.id().startsWith("scenario s/invariant")), () -> SpecProofs.text(r));
		assertEquals(Status.PROVED, status(r, "scenario s/deadlock"), () -> SpecProofs.text(r));
	}
}
