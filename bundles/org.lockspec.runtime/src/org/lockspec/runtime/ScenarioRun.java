package org.lockspec.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One execution of a scenario: its threads (each runs one op in its context),
 * the validator that watches them and the schedule that interleaves them.
 * {@link Stress} runs a scenario many times, {@link Replay} once in a given
 * interleaving. A thread that ends is checked like the prover's: no lock left
 * held, no reference it took left unput.
 */
public final class ScenarioRun {

	/** Thrown in the threads of a run that was stopped (by a replay that is over, or a time-out). */
	static final class Stopped extends RuntimeException {
		private static final long serialVersionUID = 1L;

		Stopped() {
			super("stopped", null, false, false);
		}
	}

	private static final AtomicInteger WORKERS = new AtomicInteger();
	/** Threads are reused across runs: a stress test makes hundreds of thousands of them otherwise. */
	private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
		Thread t = new Thread(r, "lockspec-worker-" + WORKERS.incrementAndGet());
		t.setDaemon(true);
		return t;
	});

	private final Validator validator;
	private final Schedule schedule;
	private final long seed;
	private final List<Participant> participants = new ArrayList<>();
	private final List<Runnable> bodies = new ArrayList<>();
	private boolean preemptRt;
	private volatile boolean stopped;
	private boolean started;

	ScenarioRun(Validator validator, Schedule schedule, long seed) {
		this.validator = validator;
		this.schedule = schedule;
		this.seed = seed;
	}

	/** Adds a thread named {@code name} that runs {@code body} in {@code context}. */
	public ScenarioRun thread(String name, Context context, Runnable body) {
		return thread(name, context, body, false);
	}

	/**
	 * {@code request_threaded_irq}: starts the action's thread ({@code irq/N-name}, {@link Irq#thread}), which
	 * waits for interrupts as long as the line is requested: the run is over without it once the others end.
	 */
	public void irqThread(String name, Runnable body) {
		thread("irq/" + participants.size() + "-" + name, Context.PROCESS, body, true);
	}

	/**
	 * The PM workqueue's kworker for a device whose runtime PM a scenario enables ({@code pm_wqN}, {@link
	 * RuntimePm#worker}): it suspends the device whenever it may, and stands by for as long as the run lasts, so
	 * the run is over without it once the others end.
	 */
	public void pmWorker(Runnable body) {
		thread("pm_wq" + participants.size(), Context.PROCESS, body, true);
	}

	private ScenarioRun thread(String name, Context context, Runnable body, boolean daemon) {
		synchronized (Kernel.M) {
			Participant p = new Participant(name, participants.size(), context, this, validator,
					seed * 1_000_003L + participants.size());
			p.daemon = daemon;
			participants.add(p);
			bodies.add(body);
			if (started) {
				p.state = Participant.State.RUNNING;
				POOL.execute(() -> body(p, body));
			}
		}
		return this;
	}

	/** {@code queue op(args)}: the op runs later on a worker thread of its own (process context). */
	public void queue(String op, Runnable body) {
		thread("kworker" + participants.size(), Context.PROCESS, body);
	}

	/** A run of {@code work} ({@code queue_work}, {@code mod_timer}): on a thread of its own, in the work's context. */
	public void runWork(Work work, Runnable body) {
		thread(work.runnerName(participants.size()), work.context(), body);
	}

	/** {@code config preempt_rt}: spinlocks sleep, raw spinlocks still spin. */
	public ScenarioRun preemptRt(boolean on) {
		preemptRt = on;
		return this;
	}

	public boolean preemptRt() {
		return preemptRt;
	}

	public Validator validator() {
		return validator;
	}

	Schedule schedule() {
		return schedule;
	}

	List<Participant> participants() {
		return participants;
	}

	boolean stopped() {
		return stopped;
	}

	/** Stops the run: its threads end at their next step or wait. Monitor held. */
	void stop() {
		stopped = true;
		Kernel.M.notifyAll();
	}

	/** Starts every thread and waits until all have ended or {@code done} says the run is over. */
	void execute(Duration timeout, java.util.function.BooleanSupplier over) {
		validator.beginRun();
		List<Participant> ps;
		synchronized (Kernel.M) {
			started = true;
			ps = List.copyOf(participants);
			for (Participant p : ps) {
				p.state = Participant.State.RUNNING;
			}
		}
		for (int i = 0; i < ps.size(); i++) {
			Participant p = ps.get(i);
			Runnable body = bodies.get(i);
			POOL.execute(() -> body(p, body));
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (Kernel.M) {
			try {
				// a replay's IRQ threads go on as its script says
				while (!allDone(schedule.exclusive()) && !over.getAsBoolean()) {
					long left = deadline - System.nanoTime();
					if (left <= 0) {
						List<String> where = new ArrayList<>();
						for (Participant p : participants) {
							where.add(p.name + " " + p.state.name().toLowerCase(java.util.Locale.ROOT) + " at " + p.site()
									+ (p.waitingFor != null ? " waiting for " + p.waitingFor : "") + ", holding "
									+ p.heldText());
						}
						validator.report(new Report(Report.Kind.HANG, "run", "the run did not end within "
								+ timeout.toSeconds() + " s and was stopped: " + String.join("; ", where)));
						break;
					}
					Kernel.M.wait(Math.max(1, Math.min(50, left / 1_000_000)));
				}
				stop();
				long grace = System.nanoTime() + Duration.ofSeconds(5).toNanos();
				while (!allDone(true) && System.nanoTime() < grace) {
					Kernel.M.wait(20);
				}
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				stop();
			}
		}
	}

	/**
	 * Whether every thread has ended; IRQ threads and PM workqueue kworkers, unless {@code daemons}, may be between
	 * two runs instead.
	 */
	private boolean allDone(boolean daemons) {
		for (Participant p : participants) {
			if (p.state != Participant.State.DONE && (daemons || !p.daemon || !p.betweenRuns)) {
				return false;
			}
		}
		return true;
	}

	private void body(Participant p, Runnable body) {
		Kernel.bind(p);
		try {
			body.run();
			if (!schedule.exclusive()) {
				schedule.step(p, -1);
			}
			synchronized (Kernel.M) {
				if (schedule.exclusive()) {
					schedule.step(p, -1); // the thread returns: a step of its own, as in the prover's traces
				}
				if (!p.held.isEmpty()) {
					validator.report(new Report(Report.Kind.LOCK_MISUSE, p.name + " returns holding",
							p.name + " returns with " + p.heldText() + " still held"));
				}
				for (var e : p.refs.entrySet()) {
					if (e.getValue() > 0) {
						validator.report(new Report(Report.Kind.REFCOUNT, e.getKey().owner().objectName(), p.name
								+ " returns still holding " + e.getValue() + " reference(s) to " + e.getKey().owner().objectName()
								+ " that it took with get"));
					}
				}
			}
		} catch (Stopped | LockspecFault e) {
			// a stopped run, or a bug the validator has reported already
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		} catch (NullPointerException e) {
			validator.report(new Report(Report.Kind.NULL_DEREFERENCE, p.name + "@" + p.line, p.name + " at " + p.site()
					+ ": NULL pointer dereference"));
		} catch (RuntimeException | Error e) {
			validator.report(new Report(Report.Kind.CRASH, p.name + "@" + p.line, p.name + " at " + p.site() + ": " + e));
		} finally {
			synchronized (Kernel.M) {
				p.state = Participant.State.DONE;
				schedule.ended(p);
				Kernel.M.notifyAll();
			}
			Kernel.unbind();
		}
	}
}
