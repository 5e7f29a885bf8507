package org.lockspec.prover.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;
import org.lockspec.analysis.Budget;
import org.lockspec.analysis.Sites;
import org.lockspec.analysis.SpecFacts;
import org.lockspec.model.*;
import org.lockspec.prover.solver.SolverException;
import org.lockspec.prover.solver.SolverOption;
import org.lockspec.prover.solver.SolverResult;
import org.lockspec.prover.solver.SolverSession;
import org.lockspec.prover.solver.Smt;
import org.lockspec.prover.solver.Smt.Sort;
import org.lockspec.prover.solver.Smt.Term;
import org.lockspec.verdict.Location;
import org.lockspec.verdict.Obligation;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Verdict;
import org.lockspec.typing.Guards;
import org.lockspec.typing.SpecType;
import org.lockspec.typing.SpecTypes;
import org.lockspec.typing.Syntax;

/**
 * Are the spec's invariants inductive, for any number of objects and threads?
 * Every op is executed symbolically, its state as uninterpreted functions over
 * one object sort (fields, list membership, refcounts, freed). A step is one
 * statement outside any lock, a whole critical section, or one loop iteration;
 * at the start of a step the shared state is arbitrary (other threads ran)
 * but satisfies the invariants, and at its end the invariants must hold again.
 * A satisfiable query is a counterexample to induction: the step and the
 * pre-state that breaks it.
 *
 * <p>Critical sections run as one step for what their locks guard: this is
 * the reduction the spec's {@code guarded_by} declarations license (another
 * thread cannot touch what the lock guards in between). What no held lock
 * guards, other threads may write between any two statements
 * ({@link #othersRun}); outside any lock, a test is a step of its own
 * ({@link #testAlone}). Inside a section, the state after every statement that
 * writes must still satisfy the invariants that are due there: all but the lock
 * invariants ({@code invariant I under L}) of the locks the thread holds; at the
 * end of a step every invariant is due. The invariants are proved together
 * (Houdini): those that fail drop out and the rest are checked again without
 * them, so no verdict leans on an invariant that was not proved.
 *
 * <p>Refcounts: a thread's own references (its {@code get}s not yet put) are a
 * ghost count of its own; a {@code put} drops one of them first, otherwise the
 * data structure's. {@code x.rc} in an invariant is the structure's share (for
 * the usual {@code rc >= k} that is the stronger statement): "the initial
 * reference means existence plus membership".
 */
final class InductiveCheck {

	private static final Pattern STATE = Pattern.compile("\\|((?:f|g|linked|rc|freed|own)![^|@]*)\\|");
	private static final int MAX_STEPS = 20_000;
	/** A query's time at most (within the spec's budget): bit-vector queries can be slow. */
	private static final Duration PER_QUERY = Duration.ofSeconds(10);
	private static final Pattern STATE_VERSIONED = Pattern.compile("\\|(?:f|g|linked|rc|freed|own)![^|@]*@[^|]*\\|");

	private final Spec spec;
	private final SpecFacts facts;
	private final SolverSession solver;
	private final Budget budget;
	private final List<Invariant> invariants;
	private final Smt smt = new Smt();
	private final Map<Invariant, String> invariantText = new LinkedHashMap<>();
	/** The state an invariant reads: a step that writes none of it preserves it. */
	private final Map<Invariant, Set<String>> invariantReads = new LinkedHashMap<>();
	private final Map<Invariant, Verdict> failed = new LinkedHashMap<>();
	private final Map<Invariant, String> unknown = new LinkedHashMap<>();
	private int stepNo;
	private int steps;
	private int queries;
	private boolean houdini;
	private List<String> houdiniFailures;
	private Map<String, String> candidatesAtBackEdge;

	/** The invariants to report on (all of them are candidates for the joint induction). */
	private final Set<String> targets;
	/** The invariants assumed and checked in this round: the rest have failed an earlier one. */
	private final Set<Invariant> active = new java.util.LinkedHashSet<>();

	/**
	 * @param targets the names of the invariants to report on; {@code null} for all
	 */
	InductiveCheck(Spec spec, SpecFacts facts, SolverSession solver, Budget budget, Set<String> targets) {
		this.targets = targets;
		this.spec = spec;
		this.facts = facts;
		this.solver = solver;
		this.budget = budget;
		this.invariants = EcoreUtil2.typeSelect(spec.getMembers(), Invariant.class);
		smt.declareFun("|own!|", "(Obj) Int");
		smt.declareFun("|freed!|", "(Obj) Bool");
		for (Invariant inv : invariants) {
			String text = smt.expr(inv.getExpr(), Map.of()).text();
			invariantText.put(inv, text);
			Set<String> bases = new HashSet<>();
			for (Matcher m = STATE.matcher(text); m.find();) {
				bases.add(m.group(1));
			}
			invariantReads.put(inv, bases);
		}
		for (EObject o : (Iterable<EObject>) spec::eAllContents) {
			switch (o) {
			case ListField l -> sharedState.put("linked!" + name(l), guardLocks(l.getGuards()));
			case Field f -> sharedState.put((f.eContainer() instanceof ObjectType ? "f!" : "g!") + name(f),
					guardLocks(f.getGuards()));
			case Ref r -> sharedState.put((r.eContainer() instanceof ObjectType ? "f!" : "g!") + name(r),
					guardLocks(r.getGuards()));
			case Refcount r -> sharedState.put("rc!" + name(r), List.of());
			default -> {
			}
			}
		}
		sharedState.put("freed!", List.of());
	}

	/** The locks of guards (one reached through refs is an object's, as every lock of an object: {@link #heldGuards}). */
	private static List<Lock> guardLocks(List<Guard> guards) {
		return guards.stream().map(Guards::lock).filter(java.util.Objects::nonNull).toList();
	}

	/** Every state symbol other threads may write (all but the thread's own references), with its guards. */
	private final Map<String, List<Lock>> sharedState = new LinkedHashMap<>();

