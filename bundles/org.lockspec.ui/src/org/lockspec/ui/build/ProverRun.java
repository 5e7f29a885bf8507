package org.lockspec.ui.build;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.lockspec.analysis.Budget;
import org.lockspec.prover.Proofs;
import org.lockspec.verdict.SpecResult;
import org.lockspec.ui.Specs;
import org.lockspec.workspace.SpecSet;

/**
 * One proof of one spec, as {@code lockspec prove} does it: load and validate
 * ({@link SpecSet}), then {@link Proofs} (the scenario engine, and Z3 in a
 * worker process). Cancelling the monitor kills the Z3 worker at once and
 * abandons the run.
 */
public final class ProverRun {

	/** Time for a spec's whole proof in the IDE: past it, what is not decided is unknown. */
	public static final Duration TIMEOUT = Duration.ofSeconds(30);

	/** What a run gave: the load (with its problems) and, for a spec without errors, the verdicts. */
	public record Outcome(Path path, String text, SpecSet.FileResult load, SpecResult result) {
	}

	private ProverRun() {
	}

	public static Outcome run(Path path, String text, IProgressMonitor monitor) {
		SpecSet.FileResult load = Specs.load(path, text);
		if (load.hasErrors() || load.unreadable() || load.spec() == null) {
			return new Outcome(path, text, load, null);
		}
		if (monitor.isCanceled()) {
			throw new OperationCanceledException();
		}
		// the job's progress shows how far a long proof is (the engine at work, how much it did)
		Budget.Progress progress = (what, count, unit, depth) -> monitor
				.subTask(path.getFileName() + ": " + what + ": " + String.format("%,d", count) + " " + unit);
		Proofs proofs = Proofs.open(Proofs.options(TIMEOUT));
		AtomicReference<SpecResult> result = new AtomicReference<>();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		Thread worker = new Thread(() -> {
			try {
				result.set(proofs.prove(load.spec(), progress));
			} catch (Throwable t) { // NOPMD: reported to the caller
				failure.set(t);
			} finally {
				proofs.close();
			}
		}, "lockspec-prove " + path.getFileName());
		worker.setDaemon(true);
		worker.start();
		try {
			while (worker.isAlive()) {
				worker.join(100);
				if (monitor.isCanceled()) {
					proofs.cancel("cancelled"); // kills the Z3 worker process now
					throw new OperationCanceledException();
				}
			}
		} catch (InterruptedException e) {
			proofs.cancel("cancelled");
			Thread.currentThread().interrupt();
			throw new OperationCanceledException();
		}
		if (failure.get() instanceof RuntimeException re) {
			throw re;
		}
		if (failure.get() instanceof Error err) {
			throw err;
		}
		return new Outcome(path, text, load, result.get());
	}
}
