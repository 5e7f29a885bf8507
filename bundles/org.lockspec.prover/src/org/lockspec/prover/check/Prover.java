package org.lockspec.prover.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;
import org.lockspec.analysis.Budget;
import org.lockspec.analysis.Explorer;
import org.lockspec.analysis.Held;
import org.lockspec.analysis.Sites;
import org.lockspec.analysis.SpecFacts;
import org.lockspec.analysis.Sym;
import org.lockspec.analysis.Topology;
import org.lockspec.model.ExpectKind;
import org.lockspec.model.Expectation;
import org.lockspec.model.Expression;
import org.lockspec.model.Instance;
import org.lockspec.model.MemberAccess;
import org.lockspec.model.ObjectType;
import org.lockspec.model.Operation;
import org.lockspec.model.Scenario;
import org.lockspec.model.ScenarioThread;
import org.lockspec.model.Spec;
import org.lockspec.model.VarRef;
import org.lockspec.naming.NameOf;
import org.lockspec.prover.solver.SolverSession;
import org.lockspec.verdict.Location;
import org.lockspec.verdict.Obligation;
import org.lockspec.verdict.SpecResult;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Trace;
import org.lockspec.verdict.Verdict;

/**
 * Proves the obligations of a spec: lock order, wait context, IRQ safety,
 * guarded fields and lock hygiene over every path of every op, races between
 * each scenario's threads, and the scenario engines' verdicts; then judges the
 * verdicts against the spec's {@code expect} clauses.
 */
public final class Prover {

	/**
	 * Options of a proof run. {@code timeout} bounds each spec's whole proof (every engine and solver query
	 * together); {@code cancellation} stops every spec of the run; {@code maxStates} bounds each scenario's explicit
	 * search and {@code memoryBytes} the heap a spec's proof may fill (0: 90% of it). Past any of them, what is not
	 * decided is {@code unknown} with the reason.
	 */
	public record Options(Duration timeout, Explorer.Options explorer, List<ScenarioEngine> engines, boolean inductive,
			int crossCheckSteps, Budget.Cancellation cancellation, Budget.Progress progress, int maxStates,
			long memoryBytes) {

		/** The explicit search's states per scenario when no {@code --max-states} is given. */
		public static final int MAX_STATES = 2_000_000;

		public static Options defaults() {
			return new Options(Duration.ofSeconds(60), Explorer.Options.DEFAULT, List.of(), false, 0,
					new Budget.Cancellation(), Budget.Progress.NONE, MAX_STATES, 0);
		}

		public Options withTimeout(Duration t) {
			return new Options(t, explorer, engines, inductive, crossCheckSteps, cancellation, progress, maxStates,
					memoryBytes);
		}

		public Options withEngines(List<ScenarioEngine> e) {
			return new Options(timeout, explorer, e, inductive, crossCheckSteps, cancellation, progress, maxStates,
					memoryBytes);
		}

		/** Also check that every invariant is inductive (Z3; see InductiveCheck). */
		public Options withInductive(boolean on) {
			return new Options(timeout, explorer, engines, on, crossCheckSteps, cancellation, progress, maxStates,
					memoryBytes);
		}

		/** Also run Z3's bounded model checking on each scenario, up to {@code steps} steps, and compare (0: off; see mc.CrossCheck). */
		public Options withCrossCheck(int steps) {
			return new Options(timeout, explorer, engines, inductive, steps, cancellation, progress, maxStates,
					memoryBytes);
		}

		/** Cancelled by {@code c} (shared by the specs of one run). */
		public Options withCancellation(Budget.Cancellation c) {
			return new Options(timeout, explorer, engines, inductive, crossCheckSteps, c, progress, maxStates,
					memoryBytes);
		}

		/** Tells {@code p} how far a long proof is. */
		public Options withProgress(Budget.Progress p) {
			return new Options(timeout, explorer, engines, inductive, crossCheckSteps, cancellation, p, maxStates,
					memoryBytes);
		}

		/** Each scenario's explicit search stops (unknown) past {@code states} states. */
		public Options withMaxStates(int states) {
			return new Options(timeout, explorer, engines, inductive, crossCheckSteps, cancellation, progress, states,
					memoryBytes);
		}

		/** Each spec's proof stops (unknown) once more than {@code bytes} of the heap is live (0: 90% of it). */
		public Options withMemory(long bytes) {
			return new Options(timeout, explorer, engines, inductive, crossCheckSteps, cancellation, progress, maxStates,
					bytes);
		}

		public boolean crossCheck() {
			return crossCheckSteps > 0;
		}

		/** The budget of the spec being proved (set when its proof starts). */
		public Budget budget() {
			return explorer.budget();
		}

		private Options startingNow() {
			return new Options(timeout, explorer.withBudget(Budget.of(timeout, cancellation, progress, memoryBytes)), engines,
					inductive, crossCheckSteps, cancellation, progress, maxStates, memoryBytes);
		}
	}

