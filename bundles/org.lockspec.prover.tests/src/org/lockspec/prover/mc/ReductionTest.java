package org.lockspec.prover.mc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lockspec.analysis.SpecFacts;
import org.lockspec.model.Scenario;
import org.lockspec.model.Spec;
import org.lockspec.tests.Examples;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Verdict;
import org.lockspec.workspace.SpecSet;

/**
 * The reduced search (thread-local steps taken at once, {@code ModelChecker.search})
 * against the full one: where the full search proves every obligation, the
 * reduced one proves the same ones, in no more states; wherever the full
 * search finds anything, or stops at a bound, the reduced one must hand over
 * to it and give exactly its result (states, transitions, verdicts, traces).
 */
class ReductionTest {

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("org.lockspec.prover.mc.CrossCheckTest#seedScenarios")
	void seedsAgree(String file, String scenario) {
		Spec spec = CrossCheckTest.load(Examples.root().resolve(file));
		assertAgree(spec, CrossCheckTest.scenario(spec, scenario));
	}

	@Test
	void theEehProofKeepsFewerStates() {
		Spec spec = CrossCheckTest.load(Examples.root().resolve("spec-examples/003-eeh-pe/fixed.lockspec"));
		Scenario sc = CrossCheckTest.scenario(spec, "remove_last_pe");
		ModelChecker.Run[] runs = assertAgree(spec, sc);
		assertTrue(runs[0].verdicts().stream().allMatch(v -> v.status() == Status.PROVED), runs[0].verdicts()::toString);
		assertTrue(runs[1].states() < runs[0].states(), () -> runs[1].states() + " states reduced, " + runs[0].states() + " in full");
		assertTrue(runs[1].verdicts().stream().allMatch(v -> v.message().contains("thread-local steps taken at once")),
				runs[1].verdicts()::toString);
	}

	private static final String SPECS = """
			spec reduction.cases

			lock sem : rwsem
			field g : int
			field inside : int atomic

			// two readers inside at once, before the writer's g = 1: only while the
			// writer has not come to the lock, for a writer waiting for a rwsem
			// holds up new readers. The place of a thread at a lock is seen by the
			// others, so the local step that brings the writer there must not be
			// taken at once (or this break goes unseen and the reduced search
			// proves the invariant).
			invariant one_reader: inside < 2

			op writer() {
			  let go = true
			  if go {
			    lock sem write
			    g = 1
			    unlock sem
			  }
			}

			op reader() {
			  lock sem read
			  if g == 0 {
			    inside = inside + 1
			    inside = inside - 1
			  }
			  unlock sem
			}

			// local steps around locked ones, all fine: the reduced search proves it
			op worker(n: int) {
			  let i = 0
			  while i < n {
			    lock sem write
			    g = g + 1
			    unlock sem
			    i = i + 1
			  }
			}

			// never ends, and takes only thread-local steps: the reduced search gives up
			op spin() {
			  let x = 0
			  while true {
			    x = 1 - x
			  }
			}

			// a race past a local step of the other thread: found by the full search
			op bump() {
			  let one = 1
			  g = g + one
			}

			scenario rwsem_waiter {
			  thread w : writer()
			  thread r1 : reader()
			  thread r2 : reader()
			}

			scenario local_loop {
			  thread s : spin()
			  thread r : reader()
			}

			scenario workers {
			  thread a : worker(2)
			  thread b : worker(2)
			}

			scenario lost_update {
			  thread a : bump()
			  thread b : bump()
			}
			""";

	@Test
	void craftedCasesAgree(@TempDir Path dir) throws IOException {
		Path file = dir.resolve("cases.lockspec");
		Files.writeString(file, SPECS);
		Spec spec = CrossCheckTest.load(file);
		ModelChecker.Run[] waiter = assertAgree(spec, CrossCheckTest.scenario(spec, "rwsem_waiter"));
		assertTrue(waiter[1].verdicts().stream().anyMatch(v -> v.status() == Status.VIOLATED && v.id().contains("one_reader")),
				waiter[1].verdicts()::toString);
		ModelChecker.Run[] workers = assertAgree(spec, CrossCheckTest.scenario(spec, "workers"));
		assertTrue(workers[1].verdicts().stream().allMatch(v -> v.status() == Status.PROVED), workers[1].verdicts()::toString);
		assertTrue(workers[1].states() < workers[0].states(), () -> workers[1].states() + " states reduced, " + workers[0].states() + " in full");
		ModelChecker.Run[] race = assertAgree(spec, CrossCheckTest.scenario(spec, "lost_update"));
		assertTrue(race[1].verdicts().stream().anyMatch(v -> v.status() == Status.VIOLATED && v.message().startsWith("race on g")),
				race[1].verdicts()::toString);
		ModelChecker.Run[] loop = assertAgree(spec, CrossCheckTest.scenario(spec, "local_loop"));
		assertEquals(loop[0].states(), loop[1].states(), "the loop of local steps: the full search's result");
	}

	/** Runs the scenario in full and reduced; returns both runs (full first) after comparing them. */
	private static ModelChecker.Run[] assertAgree(Spec spec, Scenario sc) {
		SpecFacts facts = new SpecFacts(spec);
		ModelChecker.Run full = SpecSet.onBigStack(
				() -> new ModelChecker(true, false).run(spec, sc, facts, "p/", ModelChecker.MAX_STATES));
		ModelChecker.Run reduced = SpecSet.onBigStack(
				() -> new ModelChecker(true, true).run(spec, sc, facts, "p/", ModelChecker.MAX_STATES));
		boolean allProved = full.verdicts().stream().allMatch(v -> v.status() == Status.PROVED);
		if (!allProved || reduced.verdicts().stream().noneMatch(v -> v.message().contains("thread-local steps"))) {
			// the reduced search handed over (or found nothing to reduce): exactly the full search
			assertEquals(full.states(), reduced.states(), "states");
			assertEquals(full.transitions(), reduced.transitions(), "transitions");
			assertEquals(full.depths(), reduced.depths(), "finding depths");
			assertEquals(full.verdicts(), reduced.verdicts(), "verdicts, messages and traces");
		} else {
			assertEquals(full.verdicts().size(), reduced.verdicts().size(), "verdicts");
			for (int i = 0; i < full.verdicts().size(); i++) {
				Verdict f = full.verdicts().get(i);
				Verdict r = reduced.verdicts().get(i);
				assertEquals(f.id(), r.id());
				assertEquals(f.status(), r.status(), f.id());
			}
			assertTrue(reduced.states() <= full.states(), () -> reduced.states() + " > " + full.states());
			assertTrue(reduced.transitions() <= full.transitions(), () -> reduced.transitions() + " > " + full.transitions());
		}
		return new ModelChecker.Run[] { full, reduced };
	}
}
