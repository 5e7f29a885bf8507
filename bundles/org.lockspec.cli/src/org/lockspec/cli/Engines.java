package org.lockspec.cli;

import java.util.List;

import org.lockspec.prover.check.Prover;

/** The scenario engines the command line runs. */
final class Engines {

	private Engines() {
	}

	static List<Prover.ScenarioEngine> all() {
		return List.of(new org.lockspec.prover.mc.ModelChecker());
	}
}
