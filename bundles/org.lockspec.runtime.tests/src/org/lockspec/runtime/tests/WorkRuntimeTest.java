package org.lockspec.runtime.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.lockspec.runtime.Context;
import org.lockspec.runtime.Kernel;
import org.lockspec.runtime.Mutex;
import org.lockspec.runtime.Replay;
import org.lockspec.runtime.Report;
import org.lockspec.runtime.ScenarioRun;
import org.lockspec.runtime.SpinLock;
import org.lockspec.runtime.Timer;
import org.lockspec.runtime.Work;
import org.lockspec.runtime.Workqueue;

/**
 * The runtime's work items as kernel/workqueue.c runs them, and as lockdep orders them: a flush under a lock the
 * work's function takes deadlocks, and a run that does not deadlock still shows the cycle.
 */
class WorkRuntimeTest {

	/**
	 * r8169 before its fix: close holds RTNL and waits in cancel_work_sync for rtl_task, which takes RTNL first.
	 * Lines 1-4 are close's steps, 20 the work's declaration, 21-22 the work function's.
	 */
	private static void closeWhileTheWorkRuns(ScenarioRun run, Mutex rtnl, Work wk) {
		run.thread("close", Context.PROCESS, () -> {
			Kernel.step(1);
			int n = wk.queue();
			run.queue("rtl_task", () -> wk.run(n, 20, () -> {
				Kernel.step(21);
				rtnl.lock();
				Kernel.step(22);
				rtnl.unlock();
			}));
			Kernel.step(2);
			rtnl.lock();
			Kernel.step(3);
			int target = wk.cancelSyncStart();
			Kernel.step(3);
			wk.cancelSyncEnd(target);
			Kernel.step(4);
			rtnl.unlock();
		});
	}

	@Test
	void aSyncCancelUnderTheLockTheFunctionTakesDeadlocks() {
		Mutex rtnl = new Mutex("rtnl", "rtnl");
		Work wk = new Work("Priv.wk", "tp.wk");
		Replay.Result r = Replay.run(List.of(Replay.at(0, 1), Replay.at(1, 20), Replay.at(0, 2), Replay.at(0, 3),
				Replay.waits(0, 3), Replay.waits(1, 21)), run -> {
					closeWhileTheWorkRuns(run, rtnl, wk);
					return List::of;
				});
		assertTrue(r.completed(), r.describe());
		assertTrue(r.has(Report.Kind.DEADLOCK), r.describe());
	}

	/** The run ends before close takes RTNL: no deadlock, but the validator sees the cycle, as lockdep would. */
	@Test
	void aRunThatEndsFirstStillShowsTheCycle() {
		Mutex rtnl = new Mutex("rtnl", "rtnl");
		Work wk = new Work("Priv.wk", "tp.wk");
		Replay.Result r = Replay.run(List.of(Replay.at(0, 1), Replay.at(1, 20), Replay.at(1, 21), Replay.at(1, 22),
				Replay.returns(1), Replay.at(0, 2), Replay.at(0, 3), Replay.at(0, 3), Replay.at(0, 4), Replay.returns(0)),
				run -> {
					closeWhileTheWorkRuns(run, rtnl, wk);
					return List::of;
				});
		assertTrue(r.completed(), r.describe());
		assertFalse(r.has(Report.Kind.DEADLOCK), r.describe());
		assertTrue(r.has(Report.Kind.INVERSION, "Priv.wk -> rtnl -> Priv.wk"), r.describe());
	}

	/** Outside a run: queueing a pending work is a no-op; a cancelled run does not run; a flush of nothing returns. */
	@Test
	void queueingAPendingWorkIsANoOpAndACancelledRunDoesNotRun() {
		Work w = new Work("T.w", "t.w");
		int[] ran = { 0 };
		int first = w.queue();
		assertEquals(1, first);
		assertEquals(0, w.queue(), "pending: a no-op");
		assertTrue(w.cancel(), "the pending run is taken off");
		w.run(first, 0, () -> ran[0]++);
		assertEquals(0, ran[0], "a cancelled run does not run");
		int second = w.queue();
		assertEquals(2, second);
		w.run(second, 0, () -> ran[0]++);
		assertEquals(1, ran[0]);
		w.awaitEnd(w.flushStart());
		w.cancelSyncEnd(w.cancelSyncStart());
	}

