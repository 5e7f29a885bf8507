package org.lockspec.runtime.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lockspec.runtime.Context;
import org.lockspec.runtime.Kernel;
import org.lockspec.runtime.Mutex;
import org.lockspec.runtime.Replay;
import org.lockspec.runtime.Report;
import org.lockspec.runtime.RuntimePm;
import org.lockspec.runtime.ScenarioRun;
import org.lockspec.runtime.SpinLock;

/**
 * The runtime's runtime PM as drivers/base/power/runtime.c runs it: the caller of pm_runtime_get_sync resumes a
 * suspended device itself, pm_runtime_put_sync at zero suspends it, the PM workqueue suspends an unused one, a call
 * waits for a callback under way; and, as lockdep does not, the validator sees a caller that holds a lock the
 * callback takes. In the scripts line 10 is the runtime PM's declaration (where its PM kworker begins a suspend),
 * 11 the suspend callback's step, 20 and 21 the resume callback's; the threads' own steps are below 10.
 */
class RuntimePmRuntimeTest {

	/** The callbacks, which log who ran them; the resume callback takes {@code lock} if there is one. */
	private static final class Driver {
		final RuntimePm pm = new RuntimePm("Codec.pm", "codec.pm");
		final Mutex lock;
		final List<String> log = Collections.synchronizedList(new ArrayList<>());
		final List<Thread> resumedOn = Collections.synchronizedList(new ArrayList<>());

		Driver(Mutex lock) {
			this.lock = lock;
			pm.enable();
		}

		void suspend() {
			Kernel.step(11);
			log.add("suspended");
		}

		void resume() {
			resumedOn.add(Thread.currentThread());
			Kernel.step(20);
			if (lock != null) {
				lock.lock();
				Kernel.step(21);
				lock.unlock();
			}
			log.add("resumed");
		}

		/** A runtime PM call at spec line {@code line}: its step, the callback it may run, its settle after one. */
		boolean call(int line, RuntimePm.Call call) {
			Kernel.step(line);
			if (pm.call(call, this::suspend, this::resume)) {
				Kernel.step(line);
				pm.settle();
				return true;
			}
			return false;
		}

		/** The PM workqueue's kworker of the device, a thread after the scenario's. */
		void worker(ScenarioRun run) {
			run.pmWorker(() -> pm.worker(10, this::suspend));
		}
	}

	/** Outside a run: put_sync at zero suspends in the caller, get_sync resumes in the caller; the rest only count. */
	@Test
	void putSyncAtZeroSuspendsAndGetSyncResumesInTheCaller() {
		Driver d = new Driver(null);
		assertTrue(d.call(1, RuntimePm.Call.PUT_SYNC), "unused and active: put_sync runs the suspend callback");
		assertEquals(RuntimePm.Status.SUSPENDED, d.pm.status());
		assertFalse(d.call(2, RuntimePm.Call.GET_NORESUME), "get_noresume only counts");
		assertFalse(d.call(3, RuntimePm.Call.PUT_NOIDLE), "put_noidle only counts");
		assertEquals(RuntimePm.Status.SUSPENDED, d.pm.status());
		assertTrue(d.call(4, RuntimePm.Call.GET_SYNC), "suspended: get_sync runs the resume callback");
		assertEquals(List.of(Thread.currentThread()), d.resumedOn, "the caller runs it");
		assertEquals(RuntimePm.Status.ACTIVE, d.pm.status());
		assertEquals(1, d.pm.usage());
		assertFalse(d.call(5, RuntimePm.Call.RESUME_AND_GET), "active: resume_and_get only counts");
		assertFalse(d.call(6, RuntimePm.Call.PUT_SYNC), "still used: put_sync only drops the count");
		assertFalse(d.call(7, RuntimePm.Call.PUT_AUTOSUSPEND), "put_autosuspend leaves the suspend to the PM workqueue");
		assertEquals(RuntimePm.Status.ACTIVE, d.pm.status());
		assertEquals(0, d.pm.usage());
		assertFalse(d.call(8, RuntimePm.Call.PUT), "an unbalanced put leaves the count at zero");
		assertEquals(0, d.pm.usage());
		assertEquals(List.of("suspended", "resumed"), d.log);
	}

	/** A disabled runtime PM (an object a scenario allocates): every call only counts, no callback runs. */
	@Test
	void aDisabledRuntimePmOnlyCounts() {
		RuntimePm pm = new RuntimePm("Codec.pm", "codec#1.pm");
		List<String> ran = new ArrayList<>();
		assertFalse(pm.call(RuntimePm.Call.PUT_SYNC, () -> ran.add("suspend"), () -> ran.add("resume")));
		assertFalse(pm.call(RuntimePm.Call.GET_SYNC, () -> ran.add("suspend"), () -> ran.add("resume")));
		assertFalse(pm.call(RuntimePm.Call.BARRIER, () -> ran.add("suspend"), () -> ran.add("resume")));
		assertEquals(List.of(), ran);
		assertEquals(1, pm.usage());
		assertEquals(RuntimePm.Status.ACTIVE, pm.status());
	}

