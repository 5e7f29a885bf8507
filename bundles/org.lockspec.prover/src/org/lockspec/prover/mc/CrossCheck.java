package org.lockspec.prover.mc;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lockspec.analysis.SpecFacts;
import org.lockspec.model.Scenario;
import org.lockspec.model.Spec;
import org.lockspec.prover.solver.SolverException;
import org.lockspec.prover.solver.SolverOption;
import org.lockspec.prover.solver.SolverResult;
import org.lockspec.prover.solver.SolverSession;
import org.lockspec.verdict.Location;
import org.lockspec.verdict.Obligation;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Verdict;

/**
 * Runs Z3's bounded model checking ({@link Bmc}) on a scenario the explicit
 * search has explored, and checks that the two engines agree:
 * <ul>
 * <li>on the length of the longest run: Z3 finds a run of that many steps and
 * proves there is none longer, so the unrolling covers every run;</li>
 * <li>for each finding of the explicit search (deadlock, use after free,
 * refcount error, race on a location, broken invariant or assertion, sleep in
 * atomic context, lock misuse): Z3 finds it within the same number of steps
 * and proves it cannot happen in fewer;</li>
 * <li>and Z3 proves that nothing else can be found in any run.</li>
 * </ul>
 * The explicit search is breadth first, so its counterexamples are shortest;
 * BMC gets the same lengths from the other side. A disagreement is a bug in one
 * of the engines and fails the spec.
 */
public final class CrossCheck {

	/** How it ended: agree, disagree, undecided (the solver gave up), or not run (what the encoding lacks). */
	public enum Outcome {
		AGREE, DISAGREE, UNKNOWN, NOT_RUN
	}

	/** The outcome, one line per comparison, the length of the longest run, and the solver time. */
	public record Result(Outcome outcome, String summary, List<String> lines, int longest, int goals, long millis) {
	}

	/**
	 * How many steps Z3 unrolls by default. A scenario whose runs all end within
	 * it is compared whole (Z3 also proves no run is longer); a longer one is
	 * compared on every run up to this many steps, which is what bounded model
	 * checking decides.
	 */
	public static final int DEFAULT_STEPS = 16;
	/** A goal's solver time at most (within the spec's budget). */
	static final Duration PER_GOAL = Duration.ofSeconds(60);
	/** States above this many are not searched for the longest run. */
	private static final int MAX_STATES = 500_000;

	private CrossCheck() {
	}

	/** Searches the scenario and cross-checks it (the benchmark and the tests call this). */
	public static Result run(Spec spec, Scenario scenario, SpecFacts facts, SolverSession solver, Duration perGoal,
			int maxSteps) {
		ModelChecker.Run explicit = new ModelChecker().run(spec, scenario, facts, "", ModelChecker.MAX_STATES);
		return check(spec, scenario, facts, explicit, solver, perGoal, maxSteps);
	}

	/** The cross-check as a verdict of the scenario. */
	static Verdict verdict(Result r, Scenario scenario, String prefix) {
		Status status = switch (r.outcome()) {
		case AGREE -> Status.PROVED;
		case DISAGREE -> Status.VIOLATED;
		default -> Status.UNKNOWN;
		};
		return new Verdict(prefix + Obligation.SCENARIO_CROSS_CHECK.id(), Obligation.SCENARIO_CROSS_CHECK, status,
				r.summary(), Location.of(scenario), null, null,
				Map.of("longest", r.longest(), "goals", r.goals(), "millis", r.millis()), "z3-bmc", r.lines());
	}

