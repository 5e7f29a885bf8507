package org.lockspec.runtime.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.lockspec.runtime.Completion;
import org.lockspec.runtime.Context;
import org.lockspec.runtime.Gate;
import org.lockspec.runtime.KList;
import org.lockspec.runtime.KObject;
import org.lockspec.runtime.Kernel;
import org.lockspec.runtime.Kref;
import org.lockspec.runtime.LockspecFault;
import org.lockspec.runtime.Mode;
import org.lockspec.runtime.Mutex;
import org.lockspec.runtime.Replay;
import org.lockspec.runtime.Report;
import org.lockspec.runtime.RwLock;
import org.lockspec.runtime.RwSem;
import org.lockspec.runtime.ScenarioRun;
import org.lockspec.runtime.SpinLock;
import org.lockspec.runtime.Stress;

/** The runtime's locks, kref, lists, validator and schedulers, each shown failing where the kernel would. */
class RuntimeTest {

	/** An object with one plain field and a refcount. */
	static final class Obj extends KObject {
		private long value;
		final Kref rc = new Kref(this);
		final KList<Obj> children = new KList<>(this, "children");

		Obj(String name) {
			super(name);
		}

		long value() {
			onRead("value");
			return value;
		}

		void value(long v) {
			onWrite("value");
			value = v;
		}

		long raw() {
			return value;
		}
	}

	private static Supplier<List<String>> none() {
		return List::of;
	}

	// ------------------------------------------------------------ plain threads

	@Test
	void mutexIsNotReentrant() {
		Mutex m = new Mutex("Test.reentrant", "t.reentrant");
		m.lock();
		LockspecFault f = assertThrows(LockspecFault.class, m::lock);
		assertEquals(Report.Kind.LOCK_MISUSE, f.report().kind());
		assertTrue(f.getMessage().contains("again while holding it"), f.getMessage());
		m.unlock();
		assertTrue(m.isFree());
	}

	@Test
	void unlockOfALockNotHeldIsReported() {
		Mutex m = new Mutex("Test.stray", "t.stray");
		m.unlock();
		assertTrue(Kernel.validator().has(Report.Kind.LOCK_MISUSE, "t.stray"), Kernel.validator().describe());
	}

	@Test
	void rwsemPrefersWriters() throws Exception {
		RwSem sem = new RwSem("Test.sem", "t.sem");
		sem.downRead();
		AtomicBoolean written = new AtomicBoolean();
		Thread writer = new Thread(() -> {
			sem.downWrite();
			written.set(true);
			sem.unlock();
		});
		writer.start();
		long until = System.nanoTime() + 5_000_000_000L;
		// while the writer waits, a new reader does not get in
		boolean blocked = false;
		while (System.nanoTime() < until && !blocked) {
			Thread.sleep(5);
			AtomicBoolean got = new AtomicBoolean();
			Thread reader = new Thread(() -> {
				if (sem.trylock(Mode.READ, false)) {
					got.set(true);
					sem.unlock();
				}
			});
			reader.start();
			reader.join();
			blocked = !got.get() && !written.get();
		}
		assertTrue(blocked, "a reader got in while a writer waited");
		sem.unlock();
		writer.join(5_000);
		assertTrue(written.get());
	}

	@Test
	void rwlockReadersInProcessContextQueueBehindAWaitingWriter() throws Exception {
		// qrwlock: outside interrupts a reader does not get past a writer that waits (lockdep's
		// read_lock_is_recursive() says the same); the plain test thread runs in process context
		RwLock rw = new RwLock("Test.rw", "t.rw");
		rw.readLock();
		Thread writer = new Thread(rw::writeLock);
		writer.setDaemon(true);
		writer.start();
		Thread.sleep(50);
		assertFalse(rw.trylock(Mode.READ, false), "a second read got past the waiting writer");
		rw.unlock();
		writer.join(5_000);
		assertFalse(writer.isAlive());
	}

	@Test
	void spinlockHeldMakesSleepingAReport() {
		SpinLock spin = new SpinLock("Test.spin", "t.spin", false);
		Mutex m = new Mutex("Test.sleeper", "t.sleeper");
		spin.lock();
		m.lock();
		m.unlock();
		spin.unlock();
		assertTrue(Kernel.validator().has(Report.Kind.SLEEP_IN_ATOMIC, "t.sleeper"), Kernel.validator().describe());
	}

