package org.lockspec.prover.tests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.lockspec.prover.Proofs;
import org.lockspec.prover.check.Prover;
import org.lockspec.prover.solver.SolverSession;
import org.lockspec.verdict.Obligation;
import org.lockspec.verdict.SpecResult;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Verdict;
import org.lockspec.workspace.Problem;
import org.lockspec.workspace.SpecSet;

/**
 * The differential oracle: proves a spec with every engine and holds their
 * conclusions against each other. A disagreement is one of
 * <ul>
 * <li>{@code invalid}: the random spec does not check clean (a bug of the generator);</li>
 * <li>{@code crash}: an engine threw, or gave up because it could not run;</li>
 * <li>{@code contradiction}: the prover's own cross-engine check fired: an
 * invariant proved inductive that a scenario breaks, or a scenario deadlock in
 * a cycle of lock waits under a proved lock order;</li>
 * <li>{@code cross_check}: the explicit search and Z3's BMC disagree on a scenario.</li>
 * </ul>
 * The tests run a fixed seed range ({@code OracleTest}); {@code bench/oracle}
 * runs as many as asked and prints the seed of every disagreement.
 */
public final class Oracle {

	/** What to run: the inductive check and the BMC cross-check (unrolled {@code crossCheckSteps}) cost Z3 time. */
	public record Depth(boolean inductive, int crossCheckSteps) {
		public static final Depth FAST = new Depth(false, 0);
		public static final Depth FULL = new Depth(true, 8);
	}

	public record Disagreement(long seed, String kind, String detail) {
		@Override
		public String toString() {
			return "seed " + Long.toUnsignedString(seed) + ": " + kind + ": " + detail;
		}
	}

	private Oracle() {
	}

	/** The disagreements on one spec text ({@code dir}: where to write it). */
	public static List<Disagreement> check(long seed, String text, Path dir, SolverSession solver, Depth depth)
			throws Exception {
		Path file = Files.writeString(dir.resolve("s" + Long.toUnsignedString(seed) + ".lockspec"), text);
		try {
			return check(seed, file, solver, depth);
		} finally {
			Files.deleteIfExists(file);
		}
	}

	public static List<Disagreement> check(long seed, Path file, SolverSession solver, Depth depth) {
		List<Disagreement> out = new ArrayList<>();
		SpecSet.FileResult loaded = SpecSet.load(List.of(file), List.of()).results().get(0);
		if (loaded.hasErrors() || loaded.spec() == null) {
			out.add(new Disagreement(seed, "invalid", loaded.problems().stream().map(Problem::format).toList().toString()));
			return out;
		}
		Prover.Options options = Proofs.options()
				.withInductive(depth.inductive()).withCrossCheck(depth.crossCheckSteps());
		SpecResult r;
		try {
			r = SpecSet.onBigStack(() -> Prover.prove(loaded.spec(), solver, options));
		} catch (RuntimeException | Error e) {
			out.add(new Disagreement(seed, "crash", e.toString()));
			return out;
		}
		for (Verdict v : r.verdicts()) {
			if (v.obligation() == Obligation.CONTRADICTION) {
				out.add(new Disagreement(seed, "contradiction", v.message() + " " + v.details()));
			} else if (v.obligation() == Obligation.SCENARIO_CROSS_CHECK && v.status() == Status.VIOLATED) {
				out.add(new Disagreement(seed, "cross_check", v.id() + ": " + v.message() + " " + v.details()));
			} else if (v.status() == Status.UNKNOWN && v.message().contains("could not run")) {
				out.add(new Disagreement(seed, "crash", v.id() + ": " + v.message()));
			}
		}
		return out;
	}
}