	/**
	 * Houdini over the invariants: every invariant is a candidate, each round assumes the active ones at the
	 * start of every step and checks them at its end, and those that fail leave for the next round, until a
	 * round drops none. What is left is inductive as a whole, so assuming each other was sound; an invariant
	 * that needed a dropped one fails in a later round.
	 */
	List<Verdict> run() {
		if (invariants.isEmpty()) {
			return List.of();
		}
		PutStmt releasing = EcoreUtil2.eAllOfType(facts.spec(), PutStmt.class).stream()
				.filter(p -> p.getRelease() != null).findFirst().orElse(null);
		if (releasing != null) {
			for (Invariant inv : invariants) {
				unknown.put(inv, "the induction does not encode release ops ('" + Sites.text(releasing) + "', line "
						+ Sites.line(releasing) + "): whether a put is the last is not in its encoding; the scenarios "
						+ "check the invariant");
			}
			return verdicts(0);
		}
		active.addAll(invariants);
		Map<Invariant, Verdict> droppedFailed = new LinkedHashMap<>();
		Map<Invariant, String> droppedUnknown = new LinkedHashMap<>();
		int rounds = 0;
		while (!active.isEmpty()) {
			rounds++;
			failed.clear();
			unknown.clear();
			steps = 0;
			round();
			flush();
			if (ranOut) {
				break;
			}
			List<Invariant> bad = active.stream().filter(i -> failed.containsKey(i) || unknown.containsKey(i)).toList();
			if (bad.isEmpty()) {
				break;
			}
			for (Invariant i : bad) {
				if (failed.containsKey(i)) {
					droppedFailed.put(i, failed.get(i));
				} else {
					droppedUnknown.put(i, unknown.get(i));
				}
			}
			active.removeAll(bad);
		}
		failed.clear();
		failed.putAll(droppedFailed);
		unknown.clear();
		unknown.putAll(droppedUnknown);
		return verdicts(rounds);
	}

	private void round() {
		for (Operation op : facts.entries()) {
			if (op.getBody() == null) {
				continue;
			}
			St st = new St();
			for (Param p : op.getParams()) {
				SpecType t = SpecTypes.of(p.getType());
				Sort sort = t.kind() == SpecType.Kind.OBJECT ? Sort.OBJ : t.kind() == SpecType.Kind.BOOL ? Sort.BOOL : Sort.INT;
				String c = smt.declareConst("p!" + op.getName() + "!" + p.getName(), sort);
				st.env.put(p, new Term(c, sort));
				typeFact(st, t.objectType(), c);
			}
			st.frames.add(new Frame(op, st2 -> endStep(st2, op, null, "the end of " + op.getName())));
			// a thread starts an op holding no references
			beginStep(st, op);
			st.facts.add("(forall ((o Obj)) (= (" + at("|own!|", st) + " o) 0))");
			exec(op.getBody().getStatements(), 0, st, k -> k.frames.get(0).ret().accept(k));
		}
	}

	private List<Verdict> verdicts(int rounds) {
		List<Verdict> out = new ArrayList<>();
		for (Invariant inv : invariants) {
			if (targets != null && !targets.contains(inv.getName())) {
				continue;
			}
			String id = Obligation.INDUCTIVE_INVARIANT.id() + "/" + inv.getName();
			if (failed.containsKey(inv)) {
				out.add(failed.get(inv));
			} else if (unknown.containsKey(inv) || ranOut) {
				out.add(new Verdict(id, Obligation.INDUCTIVE_INVARIANT, Status.UNKNOWN,
						"invariant " + inv.getName() + " undecided: "
								+ (unknown.containsKey(inv) ? unknown.get(inv) : steps >= MAX_STEPS
										? "more than " + MAX_STEPS + " steps" : budget.reason()),
						Location.of(inv), inv.getName(), null, Map.of(), "z3", List.of()));
			} else {
				out.add(new Verdict(id, Obligation.INDUCTIVE_INVARIANT, Status.PROVED, "invariant " + inv.getName()
						+ " is inductive: every step of every op preserves it, for any number of objects and threads"
						+ (inv.getUnder() != null ? ", whenever " + inv.getUnder().getName() + " is free" : "")
						+ (active.size() > 1 ? ", together with " + String.join(", ", active.stream().filter(i -> i != inv)
								.map(Invariant::getName).toList()) : "")
						+ " (" + steps + " steps, " + queries + " solver queries, " + rounds
						+ (rounds == 1 ? " round" : " rounds") + ")", Location.of(inv), inv.getName(), null,
						Map.of("kind", "induction", "steps", steps), "z3", List.of()));
			}
		}
		return out;
	}

	// ---------------------------------------------------------------- state

	/** A path's symbolic state: versions written in this step, facts, locals, frames, lock depth. */
	private final class St {
		Map<String, String> written = new HashMap<>();
		List<String> facts = new ArrayList<>();
		Map<EObject, Term> env = new HashMap<>();
		List<Frame> frames = new ArrayList<>();
		int depth;
		int step;
		/** Objects this thread created and has not published: no other thread can touch them. */
		Map<String, ObjectType> unpublished = new HashMap<>();
		boolean dirty;
		Operation op;
		EObject stepStart;
		/** The declarations of the locks the thread holds, once per hold. */
		List<EObject> held = new ArrayList<>();
		/** The {@code with} blocks the thread is in, innermost last: a {@code return} leaves those of its op. */
		List<OpenWith> withs = new ArrayList<>();

		St copy() {
			St s = new St();
			s.held = new ArrayList<>(held);
			s.withs = new ArrayList<>(withs);
			s.written = new HashMap<>(written);
			s.facts = new ArrayList<>(facts);
			s.env = new HashMap<>(env);
			s.frames = new ArrayList<>(frames);
			s.depth = depth;
			s.step = step;
			s.unpublished = new HashMap<>(unpublished);
			s.dirty = dirty;
			s.op = op;
			s.stepStart = stepStart;
			return s;
		}
	}

	private record Frame(Operation op, Consumer<St> ret) {
	}

	/** A {@code with} block entered in the op at {@code frame} (an index into the frames). */
	private record OpenWith(WithStmt stmt, int frame) {
	}

	/** The current version of every state symbol in a text. */
	private String at(String text, St st) {
		Matcher m = STATE.matcher(text);
		StringBuilder sb = new StringBuilder();
		while (m.find()) {
			String base = m.group(1);
			String v = st.written.getOrDefault(base, "s" + st.step);
			m.appendReplacement(sb, Matcher.quoteReplacement("|" + base + "@" + v + "|"));
		}
		m.appendTail(sb);
		return sb.toString();
	}

	private int fresh;

	/** A new version of a state symbol, defined by {@code definition} over the old one ({@code %old%}, {@code %new%}). */
	private void write(St st, String base, String definition) {
		declareBase(base);
		String old = "|" + base + "@" + st.written.getOrDefault(base, "s" + st.step) + "|";
		String v = "w" + (fresh++);
		st.written.put(base, v);
		String neu = "|" + base + "@" + v + "|";
		st.facts.add(definition.replace("%old%", old).replace("%new%", neu));
		st.dirty = true;
	}

