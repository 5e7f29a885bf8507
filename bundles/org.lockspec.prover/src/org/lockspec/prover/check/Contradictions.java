package org.lockspec.prover.check;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.lockspec.verdict.Obligation;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Verdict;

/**
 * The engines check each other. Where two of them conclude differently about
 * one property, one of them is wrong, and the spec fails with a
 * {@link Obligation#CONTRADICTION} verdict that names both sides (no
 * {@code expect} clause can announce it):
 * <ul>
 * <li>an invariant proved inductive (Z3, for any number of objects) that a
 * scenario breaks in a reachable state, from an initial state where every
 * invariant held (induction proves preservation, not the initial state);</li>
 * <li>a scenario deadlock in which blocked threads wait for each other in a
 * cycle of locks and gates, while the lock-order obligation is proved: such a
 * cycle of waits is a cycle of lock dependencies that the static check must
 * have seen.</li>
 * </ul>
 * The explicit search and the BMC are compared by {@code mc.CrossCheck}
 * (a violated {@code cross_check} verdict, unannounceable too).
 */
final class Contradictions {

	private Contradictions() {
	}

	/**
	 * A proof that assumed the spec's invariants (a nesting by depth assumes them) is undecided once a
	 * scenario breaks one of them: it rested on a claim another engine refuted. So is an inductive proof
	 * when the guarded fields are not proved to be accessed under their locks: induction rests on that.
	 */
	static List<Verdict> withRefutedAssumptions(List<Verdict> verdicts) {
		Verdict undisciplined = unprovedGuards(verdicts);
		List<Verdict> out = new ArrayList<>();
		for (Verdict v : verdicts) {
			Verdict broken = v.status() == Status.PROVED && v.proof().get("assumes") instanceof List<?> assumed
					? brokenInvariant(verdicts, assumed) : null;
			if (broken != null) {
				out.add(v.withStatus(Status.UNKNOWN, "undecided: the proof assumed invariant " + broken.subject() + ", which "
						+ broken.id() + " breaks (" + v.message() + ")"));
			} else if (undisciplined != null && v.status() == Status.PROVED
					&& v.obligation() == Obligation.INDUCTIVE_INVARIANT) {
				out.add(v.withStatus(Status.UNKNOWN, "undecided: the proof assumed that every guarded field is accessed "
						+ "under its locks (a critical section is one step for what they guard, and a lock's invariant "
						+ "holds for those that do not hold it), which " + undisciplined.id() + " does not establish ("
						+ undisciplined.message() + ")"));
			} else {
				out.add(v);
			}
		}
		return out;
	}

	/** A guarded-fields verdict that is not proved: the {@code guarded_by} discipline induction rests on. */
	private static Verdict unprovedGuards(List<Verdict> verdicts) {
		for (Verdict v : verdicts) {
			if (v.obligation() == Obligation.GUARDED_FIELDS && v.status() != Status.PROVED) {
				return v;
			}
		}
		return null;
	}

	private static Verdict brokenInvariant(List<Verdict> verdicts, List<?> names) {
		for (Verdict v : verdicts) {
			if (v.obligation() == Obligation.SCENARIO_INVARIANT && v.status() == Status.VIOLATED
					&& names.contains(v.subject())) {
				return v;
			}
		}
		return null;
	}

	static List<Verdict> find(List<Verdict> verdicts) {
		List<Verdict> out = new ArrayList<>();
		Verdict lockOrder = byId(verdicts, Obligation.LOCK_ORDER.id());
		Set<String> provedInductive = new HashSet<>();
		for (Verdict v : verdicts) {
			if (v.obligation() == Obligation.INDUCTIVE_INVARIANT && v.status() == Status.PROVED) {
				provedInductive.add(v.subject());
			}
		}
		for (Verdict v : verdicts) {
			if (v.status() != Status.VIOLATED) {
				continue;
			}
			if (v.obligation() == Obligation.SCENARIO_DEADLOCK
					&& List.of("locks", "completions").contains(v.proof().get("waitCycle"))
					&& lockOrder != null && lockOrder.status() == Status.PROVED) {
				out.add(contradiction(v, lockOrder, "scenario " + scenarioOf(v) + " deadlocks in a cycle of threads "
						+ "waiting for locks (or gates) that the next one holds, or for a completion that the next one would "
						+ "complete, yet the lock-order obligation is proved ("
						+ lockOrder.message() + ")"));
			}
			if (v.obligation() == Obligation.SCENARIO_INVARIANT && provedInductive.contains(v.subject())
					&& reachedFromValidStart(v, verdicts)) {
				Verdict proof = byId(verdicts, Obligation.INDUCTIVE_INVARIANT.id() + "/" + v.subject());
				out.add(contradiction(v, proof, "invariant " + v.subject() + " is proved inductive, yet scenario "
						+ scenarioOf(v) + " breaks it after " + v.proof().get("depth")
						+ " steps from an initial state where every invariant holds"));
			}
		}
		return out;
	}

	/** The finding is past the initial state, and no invariant of its scenario is broken initially. */
	private static boolean reachedFromValidStart(Verdict finding, List<Verdict> verdicts) {
		if (!(finding.proof().get("depth") instanceof Integer d) || d == 0) {
			return false;
		}
		for (Verdict v : verdicts) {
			if (Objects.equals(v.scenario(), finding.scenario()) && v.obligation() == Obligation.SCENARIO_INVARIANT
					&& v.status() == Status.VIOLATED && Integer.valueOf(0).equals(v.proof().get("depth"))) {
				return false;
			}
		}
		return true;
	}

	private static Verdict contradiction(Verdict refuted, Verdict proved, String message) {
		Obligation ob = Obligation.CONTRADICTION;
		return new Verdict(ob.id() + "/" + refuted.id(), ob, Status.VIOLATED,
				"contradiction: " + message + "; one of the two engines is wrong: report it", refuted.location(),
				refuted.subject(), refuted.trace(), Map.of(),
				proved.engine() + " vs " + refuted.engine(),
				List.of("proved (" + proved.engine() + "): " + proved.id() + ": " + proved.message(),
						"violated (" + refuted.engine() + "): " + refuted.id() + ": " + refuted.message()));
	}

	private static String scenarioOf(Verdict v) {
		return v.scenario() == null ? "?" : v.scenario();
	}

	private static Verdict byId(List<Verdict> verdicts, String id) {
		for (Verdict v : verdicts) {
			if (v.id().equals(id)) {
				return v;
			}
		}
		return null;
	}
}
