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
 * Completions as DEPT sees them, in the lock-order check and the scenario engine: a wait while holding what the
 * producer takes first is a cycle; a wait that may give up, or a producer that takes the lock only by trylock,
 * is none; a producer queued after the lock still completes after it.
 */
class CompletionTest {

	private static final String SPEC = """
			spec t.waits
			lock L : mutex
			completion done
			op waiter() in process { lock L  WAIT done  unlock L }
			op producer() in process { PRODUCE }
			op worker() in process { complete done }
			scenario both {
			  thread w : waiter()
			  thread p : producer()
			}
			""";

	private static SpecResult prove(Path dir, String wait, String produce) throws Exception {
		return SoundnessTest.prove(dir, SPEC.replace("WAIT", wait).replace("PRODUCE", produce));
	}

	@Test
	void aWaitUnderTheLockTheProducerTakesFirstIsACycle(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "wait_for_completion", "lock L  unlock L  complete done");
		Verdict order = SoundnessTest.verdict(r, "lock_order");
		assertEquals(Status.VIOLATED, order.status(), order::message);
		assertTrue(order.message().contains("through a wait for the completion done"), order::message);
		assertTrue(order.trace().notes().stream().anyMatch(n -> n.contains("waits for done to be completed")),
				() -> order.trace().notes().toString());
		Verdict deadlock = SoundnessTest.verdict(r, "scenario both/deadlock");
		assertEquals(Status.VIOLATED, deadlock.status(), deadlock::message);
		assertFalse(SoundnessTest.contradicted(r));
	}

	@Test
	void aWaitThatMayGiveUpOrAProducerThatTriesTheLockIsNone(@TempDir Path dir) throws Exception {
		SpecResult giveUp = prove(dir, "wait_for_completion_timeout", "lock L  unlock L  complete done");
		assertEquals(Status.PROVED, SoundnessTest.verdict(giveUp, "lock_order").status());
		assertEquals(Status.PROVED, SoundnessTest.verdict(giveUp, "scenario both/deadlock").status());
		SpecResult tries = prove(dir, "wait_for_completion", "if trylock L { unlock L }  complete done");
		assertEquals(Status.PROVED, SoundnessTest.verdict(tries, "lock_order").status());
		assertEquals(Status.PROVED, SoundnessTest.verdict(tries, "scenario both/deadlock").status());
	}

	/** The queued worker completes only after its queuer took L: the cycle runs through the queue. */
	@Test
	void aProducerQueuedAfterTheLockCompletesAfterIt(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, "wait_for_completion", "lock L  unlock L  queue worker()");
		assertEquals(Status.VIOLATED, SoundnessTest.verdict(r, "lock_order").status());
		assertEquals(Status.VIOLATED, SoundnessTest.verdict(r, "scenario both/deadlock").status());
		assertFalse(SoundnessTest.contradicted(r));
	}
}