	/** A checker of scenario interleavings (prover II plugs in here). */
	public interface ScenarioEngine {
		/** Verdicts for one scenario; ids start with {@code prefix}. */
		List<Verdict> check(Spec spec, Scenario scenario, SpecFacts facts, SolverSession solver, Options options,
				String prefix);
	}

	private Prover() {
	}

	public static SpecResult prove(Spec spec, SolverSession solver, Options runOptions) {
		long start = System.nanoTime();
		Options options = runOptions.startingNow();
		SpecFacts facts = new SpecFacts(spec);
		Facts found = new Facts(facts);
		Explorer explorer = new Explorer(facts, found, options.explorer());
		for (Operation op : facts.entries()) {
			if (op.getBody() != null) {
				explorer.explore(op);
			}
		}
		Location specAt = Location.of(spec);
		List<Verdict> verdicts = new ArrayList<>();
		String complete = found.truncations.isEmpty() ? null : String.join("; ", found.truncations);
		LockGraph graph = new LockGraph(found);
		LockOrderCheck order = new LockOrderCheck(found, graph, solver, options.budget());
		Verdict lockOrder = order.run("", specAt);
		verdicts.add(complete != null && lockOrder.status() == Status.PROVED
				? lockOrder.withStatus(Status.UNKNOWN, "not every path was explored: " + complete) : lockOrder);
		verdicts.addAll(order.lockdepOnly(""));
		verdicts.add(findings(Obligation.WAIT_CONTEXT, found.sleeps, specAt, complete, "SLEEP IN ATOMIC",
				"nothing sleeps in atomic context: every mutex, rwsem, drain and wait is reached in process context, "
						+ "with no spinning lock held and interrupts on"));
		verdicts.add(new IrqSafetyCheck(found, graph).run(specAt, complete));
		verdicts.addAll(guarded(found, specAt, complete));
		verdicts.add(findings(Obligation.HYGIENE, found.hygiene, specAt, complete, "LOCK MISUSE",
				"every path unlocks exactly what it locked, never takes a held lock again, and leaves nothing held "
						+ "that it does not declare with 'acquires'"));
		// '--inductive' asks about every invariant, 'expect inductive I' about I
		Set<String> inductive = options.inductive() ? null : new java.util.LinkedHashSet<>();
		for (Expectation e : EcoreUtil2.typeSelect(spec.getMembers(), Expectation.class)) {
			if (inductive != null && e.getKind() == ExpectKind.INDUCTIVE && e.getInvariant() != null) {
				inductive.add(e.getInvariant().getName());
			}
		}
		if (inductive == null || !inductive.isEmpty()) {
			if (solver != null) {
				verdicts.addAll(new InductiveCheck(spec, facts, solver, options.budget(), inductive).run());
			} else {
				for (String name : inductive == null ? List.<String>of() : inductive) {
					verdicts.add(new Verdict(Obligation.INDUCTIVE_INVARIANT.id() + "/" + name, Obligation.INDUCTIVE_INVARIANT,
							Status.UNKNOWN, "invariant " + name + " undecided: no solver", specAt, name, null, Map.of(), "z3",
							List.of()));
				}
			}
		}
		for (Scenario scenario : EcoreUtil2.typeSelect(spec.getMembers(), Scenario.class)) {
			String prefix = Verdict.scenarioPrefix(scenario.getName());
			verdicts.add(scenarioRaces(scenario, facts, options, prefix));
			for (ScenarioEngine engine : options.engines()) {
				verdicts.addAll(engine.check(spec, scenario, facts, solver, options, prefix));
			}
		}
		verdicts = Contradictions.withRefutedAssumptions(verdicts);
		verdicts.addAll(Contradictions.find(verdicts));
		return Judge.judge(spec, verdicts, (System.nanoTime() - start) / 1_000_000, !options.engines().isEmpty());
	}