	@Test
	void krefReleasesAtZeroAndAccessAfterFreeThrows() {
		AtomicInteger released = new AtomicInteger();
		Obj o = new Obj("o1");
		Kref rc = new Kref(o, released::incrementAndGet);
		rc.get();
		assertFalse(rc.put());
		assertTrue(rc.put());
		assertEquals(1, released.get());
		assertTrue(o.isFreed());
		LockspecFault f = assertThrows(LockspecFault.class, () -> o.value(3));
		assertEquals(Report.Kind.USE_AFTER_FREE, f.report().kind());
		assertThrows(LockspecFault.class, rc::get);
	}

	@Test
	void listsPoisonUnlinkedElements() {
		Obj parent = new Obj("parent");
		Obj a = new Obj("a");
		Obj b = new Obj("b");
		parent.children.add(a);
		parent.children.add(b);
		assertEquals(b, parent.children.next(a));
		assertEquals(Report.Kind.LIST_CORRUPTION,
				assertThrows(LockspecFault.class, () -> parent.children.add(a)).report().kind());
		parent.children.remove(a);
		assertEquals(Report.Kind.LIST_CORRUPTION,
				assertThrows(LockspecFault.class, () -> parent.children.next(a)).report().kind());
		assertEquals(Report.Kind.LIST_CORRUPTION,
				assertThrows(LockspecFault.class, () -> parent.children.remove(a)).report().kind());
		b.markFreed();
		assertEquals(Report.Kind.USE_AFTER_FREE,
				assertThrows(LockspecFault.class, () -> parent.children.next(b)).report().kind());
	}

	// ------------------------------------------------------------- replays

	@Test
	void abbaIsADeadlockAndAnInversionNotAHang() {
		Mutex a = new Mutex("A", "a");
		Mutex b = new Mutex("B", "b");
		Replay.Result r = Replay.run(List.of(Replay.at(0, 1), Replay.at(1, 11), Replay.waits(0, 2), Replay.waits(1, 12)),
				run -> {
					run.thread("cpu0", Context.PROCESS, () -> {
						Kernel.step(1);
						a.lock();
						Kernel.step(2);
						b.lock();
					});
					run.thread("cpu1", Context.PROCESS, () -> {
						Kernel.step(11);
						b.lock();
						Kernel.step(12);
						a.lock();
					});
					return none();
				});
		assertTrue(r.completed(), r.describe());
		assertTrue(r.has(Report.Kind.DEADLOCK), r.describe());
		assertTrue(r.has(Report.Kind.INVERSION, "A -> B -> A"), r.describe());
		String inversion = r.validator().reports().stream().filter(x -> x.kind() == Report.Kind.INVERSION).findFirst()
				.orElseThrow().message();
		assertTrue(inversion.contains("cpu0 held: a at line 1 -> b at line 2"), inversion);
		assertTrue(inversion.contains("cpu1 holds: b at line 11 -> a at line 12"), inversion);
	}

	@Test
	void deadlockThroughADrain() {
		Mutex lock = new Mutex("rescan_lock", "rescan_lock");
		Gate node = new Gate("Dev.rescan_node", "child.rescan_node");
		Replay.Result r = Replay.run(List.of(Replay.at(0, 1), Replay.at(1, 11), Replay.at(0, 2), Replay.waits(0, 2),
				Replay.waits(1, 12)), run -> {
					run.thread("remove", Context.PROCESS, () -> {
						Kernel.step(1);
						lock.lock();
						Kernel.step(2);
						node.close();
						Kernel.step(2);
						node.awaitDrained();
					});
					run.thread("rescan", Context.PROCESS, () -> {
						Kernel.step(11);
						assertTrue(node.enter());
						Kernel.step(12);
						lock.lock();
					});
					return none();
				});
		assertTrue(r.completed(), r.describe());
		assertTrue(r.has(Report.Kind.DEADLOCK), r.describe());
	}

	/** The unbind holds the device lock and waits for the user, who takes that lock before it lets go (vfio). */
	private static Supplier<List<String>> unbindWhileUserResets(ScenarioRun run, Mutex devLock, Completion released) {
		run.thread("unbind", Context.PROCESS, () -> {
			Kernel.step(1);
			devLock.lock();
			Kernel.step(2);
			released.waitForCompletion();
			Kernel.step(3);
			devLock.unlock();
		});
		run.thread("user", Context.PROCESS, () -> {
			Kernel.step(11);
			devLock.lock();
			Kernel.step(12);
			devLock.unlock();
			Kernel.step(13);
			released.complete();
		});
		return none();
	}

	@Test
	void deadlockThroughACompletion() {
		Mutex devLock = new Mutex("PciDev.dev_lock", "pf.dev_lock");
		Completion released = new Completion("VfioDevice.comp", "vdev.comp");
		Replay.Result r = Replay.run(List.of(Replay.at(0, 1), Replay.waits(1, 11), Replay.waits(0, 2)),
				run -> unbindWhileUserResets(run, devLock, released));
		assertTrue(r.completed(), r.describe());
		assertTrue(r.has(Report.Kind.DEADLOCK), r.describe());
	}

