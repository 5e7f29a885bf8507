package org.lockspec.prover;

import java.time.Duration;
import java.util.List;

import org.lockspec.analysis.Budget;
import org.lockspec.model.Spec;
import org.lockspec.prover.check.Prover;
import org.lockspec.prover.mc.ModelChecker;
import org.lockspec.prover.solver.LazySolver;
import org.lockspec.verdict.SpecResult;
import org.lockspec.workspace.SpecSet;

/**
 * The prover as the front doors use it: the command line, the Eclipse builder,
 * the language server and the HTML report ask a {@code Proofs} for verdicts
 * and assemble no engine themselves. One {@code Proofs} is one run: it owns the
 * solver worker (started on the first query that needs Z3, killed at once when
 * the run is cancelled, closed with the run), the run's cancellation, and the
 * scenario engines a proof runs.
 *
 * <pre>
 * try (Proofs proofs = Proofs.open(Proofs.options().withTimeout(Duration.ofSeconds(60)))) {
 *     SpecResult result = proofs.prove(spec);
 * }
 * </pre>
 */
public final class Proofs implements AutoCloseable {

	private final Prover.Options options;
	private final LazySolver solver = new LazySolver();
	private final Budget.Registration stopsTheSolver;

	private Proofs(Prover.Options options) {
		this.options = options;
		this.stopsTheSolver = options.cancellation().onCancel(solver::cancel);
	}

	/**
	 * The options of a proof run with the scenario engine every front door runs (the explicit-state
	 * model checker; Z3's bounded model checking joins it with {@link Prover.Options#withCrossCheck}).
	 */
	public static Prover.Options options() {
		return Prover.Options.defaults().withEngines(List.of(new ModelChecker()));
	}

	/** {@link #options()} with a time budget for each spec's whole proof. */
	public static Prover.Options options(Duration timeout) {
		return options().withTimeout(timeout);
	}

	/** A run with these options; close it to stop its solver worker. */
	public static Proofs open(Prover.Options options) {
		return new Proofs(options);
	}

	/**
	 * Starts the solver worker now, for a caller that knows Z3 will be needed (inductive checks, the
	 * cross-check): its start overlaps the caller's own work, such as parsing the specs.
	 */
	public Proofs prestart() {
		solver.prestart();
		return this;
	}

	/** The verdicts of one spec, judged against its {@code expect} clauses. */
	public SpecResult prove(Spec spec) {
		return prove(spec, options.progress());
	}

	/** {@link #prove(Spec)}, telling {@code progress} how far a long proof is. */
	public SpecResult prove(Spec spec, Budget.Progress progress) {
		Prover.Options withProgress = options.withProgress(progress);
		// deeply nested specs recurse deeply: a large stack, as parsing has
		return SpecSet.onBigStack(() -> Prover.prove(spec, solver, withProgress));
	}

	/**
	 * Cancels the run: what is not decided yet ends {@code unknown} with {@code why}, and the solver's
	 * query under way answers at once. The run's other users see the same cancellation.
	 */
	public void cancel(String why) {
		options.cancellation().cancel(why);
	}

	@Override
	public void close() {
		stopsTheSolver.close();
		solver.close();
	}
}
