package org.lockspec.verdict;

/** The kinds of obligation Lockspec checks, with the {@code expect} kind each answers to. */
public enum Obligation {
	LOCK_ORDER("lock_order", "deadlock", "lock order: no cycle of lock dependencies (deadlock freedom)"),
	/** A cycle of lock classes that lockdep reports although no CPUs can deadlock on it (LockOrderCheck says why). */
	LOCKDEP_ONLY("lockdep_only", "lockdep_splat",
			"lockdep's view: no cycle that lockdep reports although it cannot deadlock (a splat to annotate)"),
	WAIT_CONTEXT("wait_context", "sleep_in_atomic", "wait context: nothing sleeps in atomic context"),
	IRQ_SAFETY("irq_safety", "irq_inversion", "IRQ safety: no lock both used in interrupts and taken with them enabled"),
	GUARDED_FIELDS("guarded_fields", "race", "guarded fields: every access holds one of the field's locks"),
	HYGIENE("lock_hygiene", "lock_misuse", "lock hygiene: no double lock, no stray unlock, nothing left held"),
	SCENARIO_RACE("race", "race", "no data race between the scenario's threads"),
	SCENARIO_DEADLOCK("deadlock", "deadlock", "no deadlock in any interleaving"),
	SCENARIO_MEMORY("use_after_free", "use_after_free", "no use of a freed object"),
	SCENARIO_REFCOUNT("refcount", "refcount_error", "refcounts: no underflow, no free while linked, no leak"),
	SCENARIO_INVARIANT("invariant", "violation", "invariants and assertions hold in every reachable state"),
	SCENARIO_SLEEP("sleep_in_atomic", "sleep_in_atomic", "nothing sleeps in atomic context in the scenario"),
	SCENARIO_HYGIENE("lock_misuse", "lock_misuse", "lock hygiene in the scenario"),
	SCENARIO_CROSS_CHECK("cross_check", "cross_check",
			"the explicit-state search and Z3's bounded model checking agree on the scenario"),
	INDUCTIVE_INVARIANT("inductive", "inductive", "the invariant is inductive (holds for any number of objects)"),
	/** Two engines concluded differently about one property: one of them is wrong, and no expect clause can announce it. */
	CONTRADICTION("contradiction", "contradiction",
			"the engines agree: no property is proved by one and refuted by another");

	private final String id;
	private final String expectKind;
	private final String title;

	Obligation(String id, String expectKind, String title) {
		this.id = id;
		this.expectKind = expectKind;
		this.title = title;
	}

	public String id() {
		return id;
	}

	/** The literal of the {@code expect} kind that announces a violation of this obligation. */
	public String expectKind() {
		return expectKind;
	}

	public String title() {
		return title;
	}
}
