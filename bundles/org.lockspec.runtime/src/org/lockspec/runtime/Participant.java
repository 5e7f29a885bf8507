package org.lockspec.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** A thread as the runtime sees it: its context, held stack, references taken, where it is and what it waits for. */
final class Participant {

	enum State {
		NEW, RUNNING, BLOCKED, DONE
	}

	final String name;
	final int lane;
	final Context context;
	final ScenarioRun run;
	final Validator validator;
	final List<Held> held = new ArrayList<>();
	/** The classes of the locks it took (not by trylock) and of the waits it made, in order: what its completions depend on. */
	final List<String> passed = new ArrayList<>();
	final Map<Kref, Integer> refs = new LinkedHashMap<>();
	/** The spec line of the step the thread is at (0: not generated code). */
	int line;
	State state = State.NEW;
	/** What a blocked thread waits for: a lock, a gate (drain), a completion, a run of a work, an irq's thread, an SRCU grace period or a runtime PM callback ({@link Awaited}) or {@link Kernel#CHANGE} (wait until). */
	Object waitingFor;
	/** Set when a detected deadlock releases this thread. */
	Report deadlock;
	/** The branch a replayed {@code choose} takes. */
	int choice = -1;
	/**
	 * The lock whose write side the thread stands at (its next step takes it), or null: a writer there
	 * holds up new readers of a lock that others hold, as the prover's scenario engine has it.
	 */
	java.util.function.Supplier<KernelLock> standingToWrite;
	/**
	 * An IRQ thread (it waits for interrupts for as long as its line is requested) or the PM workqueue's kworker
	 * (it stands by for ever): a run ends without it.
	 */
	boolean daemon;
	/** An IRQ thread between two runs of its function, a PM kworker between two suspends: a stress run may end there. */
	boolean betweenRuns;
	/** A replay: the thread waits at a step point for its turn (it has got there). */
	boolean parked;
	final SplittableRandom random;

	Participant(String name, int lane, Context context, ScenarioRun run, Validator validator, long seed) {
		this.name = name;
		this.lane = lane;
		this.context = context;
		this.run = run;
		this.validator = validator;
		this.random = new SplittableRandom(seed);
	}

	String site() {
		if (line > 0) {
			return "line " + line;
		}
		return StackWalker.getInstance().walk(s -> s
				.filter(f -> !f.getClassName().startsWith(Kernel.class.getPackageName() + ".")
						|| f.getClassName().contains(".tests."))
				.findFirst().map(f -> f.getFileName() + ":" + f.getLineNumber()).orElse("?"));
	}

	String heldText() {
		if (held.isEmpty()) {
			return "nothing";
		}
		List<String> out = new ArrayList<>();
		for (Held h : held) {
			out.add(h.describe());
		}
		return String.join(", ", out);
	}

	boolean irqsOff() {
		for (Held h : held) {
			if (h.irqsave()) {
				return true;
			}
		}
		return false;
	}

	@Override
	public String toString() {
		return name;
	}
}