	/**
	 * The PM workqueue's kworker (lane 1) suspends the unused device; the user (lane 0) then resumes it with
	 * get_sync, running the resume callback itself, and drops its count: the kworker, between suspends, takes no
	 * step of its own.
	 */
	@Test
	void theKworkerSuspendsAnUnusedDeviceAndGetSyncResumesItInTheCaller() {
		Driver d = new Driver(null);
		List<Thread> user = Collections.synchronizedList(new ArrayList<>());
		Replay.Result r = Replay.run(List.of(Replay.at(1, 10), Replay.at(1, 11), Replay.returns(1), Replay.at(0, 1),
				Replay.at(0, 20), Replay.at(0, 1), Replay.at(0, 2), Replay.returns(0)), run -> {
					run.thread("user", Context.PROCESS, () -> {
						user.add(Thread.currentThread());
						d.call(1, RuntimePm.Call.GET_SYNC);
						d.call(2, RuntimePm.Call.PUT_AUTOSUSPEND);
					});
					d.worker(run);
					return List::of;
				});
		assertTrue(r.completed(), r.describe());
		assertTrue(r.validator().clean(), r.describe());
		assertEquals(List.of("suspended", "resumed"), d.log);
		assertSame(user.get(0), d.resumedOn.get(0), "the caller of get_sync runs the resume callback");
		assertEquals(RuntimePm.Status.ACTIVE, d.pm.status());
		assertEquals(0, d.pm.usage());
	}

	/**
	 * pm_runtime_barrier waits for the suspend under way on the kworker, and returns once it has ended: lane 0 blocks
	 * at line 3 and goes on, without another turn, when the kworker's suspend returns.
	 */
	@Test
	void aCallWaitsForTheCallbackUnderWay() {
		Driver d = new Driver(null);
		Replay.Result r = Replay.run(List.of(Replay.at(1, 10), Replay.waits(0, 3), Replay.at(1, 11), Replay.returns(1),
				Replay.at(0, 4), Replay.returns(0)), run -> {
					run.thread("user", Context.PROCESS, () -> {
						d.call(3, RuntimePm.Call.BARRIER);
						d.log.add("barrier returned");
						Kernel.step(4);
					});
					d.worker(run);
					return List::of;
				});
		assertTrue(r.completed(), r.describe());
		assertFalse(r.has(Report.Kind.DEADLOCK), r.describe());
		assertEquals(List.of("suspended", "barrier returned"), d.log);
		assertEquals(RuntimePm.Status.SUSPENDED, d.pm.status());
	}

	/**
	 * HDMI hotplug before "ALSA: hda - Fix mutex deadlock at HDMI/DP hotplug": the player (lane 1) resumes the codec,
	 * whose resume callback takes pcm_lock; the hotplug (lane 0) holds pcm_lock and calls get_sync. With
	 * {@code deadlock} the hotplug waits for the player's resume, which waits for pcm_lock; without, the resume has
	 * ended first, and the validator still sees the cycle. Lane 2 is the PM kworker, which suspends the codec first.
	 */
	private static Replay.Result hotplugWhileAPcmOpens(boolean deadlock, Driver d) {
		List<Replay.Event> suspend = List.of(Replay.at(2, 10), Replay.at(2, 11), Replay.returns(2));
		List<Replay.Event> rest = deadlock
				? List.of(Replay.at(0, 5), Replay.at(1, 1), Replay.waits(0, 6), Replay.waits(1, 20))
				: List.of(Replay.at(1, 1), Replay.at(1, 20), Replay.at(1, 21), Replay.at(1, 1), Replay.at(1, 2),
						Replay.returns(1), Replay.at(0, 5), Replay.at(0, 6), Replay.at(0, 7), Replay.at(0, 5),
						Replay.returns(0));
		List<Replay.Event> script = new ArrayList<>(suspend);
		script.addAll(rest);
		return Replay.run(script, run -> {
			run.thread("unsol", Context.PROCESS, () -> {
				Kernel.step(5);
				d.lock.lock();
				d.call(6, RuntimePm.Call.GET_SYNC);
				d.call(7, RuntimePm.Call.PUT_AUTOSUSPEND);
				Kernel.step(5);
				d.lock.unlock();
			});
			run.thread("player", Context.PROCESS, () -> {
				d.call(1, RuntimePm.Call.GET_SYNC);
				d.call(2, RuntimePm.Call.PUT_AUTOSUSPEND);
			});
			d.worker(run);
			return List::of;
		});
	}

