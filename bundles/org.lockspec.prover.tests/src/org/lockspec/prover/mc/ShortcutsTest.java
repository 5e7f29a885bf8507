package org.lockspec.prover.mc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * The scenario engine's quantifier shortcut (a {@code forall} whose body is
 * {@code linked(x, L) ==> B} tries only L's members) against the plain loop
 * over every object: the same states, transitions and verdicts, messages and
 * traces included, on every seed scenario and on invariants of that shape that
 * break and that cannot be evaluated (where the shortcut must leave the
 * answer to the plain loop).
 */
class ShortcutsTest {

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("org.lockspec.prover.mc.CrossCheckTest#seedScenarios")
	void seedsAgree(String file, String scenario) {
		Spec spec = CrossCheckTest.load(Examples.root().resolve(file));
		assertSame(spec, CrossCheckTest.scenario(spec, scenario));
	}

	private static final String SHAPES = """
			spec shortcuts.shapes

			object Node {
			  ref parent : Node?
			  list kids : Node
			  refcount rc
			  field mark : bool
			}

			// broken when unmark runs: the shortcut answers false, the plain loop says where
			invariant kids_marked: forall p: Node . forall q: Node . linked(p, q.kids) ==> p.mark
			// the list expression dereferences null for the root: "cannot be evaluated"
			invariant parents_kids: forall q: Node . forall p: Node . linked(p, q.parent.kids) ==> p.rc >= 1
			// holds throughout: the shortcut's "true"
			invariant kids_referenced: forall p: Node . forall q: Node . linked(p, q.kids) ==> p.rc >= 1

			op unmark(n: Node) {
			  n.mark = false
			}

			op unlink(n: Node, o: Node) {
			  remove n from o.kids
			  n.parent = null
			  put n.rc
			}

			scenario two {
			  root : Node { mark = true }
			  a : Node { mark = true, parent = root } in root.kids
			  b : Node { mark = true, parent = root } in root.kids
			  thread t1 : unmark(a)
			  thread t2 : unlink(b, root)
			}
			""";

	@Test
	void brokenAndUndefinedInvariantsAgree(@TempDir Path dir) throws IOException {
		Path file = dir.resolve("shapes.lockspec");
		Files.writeString(file, SHAPES);
		Spec spec = CrossCheckTest.load(file);
		List<Verdict> verdicts = assertSame(spec, CrossCheckTest.scenario(spec, "two"));
		List<String> broken = new ArrayList<>();
		for (Verdict v : verdicts) {
			if (v.status() == Status.VIOLATED) {
				broken.add(v.id() + ": " + v.message());
			}
		}
		assertTrue(broken.stream().anyMatch(b -> b.contains("kids_marked") && b.contains("does not hold")), broken::toString);
		assertTrue(broken.stream().anyMatch(b -> b.contains("parents_kids") && b.contains("cannot be evaluated")),
				broken::toString);
		assertTrue(broken.stream().noneMatch(b -> b.contains("kids_referenced")), broken::toString);
	}

	/** Runs the scenario with and without the shortcut; both runs must be the same. */
	private static List<Verdict> assertSame(Spec spec, Scenario sc) {
		SpecFacts facts = new SpecFacts(spec);
		ModelChecker.Run plain = SpecSet.onBigStack(
				() -> new ModelChecker(false, true).run(spec, sc, facts, "p/", ModelChecker.MAX_STATES));
		ModelChecker.Run fast = SpecSet.onBigStack(
				() -> new ModelChecker(true, true).run(spec, sc, facts, "p/", ModelChecker.MAX_STATES));
		assertEquals(plain.states(), fast.states(), "states");
		assertEquals(plain.transitions(), fast.transitions(), "transitions");
		assertEquals(plain.depths(), fast.depths(), "finding depths");
		assertEquals(plain.verdicts(), fast.verdicts(), "verdicts, messages and traces");
		return fast.verdicts();
	}
}
