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
 * Runtime PM as drivers/base/power/runtime.c runs it: {@code pm_runtime_get_sync} of a suspended device runs the
 * resume callback in the caller, after waiting for a callback under way; {@code pm_runtime_put_sync} runs the
 * suspend callback at zero; {@code pm_runtime_put} leaves it to the PM workqueue, which may suspend an unused device
 * at any time; an object a scenario allocates has runtime PM disabled. The lock order treats the device's runtime PM
 * as a lock map its callbacks hold and its waiting calls take (which lockdep does not have). Z3's BMC models it as the
 * explicit engine does, and every scenario here is cross-checked.
 */
class RuntimePmTest {

	private static final String SPEC = """
			spec t.runtimepm
			object Dev {
			  lock L : mutex
			  lock S : spinlock
			  field n : int guarded_by L
			  runtime_pm pm : dev_suspend, dev_resume
			}
			op dev_suspend(d: Dev) {
			  SUSPEND
			}
			op dev_resume(d: Dev) {
			  RESUME
			}
			op user(d: Dev) in process {
			  USER
			}
			op other(d: Dev) in process {
			  OTHER
			}
			scenario s {
			  d : Dev
			  thread u : user(d)
			  thread o : other(d)
			}
			""";

	/** The spec with these bodies, proved with the cross-check, which must agree. */
	private static SpecResult prove(Path dir, String suspend, String resume, String user, String other) throws Exception {
		return crossChecked(SoundnessTest.proveCrossChecked(dir, SPEC.replace("SUSPEND", suspend).replace("RESUME", resume)
				.replace("USER", user).replace("OTHER", other)));
	}

	private static SpecResult crossChecked(SpecResult r) {
		Verdict cross = SoundnessTest.verdict(r, "scenario s/cross_check");
		assertEquals(Status.PROVED, cross.status(), cross::message);
		return r;
	}

	private static Status status(SpecResult r, String id) {
		return SoundnessTest.verdict(r, id).status();
	}