	@Test
	void aGetSyncUnderALockTheResumeTakesDeadlocksWithTheThreadThatResumes() {
		Replay.Result r = hotplugWhileAPcmOpens(true, new Driver(new Mutex("Codec.pcm_lock", "codec.pcm_lock")));
		assertTrue(r.completed(), r.describe());
		assertTrue(r.has(Report.Kind.DEADLOCK), r.describe());
		String report = r.validator().reports().stream().filter(x -> x.kind() == Report.Kind.DEADLOCK).findFirst()
				.orElseThrow().message();
		assertTrue(report.contains("unsol waits at line 6 for the resume callback of codec.pm under way on player to end,"
				+ " held by player"), report);
	}

	@Test
	void aGetSyncUnderALockTheResumeTakesIsACycleEvenWhenTheResumeEndsFirst() {
		Replay.Result r = hotplugWhileAPcmOpens(false, new Driver(new Mutex("Codec.pcm_lock", "codec.pcm_lock")));
		assertTrue(r.completed(), r.describe());
		assertFalse(r.has(Report.Kind.DEADLOCK), r.describe());
		assertTrue(r.has(Report.Kind.INVERSION, "Codec.pcm_lock -> Codec.pm -> Codec.pcm_lock"), r.describe());
	}

	/** The hotplug alone: its get_sync, under pcm_lock, resumes the codec itself, and the resume takes pcm_lock again. */
	@Test
	void aGetSyncUnderALockTheResumeTakesRetakesItInTheCaller() {
		Driver d = new Driver(new Mutex("Codec.pcm_lock", "codec.pcm_lock"));
		Replay.Result r = Replay.run(List.of(Replay.at(0, 5), Replay.at(1, 10), Replay.at(1, 11), Replay.returns(1),
				Replay.at(0, 6), Replay.waits(0, 20)), run -> {
					run.thread("unsol", Context.PROCESS, () -> {
						Kernel.step(5);
						d.lock.lock();
						d.call(6, RuntimePm.Call.GET_SYNC);
						d.lock.unlock();
					});
					d.worker(run);
					return List::of;
				});
		assertTrue(r.completed(), r.describe());
		assertTrue(r.has(Report.Kind.LOCK_MISUSE, "codec.pcm_lock"), r.describe());
	}

	/** A resume callback that calls get_sync on its own device waits for itself. */
	@Test
	void aResumeCallbackThatResumesItsOwnDeviceWaitsForItself() {
		RuntimePm pm = new RuntimePm("Codec.pm", "codec.pm");
		pm.enable();
		Runnable[] resume = new Runnable[1];
		resume[0] = () -> {
			Kernel.step(20);
			pm.call(RuntimePm.Call.GET_SYNC, () -> {
			}, resume[0]);
		};
		Replay.Result r = Replay.run(List.of(Replay.at(0, 1), Replay.at(0, 1), Replay.at(0, 2), Replay.waits(0, 20)),
				run -> {
					run.thread("user", Context.PROCESS, () -> {
						Kernel.step(1);
						if (pm.call(RuntimePm.Call.PUT_SYNC, () -> {
						}, resume[0])) {
							Kernel.step(1);
							pm.settle();
						}
						Kernel.step(2);
						pm.call(RuntimePm.Call.GET_SYNC, () -> {
						}, resume[0]);
					});
					return List::of;
				});
		assertTrue(r.completed(), r.describe());
		assertTrue(r.has(Report.Kind.DEADLOCK, "user"), r.describe());
	}

	/** get_sync, put_sync and barrier may sleep: under a spinlock they are reported; the other calls only count. */
	@Test
	void theCallsThatMayRunOrWaitForACallbackSleep() {
		for (RuntimePm.Call call : RuntimePm.Call.values()) {
			RuntimePm pm = new RuntimePm("Codec.pm", "codec.pm");
			SpinLock spin = new SpinLock("Codec.lock", "codec.lock", false);
			Replay.Result r = Replay.run(List.of(Replay.at(0, 1), Replay.at(0, 2), Replay.at(0, 3), Replay.returns(0)),
					run -> {
						run.thread("user", Context.PROCESS, () -> {
							Kernel.step(1);
							spin.lock();
							Kernel.step(2);
							pm.call(call, () -> {
							}, () -> {
							});
							Kernel.step(3);
							spin.unlock();
						});
						return List::of;
					});
			assertTrue(r.completed(), r.describe());
			boolean sleeps = call == RuntimePm.Call.GET_SYNC || call == RuntimePm.Call.RESUME_AND_GET
					|| call == RuntimePm.Call.PUT_SYNC || call == RuntimePm.Call.BARRIER;
			assertEquals(sleeps, r.has(Report.Kind.SLEEP_IN_ATOMIC, "codec.pm"), call + ": " + r.describe());
		}
	}
}
