package org.lockspec.prover.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockspec.verdict.SpecResult;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Verdict;

/** The scenario search's bounds: what they cut is "safe up to bound", never "proved". */
class ModelCheckerTest {

	static String abba(int preemptions) {
		return """
				spec t.abba
				lock A : mutex
				lock B : mutex
				op ab() in process { lock A  lock B  unlock B  unlock A }
				op ba() in process { lock B  lock A  unlock A  unlock B }
				expect deadlock
				scenario s {
				  thread t1 : ab()
				  thread t2 : ba()
				  bound preemptions %d
				  expect deadlock
				}
				""".formatted(preemptions);
	}

	static Verdict deadlock(SpecResult r) {
		return r.verdicts().stream().filter(v -> v.id().equals("scenario s/deadlock")).findFirst().orElseThrow();
	}

	@Test
	void abbaNeedsOnePreemption(@TempDir Path dir) throws Exception {
		SpecResult none = SpecProofs.prove(Files.writeString(dir.resolve("p0.lockspec"), abba(0)), List.of());
		assertEquals(Status.SAFE_UP_TO_BOUND, deadlock(none).status(), deadlock(none)::message);
		assertTrue(deadlock(none).message().contains("0 preemptions"), deadlock(none)::message);
		SpecResult one = SpecProofs.prove(Files.writeString(dir.resolve("p1.lockspec"), abba(1)), List.of());
		assertEquals(Status.VIOLATED, deadlock(one).status(), deadlock(one)::message);
		assertEquals(SpecResult.Outcome.AS_EXPECTED, one.outcome(), () -> SpecProofs.text(one));
	}

	@Test
	void aStepBoundThatCutsTheSearchIsSafeUpToBound(@TempDir Path dir) throws Exception {
		// two steps are too few to reach the deadlock: the scenario is safe up to that bound, and says so
		String spec = abba(5).replace("  bound preemptions 5\n  expect deadlock\n", "  bound steps 2\n  expect safe\n");
		SpecResult r = SpecProofs.prove(Files.writeString(dir.resolve("s.lockspec"), spec), List.of());
		assertEquals(Status.SAFE_UP_TO_BOUND, deadlock(r).status(), deadlock(r)::message);
		assertEquals(SpecResult.Outcome.AS_EXPECTED, r.outcome(), () -> SpecProofs.text(r));
	}
}
