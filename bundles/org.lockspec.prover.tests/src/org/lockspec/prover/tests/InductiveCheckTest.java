package org.lockspec.prover.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockspec.model.Spec;
import org.lockspec.prover.check.Prover;
import org.lockspec.prover.solver.LazySolver;
import org.lockspec.verdict.Obligation;
import org.lockspec.verdict.SpecResult;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Verdict;
import org.lockspec.workspace.SpecSet;

/** Inductive invariants with Z3, for any number of objects: a proof, and a counterexample to induction. */
class InductiveCheckTest {

	/** Nodes join a registry under its lock holding a reference, and leave by unlink-then-put. */
	static final String REGISTRY = """
			spec t.registry
			lock reg_lock : spinlock
			object Node { refcount rc  field alive : bool }
			object Registry { list nodes : Node guarded_by reg_lock }
			invariant listed_has_ref: forall r: Registry . forall n: Node . linked(n, r.nodes) ==> n.rc >= 1
			invariant one_registry: forall r: Registry . forall s: Registry . forall n: Node .
			  linked(n, r.nodes) && linked(n, s.nodes) ==> r == s
			op register(r: Registry) in process {
			  let n = new Node { alive = true }
			  lock reg_lock
			  add n to r.nodes
			  unlock reg_lock
			}
			op unregister(r: Registry, n: Node) in process {
			  lock reg_lock
			  if linked(n, r.nodes) {
			    remove n from r.nodes
			    put n.rc
			  }
			  unlock reg_lock
			}
			op peek(r: Registry) in process {
			  lock reg_lock
			  let n = first(r.nodes)
			  if n != null { get n.rc }
			  unlock reg_lock
			  if n != null { put n.rc }
			}
			""";

	static List<Verdict> inductive(Path dir, String text) throws Exception {
		Path f = Files.writeString(dir.resolve("spec.lockspec"), text);
		SpecSet set = SpecSet.load(List.of(f), List.of());
		Spec spec = set.results().get(0).spec();
		assertTrue(!set.hasErrors(), () -> set.results().get(0).problems().toString());
		try (LazySolver solver = new LazySolver()) {
			SpecResult r = SpecSet.onBigStack(() -> Prover.prove(spec, solver, Prover.Options.defaults().withInductive(true)));
			return r.verdicts().stream().filter(v -> v.obligation() == Obligation.INDUCTIVE_INVARIANT).toList();
		}
	}

	@Test
	void unlinkThenPutIsInductive(@TempDir Path dir) throws Exception {
		List<Verdict> v = inductive(dir, REGISTRY);
		assertEquals(2, v.size());
		for (Verdict x : v) {
			assertEquals(Status.PROVED, x.status(), x::message);
			assertTrue(x.message().contains("for any number of objects and threads"), x::message);
		}
	}

	@Test
	void withoutOneRegistryPerNodeThePutIsACounterexampleToInduction(@TempDir Path dir) throws Exception {
		List<Verdict> v = inductive(dir, REGISTRY.replaceAll("(?s)\\s*invariant one_registry:.*?r == s", ""));
		assertEquals(Status.UNKNOWN, v.get(0).status(), v.get(0)::message);
		assertTrue(v.get(0).message().contains("unregister"), v.get(0)::message);
	}

	/**
	 * Seed 003 fixed (the EEH refcount RFC): with a critical section as one step and
	 * two lock invariants of the tree's shape (they hold whenever eeh_pe_lock is free),
	 * "a linked PE holds a reference" and "a freed PE has no parent" are inductive.
	 */
	@Test
	void eehRefcountInvariantsAreInductiveAtLockBoundaries() throws Exception {
		Path spec = org.lockspec.tests.Examples.root()
				.resolve("bundles/org.lockspec.prover.tests/inductive/eeh-lock-boundary.lockspec");
		SpecSet set = SpecSet.load(List.of(spec), List.of());
		assertTrue(!set.hasErrors(), () -> set.results().get(0).problems().toString());
		try (LazySolver solver = new LazySolver()) {
			SpecResult r = SpecSet.onBigStack(
					() -> Prover.prove(set.results().get(0).spec(), solver, Prover.Options.defaults().withInductive(true)));
			List<Verdict> v = r.verdicts().stream().filter(x -> x.obligation() == Obligation.INDUCTIVE_INVARIANT).toList();
			assertEquals(6, v.size());
			for (Verdict x : v) {
				assertEquals(Status.PROVED, x.status(), x::message);
			}
			assertTrue(v.stream().anyMatch(x -> x.subject().equals("linked_has_ref")));
			assertTrue(v.stream().anyMatch(x -> x.subject().equals("freed_is_unlinked")));
		}
	}

	@Test
	void putThenUnlinkIsNotInductive(@TempDir Path dir) throws Exception {
		String buggy = REGISTRY.replace("    remove n from r.nodes\n    put n.rc\n", "    put n.rc\n    remove n from r.nodes\n")
				.replace("  lock reg_lock\n  if linked", "  if linked").replace("    remove n from r.nodes\n  }\n  unlock reg_lock",
						"    lock reg_lock\n    remove n from r.nodes\n    unlock reg_lock\n  }");
		List<Verdict> v = inductive(dir, buggy);
		assertEquals(Status.UNKNOWN, v.get(0).status(), v.get(0)::message);
		assertTrue(v.get(0).message().contains("is not inductive") && v.get(0).message().contains("put n.rc"),
				v.get(0)::message);
		assertTrue(!v.get(0).details().isEmpty(), "the counterexample to induction comes with a model");
	}
}
