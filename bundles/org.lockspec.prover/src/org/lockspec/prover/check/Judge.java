package org.lockspec.prover.check;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.xtext.EcoreUtil2;
import org.lockspec.analysis.Sites;
import org.lockspec.model.ExpectKind;
import org.lockspec.model.Expectation;
import org.lockspec.model.Expression;
import org.lockspec.model.MemberAccess;
import org.lockspec.model.Scenario;
import org.lockspec.model.Spec;
import org.lockspec.model.VarRef;
import org.lockspec.naming.NameOf;
import org.lockspec.verdict.Location;
import org.lockspec.verdict.SpecResult;
import org.lockspec.verdict.SpecResult.Expectation.Result;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Verdict;

/**
 * Compares verdicts with the spec's {@code expect} clauses. A violation must be
 * announced by an expectation of its kind (in its scenario, or at the top level),
 * and every expectation must come true: a violation of its kind exists, or for
 * {@code proved}/{@code safe}, nothing in its scope is violated or unknown.
 */
final class Judge {

	private Judge() {
	}

	static SpecResult judge(Spec spec, List<Verdict> all, long millis, boolean scenariosChecked) {
		// a cross-check that could not run or was undecided is reported, but it does not make the
		// explicit search's verdicts undecided; a disagreement (violated) fails the spec
		List<Verdict> verdicts = all.stream().filter(v -> v.obligation() != org.lockspec.verdict.Obligation.SCENARIO_CROSS_CHECK
				|| v.status() != Status.UNKNOWN).toList();
		List<SpecResult.Expectation> results = new ArrayList<>();
		Set<Verdict> announced = new HashSet<>();
		for (Expectation e : EcoreUtil2.getAllContentsOfType(spec, Expectation.class)) {
			Scenario scenario = e.eContainer() instanceof Scenario s ? s : null;
			List<Verdict> scope = new ArrayList<>();
			for (Verdict v : verdicts) {
				boolean inScenario = v.scenario() != null;
				// top-level expectations of a kind also announce scenario findings (race on T.f covers a.f);
				// 'expect proved' is about the top-level obligations only
				boolean inScope = scenario == null ? !inScenario || e.getKind() != ExpectKind.PROVED
						: scenario.getName().equals(v.scenario());
				if (inScope) {
					scope.add(v);
				}
			}
			Location at = Location.of(e);
			String text = Sites.text(e);
			String where = scenario == null ? null : scenario.getName();
			if (e.getKind() == ExpectKind.PROVED || e.getKind() == ExpectKind.SAFE) {
				List<Verdict> bad = scope.stream().filter(v -> v.status() == Status.VIOLATED).toList();
				List<Verdict> unknown = scope.stream().filter(v -> v.status() == Status.UNKNOWN).toList();
				if (!bad.isEmpty()) {
					results.add(new SpecResult.Expectation(text, at, where, Result.NOT_MET,
							"violated: " + bad.get(0).id() + ": " + bad.get(0).message()));
				} else if (!unknown.isEmpty() || scenario != null && !scenariosChecked) {
					results.add(new SpecResult.Expectation(text, at, where, Result.UNKNOWN, unknown.isEmpty()
							? "the scenario's interleavings were not explored" : unknown.get(0).id() + ": " + unknown.get(0).message()));
				} else {
					results.add(new SpecResult.Expectation(text, at, where, Result.MET, scope.size() + " obligations hold"));
				}
				continue;
			}
			if (e.getKind() == ExpectKind.INDUCTIVE) {
				// the one expectation that asks for a proof of one obligation
				List<Verdict> matching = scope.stream().filter(v -> matches(e, v)).toList();
				Verdict v = matching.isEmpty() ? null : matching.get(0);
				results.add(v == null
						? new SpecResult.Expectation(text, at, where, Result.NOT_MET, "no inductive check ran")
						: new SpecResult.Expectation(text, at, where, v.status() == Status.PROVED ? Result.MET
								: v.status() == Status.UNKNOWN ? Result.UNKNOWN : Result.NOT_MET, v.id() + ": " + v.message()));
				continue;
			}
			List<Verdict> matching = scope.stream().filter(v -> matches(e, v)).toList();
			List<Verdict> violated = matching.stream().filter(v -> v.status() == Status.VIOLATED).toList();
			announced.addAll(violated);
			if (!violated.isEmpty()) {
				results.add(new SpecResult.Expectation(text, at, where, Result.MET, violated.get(0).id() + ": "
						+ violated.get(0).message()));
			} else if (matching.stream().anyMatch(v -> v.status() == Status.UNKNOWN)
					|| scenario != null && !scenariosChecked && !isStaticKind(e)) {
				results.add(new SpecResult.Expectation(text, at, where, Result.UNKNOWN,
						matching.isEmpty() ? "the scenario's interleavings were not explored"
								: "undecided: " + matching.stream().filter(v -> v.status() == Status.UNKNOWN).findFirst()
										.map(Verdict::message).orElse("")));
			} else {
				results.add(new SpecResult.Expectation(text, at, where, Result.NOT_MET,
						matching.isEmpty() ? "no obligation of this kind was violated"
								: matching.get(0).id() + " " + matching.get(0).status().label() + ": " + matching.get(0).message()));
			}
		}
		List<Verdict> unannounced = new ArrayList<>();
		for (Verdict v : verdicts) {
			if (v.status() == Status.VIOLATED && !announced.contains(v)) {
				unannounced.add(v);
			}
		}
		boolean unexpected = !unannounced.isEmpty() || results.stream().anyMatch(r -> r.result() == Result.NOT_MET);
		boolean unknown = verdicts.stream().anyMatch(v -> v.status() == Status.UNKNOWN)
				|| results.stream().anyMatch(r -> r.result() == Result.UNKNOWN);
		SpecResult.Outcome outcome = unexpected ? SpecResult.Outcome.UNEXPECTED
				: unknown ? SpecResult.Outcome.UNKNOWN : SpecResult.Outcome.AS_EXPECTED;
		return new SpecResult(spec.getName(), Location.of(spec).file(), all, results, unannounced, outcome, millis);
	}

	private static boolean isStaticKind(Expectation e) {
		return e.getKind() == ExpectKind.RACE;
	}

	private static boolean matches(Expectation e, Verdict v) {
		if (!v.obligation().expectKind().equals(e.getKind().getLiteral())) {
			return false;
		}
		if (e.getKind() == ExpectKind.RACE) {
			return raceMatches(e.getTarget(), v);
		}
		if (e.getKind() == ExpectKind.VIOLATION || e.getKind() == ExpectKind.INDUCTIVE) {
			return e.getInvariant() != null && e.getInvariant().getName() != null
					&& e.getInvariant().getName().equals(v.subject());
		}
		return true;
	}

	/** {@code race on x.f} names an instance's field, {@code race on T.f} a type's: subjects list both forms. */
	private static boolean raceMatches(Expression target, Verdict v) {
		if (v.subject() == null) {
			return false;
		}
		String name;
		if (target instanceof MemberAccess m && m.getReceiver() instanceof VarRef r) {
			name = NameOf.name(r.getRef()) + "." + NameOf.name(m.getMember());
		} else if (target instanceof VarRef r) {
			name = NameOf.name(r.getRef());
		} else {
			return false;
		}
		for (String subject : v.subject().split(",")) {
			if (subject.equals(name)) {
				return true;
			}
		}
		return false;
	}
}
