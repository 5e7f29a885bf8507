package org.lockspec.prover.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.EClassifier;
import org.eclipse.xtext.EcoreUtil2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockspec.analysis.semantics.Lowering;
import org.lockspec.analysis.semantics.OpGraph;
import org.lockspec.analysis.semantics.Step;
import org.lockspec.model.LockMode;
import org.lockspec.model.ModelPackage;
import org.lockspec.model.Operation;
import org.lockspec.model.Spec;
import org.lockspec.model.Statement;

/** The lowering of statements to steps and edges, which every engine shares. */
class LoweringTest {

	private static final String SPEC = """
			spec t.lowering
			object Dev {
				lock mu : mutex
				lock sem : rwsem
				gate users
				completion done
				workqueue wq
				work reset : other on wq
				threaded_irq line : other
				runtime_pm pm : other, other
				srcu readers
				refcount kref
				field n : int guarded_by mu
				list kids : Dev guarded_by mu
			}
			op every(d: Dev, e: Dev) {
				lock d.mu
				unlock d.mu
				if trylock d.sem read { unlock d.sem } else if d.n == 0 { return }
				with d.mu {
					d.n = 1
					add e to d.kids
					remove e from d.kids
					for k in d.kids { assert k != null }
					while d.n > 0 { d.n = d.n - 1 }
					enter d.users
					leave d.users
				}
				let x = d.n
				let f = new Dev
				choose { get d.kref } or { put d.kref }
				drain d.users
				wait until d.n == 0
				might_sleep
				complete d.done
				wait_for_completion d.done
				reinit_completion d.done
				call other(d)
				queue other(e)
				queue_work d.reset
				flush_work d.reset
				cancel_work d.reset
				flush_workqueue d.wq
				synchronize_irq d.line
				disable_irq_nosync d.line
				srcu_read_lock d.readers
				srcu_read_unlock d.readers
				synchronize_srcu d.readers
				pm_runtime_get_sync d.pm
			}
			op other(d: Dev) { }
			op release_of(d: Dev) releases d.mu { unlock d.mu }
			op last_put(d: Dev) { put d.kref release release_of under d.mu }
			op early(d: Dev) {
				with d.mu {
					with d.sem read {
						if d.n == 0 { return }
					}
				}
			}
			""";

	private static Spec spec(Path dir) throws Exception {
		return SpecProofs.load(Files.writeString(dir.resolve("lowering.lockspec"), SPEC), List.of());
	}

	private static OpGraph graph(Spec spec, String op) {
		Operation o = EcoreUtil2.typeSelect(spec.getMembers(), Operation.class).stream()
				.filter(x -> x.getName().equals(op)).findFirst().orElseThrow();
		return new Lowering().graph(o);
	}

	/** Every statement kind of the grammar has a step: an engine never meets a statement the lowering left out. */
	@Test
	void everyStatementKindLowers(@TempDir Path dir) throws Exception {
		Spec spec = spec(dir);
		Set<String> kinds = new TreeSet<>();
		for (EClassifier c : ModelPackage.eINSTANCE.getEClassifiers()) {
			if (c instanceof EClass k && !k.isAbstract() && ModelPackage.eINSTANCE.getStatement().isSuperTypeOf(k)
					&& k != ModelPackage.eINSTANCE.getStatement()) {
				kinds.add(k.getName());
			}
		}
		Set<String> used = new TreeSet<>();
		for (Statement s : EcoreUtil2.eAllOfType(spec, Statement.class)) {
			used.add(s.eClass().getName());
		}
		assertEquals(kinds, used, "the spec of this test uses every statement kind");
		OpGraph g = graph(spec, "every");
		Set<String> lowered = new TreeSet<>();
		for (OpGraph.Node n : g.nodes()) {
			lowered.add(n.step().at().eClass().getName());
		}
		assertEquals(kinds, lowered);
	}

	/** A completion's statements are one step each; only the wait that may give up says so. */
	@Test
	void completionsAreOneStepEach(@TempDir Path dir) throws Exception {
		OpGraph g = graph(spec(dir), "every");
		Step.WaitCompletion wait = (Step.WaitCompletion) only(g, Step.WaitCompletion.class).step();
		assertTrue(!wait.mayGiveUp());
		assertInstanceOf(Step.ReinitCompletion.class, g.node(only(g, Step.WaitCompletion.class).next()).step());
		assertTrue(!((Step.Complete) only(g, Step.Complete.class).step()).all());
	}