	/**
	 * A timer's function runs in softirq context (a mutex there sleeps in atomic context); timer_delete_sync under a
	 * spinlock with interrupts off spins, which is no sleep, except on PREEMPT_RT (under a raw spinlock, then, it
	 * sleeps in atomic context). Lines 1-3 are the user's steps, 20 the timer's declaration, 21 its function's.
	 */
	private static Replay.Result deleteUnderASpinlock(boolean preemptRt, boolean raw, Mutex inFunction) {
		SpinLock lock = new SpinLock("Priv.lock", "rr.lock", raw);
		Timer tm = new Timer("Priv.timer", "rr.timer");
		return Replay.run(List.of(Replay.at(0, 1), Replay.at(1, 20), Replay.at(1, 21), Replay.returns(1), Replay.at(0, 2),
				Replay.at(0, 3), Replay.returns(0)), run -> {
					run.preemptRt(preemptRt);
					run.thread("user", Context.PROCESS, () -> {
						Kernel.step(1);
						int n = tm.queue();
						run.runWork(tm, () -> tm.run(n, 20, () -> {
							Kernel.step(21);
							inFunction.lock();
							inFunction.unlock();
						}));
						Kernel.step(2);
						lock.lockIrqsave();
						Kernel.step(3);
						tm.cancelSyncEnd(tm.cancelSyncStart());
						lock.unlock();
					});
					return List::of;
				});
	}

	@Test
	void aTimerRunsInSoftirqAndItsSyncDeleteSpins() {
		Replay.Result r = deleteUnderASpinlock(false, false, new Mutex("Priv.m", "rr.m"));
		assertTrue(r.completed(), r.describe());
		assertTrue(r.has(Report.Kind.SLEEP_IN_ATOMIC, "rr.m"), r.describe()); // the function, in softirq context
		assertFalse(r.has(Report.Kind.SLEEP_IN_ATOMIC, "rr.timer"), r.describe()); // the delete only spins
		Replay.Result rt = deleteUnderASpinlock(true, true, new Mutex("Priv.m", "rr.m"));
		assertTrue(rt.completed(), rt.describe());
		assertTrue(rt.has(Report.Kind.SLEEP_IN_ATOMIC, "rr.timer"), rt.describe()); // on RT the delete sleeps
	}

	/**
	 * pciehp before "PCI: pciehp: Use per-slot workqueues to avoid deadlock": the work, running on the shared
	 * workqueue, flushes that workqueue, and waits for itself. Line 1 is the queueing thread's step, 20 the work's
	 * declaration, 21 the flush in its function.
	 */
	@Test
	void aWorkFlushingItsOwnWorkqueueWaitsForItself() {
		Workqueue wq = new Workqueue("pciehp_wq", "pciehp_wq", false);
		Work wk = new Work("Slot.power_work", "root.power_work");
		Replay.Result r = Replay.run(List.of(Replay.at(0, 1), Replay.returns(0), Replay.at(1, 20), Replay.at(1, 21),
				Replay.waits(1, 21)), run -> {
					run.thread("unplug", Context.PROCESS, () -> {
						Kernel.step(1);
						int n = wk.queue(wq);
						run.runWork(wk, () -> wk.run(n, 20, () -> {
							Kernel.step(21);
							Workqueue.Flush f = wq.flushStart();
							Kernel.step(21);
							wq.flushEnd(f);
						}));
					});
					return List::of;
				});
		assertTrue(r.completed(), r.describe());
		assertTrue(r.has(Report.Kind.DEADLOCK), r.describe());
	}

	/**
	 * Outside a run: a flush waits for the runs queued when it began; an ordered queue runs them in queue order; a
	 * drained queue refuses works from elsewhere; a destroyed one is a use after free.
	 */
	@Test
	void aWorkqueueFlushesDrainsAndIsDestroyed() {
		Workqueue wq = new Workqueue("T.wq", "t.wq", true);
		Work a = new Work("T.a", "t.a");
		Work b = new Work("T.b", "t.b");
		List<String> ran = new java.util.ArrayList<>();
		int na = a.queue(wq);
		int nb = b.queue(wq);
		assertEquals(1, na);
		assertEquals(1, nb);
		a.run(na, 0, () -> ran.add("a"));
		b.run(nb, 0, () -> ran.add("b"));
		assertEquals(List.of("a", "b"), ran);
		wq.flushEnd(wq.flushStart());
		Workqueue.Flush drain = wq.drainStart();
		assertEquals(0, a.queue(wq), "a queue_work from elsewhere while it drains is refused");
		wq.drainEnd(drain, true);
		assertThrows(org.lockspec.runtime.LockspecFault.class, () -> a.queue(wq), "the workqueue was destroyed");
	}
}