	/** A run that does not deadlock still shows the cycle through the completion, as DEPT would (lockdep cannot). */
	@Test
	void aCompletionWaitedForUnderTheLockItsProducerTakesIsAnInversion() {
		Mutex devLock = new Mutex("PciDev.dev_lock", "pf.dev_lock");
		Completion released = new Completion("VfioDevice.comp", "vdev.comp");
		Replay.Result r = Replay.run(List.of(Replay.at(1, 11), Replay.at(1, 12), Replay.at(1, 13), Replay.returns(1),
				Replay.at(0, 1), Replay.at(0, 2), Replay.at(0, 3), Replay.returns(0)),
				run -> unbindWhileUserResets(run, devLock, released));
		assertTrue(r.completed(), r.describe());
		assertFalse(r.has(Report.Kind.DEADLOCK), r.describe());
		assertTrue(r.has(Report.Kind.INVERSION, "PciDev.dev_lock -> VfioDevice.comp -> PciDev.dev_lock"), r.describe());
	}

	@Test
	void completeAllLetsEveryWaiterGoOnAndAWaitThatMayGiveUpDoesNotBlock() {
		Completion c = new Completion("T.c", "t.c");
		assertFalse(c.waitForCompletionOrGiveUp());
		c.complete();
		assertTrue(c.waitForCompletionOrGiveUp());
		assertFalse(c.waitForCompletionOrGiveUp());
		c.completeAll();
		c.waitForCompletion();
		c.waitForCompletion();
		c.reinit();
		assertFalse(c.waitForCompletionOrGiveUp());
	}

	@Test
	void replayForcesTheLostUpdate() {
		Obj counter = new Obj("counter");
		// both read, then both write: one increment is lost
		Replay.Result lost = Replay.run(List.of(Replay.at(0, 1), Replay.at(1, 1), Replay.at(0, 2), Replay.at(1, 2),
				Replay.returns(0), Replay.returns(1)), run -> increments(run, counter));
		assertTrue(lost.completed(), lost.describe());
		assertEquals(1, counter.raw());
		assertTrue(lost.has(Report.Kind.RACE, "counter.value"), lost.describe());
		Obj counter2 = new Obj("counter2");
		Replay.Result serial = Replay.run(List.of(Replay.at(0, 1), Replay.at(0, 2), Replay.returns(0), Replay.at(1, 1),
				Replay.at(1, 2), Replay.returns(1)), run -> increments(run, counter2));
		assertTrue(serial.completed(), serial.describe());
		assertEquals(2, counter2.raw());
	}

	private static Supplier<List<String>> increments(ScenarioRun run, Obj counter) {
		for (String name : List.of("cpu0", "cpu1")) {
			run.thread(name, Context.PROCESS, () -> {
				Kernel.step(1);
				long v = counter.value() + 1;
				Kernel.step(2);
				counter.value(v);
			});
		}
		return none();
	}

	@Test
	void aReplayThatDoesNotFitSaysWhere() {
		Obj counter = new Obj("counter3");
		Replay.Result r = Replay.run(List.of(Replay.at(0, 1), Replay.at(0, 7)), run -> increments(run, counter));
		assertFalse(r.completed());
		assertTrue(r.has(Report.Kind.REPLAY_DIVERGED), r.describe());
		assertTrue(r.divergence().contains("cpu0 is at line 2, but the script has it at line 7"), r.divergence());
	}

	@Test
	void hardirqContextMayNotSleep() {
		Mutex m = new Mutex("Test.irqmutex", "t.irqmutex");
		Replay.Result r = Replay.run(List.of(Replay.at(0, 5), Replay.returns(0)), run -> {
			run.thread("irq", Context.HARDIRQ, () -> {
				Kernel.step(5);
				m.lock();
				m.unlock();
			});
			return none();
		});
		assertTrue(r.has(Report.Kind.SLEEP_IN_ATOMIC, "t.irqmutex"), r.describe());
	}