	static Result check(Spec spec, Scenario scenario, SpecFacts facts, ModelChecker.Run explicit, SolverSession solver,
			Duration perGoal, int maxSteps) {
		long start = System.nanoTime();
		if (explicit.capped()) {
			return notRun("the explicit search stopped at its state limit", start);
		}
		if (explicit.boundHit()) {
			return notRun("the explicit search stopped at its step bound, so there is no longest run to unroll to", start);
		}
		Bmc bmc;
		try {
			bmc = new Bmc(spec, scenario, facts);
		} catch (Bmc.Unsupported e) {
			return notRun("the BMC encoding does not support " + e.getMessage(), start);
		}
		int longest;
		try {
			longest = longest(new Engine(spec, scenario, facts));
		} catch (IllegalStateException e) {
			return notRun(e.getMessage(), start);
		}
		boolean whole = longest + 1 <= maxSteps;
		int bound = whole ? longest + 1 : maxSteps;
		Map<FindingKey, Integer> expected = new LinkedHashMap<>();
		explicit.depths().forEach((k, d) -> expected.put(k.normal(), d));
		// the findings deeper than the bound: Z3 replays their runs on a longer unrolling of their own
		int deep = 0;
		for (int d : expected.values()) {
			if (d > bound && d <= 200) {
				deep = Math.max(deep, d);
			}
		}
		Bmc.Unrolled u = bmc.unroll(bound);
		Batch main = new Batch(u);
		Batch replays = deep > 0 ? new Batch(bmc.unroll(deep)) : null;
		if (whole) {
			main.goal("real@" + (longest + 1), "no run is longer than " + longest + " steps", SolverResult.Status.UNSAT, false);
			main.goal("real@" + longest, "a run of " + longest + " steps exists", SolverResult.Status.SAT, false);
		}
		List<String> lines = new ArrayList<>();
		boolean disagree = false;
		Map<FindingKey, List<Map.Entry<Integer, String>>> found = findings(u);
		Map<FindingKey, int[]> schedules = new LinkedHashMap<>();
		explicit.schedules().forEach((k, v) -> schedules.put(k.normal(), v));
		for (var e : expected.entrySet()) {
			int d = e.getValue();
			Batch b = d > bound ? replays : main;
			List<Map.Entry<Integer, String>> at = b == null ? found.get(e.getKey()) : findings(b.u).get(e.getKey());
			if (at == null) {
				lines.add(e.getKey() + ": the explicit search finds it in " + d + " steps; the BMC formula cannot express it");
				disagree = true;
				continue;
			}
			int[] run = schedules.get(e.getKey());
			if (b != null && run != null && run.length == d) {
				// Z3 replays the explicit counterexample: the same threads in the same order find the same thing
				List<String> fixed = replayed(run, d, bmc.fixedThreads, bmc.plans.size());
				fixed.add(within(at, d));
				b.goal(Bmc.and(fixed.toArray(String[]::new)), e.getKey() + ": the explicit counterexample's " + d
						+ " steps, replayed", SolverResult.Status.SAT, false);
			}
			List<Map.Entry<Integer, String>> shallow = found.get(e.getKey());
			if (d > bound) {
				if (shallow != null) {
					main.goal(within(shallow, bound), e.getKey() + " (" + d + " steps in the explicit search) not within "
							+ bound + " steps", SolverResult.Status.UNSAT, false);
				}
				continue;
			}
			main.goal(within(at, d), e.getKey() + " within " + d + " steps", SolverResult.Status.SAT, true);
			if (d > 0) {
				main.goal(within(at, d - 1), e.getKey() + " within " + (d - 1) + " steps", SolverResult.Status.UNSAT, false);
			}
		}
		List<String> others = new ArrayList<>();
		List<FindingKey> otherKeys = new ArrayList<>();
		for (var e : found.entrySet()) {
			if (!expected.containsKey(e.getKey())) {
				others.add(within(e.getValue(), Integer.MAX_VALUE));
				otherKeys.add(e.getKey());
			}
		}
		int othersGoal = main.goals.size();
		main.goal(Bmc.or(others), "nothing else (" + otherKeys.size() + " other findings) in "
				+ (whole ? "any run" : "any run of up to " + bound + " steps"), SolverResult.Status.UNSAT, false);
		boolean unknown = false;
		for (Batch batch : replays == null ? List.of(main) : List.of(main, replays)) {
			List<SolverResult> answers;
			try {
				answers = solver.checkEach(batch.smt.toString(), batch.goals, perGoal,
						EnumSet.of(SolverOption.MODELS, SolverOption.BIT_VECTORS));
			} catch (SolverException e) {
				return new Result(Outcome.UNKNOWN, "Z3 is not available: " + e.getMessage(), List.of(), longest, 0,
						millis(start));
			}
			for (int i = 0; i < batch.goals.size(); i++) {
				SolverResult a = answers.get(i);
				String got = a.status() == SolverResult.Status.SAT ? "found" : a.status() == SolverResult.Status.UNSAT
						? "impossible" : "undecided (" + a.reason() + ")";
				boolean met = a.status() == batch.want.get(i);
				String line = batch.what.get(i) + ": " + (met ? "agree" : "DISAGREE") + ", Z3 says " + got + " (" + a.millis()
						+ " ms)";
				if (a.status() == SolverResult.Status.UNKNOWN) {
					unknown = true;
					line = batch.what.get(i) + ": " + got;
				} else if (!met) {
					disagree = true;
					if (batch == main && i == othersGoal) {
						line += ": " + which(solver, u, otherKeys, found, bound, perGoal, bmc);
					}
				}
				if (a.status() == SolverResult.Status.SAT && a.model() != null && batch.showRun.get(i)) {
					line += " [" + schedule(bmc, a.model(), batch.u.steps) + "]";
				}
				lines.add(line);
			}
		}
		int goals = main.goals.size() + (replays == null ? 0 : replays.goals.size());
		Outcome outcome = disagree ? Outcome.DISAGREE : unknown ? Outcome.UNKNOWN : Outcome.AGREE;
		String summary = switch (outcome) {
		case AGREE -> "Z3's bounded model checking agrees with the explicit search " + (whole
				? "on every run (none is longer than " + longest + " steps): "
				: "on every run of up to " + bound + " steps (the longest has " + longest + ")"
						+ (deep > 0 ? ", and replays the runs of the findings up to " + deep + " steps" : "") + ": ")
				+ (expected.isEmpty() ? "neither finds anything" : "the same " + expected.size() + " finding(s)"
						+ (deep > 0 ? " (those within the bound at the same shortest lengths, the deeper ones on the explicit run)"
								: " at the same shortest lengths")
						+ ", and nothing else");
		case DISAGREE -> "Z3's bounded model checking and the explicit search DISAGREE: "
				+ lines.stream().filter(l -> l.contains("DISAGREE") || l.contains("cannot express")).findFirst().orElse("");
		default -> "the cross-check is undecided: "
				+ lines.stream().filter(l -> l.contains("undecided")).findFirst().orElse("");
		};
		if (System.getenv("LOCKSPEC_BMC_DUMP") != null) {
			try {
				java.nio.file.Files.writeString(java.nio.file.Path.of(System.getenv("LOCKSPEC_BMC_DUMP"), scenario.getName() + ".smt2"),
						main.smt + "\n; goals " + main.goals + "\n; " + String.join("\n; ", lines) + "\n");
			} catch (java.io.IOException e) {
				// a debugging aid only
			}
		}
		return new Result(outcome, summary, lines, longest, goals, millis(start));
	}