	/** The unversioned declaration that versioned copies are made from. */
	private void declareBase(String base) {
		String sym = "|" + base + "|";
		if (smt.declarations().containsKey(sym)) {
			return;
		}
		String kind = base.substring(0, base.indexOf('!'));
		String sig = switch (kind) {
		case "rc", "own" -> "(Obj) Int";
		case "freed" -> "(Obj) Bool";
		case "linked" -> base.contains(".") ? "(Obj Obj) Bool" : "(Obj) Bool";
		default -> {
			EObject f = featureNamed(base.substring(base.indexOf('!') + 1));
			String sort = f == null ? "Int" : Smt.sortOfFeature(f).name().equals("OBJ") ? "Obj"
					: Smt.sortOfFeature(f).name().equals("BOOL") ? "Bool" : "Int";
			yield kind.equals("g") ? "() " + sort : "(Obj) " + sort;
		}
		};
		smt.declareFun(sym, sig);
	}

	private EObject featureNamed(String qualified) {
		for (EObject o : (Iterable<EObject>) spec::eAllContents) {
			if ((o instanceof Field || o instanceof Ref) && name(o).equals(qualified)) {
				return o;
			}
		}
		return null;
	}

	private void beginStep(St st, Operation op) {
		// the thread's own references are its own state: they carry over from step to step
		String ownVersion = st.written.getOrDefault("own!", "s" + st.step);
		st.step = ++stepNo;
		st.written = new HashMap<>();
		st.written.put("own!", ownVersion);
		// other threads may have run: what was known of the shared state is stale; keep what is known of
		// locals, types and the thread's own references
		st.facts.removeIf(f -> {
			Matcher m = STATE_VERSIONED.matcher(f);
			while (m.find()) {
				if (!m.group().startsWith("|own!@")) {
					return true; // the own count's history is the thread's own and stays true
				}
			}
			return false;
		});
		st.op = op;
		st.dirty = false;
		for (Invariant inv : active) {
			st.facts.add(at(invariantText.get(inv), st));
		}
		st.facts.add("(forall ((o Obj)) (>= (" + at("|own!|", st) + " o) 0))");
		// what the thread created and has not published is still as it left it: on no list, not freed
		for (var u : st.unpublished.entrySet()) {
			privateFacts(st, u.getKey(), u.getValue());
		}
		// counts never go below zero (an underflow is a refcount error of its own, which the scenarios check)
		for (EObject o : (Iterable<EObject>) spec::eAllContents) {
			if (o instanceof Refcount rc) {
				declareBase("rc!" + name(rc));
				st.facts.add("(forall ((o Obj)) (>= (" + at("|rc!" + name(rc) + "|", st) + " o) 0))");
			}
		}
		steps++;
	}

	private void endStep(St st, Operation op, EObject stmt, String what) {
		if (!st.dirty || houdini) {
			return;
		}
		Set<String> changed = st.written.keySet();
		checkInvariants(st, op, stmt, what, inv -> !java.util.Collections.disjoint(invariantReads.get(inv), changed));
	}

	/**
	 * Inside a critical section (which runs as one step) the state after a statement that wrote something
	 * must satisfy every invariant that is due there: all but the lock invariants of the locks the thread holds.
	 */
	private void midStep(St st, EObject stmt, Set<String> changed) {
		if (houdini) {
			return;
		}
		// one that reads nothing the statement wrote is as it was after the last write (checked) or at the start
		checkInvariants(st, st.op, stmt, null, inv -> (inv.getUnder() == null || !st.held.contains(inv.getUnder()))
				&& !java.util.Collections.disjoint(invariantReads.get(inv), changed));
	}

	/**
	 * The invariants due after a statement or step, to be checked when the round's symbolic execution is
	 * over: all of a round's queries go to the solver in two requests (one round trip each), the batched
	 * "preserves them all" queries and then one per invariant where that may not hold.
	 */
	private record Pending(Operation op, EObject stmt, String what, EObject stepStart, List<Invariant> due, String all,
			List<String> one, List<String> oneText) {
	}

	private final List<Pending> pending = new ArrayList<>();

	private void checkInvariants(St st, Operation op, EObject stmt, String what, java.util.function.Predicate<Invariant> isDue) {
		// failures are known only when the round is flushed: those of this round are skipped there
		List<Invariant> due = active.stream().filter(isDue).toList();
		if (due.isEmpty()) {
			return;
		}
		String all = null;
		if (due.size() > 1) {
			// one query for the common case, that the step preserves them all; one each only if it may not
			List<String> query = new ArrayList<>(st.facts);
			query.add("(or" + due.stream().map(inv -> " (not " + at(invariantText.get(inv), st) + ")")
					.collect(java.util.stream.Collectors.joining()) + ")");
			all = script(query)[0];
		}
		List<String> one = new ArrayList<>();
		List<String> oneText = new ArrayList<>();
		for (Invariant inv : due) {
			List<String> query = new ArrayList<>(st.facts);
			query.add("(not " + at(invariantText.get(inv), st) + ")");
			String[] sc = script(query);
			one.add(sc[0]);
			oneText.add(sc[1]);
		}
		pending.add(new Pending(op, stmt, what, st.stepStart, due, all, one, oneText));
	}

	/** Asks the solver what the round's symbolic execution left pending, and records the failures in order. */
	private void flush() {
		List<Pending> todo = new ArrayList<>(pending);
		pending.clear();
		List<String> batched = new ArrayList<>();
		for (Pending p : todo) {
			if (p.all() != null) {
				batched.add(p.all());
			}
		}
		List<SolverResult> allAnswers = ask(batched);
		List<String> singles = new ArrayList<>();
		List<Boolean> needed = new ArrayList<>();
		int b = 0;
		for (Pending p : todo) {
			boolean need = p.all() == null || !allAnswers.get(b++).isUnsat();
			needed.add(need);
			if (need) {
				singles.addAll(p.one());
			}
		}
		List<SolverResult> answers = new ArrayList<>(ask(singles));
		// a model may rest on uninterpreted bitwise operators: ask again with them defined exactly
		List<Integer> again = new ArrayList<>();
		int k = 0;
		for (int i = 0; i < todo.size(); i++) {
			if (!needed.get(i)) {
				continue;
			}
			for (String text : todo.get(i).oneText()) {
				if (answers.get(k).isSat() && smt.usesBits() && text.matches("(?s).*\\((?:bor|band|bnot) .*")) {
					again.add(k);
				}
				k++;
			}
		}
		if (!again.isEmpty()) {
			List<SolverResult> exact = ask(again.stream().map(i -> Smt.exactBits(singles.get(i))).toList());
			for (int i = 0; i < again.size(); i++) {
				answers.set(again.get(i), exact.get(i));
			}
		}
		k = 0;
		for (int i = 0; i < todo.size(); i++) {
			if (!needed.get(i)) {
				continue;
			}
			Pending p = todo.get(i);
			for (int j = 0; j < p.due().size(); j++) {
				SolverResult r = answers.get(k++);
				Invariant inv = p.due().get(j);
				if (!failed.containsKey(inv)) {
					record(p, inv, r, p.oneText().get(j));
				}
			}
		}
	}

