package org.lockspec.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A replay scheduler: runs a scenario once, forcing a given interleaving step
 * by step. The script is the prover's counterexample: which thread (lane) runs
 * which step (its spec line), in order. Only one thread runs at a time; a
 * thread waits at each step point until the script gives it the turn, and the
 * line it stands at must be the script's (otherwise the replay has diverged
 * and says where). A step marked {@code waits} is one where the thread blocks
 * (the end of a deadlock). When the script is over the run stops, and the
 * caller checks what the validator saw and which invariants fail.
 */
public final class Replay implements Schedule {

	/** One step of the script: thread {@code lane} runs the step at {@code line} (-1: returns). */
	public record Event(int lane, int line, boolean waits, int choice) {
		@Override
		public String toString() {
			return "thread " + lane + (line < 0 ? " returns" : " at line " + line) + (waits ? " (blocks)" : "")
					+ (choice >= 0 ? " (branch " + (choice + 1) + ")" : "");
		}
	}

	/** Thread {@code lane} runs the step at {@code line}. */
	public static Event at(int lane, int line) {
		return new Event(lane, line, false, -1);
	}

	/** Thread {@code lane} blocks at the step at {@code line}. */
	public static Event waits(int lane, int line) {
		return new Event(lane, line, true, -1);
	}

	/** Thread {@code lane} takes branch {@code branch} (0-based) of the {@code choose} at {@code line}. */
	public static Event chooses(int lane, int line, int branch) {
		return new Event(lane, line, false, branch);
	}

	/** Thread {@code lane} returns from its op. */
	public static Event returns(int lane) {
		return new Event(lane, -1, false, -1);
	}

	/** The outcome of a replay. */
	public record Result(boolean completed, int executed, int total, Validator validator, List<String> failingInvariants,
			String divergence) {

		public boolean has(Report.Kind kind) {
			return validator.has(kind);
		}

		public boolean has(Report.Kind kind, String subject) {
			return validator.has(kind, subject);
		}

		public String describe() {
			return (completed ? "replayed all " + total + " steps" : "replay stopped after " + executed + " of " + total
					+ " steps") + (divergence == null ? "" : ": " + divergence) + "\n" + validator.describe().strip()
					+ (failingInvariants.isEmpty() ? "" : "\ninvariants broken: " + String.join(", ", failingInvariants));
		}
	}

	private final List<Event> script;
	private int index;
	private Participant running;
	private String divergence;
	private ScenarioRun run;

	private Replay(List<Event> script) {
		this.script = List.copyOf(script);
	}

	/**
	 * Replays {@code script} on the scenario {@code setup} builds (as for {@link
	 * Stress#run}) with a fresh validator, and returns what happened.
	 */
	public static Result run(List<Event> script, Function<ScenarioRun, Supplier<List<String>>> setup) {
		Replay replay = new Replay(script);
		Validator validator = new Validator();
		ScenarioRun run = new ScenarioRun(validator, replay, 1);
		replay.run = run;
		Supplier<List<String>> invariants = setup.apply(run);
		run.execute(Duration.ofSeconds(30), replay::over);
		List<String> failing = new ArrayList<>(invariants.get());
		synchronized (Kernel.M) {
			if (replay.divergence != null) {
				validator.report(new Report(Report.Kind.REPLAY_DIVERGED, "replay", replay.divergence));
			}
			return new Result(replay.index >= replay.script.size() && replay.divergence == null, replay.index,
					replay.script.size(), validator, failing, replay.divergence);
		}
	}

	/** Monitor held. */
	private boolean over() {
		return divergence != null || index >= script.size() && running == null;
	}

	private void diverge(String why) {
		if (divergence == null) {
			divergence = "at step " + (index + 1) + " of " + script.size() + ": " + why;
		}
		run.stop();
	}

	@Override
	public void step(Participant p, int line) throws InterruptedException {
		turnOver(p);
		p.parked = true;
		Kernel.M.notifyAll();
		while (true) {
			if (p.run.stopped()) {
				throw new ScenarioRun.Stopped();
			}
			if (index < script.size() && running == null && othersSettled(p)) {
				Event e = script.get(index);
				if (e.lane() == p.lane) {
					if (e.line() != line) {
						diverge(p.name + " is " + (line < 0 ? "returning" : "at line " + line) + ", but the script has it "
								+ (e.line() < 0 ? "return" : "at line " + e.line()));
						throw new ScenarioRun.Stopped();
					}
					running = p;
					p.parked = false;
					p.choice = e.choice();
					return;
				}
			}
			Kernel.M.wait(200);
		}
	}

	/**
	 * Every other thread stands at a step point, is blocked or has ended: a thread that has not reached its
	 * first step yet stands, for the prover, at its first statement already (a writer there holds up
	 * readers), so no turn is given until it gets there. Monitor held.
	 */
	private boolean othersSettled(Participant p) {
		for (Participant q : run.participants()) {
			if (q != p && !q.parked && q.state == Participant.State.RUNNING) {
				return false;
			}
		}
		return true;
	}

	@Override
	public void blocking(Participant p) {
		if (running != p) {
			return;
		}
		if (!script.get(index).waits()) {
			diverge(p.name + " blocks at line " + p.line + " waiting for " + p.waitingFor
					+ ", but in the script it goes on");
			return;
		}
		running = null;
		index++;
		Kernel.M.notifyAll();
	}

	@Override
	public void idles(Participant p) {
		turnOver(p);
	}

	@Override
	public void ended(Participant p) {
		turnOver(p);
	}

	/** The step {@code p} took, if it has the turn, is done. Monitor held. */
	private void turnOver(Participant p) {
		if (running == p) {
			running = null;
			index++;
			Kernel.M.notifyAll();
		}
	}

	@Override
	public int choose(Participant p, int n) {
		int c = p.choice;
		if (c < 0 || c >= n) {
			synchronized (Kernel.M) {
				diverge(p.name + " chooses at line " + p.line + ", but the script names no branch");
			}
			throw new ScenarioRun.Stopped();
		}
		return c;
	}

	@Override
	public boolean exclusive() {
		return true;
	}
}