	/** One unrolling and the goals asked of it in one solver request. */
	private static final class Batch {
		final Bmc.Unrolled u;
		final StringBuilder smt;
		final List<String> goals = new ArrayList<>();
		final List<String> what = new ArrayList<>();
		final List<SolverResult.Status> want = new ArrayList<>();
		final List<Boolean> showRun = new ArrayList<>();

		Batch(Bmc.Unrolled u) {
			this.u = u;
			this.smt = new StringBuilder(u.smt);
		}

		void goal(String formula, String text, SolverResult.Status expect, boolean show) {
			String name = "goal" + goals.size();
			smt.append("(declare-const ").append(name).append(" Bool)\n(assert (= ").append(name).append(' ').append(formula)
					.append("))\n");
			goals.add(name);
			what.add(text);
			want.add(expect);
			showRun.add(show);
		}
	}

	private static Map<FindingKey, List<Map.Entry<Integer, String>>> findings(Bmc.Unrolled u) {
		Map<FindingKey, List<Map.Entry<Integer, String>>> out = new LinkedHashMap<>();
		u.findings.forEach((k, v) -> out.put(k.normal(), v));
		return out;
	}

	/** "Found within {@code d} steps": any of the finding's names of depth at most d. */
	private static String within(List<Map.Entry<Integer, String>> at, int d) {
		List<String> xs = new ArrayList<>();
		for (var e : at) {
			if (e.getKey() <= d) {
				xs.add(e.getValue());
			}
		}
		return Bmc.or(xs);
	}

	/** Which of the other findings Z3 can show (one query each), with its run, for the report. */
	private static String which(SolverSession solver, Bmc.Unrolled u, List<FindingKey> keys,
			Map<FindingKey, List<Map.Entry<Integer, String>>> found, int bound, Duration perGoal, Bmc bmc) {
		StringBuilder smt = new StringBuilder(u.smt);
		List<String> goals = new ArrayList<>();
		for (FindingKey k : keys) {
			String name = "other" + goals.size();
			smt.append("(declare-const ").append(name).append(" Bool)\n(assert (= ").append(name).append(' ')
					.append(within(found.get(k), bound)).append("))\n");
			goals.add(name);
		}
		List<String> shown = new ArrayList<>();
		try {
			List<SolverResult> answers = solver.checkEach(smt.toString(), goals, perGoal,
					EnumSet.of(SolverOption.MODELS, SolverOption.BIT_VECTORS));
			for (int i = 0; i < keys.size(); i++) {
				if (answers.get(i).isSat()) {
					shown.add(keys.get(i) + " [" + schedule(bmc, answers.get(i).model(), u.steps) + "]");
				}
			}
		} catch (SolverException e) {
			return "(" + e.getMessage() + ")";
		}
		return shown.isEmpty() ? "(no single one: see the model)" : String.join("; ", shown);
	}