	private void record(Pending p, Invariant inv, SolverResult r, String queryText) {
		Operation op = p.op();
		EObject stmt = p.stmt();
		if (r.isSat()) {
			debug("CTI for " + inv.getName() + " at line " + Sites.line(stmt) + ":\n" + queryText);
		}
		if (r.isSat() && smt.approximated(queryText)) {
			unknown.putIfAbsent(inv, "a step uses an expression the encoding cannot express exactly, so the solver's "
					+ "model is no counterexample");
		} else if (r.isSat()) {
			String step = stmt == null ? p.what() : "'" + Sites.text(stmt) + "' (" + op.getName() + ", line " + Sites.line(stmt) + ")";
			String where = p.stepStart() == null ? "" : " (the step starts at line " + Sites.line(p.stepStart()) + ")";
			// a counterexample to induction is not one to the invariant: the pre-state may be unreachable
			failed.put(inv, new Verdict(Obligation.INDUCTIVE_INVARIANT.id() + "/" + inv.getName(),
					Obligation.INDUCTIVE_INVARIANT, Status.UNKNOWN,
					"invariant " + inv.getName() + " is not inductive as stated: from a state where "
							+ (active.size() > 1 ? "it and " + String.join(", ", active.stream().filter(i -> i != inv)
									.map(Invariant::getName).toList()) + " hold" : "it holds")
							+ ", " + step + where + " leads to one where it does not; the invariant may still "
							+ "hold (the scenarios check it), or a stronger invariant is needed",
					Location.of(stmt != null ? stmt : inv), inv.getName(), null, Map.of(), "z3",
					model(r.model())));
		} else if (!r.isUnsat()) {
			unknown.putIfAbsent(inv, r.reason());
		}
	}

	private static final boolean DEBUG = System.getenv("LOCKSPEC_DEBUG_INDUCTIVE") != null;

	private static void debug(String s) {
		if (DEBUG) {
			System.err.println("[inductive] " + s);
		}
	}

	private static List<String> model(String model) {
		if (model == null) {
			return List.of();
		}
		List<String> lines = new ArrayList<>();
		lines.add("pre-state and step (a Z3 model; |f!T.f@v| is field f of a T at version v):");
		for (String l : model.split("\n")) {
			if (!l.isBlank() && lines.size() < 40) {
				lines.add(l);
			}
		}
		return lines;
	}

	/** Out of steps or time; once true, every later query is skipped and nothing more is proved. */
	private boolean stopped() {
		if (!ranOut && (steps >= MAX_STEPS || budget.exhausted())) {
			ranOut = true;
		}
		return ranOut;
	}

	private boolean ranOut;

	/** A query's whole script (declarations it needs, then its assertions) and its assertions alone. */
	private String[] script(List<String> assertions) {
		StringBuilder body = new StringBuilder();
		for (String a : assertions) {
			body.append("(assert ").append(a).append(")\n");
		}
		String text = body.toString();
		StringBuilder script = new StringBuilder();
		Set<String> declared = new HashSet<>();
		for (var d : smt.declarations().entrySet()) {
			if (!STATE.matcher(d.getKey()).matches()) {
				script.append(d.getValue()).append('\n');
			}
		}
		Matcher m = STATE_USE.matcher(text);
		while (m.find()) {
			String sym = m.group();
			if (declared.add(sym)) {
				String base = smt.declarations().get("|" + m.group(1) + "|");
				if (base != null) {
					script.append(base.replace("|" + m.group(1) + "|", sym)).append('\n');
				}
			}
		}
		script.append(text);
		return new String[] { script.toString(), text };
	}

	private static final Pattern STATE_USE = Pattern.compile("\\|((?:f|g|linked|rc|freed|own)![^|@]*)@([^|]*)\\|");

	/**
	 * Independent queries now, in one request (the loop facts: the symbolic
	 * execution needs the answers to go on); {@code scripts} from
	 * {@link #script}. A model found with bit-vector operators approximated is
	 * checked again with them exact.
	 */
	private List<SolverResult> checkAll(List<String[]> scripts) {
		List<SolverResult> rs = new ArrayList<>(ask(scripts.stream().map(sc -> sc[0]).toList()));
		List<Integer> again = new ArrayList<>();
		for (int i = 0; i < rs.size(); i++) {
			if (rs.get(i).isSat() && smt.usesBits() && scripts.get(i)[1].matches("(?s).*\\((?:bor|band|bnot) .*")) {
				again.add(i);
			}
		}
		if (!again.isEmpty()) {
			List<SolverResult> exact = ask(again.stream().map(i -> Smt.exactBits(scripts.get(i)[0])).toList());
			for (int j = 0; j < again.size(); j++) {
				rs.set(again.get(j), exact.get(j));
			}
		}
		return rs;
	}

	/** Asks the solver about several scripts in one request, within the check's budget. */
	private List<SolverResult> ask(List<String> scripts) {
		if (scripts.isEmpty()) {
			return List.of();
		}
		if (stopped()) {
			return scripts.stream().map(x -> SolverResult.unknown(budget.reason(), 0)).toList();
		}
		queries += scripts.size();
		budget.progress("induction", queries, "solver queries", steps);
		try {
			return solver.checkAll(scripts, budget.remaining(PER_QUERY), java.util.EnumSet.of(SolverOption.MODELS));
		} catch (SolverException e) {
			return scripts.stream().map(x -> SolverResult.unknown(e.getMessage(), 0)).toList();
		}
	}

