package org.lockspec.prover.mc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.eclipse.xtext.EcoreUtil2;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lockspec.analysis.SpecFacts;
import org.lockspec.model.Scenario;
import org.lockspec.model.Spec;
import org.lockspec.prover.solver.LazySolver;
import org.lockspec.tests.Examples;
import org.lockspec.workspace.Problem;
import org.lockspec.workspace.SpecSet;

/**
 * The two scenario engines against each other: Z3's bounded model checking
 * ({@link Bmc}) and the explicit-state search agree on every seed scenario (srcus and RCU grace periods,
 * flushes of workqueues and runtime PM included; but those with threaded irqs or drains of workqueues, which
 * the BMC does not model and says so), and
 * the comparison notices when they do not.
 * <p>
 * The tests unroll 12 steps to keep the build quick; {@code lockspec prove
 * --cross-check} unrolls 16 by default.
 */
class CrossCheckTest {

	static final int STEPS = 12;
	static final Duration PER_GOAL = Duration.ofSeconds(60);
	private static LazySolver solver;

	@BeforeAll
	static void start() {
		solver = new LazySolver();
	}

	@AfterAll
	static void stop() {
		solver.close();
	}

	static Spec load(Path file) {
		SpecSet set = SpecSet.load(List.of(file), Examples.all());
		SpecSet.FileResult r = set.results().get(0);
		if (r.hasErrors() || r.spec() == null) {
			throw new AssertionError(file + " does not check clean: " + r.problems().stream().map(Problem::format).toList());
		}
		return r.spec();
	}

	static Stream<Arguments> seedScenarios() {
		List<Arguments> out = new ArrayList<>();
		for (Path p : Examples.all()) {
			for (Scenario s : EcoreUtil2.typeSelect(load(p).getMembers(), Scenario.class)) {
				out.add(Arguments.of(Examples.root().relativize(p).toString(), s.getName()));
			}
		}
		return out.stream();
	}

	static Scenario scenario(Spec spec, String name) {
		return EcoreUtil2.typeSelect(spec.getMembers(), Scenario.class).stream().filter(s -> s.getName().equals(name))
				.findFirst().orElseThrow();
	}

	private static CrossCheck.Result check(Spec spec, Scenario sc, ModelChecker.Run run, Duration perGoal) {
		return SpecSet.onBigStack(() -> CrossCheck.check(spec, sc, new SpecFacts(spec), run, solver, perGoal, STEPS));
	}

	private static ModelChecker.Run explicit(Spec spec, Scenario sc) {
		return SpecSet.onBigStack(() -> new ModelChecker().run(spec, sc, new SpecFacts(spec), "", ModelChecker.MAX_STATES));
	}

