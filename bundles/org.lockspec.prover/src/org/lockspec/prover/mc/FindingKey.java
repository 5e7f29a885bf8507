package org.lockspec.prover.mc;

import org.lockspec.verdict.Obligation;

/**
 * What a scenario engine found, named the same way by the explicit search and by
 * Z3's bounded model checking, so that the cross-check matches the two: a
 * deadlock, a broken invariant, a race on a field, or a finding of a step (its
 * obligation and subject: {@code AA}, {@code sleep}, {@code leak}, ...).
 * {@link #toString()} is how the cross-check's report writes it.
 */
public record FindingKey(Kind kind, Obligation obligation, String subject) {

	public enum Kind {
		/** No thread can go on and not all are done. */
		DEADLOCK,
		/** An invariant fails in a reachable state; the subject is its name. */
		INVARIANT,
		/** Two threads about to access one field, one writing; the subject is the field's location. */
		RACE,
		/** A step's own finding (lock misuse, sleep in atomic context, a refcount or an assert). */
		STEP
	}

	static FindingKey deadlock() {
		return new FindingKey(Kind.DEADLOCK, Obligation.SCENARIO_DEADLOCK, null);
	}

	static FindingKey invariant(String name) {
		return new FindingKey(Kind.INVARIANT, Obligation.SCENARIO_INVARIANT, name);
	}

	static FindingKey race(String location) {
		return new FindingKey(Kind.RACE, Obligation.SCENARIO_RACE, location);
	}

	static FindingKey step(Obligation obligation, String subject) {
		return new FindingKey(Kind.STEP, obligation, subject);
	}

	/** The same key with the objects made by {@code new} named alike (the two engines number them apart). */
	FindingKey normal() {
		return subject == null ? this
				: new FindingKey(kind, obligation, subject.replaceAll("#new\\d+", "#new").replaceAll("#\\d+", "#new"));
	}

	@Override
	public String toString() {
		return switch (kind) {
		case DEADLOCK -> "deadlock";
		case INVARIANT -> "inv:" + subject;
		case RACE -> "race:" + subject;
		case STEP -> obligation.id() + ":" + subject;
		};
	}
}