	/** Nothing sleeps inside an RCU read section; a spinlock may be taken there, also on PREEMPT_RT. */
	@Test
	void anRcuReadSectionIsAtomicButTakesSpinlocks() {
		org.lockspec.runtime.Rcu rcu = new org.lockspec.runtime.Rcu("rcu", "rcu");
		Mutex m = new Mutex("Test.rcumutex", "t.rcumutex");
		SpinLock spin = new SpinLock("Test.rcuspin", "t.rcuspin", false);
		Replay.Result r = Replay.run(List.of(Replay.at(0, 1), Replay.returns(0)), run -> {
			run.preemptRt(true);
			run.thread("t", Context.PROCESS, () -> {
				Kernel.step(1);
				rcu.readLock();
				spin.lock();
				spin.unlock();
				m.lock();
				m.unlock();
				rcu.readUnlock();
			});
			return none();
		});
		assertTrue(r.has(Report.Kind.SLEEP_IN_ATOMIC, "t.rcumutex"), r.describe());
		assertFalse(r.has(Report.Kind.SLEEP_IN_ATOMIC, "t.rcuspin"), r.describe());
	}

	@Test
	void preemptRtMakesSpinlocksSleepButNotRawOnes() {
		SpinLock raw = new SpinLock("Test.raw", "t.raw", true);
		SpinLock spin = new SpinLock("Test.rtspin", "t.rtspin", false);
		SpinLock raw2 = new SpinLock("Test.raw2", "t.raw2", true);
		Replay.Result r = Replay.run(List.of(Replay.at(0, 1), Replay.returns(0)), run -> {
			run.preemptRt(true);
			run.thread("t", Context.PROCESS, () -> {
				Kernel.step(1);
				raw.lock();
				raw2.lock();
				raw2.unlock();
				spin.lock();
				spin.unlock();
				raw.unlock();
			});
			return none();
		});
		assertTrue(r.has(Report.Kind.SLEEP_IN_ATOMIC, "t.rtspin"), r.describe());
		assertFalse(r.has(Report.Kind.SLEEP_IN_ATOMIC, "t.raw2"), r.describe());
	}

	// -------------------------------------------------------------- stress

	@Test
	void stressWithALockIsCleanAndLosesNothing() {
		int[] finals = new int[1];
		Stress.Result r = Stress.run(300, 7, run -> {
			Obj counter = new Obj("c");
			Mutex m = new Mutex("C.lock", "c.lock");
			for (String name : List.of("cpu0", "cpu1")) {
				run.thread(name, Context.PROCESS, () -> {
					for (int i = 0; i < 5; i++) {
						Kernel.step(1);
						m.lock();
						Kernel.step(2);
						long v = counter.value() + 1;
						Kernel.step(3);
						counter.value(v);
						Kernel.step(4);
						m.unlock();
					}
				});
			}
			return () -> {
				finals[0] = (int) counter.raw();
				return counter.raw() == 10 ? List.of() : List.of("count " + counter.raw());
			};
		});
		assertTrue(r.clean(), r.describe());
		assertEquals(300, r.iterations());
		assertEquals(10, finals[0]);
	}

	@Test
	void stressFindsTheRaceLeaksAndLocksLeftHeld() {
		Stress.Result r = Stress.run(50, 3, run -> {
			Obj o = new Obj("o");
			Mutex m = new Mutex("O.m", "o.m");
			run.thread("cpu0", Context.PROCESS, () -> {
				Kernel.step(1);
				o.value(o.value() + 1);
				Kernel.step(2);
				o.rc.get();
				Kernel.step(3);
				m.lock();
			});
			run.thread("cpu1", Context.PROCESS, () -> {
				Kernel.step(1);
				o.value(o.value() + 1);
			});
			return none();
		});
		assertFalse(r.clean());
		assertEquals(1, r.iterations(), "stress stops at the first run with a finding");
		assertTrue(r.validator().has(Report.Kind.RACE, "o.value"), r.describe());
		assertTrue(r.validator().has(Report.Kind.REFCOUNT, "o"), r.describe());
		assertTrue(r.validator().has(Report.Kind.LOCK_MISUSE), r.describe());
	}

	@Test
	void waitUntilWakesOnAChangeAndAStallIsADeadlock() {
		Obj flag = new Obj("flag");
		Stress.Result ok = Stress.run(20, 1, run -> {
			run.thread("waiter", Context.PROCESS, () -> Kernel.waitUntil(() -> flag.value() > 0));
			run.thread("setter", Context.PROCESS, () -> flag.value(1));
			return none();
		});
		assertTrue(ok.validator().reports().stream().allMatch(x -> x.kind() == Report.Kind.RACE), ok.describe());
		Obj never = new Obj("never");
		Stress.Result stuck = Stress.run(1, 1, run -> {
			run.thread("waiter", Context.PROCESS, () -> Kernel.waitUntil(() -> never.raw() > 0));
			return none();
		});
		assertTrue(stuck.validator().has(Report.Kind.DEADLOCK), stuck.describe());
	}
}