	private static Verdict findings(Obligation ob, Map<String, Facts.Finding> findings, Location specAt, String complete,
			String outcome, String provedMessage) {
		if (findings.isEmpty()) {
			return complete != null
					? new Verdict(ob.id(), ob, Status.UNKNOWN, "not every path was explored: " + complete, specAt, null, null,
							Map.of(), "paths", List.of())
					: new Verdict(ob.id(), ob, Status.PROVED, provedMessage, specAt, null, null, Map.of("kind", "all paths"),
							"paths", List.of());
		}
		Facts.Finding first = findings.values().iterator().next();
		List<String> details = new ArrayList<>();
		for (Facts.Finding f : findings.values()) {
			details.add(f.at().describe() + ": " + f.message());
		}
		return new Verdict(ob.id(), ob, Status.VIOLATED, first.message(), Location.of(first.at().stmt()), null,
				Traces.single(first.at(), first.held(), outcome, first.message()), Map.of(), "paths", details);
	}

	private static List<Verdict> guarded(Facts found, Location specAt, String complete) {
		Obligation ob = Obligation.GUARDED_FIELDS;
		Map<EObject, List<Facts.Finding>> byField = new LinkedHashMap<>();
		for (var e : found.unguarded.entrySet()) {
			Facts.Finding f = e.getValue();
			EObject feature = f.subject();
			byField.computeIfAbsent(feature, k -> new ArrayList<>()).add(f);
		}
		if (byField.isEmpty()) {
			return List.of(complete != null
					? new Verdict(ob.id(), ob, Status.UNKNOWN, "not every path was explored: " + complete, specAt, null,
							null, Map.of(), "paths", List.of())
					: new Verdict(ob.id(), ob, Status.PROVED,
							"every access to a guarded field holds one of its locks (the write side for writes)", specAt,
							null, null, Map.of("kind", "all paths"), "paths", List.of()));
		}
		List<Verdict> out = new ArrayList<>();
		for (var e : byField.entrySet()) {
			Facts.Finding first = e.getValue().get(0);
			String subject = LockOrderCheck.className(e.getKey());
			List<String> details = new ArrayList<>();
			for (Facts.Finding f : e.getValue()) {
				details.add(f.at().describe() + ": " + f.message());
			}
			out.add(new Verdict(ob.id() + "/" + subject, ob, Status.VIOLATED, "race on " + subject + ": "
					+ first.message(), Location.of(first.at().stmt()), subject,
					Traces.single(first.at(), first.held(), "UNGUARDED ACCESS", null), Map.of(), "paths", details));
		}
		return out;
	}

	// ------------------------------------------------------------- scenarios

	/** Eraser's lockset rule over the scenario's threads: a shared field written without a common lock. */
	private static Verdict scenarioRaces(Scenario scenario, SpecFacts facts, Options options, String prefix) {
		Obligation ob = Obligation.SCENARIO_RACE;
		Topology topology = new Topology(scenario);
		Facts found = new Facts(facts);
		found.recordAccesses = true;
		Explorer explorer = new Explorer(facts, found, options.explorer());
		boolean complete = true;
		for (ScenarioThread t : scenario.getThreads()) {
			Operation op = t.getOp();
			if (op == null || op.eIsProxy() || op.getBody() == null) {
				continue;
			}
			complete &= explorer.explore(op, arguments(t, topology), SpecFacts.entryContext(op), t.getName(), topology);
		}
		Map<String, Verdict> races = new LinkedHashMap<>();
		java.util.Set<String> typed = new java.util.LinkedHashSet<>();
		for (List<Facts.Access> all : found.accessesByField.values()) {
			for (int i = 0; i < all.size(); i++) {
				Facts.Access a = all.get(i);
				for (int j = i + 1; j < all.size(); j++) {
					Facts.Access b = all.get(j);
					if (a.thread().equals(b.thread()) || !(a.write() || b.write()) || !mayAlias(a.obj(), b.obj(), topology)
							|| commonLock(a, b)) {
						continue;
					}
					String field = NameOf.name(a.feature());
					ObjectType type = a.obj() == null ? null
							: Sym.typeOf(a.obj()) != null ? Sym.typeOf(a.obj()) : Sym.typeOf(b.obj());
					String typedName = type == null ? field : type.getName() + "." + field;
					// the same object on both sides: name it; otherwise the two may be one object of the type
					String subject = a.obj() == null ? field : a.obj().equals(b.obj()) ? a.obj() + "." + field : typedName;
					races.computeIfAbsent(subject, k -> raceVerdict(prefix, ob, subject, a, b));
					typed.add(typedName);
				}
			}
		}
		if (races.isEmpty()) {
			return new Verdict(prefix + "lockset_" + ob.id(), ob, complete ? Status.PROVED : Status.UNKNOWN,
					complete ? "no field is written by one thread while another reads or writes it without a common lock"
							: "not every path was explored",
					Location.of(scenario), null, null, Map.of("kind", "lockset"), "paths", List.of());
		}
		List<String> details = new ArrayList<>();
		for (Verdict v : races.values()) {
			details.add(v.message());
		}
		Verdict first = races.values().iterator().next();
		List<String> subjects = new ArrayList<>(races.keySet());
		subjects.addAll(typed);
		return new Verdict(first.id(), ob, Status.VIOLATED, first.message(), first.location(), String.join(",", subjects),
				first.trace(), Map.of(), "lockset", details);
	}

