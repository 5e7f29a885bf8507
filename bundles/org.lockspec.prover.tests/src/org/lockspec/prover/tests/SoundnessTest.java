package org.lockspec.prover.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockspec.verdict.Obligation;
import org.lockspec.verdict.SpecResult;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Trace;
import org.lockspec.verdict.Verdict;

/**
 * The false "proved" verdicts of issue 16, each as a spec that must not be proved:
 * IRQ inversions through chains, induction that unwinds a {@code with} on
 * {@code return} and on a failed {@code enter} or joins a test outside a lock
 * to the step after it, and rwsem reads in lockdep's open world.
 */
class SoundnessTest {

	static SpecResult prove(Path dir, String text) throws Exception {
		Path f = Files.writeString(dir.resolve("spec.lockspec"), text);
		return SpecProofs.prove(f, List.of());
	}

	/** {@link #prove}, with the Z3 cross-check of every scenario (24 steps). */
	static SpecResult proveCrossChecked(Path dir, String text) throws Exception {
		return proveCrossChecked(dir, text, 24);
	}

	/** {@link #prove}, with the Z3 cross-check of every scenario ({@code steps} steps). */
	static SpecResult proveCrossChecked(Path dir, String text, int steps) throws Exception {
		Path f = Files.writeString(dir.resolve("spec.lockspec"), text);
		try (org.lockspec.prover.Proofs proofs = org.lockspec.prover.Proofs
				.open(org.lockspec.prover.Proofs.options().withCrossCheck(steps))) {
			return proofs.prove(SpecProofs.load(f, List.of()));
		}
	}

	static Verdict verdict(SpecResult r, String id) {
		return r.verdicts().stream().filter(v -> v.id().equals(id)).findFirst()
				.orElseThrow(() -> new AssertionError("no verdict " + id + " in\n" + SpecProofs.text(r)));
	}

	static boolean contradicted(SpecResult r) {
		return r.verdicts().stream().anyMatch(v -> v.obligation() == Obligation.CONTRADICTION);
	}

	// ------------------------------------------------------------- IRQ safety

