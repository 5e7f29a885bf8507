package org.lockspec.prover.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.eclipse.xtext.EcoreUtil2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockspec.analysis.Budget;
import org.lockspec.analysis.SpecFacts;
import org.lockspec.model.Scenario;
import org.lockspec.model.Spec;
import org.lockspec.prover.Proofs;
import org.lockspec.prover.check.Prover;
import org.lockspec.prover.mc.ModelChecker;
import org.lockspec.prover.solver.SolverException;
import org.lockspec.prover.solver.SolverOption;
import org.lockspec.prover.solver.SolverResult;
import org.lockspec.prover.solver.SolverSession;
import org.lockspec.verdict.SpecResult;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Verdict;
import org.lockspec.workspace.SpecSet;

/**
 * Every way an engine can give up ends in {@code unknown} with the reason, never
 * {@code proved}: a solver that answers unknown, a solver process that dies, no
 * solver, the spec's time budget, a cancel, the state limit, the step bound
 * (which is "safe up to bound", a weaker verdict than proved).
 */
class UnknownDisciplineTest {

	/** A solver that always gives up, or always fails like a worker that died. */
	static final class Failing extends SolverSession {
		private final boolean dies;

		Failing(boolean dies) {
			this.dies = dies;
		}

		@Override
		protected SolverResult checkImpl(String smtlib, Duration timeout, Set<SolverOption> options) throws SolverException {
			if (dies) {
				throw new SolverException("the solver worker died (a test's solver)");
			}
			return SolverResult.unknown("the solver gave up (a test's solver)", 0);
		}

		@Override
		protected void closeImpl() {
		}
	}

	/** An ABBA whose halves need a solver to be ruled out (or not): path conditions on a config flag. */
	static final String CONDITIONAL_ABBA = """
			spec t.conditional
			field legacy : bool
			lock A : mutex
			lock B : mutex
			op ab() in process { if legacy { lock A  lock B  unlock B  unlock A } }
			op ba() in process { if !legacy { lock B  lock A  unlock A  unlock B } }
			""";

	/** Nested instances of one class, shown parent first with the invariants: a solver query. */
	static final String BY_PARENT = """
			spec t.by_parent
			object Port { ref parent : Port?  lock reset : mutex }
			order Port.reset by parent
			op reset_child(p: Port, c: Port) in process {
			  if c.parent == p { lock p.reset  lock c.reset  unlock c.reset  unlock p.reset }
			}
			""";

	static final String INDUCTIVE = """
			spec t.induct
			object Box { field a : int }
			invariant small: forall b: Box . b.a >= 0
			op set(b: Box) in process { b.a = 1 }
			expect inductive small
			""";

	static Spec load(Path dir, String text) throws Exception {
		Path f = Files.writeString(dir.resolve("spec.lockspec"), text);
		SpecSet.FileResult r = SpecSet.load(List.of(f), List.of()).results().get(0);
		assertTrue(!r.hasErrors(), () -> r.problems().toString());
		return r.spec();
	}

	static SpecResult prove(Spec spec, SolverSession solver, Prover.Options options) {
		return SpecSet.onBigStack(() -> Prover.prove(spec, solver, options));
	}

	static Verdict verdict(SpecResult r, String id) {
		return r.verdicts().stream().filter(v -> v.id().equals(id)).findFirst()
				.orElseThrow(() -> new AssertionError("no " + id + ": " + SpecProofs.text(r)));
	}

	static void assertUnknown(Verdict v, String reason) {
		assertEquals(Status.UNKNOWN, v.status(), v::message);
		assertTrue(v.message().contains(reason), () -> "the reason is missing: " + v.message());
	}

	@Test
	void aSolverThatGivesUpLeavesTheLockOrderUnknown(@TempDir Path dir) throws Exception {
		Spec spec = load(dir, CONDITIONAL_ABBA);
		Verdict v = verdict(prove(spec, new Failing(false), Prover.Options.defaults()), "lock_order");
		assertNotEquals(Status.PROVED, v.status(), v::message);
		assertUnknown(v, "too many ways to check every cycle");
	}