	private void typeFact(St st, ObjectType type, String term) {
		if (type != null) {
			smt.declareFun("|is!" + type.getName() + "|", "(Obj) Bool");
			String nullFact = "(not (|is!" + type.getName() + "| null))"; // null is no object of any type
			if (!st.facts.contains(nullFact)) {
				st.facts.add(nullFact);
			}
			st.facts.add("(or (= " + term + " null) (|is!" + type.getName() + "| " + term + "))");
		}
	}

	// ----------------------------------------------------------- execution

	private Term eval(St st, Expression e) {
		Term t = smt.exprIn(e, st.env);
		for (String f : smt.takeFacts()) {
			st.facts.add(at(f, st));
		}
		return new Term(at(t.text(), st), t.sort());
	}

	private void exec(List<Statement> stmts, int i, St st, Consumer<St> k) {
		if (stopped()) {
			return;
		}
		if (i >= stmts.size()) {
			k.accept(st);
			return;
		}
		Statement s = stmts.get(i);
		Consumer<St> next = n -> exec(stmts, i + 1, n, k);
		if (st.depth == 0 && !(s instanceof LockStmt) && !(s instanceof WithStmt) && !(s instanceof TrylockStmt)) {
			// outside any lock every statement is a step of its own
			Consumer<St> inner = next;
			next = n -> {
				endStep(n, n.op, s, null);
				newStep(n, s);
				inner.accept(n);
			};
		} else if (st.depth > 0) {
			// inside a critical section: what the statement leaves must satisfy the invariants due there, and
			// other threads may write what the held locks do not guard before the next statement
			Consumer<St> inner = next;
			Map<String, String> before = writes(s) ? new HashMap<>(st.written) : null;
			next = n -> {
				if (before != null) {
					Set<String> changed = new HashSet<>();
					for (var w : n.written.entrySet()) {
						if (!w.getValue().equals(before.get(w.getKey()))) {
							changed.add(w.getKey());
						}
					}
					if (!changed.isEmpty()) {
						midStep(n, s, changed);
					}
				}
				if (n.depth > 0) {
					othersRun(n);
				}
				inner.accept(n);
			};
		}
		statement(s, st, next);
	}

	private static boolean writes(Statement s) {
		return s instanceof AssignStmt || s instanceof AddStmt || s instanceof RemoveStmt || s instanceof GetStmt
				|| s instanceof PutStmt || s instanceof LetStmt;
	}

	/** The declaration of the lock a lock statement names: a global lock, or a lock of an object type. */
	private static EObject lockDecl(Expression e) {
		if (e instanceof VarRef r) {
			return r.getRef();
		}
		if (e instanceof MemberAccess m) {
			return m.getMember();
		}
		return e;
	}

	/**
	 * Outside any lock, a test (an {@code if} or {@code while} condition, a
	 * {@code for}'s element) is a step of its own, as in the scenario engine:
	 * another thread may change what it read before the branch's first
	 * statement runs, so what the test learnt of the shared state goes stale
	 * there (what it learnt of locals stays). Inside a critical section the
	 * test stays in the section's step, and other threads may change only what
	 * the held locks do not guard ({@link #othersRun}).
	 */
	private void testAlone(St st, EObject test) {
		if (st.depth == 0) {
			endStep(st, st.op, test, null);
			newStep(st, test);
		} else {
			othersRun(st);
		}
	}

	/**
	 * A statement boundary inside a critical section. The section is one step
	 * only for the state its locks guard (the reduction {@code guarded_by}
	 * licenses: every guard of it held, each a global lock, the same for every
	 * object); other threads may write the rest in between. That gets a new
	 * version, of which only this is known: the plain invariants hold (a lock
	 * invariant may be broken by the thread that holds its lock now), an
	 * invariant of a lock this thread holds that held before still holds (the
	 * others' steps keep the invariants of the locks they do not hold), what
	 * this thread created and has not published is still its own, and the
	 * structure's share of a refcount did not grow (another thread's {@code get}
	 * adds to its own references, its {@code put} takes one away).
	 */
	private void othersRun(St st) {
		Map<Invariant, String> heldLocksInvariants = new LinkedHashMap<>();
		for (Invariant inv : active) {
			if (inv.getUnder() != null && st.held.contains(inv.getUnder())) {
				heldLocksInvariants.put(inv, at(invariantText.get(inv), st));
			}
		}
		boolean any = false;
		for (var state : sharedState.entrySet()) {
			String base = state.getKey();
			if (heldGuards(state.getValue(), st.held)) {
				continue;
			}
			declareBase(base);
			String before = at("|" + base + "|", st);
			st.written.put(base, "o" + fresh++);
			if (base.startsWith("rc!")) {
				String after = at("|" + base + "|", st);
				st.facts.add("(forall ((o Obj)) (and (>= (" + after + " o) 0) (<= (" + after + " o) (" + before + " o))))");
			}
			any = true;
		}
		if (!any) {
			return;
		}
		for (Invariant inv : active) {
			if (inv.getUnder() == null) {
				st.facts.add(at(invariantText.get(inv), st));
			}
		}
		// another thread does not hold our locks: its steps keep their invariants (it must, as every step
		// that does not hold a lock must keep that lock's invariants), so one that holds now holds after
		for (var inv : heldLocksInvariants.entrySet()) {
			st.facts.add("(=> " + inv.getValue() + " " + at(invariantText.get(inv.getKey()), st) + ")");
		}
		for (var u : st.unpublished.entrySet()) {
			privateFacts(st, u.getKey(), u.getValue());
		}
	}

	/** Whether the thread holds every guard, each a global lock (an object's own lock may be another object's). */
	private static boolean heldGuards(List<Lock> guards, List<EObject> held) {
		if (guards.isEmpty()) {
			return false;
		}
		for (Lock g : guards) {
			if (g.eContainer() instanceof ObjectType || !held.contains(g)) {
				return false;
			}
		}
		return true;
	}

	private void newStep(St st, EObject at) {
		beginStep(st, st.op);
		st.stepStart = at;
	}