	/**
	 * A runtime PM call is a step whose next is the settle after a callback it may run (an engine going on without
	 * one goes past it); the suspend callback has the PM workqueue's begin before its start.
	 */
	@Test
	void aRuntimePmCallIsFollowedByItsSettleAndTheSuspendCallbackBeginsOnThePmWorkqueue(@TempDir Path dir)
			throws Exception {
		Spec spec = spec(dir);
		OpGraph g = graph(spec, "every");
		OpGraph.Node call = only(g, Step.PmControl.class);
		assertEquals(org.lockspec.model.PmCall.GET_SYNC, ((Step.PmControl) call.step()).call());
		OpGraph.Node settle = g.node(call.next());
		assertInstanceOf(Step.PmSettle.class, settle.step());
		assertEquals(OpGraph.EXIT, settle.next(), "the call is the op's last statement");
		OpGraph other = graph(spec, "other");
		org.lockspec.model.RuntimePm pm = EcoreUtil2.eAllOfType(spec, org.lockspec.model.RuntimePm.class).get(0);
		OpGraph.Node begin = other.node(other.pmBegin(pm));
		assertInstanceOf(Step.PmBegin.class, begin.step());
		assertEquals(other.start(), begin.next());
	}

	/** A flush is two steps sharing a slot (the run it waits for); a work's function has a kworker's begin before its start. */
	@Test
	void aFlushIsTwoStepsAndAWorkFunctionBeginsAsAKworker(@TempDir Path dir) throws Exception {
		Spec spec = spec(dir);
		OpGraph g = graph(spec, "every");
		OpGraph.Node fix = only(g, Step.FlushWork.class);
		OpGraph.Node wait = g.node(fix.next());
		assertInstanceOf(Step.WorkWait.class, wait.step());
		assertEquals(fix.slot(), wait.slot());
		assertTrue(!((Step.FlushWork) fix.step()).cancel());
		org.lockspec.model.Work reset = EcoreUtil2.eAllOfType(spec, org.lockspec.model.Work.class).get(0);
		OpGraph other = graph(spec, "other");
		OpGraph.Node begin = other.node(other.workBegin(reset));
		assertInstanceOf(Step.WorkBegin.class, begin.step());
		assertEquals(other.start(), begin.next());
	}

	/**
	 * {@code put r release op under l} (kref_put_mutex): a put that is not the last is done; the last takes l, puts,
	 * and unlocks if the count did not reach 0, or calls op (which unlocks) and then frees the object.
	 */
	@Test
	void aLastPutUnderALockTakesItThenCallsTheReleaseOpThenFrees(@TempDir Path dir) throws Exception {
		OpGraph g = graph(spec(dir), "last_put");
		OpGraph.Node notLast = g.node(g.start());
		assertInstanceOf(Step.RefPutUnlessLast.class, notLast.step());
		assertEquals(OpGraph.EXIT, notLast.next());
		OpGraph.Node lock = g.node(notLast.alt());
		assertInstanceOf(Step.Acquire.class, lock.step());
		OpGraph.Node put = g.node(lock.next());
		assertTrue(((Step.RefPut) put.step()).releases());
		OpGraph.Node unlock = g.node(put.next());
		assertInstanceOf(Step.Release.class, unlock.step());
		assertEquals(OpGraph.EXIT, unlock.next());
		OpGraph.Node call = g.node(put.alt());
		assertEquals("release_of", ((Step.Call) call.step()).op().getName());
		OpGraph.Node free = g.node(call.next());
		assertInstanceOf(Step.RefFree.class, free.step());
		assertEquals(OpGraph.EXIT, free.next());
		assertEquals(6, g.nodes().size());
	}

	/** A genirq call that waits is two steps (the call, then the wait); one that does not wait is one. */
	@Test
	void anIrqWaitIsASecondStep(@TempDir Path dir) throws Exception {
		OpGraph g = graph(spec(dir), "every");
		int calls = 0;
		for (OpGraph.Node n : g.nodes()) {
			if (n.step() instanceof Step.IrqControl c) {
				calls++;
				boolean waitFollows = n.next() != OpGraph.EXIT && g.node(n.next()).step() instanceof Step.IrqWait;
				assertEquals(c.waits(), waitFollows, c.call()::getLiteral);
			}
		}
		assertEquals(2, calls);
	}

	/** {@code return} inside two with blocks leaves the op and ends both, innermost first. */
	@Test
	void returnUnwindsTheWithBlocksInnermostFirst(@TempDir Path dir) throws Exception {
		OpGraph g = graph(spec(dir), "early");
		OpGraph.Node ret = only(g, Step.Return.class);
		assertEquals(OpGraph.EXIT, ret.next());
		assertEquals(2, ret.unwind().size());
		assertEquals(LockMode.READ, ((Step.Acquire) g.node(g.node(g.start()).next()).step()).mode());
		assertTrue(ret.unwind().get(0).getMode() == LockMode.READ, "the inner with (sem, read) ends first");
		List<Step.EndWith> ends = new ArrayList<>();
		for (OpGraph.Node n : g.nodes()) {
			if (n.step() instanceof Step.EndWith e) {
				ends.add(e);
			}
		}
		assertEquals(2, ends.size(), "each with block ends with a release of its own");
	}