	private static Verdict raceVerdict(String prefix, Obligation ob, String subject, Facts.Access a, Facts.Access b) {
		String objects = a.obj() == null || a.obj().equals(b.obj()) ? "it"
				: a.obj() + "." + NameOf.name(a.feature()) + " / " + b.obj() + "." + NameOf.name(b.feature())
						+ " (which may be one object)";
		String message = "race on " + subject + ": " + a.thread() + " " + (a.write() ? "writes" : "reads") + " "
				+ (objects.equals("it") ? "it" : a.obj() + "." + NameOf.name(a.feature())) + " at line " + a.at().line()
				+ " holding " + names(a.held()) + ", " + b.thread() + " " + (b.write() ? "writes" : "reads") + " "
				+ (objects.equals("it") ? "it" : b.obj() + "." + NameOf.name(b.feature())) + " at line " + b.at().line()
				+ " holding " + names(b.held()) + ": no common lock" + (objects.equals("it") ? "" : "; the two may be one object");
		List<Trace.Event> events = new ArrayList<>();
		events.add(new Trace.Event(0, Sites.text(a.at().stmt()), Location.of(a.at().stmt()), a.at().describe(), false,
				false));
		events.add(new Trace.Event(1, Sites.text(b.at().stmt()), Location.of(b.at().stmt()), b.at().describe(), false,
				true));
		Trace trace = new Trace(List.of(new Trace.Lane("CPU0", a.thread()), new Trace.Lane("CPU1", b.thread())), events,
				"DATA RACE", List.of("CPU0 holds " + names(a.held()) + "; CPU1 holds " + names(b.held())));
		return new Verdict(prefix + "lockset_" + ob.id() + "/" + subject, ob, Status.VIOLATED, message, Location.of(b.at().stmt()),
				subject, trace, Map.of(), "lockset", List.of());
	}

	private static String names(List<Held> held) {
		if (held.isEmpty()) {
			return "no lock";
		}
		List<String> n = new ArrayList<>();
		for (Held h : held) {
			n.add(h.ref().name() + (h.shared() ? " (read)" : ""));
		}
		return String.join(", ", n);
	}

	private static boolean mayAlias(Sym a, Sym b, Topology topology) {
		if (a == null || b == null) {
			return a == b;
		}
		if (a.equals(b)) {
			return true;
		}
		if (topology.isInstance(a) && topology.isInstance(b)) {
			return false;
		}
		ObjectType ta = Sym.typeOf(a);
		ObjectType tb = Sym.typeOf(b);
		return ta == null || tb == null || ta == tb;
	}

	/**
	 * Whether the two accesses hold one lock, not both as readers. A lock of the accessed object itself counts
	 * when each side holds it of its own object: the two race only if the objects are one, and then so are the
	 * locks (a walker's {@code d.grp.lock} and {@code d.grp.list} against a remover's).
	 */
	private static boolean commonLock(Facts.Access a, Facts.Access b) {
		for (Held x : a.held()) {
			for (Held y : b.held()) {
				boolean one = x.ref().equals(y.ref()) || a.obj() != null && x.ref().decl() == y.ref().decl()
						&& a.obj().equals(x.ref().owner()) && b.obj().equals(y.ref().owner());
				if (one && !(x.shared() && y.shared())) {
					return true;
				}
			}
		}
		return false;
	}

	/** Thread arguments: instances of the topology, or constant values. */
	public static List<Sym> arguments(ScenarioThread t, Topology topology) {
		List<Sym> args = new ArrayList<>();
		for (Expression e : t.getArgs()) {
			if (e instanceof VarRef v && v.getRef() instanceof Instance i) {
				args.add(topology.instance(i));
			} else if (e instanceof org.lockspec.model.IntLiteral lit) {
				args.add(new Sym.Int(lit.getValue()));
			} else if (e instanceof org.lockspec.model.BoolLiteral b) {
				args.add(b.isValue() ? Sym.TRUE : Sym.FALSE);
			} else {
				args.add(new Sym.Var("arg" + args.size(), null, false));
			}
		}
		return args;
	}
}