	private void statement(Statement s, St st, Consumer<St> next) {
		switch (s) {
		case LockStmt l -> {
			if (st.depth == 0) {
				st.stepStart = s;
			}
			st.depth++;
			st.held.add(lockDecl(Syntax.lockOperand(l)));
			next.accept(st);
		}
		case UnlockStmt u -> {
			st.held.remove(lockDecl(Syntax.lockOperand(u)));
			st.depth = Math.max(0, st.depth - 1);
			if (st.depth == 0) {
				endStep(st, st.op, s, null);
				newStep(st, s);
			}
			next.accept(st);
		}
		case WithStmt w -> {
			st.depth++;
			st.held.add(lockDecl(w.getLock()));
			st.withs.add(new OpenWith(w, st.frames.size() - 1));
			exec(w.getBody().getStatements(), 0, st, after -> {
				after.withs.remove(after.withs.size() - 1);
				leaveWith(after, w);
				next.accept(after);
			});
		}
		case TrylockStmt t -> {
			St fail = st.copy();
			st.depth++;
			st.held.add(lockDecl(t.getLock()));
			exec(t.getThen().getStatements(), 0, st, next);
			elseBranch(t.getElseIf(), t.getOtherwise(), fail, next);
		}
		case IfStmt i -> {
			Term c = eval(st, i.getCond());
			St other = st.copy();
			if (c.sort() == Sort.BOOL) {
				st.facts.add(c.text());
				other.facts.add("(not " + c.text() + ")");
			}
			testAlone(st, i);
			testAlone(other, i);
			exec(i.getThen().getStatements(), 0, st, next);
			elseBranch(i.getElseIf(), i.getOtherwise(), other, next);
		}
		case ChooseStmt c -> {
			for (int b = 0; b < c.getBranches().size(); b++) {
				exec(c.getBranches().get(b).getStatements(), 0, b == c.getBranches().size() - 1 ? st : st.copy(), next);
			}
		}
		case LetStmt let -> {
			Term v = let.getValue() instanceof NewExpr n ? create(st, n) : eval(st, let.getValue());
			st.env.put(let, bind(st, let, v));
			next.accept(st);
		}
		case AssignStmt a -> {
			Term v = eval(st, a.getValue());
			if (a.getTarget() instanceof VarRef r && r.getRef() instanceof LetStmt local) {
				st.env.put(local, bind(st, local, v));
			} else if (a.getTarget() instanceof VarRef r && (r.getRef() instanceof Field || r.getRef() instanceof Ref)) {
				String base = "g!" + name(r.getRef());
				write(st, base, "(= %new% " + v.text() + ")");
			} else if (a.getTarget() instanceof MemberAccess m) {
				st.unpublished.remove(v.text());
				Term obj = eval(st, m.getReceiver());
				String base = "f!" + name(m.getMember());
				write(st, base, "(forall ((o Obj)) (= (%new% o) (ite (= o " + obj.text() + ") " + v.text() + " (%old% o))))");
			}
			next.accept(st);
		}
		case AddStmt a -> {
			listWrite(st, a.getElem(), a.getList(), true);
			next.accept(st);
		}
		case RemoveStmt r -> {
			listWrite(st, r.getElem(), r.getList(), false);
			next.accept(st);
		}
		case GetStmt g -> {
			Term x = eval(st, ((MemberAccess) g.getRefcount()).getReceiver());
			write(st, "own!", "(forall ((o Obj)) (= (%new% o) (ite (= o " + x.text() + ") (+ (%old% o) 1) (%old% o))))");
			next.accept(st);
		}
		case PutStmt p -> {
			MemberAccess m = (MemberAccess) p.getRefcount();
			Term x = eval(st, m.getReceiver());
			st.facts.add("(not (= " + x.text() + " null))");
			String rc = "rc!" + name(m.getMember());
			String own = at("|own!|", st);
			String rcOld = at("|" + rc + "|", st);
			// which reference goes: the structure's once the object is on no list (unlink, then drop the initial
			// reference), else one of the thread's own, else the structure's
			String unlinked = unlinkedEverywhere(st, SpecTypes.typeOf(m.getReceiver()).objectType(), x.text());
			// named, so that the own count's history mentions no shared state (which goes stale)
			String structure = smt.declareConst("structure_ref!" + fresh++, Sort.BOOL);
			st.facts.add("(= " + structure + " (or (and " + unlinked + " (>= (" + rcOld + " " + x.text() + ") 1)) (< (" + own
					+ " " + x.text() + ") 1)))");
			write(st, rc, "(forall ((o Obj)) (= (%new% o) (ite (and (= o " + x.text() + ") " + structure
					+ ") (- (%old% o) 1) (%old% o))))");
			write(st, "own!", "(forall ((o Obj)) (= (%new% o) (ite (and (= o " + x.text() + ") (not " + structure
					+ ")) (- (%old% o) 1) (%old% o))))");
			String nd = smt.declareConst("nobody_else!" + fresh++, Sort.BOOL);
			String rcNow = at("|" + rc + "|", st);
			String ownNow = at("|own!|", st);
			write(st, "freed!", "(forall ((o Obj)) (= (%new% o) (ite (= o " + x.text() + ") (or (%old% o) (and (= ("
					+ rcNow + " o) 0) (= (" + ownNow + " o) 0) " + nd + ")) (%old% o))))");
			next.accept(st);
		}
		case WhileStmt w -> loop(w, w.getCond(), w.getBody(), null, st, next);
		case ForStmt f -> loop(f, null, f.getBody(), f, st, next);
		case CallStmt c -> {
			Operation op = c.getOp();
			List<Term> args = new ArrayList<>();
			for (Expression a : c.getArgs()) {
				args.add(eval(st, a));
			}
			for (int i = 0; i < op.getParams().size() && i < args.size(); i++) {
				st.env.put(op.getParams().get(i), bind(st, op.getParams().get(i), args.get(i)));
			}
			st.frames.add(new Frame(op, next));
			exec(op.getBody().getStatements(), 0, st, n -> {
				n.frames.remove(n.frames.size() - 1);
				next.accept(n);
			});
		}
		case ReturnStmt r -> returnFrom(st);
		case EnterStmt e -> {
			// the gate may be closed: the op returns
			St failed = st.copy();
			next.accept(st);
			returnFrom(failed);
		}
		case WaitStmt w -> {
			Term c = eval(st, w.getCond());
			if (c.sort() == Sort.BOOL) {
				st.facts.add(c.text());
			}
			next.accept(st);
		}
		default -> next.accept(st);
		}
	}

	/** Leaves the current op early ({@code return}, a failed {@code enter}): its {@code with} blocks release first. */
	private void returnFrom(St st) {
		int frame = st.frames.size() - 1;
		while (!st.withs.isEmpty() && st.withs.get(st.withs.size() - 1).frame() == frame) {
			leaveWith(st, st.withs.remove(st.withs.size() - 1).stmt());
		}
		Frame f = st.frames.get(frame);
		if (st.frames.size() > 1) {
			st.frames.remove(frame);
		}
		f.ret().accept(st);
	}