	@Test
	void theSeedsHaveScenariosToCrossCheck() {
		assertTrue(seedScenarios().count() >= 10, "the seed examples lost their scenarios");
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("seedScenarios")
	void bothEnginesAgreeOnEverySeedScenario(String file, String name) {
		Spec spec = load(Examples.root().resolve(file));
		Scenario sc = scenario(spec, name);
		ModelChecker.Run run = explicit(spec, sc);
		CrossCheck.Result r = check(spec, sc, run, PER_GOAL);
		if (EcoreUtil2.eAllOfType(spec, org.lockspec.model.Work.class).stream().anyMatch(w -> w.isIrq())
				|| EcoreUtil2.eAllOfType(spec, org.lockspec.model.FlushWorkqueueStmt.class).stream()
						.anyMatch(f -> org.lockspec.kernel.Workqueues.drains(f.getCall()))) {
			// a line that fires at any time or a drain of a workqueue is not in the BMC's encoding: it says so, and
			// proves nothing
			assertEquals(CrossCheck.Outcome.NOT_RUN, r.outcome(), r::summary);
			assertTrue(r.summary().contains("a threaded irq") || r.summary().contains("a workqueue"), r::summary);
			return;
		}
		assertEquals(CrossCheck.Outcome.AGREE, r.outcome(), () -> r.summary() + "\n" + String.join("\n", r.lines()));
		// every finding of the explicit search is replayed by Z3 on its own run, and compared
		for (FindingKey key : run.depths().keySet()) {
			assertTrue(r.lines().stream().anyMatch(l -> l.startsWith(key.normal() + ": the explicit counterexample")
					&& l.contains("agree")), () -> key + " was not replayed:\n" + String.join("\n", r.lines()));
		}
		assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("nothing else") && l.contains("agree")),
				() -> String.join("\n", r.lines()));
	}

	/** Seed 002 buggy: a deadlock in 7 steps. */
	private static Spec aerSriov() {
		return load(Examples.root().resolve("spec-examples/002-aer-sriov/buggy.lockspec"));
	}

	private static ModelChecker.Run with(ModelChecker.Run r, Map<FindingKey, Integer> depths, Map<FindingKey, int[]> schedules) {
		return new ModelChecker.Run(r.verdicts(), r.states(), r.transitions(), r.boundHit(), r.capped(), r.millis(), depths,
				schedules);
	}

	@Test
	void aShorterOrLongerCounterexampleIsADisagreement() {
		Spec spec = aerSriov();
		Scenario sc = scenario(spec, "probe_vs_aer");
		ModelChecker.Run run = explicit(spec, sc);
		int d = run.depths().get(FindingKey.deadlock());
		for (int wrong : new int[] { d - 1, d + 1 }) {
			Map<FindingKey, Integer> depths = new LinkedHashMap<>(run.depths());
			depths.put(FindingKey.deadlock(), wrong);
			CrossCheck.Result r = check(spec, sc, with(run, depths, Map.of()), PER_GOAL);
			assertEquals(CrossCheck.Outcome.DISAGREE, r.outcome(), () -> "claimed " + wrong + ":\n" + String.join("\n", r.lines()));
		}
	}

	@Test
	void aFindingTheExplicitSearchMissedIsADisagreement() {
		Spec spec = aerSriov();
		Scenario sc = scenario(spec, "probe_vs_aer");
		ModelChecker.Run run = explicit(spec, sc);
		CrossCheck.Result r = check(spec, sc, with(run, Map.of(), Map.of()), PER_GOAL);
		assertEquals(CrossCheck.Outcome.DISAGREE, r.outcome(), () -> String.join("\n", r.lines()));
		assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("nothing else") && l.contains("deadlock [Z3's run:")),
				() -> String.join("\n", r.lines()));
	}

	@Test
	void aReplayThatDoesNotFailIsADisagreement() {
		Spec spec = aerSriov();
		Scenario sc = scenario(spec, "probe_vs_aer");
		ModelChecker.Run run = explicit(spec, sc);
		int[] schedule = run.schedules().get(FindingKey.deadlock()).clone();
		java.util.Arrays.fill(schedule, 0); // one thread alone cannot deadlock
		CrossCheck.Result r = check(spec, sc, with(run, run.depths(), Map.of(FindingKey.deadlock(), schedule)), PER_GOAL);
		assertEquals(CrossCheck.Outcome.DISAGREE, r.outcome(), () -> String.join("\n", r.lines()));
	}

	@Test
	void aFindingTheFormulaCannotExpressIsADisagreement() {
		Spec spec = aerSriov();
		Scenario sc = scenario(spec, "probe_vs_aer");
		ModelChecker.Run run = explicit(spec, sc);
		Map<FindingKey, Integer> depths = new LinkedHashMap<>(run.depths());
		depths.put(FindingKey.race("nowhere.nothing"), 3);
		CrossCheck.Result r = check(spec, sc, with(run, depths, run.schedules()), PER_GOAL);
		assertEquals(CrossCheck.Outcome.DISAGREE, r.outcome(), () -> String.join("\n", r.lines()));
	}

	@Test
	void aSolverThatGivesUpIsUndecidedNeverAgreement() {
		Spec spec = aerSriov();
		Scenario sc = scenario(spec, "probe_vs_aer");
		CrossCheck.Result r = check(spec, sc, explicit(spec, sc), Duration.ofMillis(1));
		assertTrue(r.outcome() == CrossCheck.Outcome.UNKNOWN, () -> r.outcome() + ": " + String.join("\n", r.lines()));
	}

	@Test
	void whatTheEncodingLacksIsSaidNotApproximated(@TempDir Path dir) throws Exception {
		Path f = Files.writeString(dir.resolve("loop.lockspec"), """
				spec t.loop
				object Node { field n : int }
				field count : int
				op make() in process {
				  while count < 2 {
				    let x = new Node { n = count }
				    count = count + 1
				  }
				}
				scenario two {
				  thread a : make()
				  expect safe
				}
				""");
		Spec spec = load(f);
		Scenario sc = scenario(spec, "two");
		CrossCheck.Result r = check(spec, sc, explicit(spec, sc), PER_GOAL);
		assertEquals(CrossCheck.Outcome.NOT_RUN, r.outcome(), r::summary);
		assertTrue(r.summary().contains("'new' inside a loop (line 6)"), r::summary);
	}
}