	/** Z3's run as thread names, run-length encoded: "hotplug x5, recovery x3". */
	private static String schedule(Bmc bmc, String model, int steps) {
		List<String> parts = new ArrayList<>();
		int last = -2;
		int n = 0;
		for (int j = 0; j <= steps; j++) {
			int t = j < steps ? Bmc.scheduled(model, j) : -1;
			if (t != last) {
				if (last >= 0) {
					parts.add(bmc.plans.get(last).name + " x" + n);
				}
				last = t;
				n = 0;
			}
			n++;
			if (t < 0) {
				break;
			}
		}
		return "Z3's run: " + (parts.isEmpty() ? "no steps" : String.join(", ", parts));
	}

	/**
	 * The most steps any run takes (fatal steps end a run): a depth-first search
	 * over the explicit engine's states. The breadth-first search knows each
	 * state's shortest distance only.
	 */
	static int longest(Engine engine) {
		Machine.State init = engine.initial();
		Map<Machine.State, Integer> best = new HashMap<>();
		Map<Machine.State, Boolean> onStack = new HashMap<>();
		record Frame(Machine.State state, List<Machine.State> next, int[] index, int[] max) {
		}
		ArrayDeque<Frame> stack = new ArrayDeque<>();
		stack.push(new Frame(init, successors(engine, init), new int[1], new int[1]));
		onStack.put(init, true);
		while (!stack.isEmpty()) {
			Frame f = stack.peek();
			if (f.index()[0] < f.next().size()) {
				Machine.State s = f.next().get(f.index()[0]++);
				Integer b = best.get(s);
				if (b != null) {
					f.max()[0] = Math.max(f.max()[0], b + 1);
				} else if (onStack.containsKey(s)) {
					throw new IllegalStateException("the scenario's states form a cycle, so runs are unbounded");
				} else {
					if (best.size() > MAX_STATES) {
						throw new IllegalStateException("more than " + MAX_STATES + " states to search for the longest run");
					}
					onStack.put(s, true);
					stack.push(new Frame(s, successors(engine, s), new int[1], new int[1]));
				}
				continue;
			}
			stack.pop();
			onStack.remove(f.state());
			best.put(f.state(), f.max()[0]);
			Frame parent = stack.peek();
			if (parent != null) {
				parent.max()[0] = Math.max(parent.max()[0], f.max()[0] + 1);
			}
		}
		return best.get(init);
	}

	private static List<Machine.State> successors(Engine engine, Machine.State s) {
		List<Machine.State> out = new ArrayList<>();
		for (int t = 0; t < s.threads().size(); t++) {
			for (Engine.Succ succ : engine.successors(s, t)) {
				if (succ.state() != null && succ.findings().stream().noneMatch(Engine.Finding::fatal)) {
					out.add(succ.state());
				}
			}
		}
		return out;
	}

	/**
	 * The schedule of an explicit counterexample as constraints on Z3's: a thread that exists from the start (a
	 * scenario thread, the PM workqueue's kworker of a device) by its index; a thread
	 * a step started (queued work, a kworker, a kthread) by a one-to-one match with the BMC's threads of that kind,
	 * as the explicit search numbers them in the order they start and the BMC in the order of their sites.
	 */
	private static List<String> replayed(int[] run, int steps, int fixedThreads, int threads) {
		List<String> fixed = new ArrayList<>();
		Map<Integer, Integer> firstStep = new LinkedHashMap<>();
		for (int j = 0; j < steps; j++) {
			int t = run[j];
			if (t < fixedThreads) {
				fixed.add("(= sched@" + j + " " + Bmc.cl(t) + ")");
				continue;
			}
			Integer first = firstStep.get(t);
			if (first != null) {
				fixed.add("(= sched@" + j + " sched@" + first + ")");
				continue;
			}
			List<String> started = new ArrayList<>();
			for (int p = fixedThreads; p < threads; p++) {
				started.add("(= sched@" + j + " " + Bmc.cl(p) + ")");
			}
			fixed.add(Bmc.or(started));
			for (int other : firstStep.values()) {
				fixed.add("(not (= sched@" + j + " sched@" + other + "))");
			}
			firstStep.put(t, j);
		}
		return fixed;
	}

	private static Result notRun(String why, long start) {
		return new Result(Outcome.NOT_RUN, "not cross-checked: " + why, List.of(), -1, 0, millis(start));
	}

	private static long millis(long start) {
		return (System.nanoTime() - start) / 1_000_000;
	}
}