	@Test
	void aGetSyncUnderALockTheResumeCallbackTakesIsACycleLockdepDoesNotSee(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "might_sleep", "lock d.L  d.n = 1  unlock d.L",
				"lock d.L  pm_runtime_get_sync d.pm  d.n = 2  pm_runtime_put d.pm  unlock d.L",
				"pm_runtime_get_sync d.pm  pm_runtime_put d.pm");
		Verdict order = SoundnessTest.verdict(r, "lock_order");
		assertEquals(Status.VIOLATED, order.status(), order::message);
		assertTrue(order.message().contains("runtime PM of d.pm") && order.message().contains("lockdep does not track"),
				order::message);
		// the caller resumes a suspended device itself, and takes L again
		Verdict misuse = SoundnessTest.verdict(r, "scenario s/lock_misuse");
		assertEquals(Status.VIOLATED, misuse.status(), misuse::message);
		// or it waits for the other thread's resume, which waits for L
		Verdict deadlock = SoundnessTest.verdict(r, "scenario s/deadlock");
		assertEquals(Status.VIOLATED, deadlock.status(), deadlock::message);
		assertTrue(deadlock.message().contains("the resume callback of d.pm is under way on o"), deadlock::message);
	}

	@Test
	void theGetSyncBeforeTheLockIsTheFix(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "might_sleep", "lock d.L  d.n = 1  unlock d.L",
				"pm_runtime_get_sync d.pm  lock d.L  d.n = 2  unlock d.L  pm_runtime_put d.pm",
				"pm_runtime_get_sync d.pm  pm_runtime_put d.pm");
		for (String id : new String[] { "lock_order", "wait_context", "scenario s/deadlock", "scenario s/lock_misuse",
				"scenario s/race" }) {
			assertEquals(Status.PROVED, status(r, id), () -> id + ": " + SoundnessTest.verdict(r, id).message());
		}
	}

	@Test
	void theAutosuspendOfThePmWorkqueueRunsTheSuspendCallbackAtAnyTime(@TempDir Path dir) throws Exception {
		// nothing in the scenario suspends the device: the PM workqueue does, while o holds L and waits for it
		SpecResult r = prove(dir, "lock d.L  d.n = 0  unlock d.L", "might_sleep", "might_sleep",
				"lock d.L  pm_runtime_get_sync d.pm  pm_runtime_put d.pm  unlock d.L");
		Verdict deadlock = SoundnessTest.verdict(r, "scenario s/deadlock");
		assertEquals(Status.VIOLATED, deadlock.status(), deadlock::message);
		assertTrue(deadlock.message().contains("the suspend callback of d.pm is under way on pm_wq"), deadlock::message);
		assertEquals(Status.VIOLATED, status(r, "lock_order"));
	}

	@Test
	void anAsynchronousPutUnderTheLockWaitsForNothing(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "lock d.L  d.n = 0  unlock d.L", "might_sleep",
				"pm_runtime_get_sync d.pm  lock d.L  d.n = 2  pm_runtime_put_autosuspend d.pm  unlock d.L", "might_sleep");
		assertEquals(Status.PROVED, status(r, "lock_order"), () -> SoundnessTest.verdict(r, "lock_order").message());
		assertEquals(Status.PROVED, status(r, "scenario s/deadlock"));
	}

	@Test
	void aPutSyncUnderALockTheSuspendCallbackTakesDeadlocks(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "lock d.L  d.n = 0  unlock d.L", "might_sleep",
				"pm_runtime_get_sync d.pm  lock d.L  pm_runtime_put_sync d.pm  unlock d.L", "might_sleep");
		assertEquals(Status.VIOLATED, status(r, "lock_order"));
		Verdict misuse = SoundnessTest.verdict(r, "scenario s/lock_misuse");
		assertEquals(Status.VIOLATED, misuse.status(), misuse::message);
	}

	@Test
	void aCallbackThatResumesItsOwnDeviceWaitsForItself(@TempDir Path dir) throws Exception {
		SpecResult r = SoundnessTest.proveCrossChecked(dir, SPEC.replace("SUSPEND", "might_sleep")
				.replace("RESUME", "pm_runtime_get_sync d.pm  pm_runtime_put_noidle d.pm")
				.replace("USER", "pm_runtime_get_sync d.pm  pm_runtime_put d.pm").replace("OTHER", "might_sleep"));
		// the BMC inlines the callbacks a call may run: one that may run itself again is refused, and says so
		Verdict cross = SoundnessTest.verdict(r, "scenario s/cross_check");
		assertEquals(Status.UNKNOWN, cross.status(), cross::message);
		assertTrue(cross.message().contains("the recursive call of dev_resume"), cross::message);
		Verdict order = SoundnessTest.verdict(r, "lock_hygiene");
		assertEquals(Status.VIOLATED, order.status(), order::message);
		assertTrue(order.message().contains("waits for the callback under way, its own"), order::message);
		Verdict deadlock = SoundnessTest.verdict(r, "scenario s/deadlock");
		assertEquals(Status.VIOLATED, deadlock.status(), deadlock::message);
		assertTrue(deadlock.message().contains("under way on this thread itself"), deadlock::message);
	}

	@Test
	void aGetSyncSleepsAndABarrierWaits(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "might_sleep", "might_sleep", "lock d.S  pm_runtime_get_sync d.pm  unlock d.S",
				"lock d.L  pm_runtime_barrier d.pm  unlock d.L");
		assertEquals(Status.VIOLATED, status(r, "wait_context"));
		assertEquals(Status.VIOLATED, status(r, "scenario s/sleep_in_atomic"));
		// the barrier under L: a cycle only if a callback takes L, and none does
		assertEquals(Status.PROVED, status(r, "lock_order"), () -> SoundnessTest.verdict(r, "lock_order").message());
	}

	@Test
	void anObjectAScenarioAllocatesHasRuntimePmDisabled(@TempDir Path dir) throws Exception {
		// the resume callback would take L again; disabled, no callback runs
		SpecResult r = crossChecked(SoundnessTest.proveCrossChecked(dir, """
				spec t.runtimepm.disabled
				object Dev {
				  lock L : mutex
				  runtime_pm pm : dev_suspend, dev_resume
				}
				op dev_suspend(d: Dev) {
				  might_sleep
				}
				op dev_resume(d: Dev) {
				  lock d.L  unlock d.L
				}
				op probe() in process {
				  let d = new Dev {}
				  lock d.L
				  pm_runtime_get_sync d.pm
				  pm_runtime_put_sync d.pm
				  unlock d.L
				}
				scenario s {
				  thread p : probe()
				}
				"""));
		assertEquals(Status.PROVED, status(r, "scenario s/lock_misuse"));
		assertEquals(Status.PROVED, status(r, "scenario s/deadlock"));
		// the lock order is for every device, enabled or not
		assertEquals(Status.VIOLATED, status(r, "lock_order"));
	}
}