	/** The end of a {@code with} block: its lock is released, and the step ends if it was the outermost lock. */
	private void leaveWith(St st, WithStmt w) {
		st.held.remove(lockDecl(w.getLock()));
		st.depth--;
		if (st.depth == 0) {
			endStep(st, st.op, w, null);
			newStep(st, w);
		}
	}

	private void elseBranch(Statement elseIf, Block otherwise, St st, Consumer<St> next) {
		if (elseIf != null) {
			statement(elseIf, st, next);
		} else if (otherwise != null) {
			exec(otherwise.getStatements(), 0, st, next);
		} else {
			next.accept(st);
		}
	}

	private Term create(St st, NewExpr n) {
		String c = smt.declareConst("new!" + fresh++, Sort.OBJ);
		st.facts.add("(not (= " + c + " null))");
		typeFact(st, n.getType(), c);
		for (Feature f : n.getType().getFeatures()) {
			if (f instanceof Refcount) {
				// the initial reference is the creator's until it hands it to a list
				write(st, "rc!" + name(f), "(forall ((o Obj)) (= (%new% o) (ite (= o " + c + ") 0 (%old% o))))");
				write(st, "own!", "(forall ((o Obj)) (= (%new% o) (ite (= o " + c + ") 1 (%old% o))))");
			} else if (f instanceof ListField) {
				write(st, "linked!" + name(f), "(forall ((e Obj) (w Obj)) (= (%new% e w) (and (%old% e w) (not (= w " + c
						+ ")))))");
			}
		}
		// nor is it on anyone's list
		for (EObject o : (Iterable<EObject>) spec::eAllContents) {
			if (o instanceof ListField lf && lf.getType() == n.getType()) {
				boolean global = !(lf.eContainer() instanceof ObjectType);
				write(st, "linked!" + name(lf), global ? "(forall ((e Obj)) (= (%new% e) (and (%old% e) (not (= e " + c + ")))))"
						: "(forall ((e Obj) (w Obj)) (= (%new% e w) (and (%old% e w) (not (= e " + c + ")))))");
			}
		}
		write(st, "freed!", "(forall ((o Obj)) (= (%new% o) (and (%old% o) (not (= o " + c + ")))))");
		st.unpublished.put(c, n.getType());
		for (Init init : n.getInits()) {
			Term v = eval(st, init.getValue());
			write(st, "f!" + name(init.getFeature()), "(forall ((o Obj)) (= (%new% o) (ite (= o " + c + ") " + v.text()
					+ " (%old% o))))");
		}
		return new Term(c, Sort.OBJ);
	}

	/** The object is on no list of the spec (as an element). */
	private String unlinkedEverywhere(St st, ObjectType type, String x) {
		StringBuilder sb = new StringBuilder("(and true");
		for (EObject o : (Iterable<EObject>) spec::eAllContents) {
			if (o instanceof ListField lf && lf.getType() == type) {
				declareBase("linked!" + name(lf));
				boolean global = !(lf.eContainer() instanceof ObjectType);
				String l = at("|linked!" + name(lf) + "|", st);
				sb.append(global ? " (not (" + l + " " + x + "))" : " (forall ((w Obj)) (not (" + l + " " + x + " w)))");
			}
		}
		return sb.append(")").toString();
	}

	private void privateFacts(St st, String c, ObjectType type) {
		for (EObject o : (Iterable<EObject>) spec::eAllContents) {
			if (o instanceof ListField lf && lf.getType() == type) {
				declareBase("linked!" + name(lf));
				boolean global = !(lf.eContainer() instanceof ObjectType);
				String l = at("|linked!" + name(lf) + "|", st);
				st.facts.add(global ? "(not (" + l + " " + c + "))" : "(forall ((w Obj)) (not (" + l + " " + c + " w)))");
			}
		}
		st.facts.add("(not (" + at("|freed!|", st) + " " + c + "))");
	}

	private void listWrite(St st, Expression elem, Expression list, boolean add) {
		Term x = eval(st, elem);
		st.unpublished.remove(x.text());
		if (add) {
			// a list holds a reference: adding hands it one of the thread's own, if it has one
			ObjectType t = SpecTypes.typeOf(elem).objectType();
			for (Feature f : t == null ? List.<Feature>of() : t.getFeatures()) {
				if (f instanceof Refcount) {
					String mine = "(>= (" + at("|own!|", st) + " " + x.text() + ") 1)";
					write(st, "rc!" + name(f), "(forall ((o Obj)) (= (%new% o) (ite (and (= o " + x.text() + ") " + mine
							+ ") (+ (%old% o) 1) (%old% o))))");
					write(st, "own!", "(forall ((o Obj)) (= (%new% o) (ite (and (= o " + x.text() + ") " + mine
							+ ") (- (%old% o) 1) (%old% o))))");
				}
			}
		}
		st.facts.add("(not (= " + x.text() + " null))"); // a NULL dereference is a scenario finding of its own
		if (list instanceof MemberAccess m) {
			Term owner = eval(st, m.getReceiver());
			st.facts.add("(not (= " + owner.text() + " null))");
			String base = "linked!" + name(m.getMember());
			String hit = "(and (= e " + x.text() + ") (= w " + owner.text() + "))";
			write(st, base, "(forall ((e Obj) (w Obj)) (= (%new% e w) " + (add ? "(or (%old% e w) " + hit + ")"
					: "(and (%old% e w) (not " + hit + "))") + "))");
		} else if (list instanceof VarRef v) {
			String base = "linked!" + name(v.getRef());
			String hit = "(= e " + x.text() + ")";
			write(st, base, "(forall ((e Obj)) (= (%new% e) " + (add ? "(or (%old% e) " + hit + ")"
					: "(and (%old% e) (not " + hit + "))") + "))");
		}
	}