	@Test
	void aSolverThatDiesLeavesTheLockOrderUnknown(@TempDir Path dir) throws Exception {
		Spec spec = load(dir, BY_PARENT);
		assertUnknown(verdict(prove(spec, new Failing(true), Prover.Options.defaults()), "lock_order"),
				"the solver worker died");
	}

	@Test
	void noSolverLeavesANestingByDepthUnknown(@TempDir Path dir) throws Exception {
		Spec spec = load(dir, BY_PARENT);
		assertUnknown(verdict(prove(spec, null, Prover.Options.defaults()), "lock_order"), "no solver");
	}

	@Test
	void aSolverThatGivesUpLeavesAnInvariantUnknown(@TempDir Path dir) throws Exception {
		Spec spec = load(dir, INDUCTIVE);
		assertUnknown(verdict(prove(spec, new Failing(false), Prover.Options.defaults()), "inductive/small"),
				"the solver gave up");
	}

	@Test
	void theSpecsTimeBudgetLeavesEverythingUndecidedUnknown(@TempDir Path dir) throws Exception {
		Spec spec = load(dir, CommandLineSpecs.SLOW);
		SpecResult r = prove(spec, null, Proofs.options()
				.withTimeout(Duration.ofMillis(300)));
		assertUnknown(verdict(r, "scenario big/deadlock"), "time budget");
		assertTrue(r.verdicts().stream().noneMatch(v -> v.id().startsWith("scenario big/") && v.status() == Status.PROVED),
				() -> SpecProofs.text(r));
	}

	@Test
	void aCancelLeavesEverythingUndecidedUnknown(@TempDir Path dir) throws Exception {
		Spec spec = load(dir, CONDITIONAL_ABBA + "scenario s { thread a : ab()  thread b : ba() }\n");
		Budget.Cancellation c = new Budget.Cancellation();
		c.cancel("cancelled by the test");
		SpecResult r = prove(spec, new Failing(false),
				Proofs.options().withCancellation(c));
		for (Verdict v : r.verdicts()) {
			assertNotEquals(Status.PROVED, v.status(), () -> v.id() + ": " + v.message());
		}
		assertUnknown(verdict(r, "lock_order"), "cancelled by the test");
	}

	@Test
	void theStateLimitIsUnknown(@TempDir Path dir) throws Exception {
		Spec spec = load(dir, CommandLineSpecs.SLOW);
		Scenario sc = EcoreUtil2.typeSelect(spec.getMembers(), Scenario.class).get(0);
		ModelChecker.Run run = SpecSet.onBigStack(() -> new ModelChecker().run(spec, sc, new SpecFacts(spec), "", 50));
		Verdict v = run.verdicts().stream().filter(x -> x.id().equals("deadlock")).findFirst().orElseThrow();
		assertUnknown(v, "stopped at 50 states");
	}

	@Test
	void theStepBoundIsSafeUpToTheBoundNeverProved(@TempDir Path dir) throws Exception {
		Spec spec = load(dir, CommandLineSpecs.SLOW.replace("thread t2 : w(n0)", "thread t2 : w(n0)\n  bound steps 6"));
		SpecResult r = prove(spec, null, Proofs.options());
		Verdict v = verdict(r, "scenario big/deadlock");
		assertEquals(Status.SAFE_UP_TO_BOUND, v.status(), v::message);
	}

	/** Specs shared with the command line's process test. */
	static final class CommandLineSpecs {
		/** Three threads of twelve independent choices on shared fields: a large state space. */
		static final String SLOW;

		static {
			StringBuilder body = new StringBuilder();
			for (int i = 1; i <= 12; i++) {
				body.append("  choose { x.a = x.a + ").append(i).append(" } or { x.b = x.b + ").append(i).append(" }\n");
			}
			SLOW = "spec t.slow\nobject N { field a : int  field b : int }\nop w(x: N) in process {\n" + body + "}\n"
					+ "scenario big {\n  n0 : N\n  thread t0 : w(n0)\n  thread t1 : w(n0)\n  thread t2 : w(n0)\n}\n";
		}
	}
}