	/** The x86 io_apic chain of 2006 (lockdep's first hard-safe -> hard-unsafe report), drawn as lockdep draws it. */
	@Test
	void ioApicChainIsFoundAndDrawn(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, """
				spec t.io_apic
				lock irq_desc_lock : spinlock
				lock msi_lock : spinlock
				lock vector_lock : spinlock
				op do_IRQ() in hardirq { lock irq_desc_lock  unlock irq_desc_lock }
				op probe_irq_on() in process { lock irq_desc_lock irqsave  call startup_msi()  unlock irq_desc_lock }
				op startup_msi() { lock msi_lock irqsave  unlock msi_lock }
				op assign_msi_vector() in process { lock msi_lock irqsave  call assign_irq_vector()  unlock msi_lock }
				op assign_irq_vector() { lock vector_lock  unlock vector_lock }
				op setup_IO_APIC() in process { call assign_irq_vector() }
				expect irq_inversion
				""");
		Verdict v = verdict(r, "irq_safety");
		assertEquals(Status.VIOLATED, v.status(), v::message);
		assertTrue(v.message().contains("irq_desc_lock -> msi_lock -> vector_lock"), v::message);
		assertTrue(v.message().startsWith("hardirq-safe -> hardirq-unsafe lock order"), v::message);
		Trace t = v.trace();
		assertEquals(List.of("CPU0", "CPU1"), t.lanes().stream().map(Trace.Lane::cpu).toList());
		List<String> cpu1 = t.events().stream().filter(e -> e.lane() == 1).map(Trace.Event::text).toList();
		assertEquals(List.of("lock irq_desc_lock irqsave", "lock msi_lock irqsave", "lock vector_lock"), cpu1);
		assertTrue(t.events().stream().anyMatch(e -> e.text().equals("<Interrupt>")), () -> t.events().toString());
		assertTrue(t.notes().contains("Chain exists of: irq_desc_lock --> msi_lock --> vector_lock"), () -> t.notes().toString());
		assertEquals(SpecResult.Outcome.AS_EXPECTED, r.outcome(), () -> SpecProofs.text(r));
	}

	@Test
	void softirqChainOfTwoHops(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, """
				spec t.softirq_chain
				lock pool_lock : spinlock
				lock queue_lock : spinlock
				lock blkcg_lock : spinlock
				op endio() in softirq { lock pool_lock  unlock pool_lock }
				op pool_map() in process { lock pool_lock irqsave  lock queue_lock  unlock queue_lock  unlock pool_lock }
				op blkg_create() in process { lock queue_lock irqsave  lock blkcg_lock  unlock blkcg_lock  unlock queue_lock }
				op weight_write() in process { lock blkcg_lock  unlock blkcg_lock }
				expect irq_inversion
				""");
		Verdict v = verdict(r, "irq_safety");
		assertEquals(Status.VIOLATED, v.status(), v::message);
		assertTrue(v.message().startsWith("softirq-safe -> softirq-unsafe"), v::message);
		assertTrue(v.message().contains("pool_lock -> queue_lock -> blkcg_lock"), v::message);
	}

	@Test
	void chainFromAReadSideIrqUse(@TempDir Path dir) throws Exception {
		String spec = """
				spec t.read_side
				lock list_lock : rwlock
				lock cmd_lock : spinlock
				op irq() in hardirq { lock list_lock read  unlock list_lock }
				op event() in process { lock list_lock HOLD irqsave  lock cmd_lock  unlock cmd_lock  unlock list_lock }
				op set() in process { lock list_lock write irqsave  unlock list_lock }
				op finish() in process { lock cmd_lock  unlock cmd_lock }
				""";
		// the chain holds the IRQ-read lock for write: the interrupt's read waits for it
		Verdict v = verdict(prove(dir, spec.replace("HOLD", "write")), "irq_safety");
		assertEquals(Status.VIOLATED, v.status(), v::message);
		assertTrue(v.message().contains("'list_lock' is read in hardirq context"), v::message);
		// held for read: the interrupt's read is recursive and gets past it
		Verdict ok = verdict(prove(dir, spec.replace("HOLD", "read")), "irq_safety");
		assertEquals(Status.PROVED, ok.status(), ok::message);
	}

	// ------------------------------------------------------------- induction

	static final String RETURN_IN_WITH = """
			spec t.return_in_with
			lock l : mutex
			object Box { field a : int }
			invariant zero under l: forall b: Box . b.a == 0
			op check(b: Box) { with l { return } }
			op writer(b: Box) in process { call check(b)  b.a = 1  b.a = 0 }
			expect inductive zero
			scenario one {
			  b0 : Box
			  thread t0 : writer(b0)
			  expect violation zero
			}
			""";

	/** A {@code return} inside {@code with} releases the lock: the writes after the call are outside it. */
	@Test
	void inductionUnwindsAWithOnReturn(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, RETURN_IN_WITH);
		Verdict inductive = verdict(r, "inductive/zero");
		assertNotEquals(Status.PROVED, inductive.status(), inductive::message);
		assertEquals(Status.VIOLATED, verdict(r, "scenario one/invariant/zero").status());
		assertTrue(!contradicted(r), () -> SpecProofs.text(r));
		assertNotEquals(SpecResult.Outcome.AS_EXPECTED, r.outcome(), () -> SpecProofs.text(r));
	}

	/** A failed {@code enter} returns from the op, and its {@code with} blocks release too. */
	@Test
	void inductionUnwindsAWithOnAFailedEnter(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, RETURN_IN_WITH.replace("object Box { field a : int }",
				"object Box { field a : int  gate g }").replace("with l { return }", "with l { enter b.g  leave b.g }"));
		Verdict inductive = verdict(r, "inductive/zero");
		assertNotEquals(Status.PROVED, inductive.status(), inductive::message);
	}

	static final String TEST_THEN_WRITE = """
			spec t.test_then_write
			object Box { field f : int  field g : int }
			invariant either: forall b: Box . b.f == 0 || b.g == 1
			op a(b: Box) in process { TEST_A { b.f = 1 } }
			op c(b: Box) in process { if b.f == 0 { b.g = 0 } }
			expect inductive either
			""";

	/**
	 * Outside a lock, a test and the first statement of its branch are two steps: t0 sees g == 1, t1 sees
	 * f == 0, then both write, and the invariant is broken. Each op's test-and-write preserves it only when
	 * nothing runs between the two.
	 */
	@Test
	void aTestOutsideALockIsAStepOfItsOwn(@TempDir Path dir) throws Exception {
		for (String test : List.of("if b.g == 1", "while b.g == 1 && b.f == 0")) {
			SpecResult r = prove(dir, TEST_THEN_WRITE.replace("TEST_A", test));
			Verdict inductive = verdict(r, "inductive/either");
			assertNotEquals(Status.PROVED, inductive.status(), () -> test + ": " + inductive.message());
		}
	}

	/** The two ops in critical sections of LOCK_A and LOCK_C; the fields guarded by GUARDS. */
	static String locked(String lockA, String lockC, String guards) {
		return TEST_THEN_WRITE.replace("object Box { field f : int  field g : int }",
				"lock l : mutex\nlock m : mutex\nobject Box { field f : int GUARDS  field g : int GUARDS }")
				.replace("GUARDS", guards)
				.replace("TEST_A { b.f = 1 }", "with " + lockA + " { if b.g == 1 { b.f = 1 } }")
				.replace("if b.f == 0 { b.g = 0 }", "with " + lockC + " { if b.f == 0 { b.g = 0 } }");
	}

	/** Under the lock that guards both fields, the test and the write are one critical section: inductive. */
	@Test
	void aTestUnderTheGuardingLockStaysWithItsSection(@TempDir Path dir) throws Exception {
		Verdict inductive = verdict(prove(dir, locked("l", "l", "guarded_by l")), "inductive/either");
		assertEquals(Status.PROVED, inductive.status(), inductive::message);
	}

	/**
	 * A critical section is one step only for what its lock guards: under two different locks, or under one
	 * lock that the spec does not say guards the fields, the two ops interleave as they do outside a lock.
	 */
	@Test
	void aSectionIsAtomicOnlyForWhatItsLockGuards(@TempDir Path dir) throws Exception {
		for (String spec : List.of(locked("l", "m", ""), locked("l", "l", ""), locked("l", "m", "guarded_by l"))) {
			Verdict inductive = verdict(prove(dir, spec), "inductive/either");
			assertNotEquals(Status.PROVED, inductive.status(), () -> spec + "\n" + inductive.message());
		}
	}

	/**
	 * A step that does not hold m may not lean on m's invariant: bump breaks it inside its section. Induction
	 * assumes it, as the guarded_by discipline allows; diff reads a and b without m, so the discipline does not
	 * hold and the proof is undecided.
	 */
	@Test
	void inductionThatLeansOnABrokenGuardIsUndecided(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, """
				spec t.lock_invariant_elsewhere
				lock m : mutex
				object Box { field a : int guarded_by m  field b : int guarded_by m  field c : int }
				invariant same under m: forall x: Box . x.a == x.b
				invariant zero: forall x: Box . x.c == 0
				op bump(x: Box) in process { with m { x.a = x.a + 1  x.b = x.b + 1 } }
				op diff(x: Box) in process { x.c = x.a - x.b }
				expect inductive zero
				""");
		assertEquals(Status.VIOLATED, verdict(r, "guarded_fields/Box.a").status());
		Verdict inductive = verdict(r, "inductive/zero");
		assertEquals(Status.UNKNOWN, inductive.status(), inductive::message);
		assertTrue(inductive.message().contains("guarded_fields/Box.a does not establish"), inductive::message);
	}

	/** Two locks of one class whose owners may be one object: the report says both what lockdep sees and the AA. */
	@Test
	void aSameClassNestingSaysItMayBeOneObject(@TempDir Path dir) throws Exception {
		String spec = """
				spec t.same_class
				object Dev { lock l : mutex }
				op pair(a: Dev, b: Dev) in process { lock a.l  SECOND  unlock b.l  unlock a.l }
				""";
		Verdict params = verdict(prove(dir, spec.replace("SECOND", "lock b.l")), "lock_order");
		assertTrue(params.message().contains("two l locks of one class are nested (a.l then b.l)"), params::message);
		assertTrue(params.message().endsWith("and if a and b are one object, this path waits for the lock it holds"),
				params::message);
		Verdict fresh = verdict(prove(dir, """
				spec t.same_class_fresh
				object Dev { lock l : mutex }
				op pair(b: Dev) in process { let n = new Dev  lock n.l  lock b.l  unlock b.l  unlock n.l }
				"""), "lock_order");
		assertEquals(Status.VIOLATED, fresh.status(), fresh::message);
		assertTrue(!fresh.message().contains("one object"), "a new object is no other: " + fresh.message());
	}

	// ------------------------------------------------------------- open world

	static final String READ_CYCLE = """
			spec t.read_cycle
			WORLD
			lock a : rwsem
			lock b : rwsem
			op ab() in process { lock a read  lock b read  unlock b  unlock a }
			op ba() in process { lock b read  lock a read  unlock a  unlock b }
			""";

	/** lockdep's open world: a writer elsewhere blocks new readers, so a read -> read cycle deadlocks. */
	@Test
	void writerlessRwsemReadCycleIsViolatedByDefault(@TempDir Path dir) throws Exception {
		Verdict v = verdict(prove(dir, READ_CYCLE.replace("WORLD", "")), "lock_order");
		assertEquals(Status.VIOLATED, v.status(), v::message);
	}

	@Test
	void closedWorldIsAVisibleOptIn(@TempDir Path dir) throws Exception {
		Verdict v = verdict(prove(dir, READ_CYCLE.replace("WORLD", "config closed_world")), "lock_order");
		assertEquals(Status.PROVED, v.status(), v::message);
		assertTrue(v.message().contains("closed world ('config closed_world', line 2): 2 dependencies"), v::message);
	}

	@Test
	void recursiveDownReadWithoutAWriterIsReported(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, """
				spec t.recursive_read
				lock sem : rwsem
				op fault() in process { lock sem read  lock sem read  unlock sem  unlock sem }
				""");
		Verdict v = verdict(r, "lock_order");
		assertEquals(Status.VIOLATED, v.status(), v::message);
		assertTrue(v.message().startsWith("recursive locking"), v::message);
	}
}