	/**
	 * A loop: every iteration is a step that starts anywhere the invariants hold.
	 * What the loop keeps of its own references is inferred Houdini-style: for
	 * each object variable the body assigns, "null or one of mine" is kept if it
	 * holds on entry and after every iteration.
	 */
	private void loop(EObject loop, Expression cond, Block body, ForStmt forLoop, St st, Consumer<St> next) {
		endStep(st, st.op, loop, null);
		Set<EObject> assigned = assignedLocals(body);
		if (forLoop != null) {
			assigned.add(forLoop);
		}
		// candidate facts at the loop head
		Map<String, EObject> candidates = new LinkedHashMap<>();
		for (EObject v : assigned) {
			Term t = st.env.get(v);
			if (t != null && t.sort() == Sort.OBJ) {
				candidates.put("own " + org.lockspec.naming.NameOf.name(v), v);
			}
		}
		Set<String> kept = new java.util.LinkedHashSet<>();
		List<String[]> onEntry = new ArrayList<>();
		for (var c : candidates.entrySet()) {
			Term t = st.env.get(c.getValue());
			List<String> q = new ArrayList<>(st.facts);
			q.add("(not (or (= " + t.text() + " null) (>= (" + at("|own!|", st) + " " + t.text() + ") 1)))");
			onEntry.add(script(q));
		}
		List<SolverResult> entryAnswers = checkAll(onEntry);
		int ci = 0;
		for (String c : candidates.keySet()) {
			if (entryAnswers.get(ci++).isUnsat()) {
				kept.add(c);
			}
		}
		debug("loop at line " + Sites.line(loop) + ": candidates " + candidates.keySet() + ", hold on entry: " + kept);
		boolean changed = true;
		while (changed && !kept.isEmpty()) {
			changed = false;
			boolean saved = houdini;
			houdini = true;
			Set<String> dropped = new java.util.LinkedHashSet<>();
			St head = loopHead(st, body, assigned, cond, forLoop, kept, candidates);
			testAlone(head, loop);
			// every path's question, asked together once the body is explored
			List<String> asked = new ArrayList<>();
			List<String[]> scripts = new ArrayList<>();
			exec(body.getStatements(), 0, head, back -> {
				for (String c : kept) {
					Term t = back.env.get(candidates.get(c));
					if (t == null) {
						continue;
					}
					List<String> q = new ArrayList<>(back.facts);
					q.add("(not (or (= " + t.text() + " null) (>= (" + at("|own!|", back) + " " + t.text() + ") 1)))");
					asked.add(c);
					scripts.add(script(q));
				}
			});
			List<SolverResult> answers = checkAll(scripts);
			for (int i = 0; i < answers.size(); i++) {
				if (!answers.get(i).isUnsat()) {
					dropped.add(asked.get(i));
				}
			}
			houdini = saved;
			if (!dropped.isEmpty()) {
				debug("  not preserved by an iteration: " + dropped);
				kept.removeAll(dropped);
				changed = true;
			}
		}
		St head = loopHead(st, body, assigned, cond, forLoop, kept, candidates);
		testAlone(head, loop);
		exec(body.getStatements(), 0, head, back -> endStep(back, back.op, loop, "an iteration of the loop at line "
				+ Sites.line(loop)));
		// what every iteration keeps also holds where the loop is left
		St exit = loopHead(st, body, assigned, null, null, kept, candidates);
		if (cond != null) {
			Term c = eval(exit, cond);
			if (c.sort() == Sort.BOOL) {
				exit.facts.add("(not " + c.text() + ")");
			}
			testAlone(exit, loop);
		}
		next.accept(exit);
	}

	private St loopHead(St st, Block body, Set<EObject> assigned, Expression cond, ForStmt forLoop, Set<String> kept,
			Map<String, EObject> candidates) {
		St head = st.copy();
		head.stepStart = forLoop != null ? forLoop : cond;
		beginStep(head, head.op);
		if (changesOwnReferences(body)) {
			// after any number of iterations the thread's own references are what the candidates say, no more
			write(head, "own!", "(forall ((o Obj)) (>= (%new% o) 0))");
		}
		for (EObject v : assigned) {
			Term old = head.env.get(v);
			Sort sort = old != null ? old.sort() : Sort.OBJ;
			String c = smt.declareConst("loop!" + org.lockspec.naming.NameOf.name(v) + "!" + fresh++, sort);
			head.env.put(v, new Term(c, sort));
			if (sort == Sort.OBJ) {
				SpecType t = SpecTypes.typeOfDeclaration(v);
				typeFact(head, t.objectType(), c);
			}
		}
		for (String k : kept) {
			Term t = head.env.get(candidates.get(k));
			head.facts.add("(or (= " + t.text() + " null) (>= (" + at("|own!|", head) + " " + t.text() + ") 1))");
		}
		if (forLoop != null && forLoop.getList() instanceof MemberAccess m) {
			Term elem = head.env.get(forLoop);
			Term owner = eval(head, m.getReceiver());
			head.facts.add("(not (= " + elem.text() + " null))");
			head.facts.add(at("(|linked!" + name(m.getMember()) + "| " + elem.text() + " " + owner.text() + ")", head));
		}
		if (cond != null) {
			Term c = eval(head, cond);
			if (c.sort() == Sort.BOOL) {
				head.facts.add(c.text());
			}
		}
		return head;
	}

	private static boolean changesOwnReferences(Block body) {
		return !EcoreUtil2.getAllContentsOfType(body, GetStmt.class).isEmpty()
				|| !EcoreUtil2.getAllContentsOfType(body, PutStmt.class).isEmpty()
				|| !EcoreUtil2.getAllContentsOfType(body, CallStmt.class).isEmpty();
	}

	/** A local names a value, not a read: bind it to a constant, defined by the read (which may go stale). */
	private Term bind(St st, EObject local, Term value) {
		if (!STATE_VERSIONED.matcher(value.text()).find()) {
			return value;
		}
		String c = smt.declareConst("l!" + org.lockspec.naming.NameOf.name(local) + "!" + fresh++, value.sort());
		st.facts.add("(= " + c + " " + value.text() + ")");
		if (value.sort() == Sort.OBJ) {
			typeFact(st, SpecTypes.typeOfDeclaration(local).objectType(), c);
		}
		return new Term(c, value.sort());
	}

	private static Set<EObject> assignedLocals(Block body) {
		Set<EObject> out = new java.util.LinkedHashSet<>();
		for (AssignStmt a : EcoreUtil2.getAllContentsOfType(body, AssignStmt.class)) {
			if (a.getTarget() instanceof VarRef r && r.getRef() instanceof LetStmt l) {
				out.add(l);
			}
		}
		return out;
	}

	private static String name(EObject feature) {
		EObject owner = feature.eContainer();
		return (owner instanceof ObjectType t ? t.getName() + "." : "") + org.lockspec.naming.NameOf.name(feature);
	}
}
