package org.lockspec.prover.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockspec.verdict.Obligation;
import org.lockspec.verdict.SpecResult;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Verdict;

/**
 * Lock invariants ({@code invariant I under L}): due whenever nobody holds L, in
 * the scenario search and in the inductive check; and the inductive check proves
 * invariants only together with invariants that were proved themselves.
 */
class LockInvariantTest {

	/** A pair of counters that move together under their lock, one statement apart. */
	static final String PAIR = """
			spec t.pair
			lock pair_lock : spinlock
			field a : int guarded_by pair_lock
			field b : int guarded_by pair_lock
			invariant same UNDER: a == b
			op bump() in process {
			  lock pair_lock
			  a = a + 1
			  b = b + 1
			  unlock pair_lock
			}
			scenario two {
			  thread cpu0 : bump()
			  thread cpu1 : bump()
			  EXPECT
			}
			""";

	private static SpecResult prove(Path dir, String text) throws Exception {
		return SpecProofs.prove(Files.writeString(dir.resolve("pair.lockspec"), text), List.of());
	}

	private static Verdict verdict(SpecResult r, String id) {
		return r.verdicts().stream().filter(v -> v.id().equals(id)).findFirst()
				.orElseThrow(() -> new AssertionError("no verdict " + id + " in\n" + SpecProofs.text(r)));
	}

	@Test
	void aLockInvariantMayBreakInsideItsCriticalSection(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, PAIR.replace("UNDER", "under pair_lock").replace("EXPECT", "expect safe")
				.replace("invariant same", "expect inductive same\ninvariant same"));
		assertEquals(Status.PROVED, verdict(r, "scenario two/invariant/same").status(), () -> SpecProofs.text(r));
		Verdict inductive = verdict(r, "inductive/same");
		assertEquals(Status.PROVED, inductive.status(), inductive::message);
		assertTrue(inductive.message().contains("whenever pair_lock is free"), inductive::message);
		assertEquals(SpecResult.Outcome.AS_EXPECTED, r.outcome(), () -> SpecProofs.text(r));
	}

	@Test
	void aPlainInvariantMustHoldAfterEveryStatement(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, PAIR.replace("UNDER", "").replace("EXPECT", "expect violation same")
				.replace("invariant same", "expect inductive same\ninvariant same"));
		Verdict scenario = verdict(r, "scenario two/invariant/same");
		assertEquals(Status.VIOLATED, scenario.status(), () -> SpecProofs.text(r));
		// the inductive check agrees: the state after 'a = a + 1' breaks it, inside the critical section
		Verdict inductive = verdict(r, "inductive/same");
		assertEquals(Status.UNKNOWN, inductive.status(), inductive::message);
		assertTrue(inductive.message().contains("a = a + 1"), inductive::message);
	}

	@Test
	void aLockInvariantIsDueAgainWhenTheLockIsReleased(@TempDir Path dir) throws Exception {
		// the second counter moves outside the lock: when pair_lock is released the invariant is broken
		String late = PAIR.replace("UNDER", "under pair_lock").replace("EXPECT", "expect violation same")
				.replace("  b = b + 1\n  unlock pair_lock\n", "  unlock pair_lock\n  lock pair_lock\n  b = b + 1\n  unlock pair_lock\n");
		SpecResult r = prove(dir, late);
		Verdict v = verdict(r, "scenario two/invariant/same");
		assertEquals(Status.VIOLATED, v.status(), () -> SpecProofs.text(r));
		assertEquals(SpecResult.Outcome.AS_EXPECTED, r.outcome(), () -> SpecProofs.text(r));
	}

	@Test
	void noProofLeansOnAnInvariantThatWasNotProved(@TempDir Path dir) throws Exception {
		// 'nothing_listed' is false after register, so not inductive; assuming it would make listed_has_ref
		// trivially inductive, but without it (and without one_registry) unregister's put breaks it
		String spec = InductiveCheckTest.REGISTRY
				.replaceAll("(?s)invariant one_registry:.*?r == s",
						"invariant nothing_listed: forall r: Registry . forall n: Node . !linked(n, r.nodes)");
		List<Verdict> v = InductiveCheckTest.inductive(dir, spec);
		Verdict listed = v.stream().filter(x -> x.subject().equals("listed_has_ref")).findFirst().orElseThrow();
		Verdict nothing = v.stream().filter(x -> x.subject().equals("nothing_listed")).findFirst().orElseThrow();
		assertEquals(Status.UNKNOWN, nothing.status(), nothing::message);
		assertEquals(Status.UNKNOWN, listed.status(), listed::message);
	}

	@Test
	void theEehRefcountInvariantsAreProvedInductiveInTheSeedExample() throws Exception {
		SpecResult r = SpecProofs.prove(org.lockspec.tests.Examples.root().resolve("spec-examples/003-eeh-pe/fixed.lockspec"),
				List.of());
		for (String name : List.of("linked_has_ref", "freed_is_unlinked")) {
			Verdict v = verdict(r, "inductive/" + name);
			assertEquals(Status.PROVED, v.status(), v::message);
			assertEquals(Obligation.INDUCTIVE_INVARIANT, v.obligation());
		}
		assertEquals(SpecResult.Outcome.AS_EXPECTED, r.outcome(), () -> SpecProofs.text(r));
	}
}
