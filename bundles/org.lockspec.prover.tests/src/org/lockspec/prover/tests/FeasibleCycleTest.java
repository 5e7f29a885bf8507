package org.lockspec.prover.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lockspec.prover.tests.SoundnessTest.contradicted;
import static org.lockspec.prover.tests.SoundnessTest.prove;
import static org.lockspec.prover.tests.SoundnessTest.verdict;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockspec.verdict.SpecResult;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Verdict;

/**
 * A cycle of lockdep's class graph is a deadlock only if CPUs can hold what it needs at once: a lock that every
 * CPU of it holds first (lockdep's gate-lock false positive) and a work's function that two CPUs would run for one
 * object (one IRQ thread per action) rule it out, and the spec says "lockdep would report this" in a verdict of
 * its own; anything that lets two CPUs in keeps the deadlock.
 */
class FeasibleCycleTest {

	private static final String AB_BA = """
			spec t.outer
			lock outer : %s
			lock a : mutex
			lock b : mutex
			op ab() { %s { with a { with b { } } } }
			op ba() { %s { with b { with a { } } } }
			""";

	private static Optional<Verdict> lockdepOnly(SpecResult r) {
		return r.verdicts().stream().filter(v -> v.id().equals("lockdep_only")).findFirst();
	}

	@Test
	void aLockBothHoldFirstRulesTheCycleOut(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, AB_BA.formatted("mutex", "with outer", "with outer") + """
				scenario both {
				  thread t1 : ab()
				  thread t2 : ba()
				  expect safe
				}
				expect lockdep_splat
				""");
		Verdict order = verdict(r, "lock_order");
		assertEquals(Status.PROVED, order.status(), order::message);
		Verdict lockdep = lockdepOnly(r).orElseThrow();
		assertEquals(Status.VIOLATED, lockdep.status());
		assertTrue(lockdep.message().contains("lockdep would report a circular locking dependency (a -> b -> a)"),
				lockdep::message);
		assertTrue(lockdep.message().contains("CPU0 and CPU1 would both hold outer"), lockdep::message);
		assertEquals(SpecResult.Outcome.AS_EXPECTED, r.outcome(), () -> SpecProofs.text(r));
		assertFalse(contradicted(r));
	}

	@Test
	void anythingThatLetsTwoCpusInKeepsTheDeadlock(@TempDir Path dir) throws Exception {
		// readers of one rwsem both get in; a path without the outer lock
		for (String[] variant : new String[][] { { "rwsem", "with outer read", "with outer read" },
				{ "mutex", "with outer", "if true" } }) {
			SpecResult r = prove(dir, AB_BA.formatted(variant[0], variant[1], variant[2]));
			assertEquals(Status.VIOLATED, verdict(r, "lock_order").status(), () -> String.join(" / ", variant));
			assertTrue(lockdepOnly(r).isEmpty());
		}
		SpecResult r = prove(dir, AB_BA.formatted("rwsem", "with outer write", "with outer read"));
		assertEquals(Status.PROVED, verdict(r, "lock_order").status(), () -> SpecProofs.text(r));
		assertTrue(lockdepOnly(r).orElseThrow().message().contains("one of them for write"), () -> SpecProofs.text(r));
	}

	private static final String IRQ = """
			spec t.irq
			lock rescan : mutex
			object Ctrl {
			  field present : bool
			  ref peer : Ctrl
			  lock reset_lock : mutex
			  threaded_irq hp : ist
			}
			op probe(c: Ctrl) in process { request_threaded_irq c.hp }
			""";

	/** The IRQ thread takes the controller's reset_lock and rescan in both orders. */
	private static final String BOTH_WAYS = """
			op ist(c: Ctrl) {
			  if c.present { with c.reset_lock { with rescan { } } }
			  else { with rescan { with c.reset_lock { } } }
			}
			""";

	@Test
	void oneIrqThreadOfOneObjectCannotBeOnTwoCpus(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, IRQ + BOTH_WAYS);
		assertEquals(Status.PROVED, verdict(r, "lock_order").status(), () -> SpecProofs.text(r));
		String why = lockdepOnly(r).orElseThrow().message();
		assertTrue(why.contains("so both would run ist for that one Ctrl: the irq hp has one IRQ thread"), why);
	}

	@Test
	void theThreadsOfTwoObjectsMayDeadlock(@TempDir Path dir) throws Exception {
		// CPU1 runs the thread of c and waits for c.peer's reset_lock, which the thread of the peer holds
		SpecResult r = prove(dir, IRQ + """
				op ist(c: Ctrl) {
				  if c.present { with c.reset_lock { with rescan { } } }
				  else { with rescan { with c.peer.reset_lock { } } }
				}
				""");
		assertEquals(Status.VIOLATED, verdict(r, "lock_order").status(), () -> SpecProofs.text(r));
		assertTrue(lockdepOnly(r).isEmpty());
	}

	@Test
	void anOpAlsoStartedOtherwiseIsNoSingleton(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, IRQ + BOTH_WAYS + "op kick(c: Ctrl) in process { queue ist(c) }\n");
		assertEquals(Status.VIOLATED, verdict(r, "lock_order").status(), () -> SpecProofs.text(r));
	}

	@Test
	void aCpuMayHoldALockItTookLongBefore(@TempDir Path dir) throws Exception {
		// lockdep's edges are a -> b and b -> c (from the last lock held); the deadlock needs CPU0 holding a
		// while it waits for c, and CPU1 holding c while it waits for a: found although no edge says a -> c
		SpecResult r = prove(dir, """
				spec t.older
				lock a : mutex
				lock b : mutex
				lock c : mutex
				op abc() { with a { with b { with c { } } } }
				op ca() { with c { with a { } } }
				""");
		Verdict order = verdict(r, "lock_order");
		assertEquals(Status.VIOLATED, order.status(), order::message);
	}

	@Test
	void twoWorksOfOneOrderedQueueNeverRunAtOnce(@TempDir Path dir) throws Exception {
		String spec = """
				spec t.ordered
				lock a : mutex
				lock b : mutex
				%s wq
				work w1 : f1 on wq
				work w2 : f2 on wq
				op f1() { with a { with b { } } }
				op f2() { with b { with a { } } }
				op kick() in process { queue_work w1  queue_work w2 }
				""";
		SpecResult ordered = prove(dir, spec.formatted("ordered_workqueue"));
		assertEquals(Status.PROVED, verdict(ordered, "lock_order").status(), () -> SpecProofs.text(ordered));
		String why = lockdepOnly(ordered).orElseThrow().message();
		assertTrue(why.contains("would both run a work on the ordered workqueue wq (f1, f2): it runs one work at a time")
				|| why.contains("would both run a work on the ordered workqueue wq (f2, f1): it runs one work at a time"),
				why);
		SpecResult parallel = prove(dir, spec.formatted("workqueue"));
		assertEquals(Status.VIOLATED, verdict(parallel, "lock_order").status(), () -> SpecProofs.text(parallel));
	}

	@Test
	void aFieldNoOpWritesLeadsToOneObject(@TempDir Path dir) throws Exception {
		// both CPUs hold the lock of their port's bus (a ref no op assigns): one port, so one bus lock
		String spec = """
				spec t.bus
				lock rescan : mutex
				object Bus { lock bus_lock : mutex }
				object Port { ref bus : Bus  lock reset_lock : mutex }
				op one(p: Port) { with p.bus.bus_lock { with p.reset_lock { with rescan { } } } }
				op two(p: Port) { with p.bus.bus_lock { with rescan { with p.reset_lock { } } } }
				""";
		SpecResult r = prove(dir, spec);
		assertEquals(Status.PROVED, verdict(r, "lock_order").status(), () -> SpecProofs.text(r));
		String why = lockdepOnly(r).orElseThrow().message();
		assertTrue(why.contains("so both would hold bus_lock of that one Bus"), why);
		// a port's parent's bus is another object: the cycle stays
		SpecResult other = prove(dir, spec.replace("object Port { ref bus : Bus", "object Port { ref parent : Port  ref bus : Bus")
				.replace("op two(p: Port) { with p.bus.bus_lock", "op two(p: Port) { with p.parent.bus.bus_lock"));
		assertEquals(Status.VIOLATED, verdict(other, "lock_order").status(), () -> SpecProofs.text(other));
	}

	@Test
	void aPathKeptForOthersStandsForTheirConditionsToo(@TempDir Path dir) throws Exception {
		// sixteen paths take b under a where they cannot run (n > 5 and n < 3), the seventeenth where it can: the
		// facts keep a few paths of each kind of dependency, and a condition that rules the kept ones out must not
		// rule out the one that was not kept
		StringBuilder spec = new StringBuilder("""
				spec t.many
				lock a : mutex
				lock b : mutex
				object T { field n : int }
				op ba() { with b { with a { } } }
				""");
		for (int i = 0; i < 16; i++) {
			spec.append("op never" + i + "(x: T) { with a { if x.n > 5 { if x.n < 3 { with b { } } } } }\n");
		}
		spec.append("op may(x: T) { with a { if x.n > 7 { with b { } } } }\n");
		SpecResult r = prove(dir, spec.toString());
		assertEquals(Status.VIOLATED, verdict(r, "lock_order").status(), () -> SpecProofs.text(r));
	}
}