	/** The lock mode written nowhere is applied once, in the lowering: exclusive. */
	@Test
	void theDefaultModeIsWrite(@TempDir Path dir) throws Exception {
		OpGraph g = graph(spec(dir), "every");
		Step.Acquire first = assertInstanceOf(Step.Acquire.class, g.node(g.start()).step());
		assertEquals(LockMode.WRITE, first.mode());
		assertEquals(null, first.scope());
	}

	/** A while test is one node the body returns to; a for has a first and an advance; a drain closes, then waits. */
	@Test
	void loopsAndDrainAreExplicit(@TempDir Path dir) throws Exception {
		OpGraph g = graph(spec(dir), "every");
		OpGraph.Node test = only(g, Step.Branch.class, "while");
		OpGraph.Node body = g.node(test.next());
		assertEquals(test.id(), body.next(), "the last step of the body goes back to the test");
		OpGraph.Node first = only(g, Step.ForFirst.class);
		OpGraph.Node advance = only(g, Step.ForAdvance.class);
		assertEquals(first.next(), advance.next(), "both go into the body");
		assertEquals(first.alt(), advance.alt(), "both leave the loop to the same step");
		OpGraph.Node close = only(g, Step.GateClose.class);
		assertInstanceOf(Step.DrainWait.class, g.node(close.next()).step());
		OpGraph.Node enter = only(g, Step.GateEnter.class);
		assertEquals(OpGraph.EXIT, enter.alt(), "a closed gate returns from the op");
		assertEquals(1, enter.unwind().size(), "and ends the with block around it");
	}

	/**
	 * A fork names where its branches meet (a path explorer merges paths there); statements that keep
	 * something per call have a slot each, shared by their steps.
	 */
	@Test
	void forksMeetAndStatementsKeepSlots(@TempDir Path dir) throws Exception {
		OpGraph g = graph(spec(dir), "every");
		OpGraph.Node trylock = only(g, Step.TryAcquire.class);
		OpGraph.Node with = g.node(trylock.join());
		assertInstanceOf(Step.Acquire.class, with.step(), "both ways of the trylock meet at the with after it");
		OpGraph.Node choose = only(g, Step.Choose.class);
		assertInstanceOf(Step.GateClose.class, g.node(choose.join()).step());
		OpGraph.Node test = only(g, Step.Branch.class, "while");
		assertEquals(OpGraph.NO_JOIN, test.join(), "a loop test is no fork to merge after");
		OpGraph.Node end = only(g, Step.EndWith.class);
		assertEquals(with.slot(), end.slot(), "the with's acquire and end share its slot");
		OpGraph.Node first = only(g, Step.ForFirst.class);
		assertEquals(first.slot(), only(g, Step.ForAdvance.class).slot());
		OpGraph.Node close = only(g, Step.GateClose.class);
		assertEquals(close.slot(), g.node(close.next()).slot());
		OpGraph.Node flush = only(g, Step.FlushWork.class);
		OpGraph.Node queueFlush = only(g, Step.FlushQueue.class);
		assertEquals(queueFlush.slot(), g.node(queueFlush.next()).slot(), "the flush keeps in its wait's slot what it waits for");
		Set<Integer> slots = new TreeSet<>(List.of(with.slot(), first.slot(), test.slot(), close.slot(), flush.slot(),
				queueFlush.slot()));
		assertEquals(Set.of(0, 1, 2, 3, 4, 5), slots, "one slot each, numbered from 0");
		assertEquals(6, g.slotCount());
		assertEquals(-1, trylock.slot());
	}

	private static OpGraph.Node only(OpGraph g, Class<? extends Step> kind) {
		return only(g, kind, "");
	}

	private static OpGraph.Node only(OpGraph g, Class<? extends Step> kind, String keyword) {
		List<OpGraph.Node> found = new ArrayList<>();
		for (OpGraph.Node n : g.nodes()) {
			if (kind.isInstance(n.step()) && org.lockspec.analysis.Sites.text(n.step().at()).startsWith(keyword)) {
				found.add(n);
			}
		}
		assertEquals(1, found.size(), () -> "one " + kind.getSimpleName() + " " + keyword);
		return found.get(0);
	}
}
