package org.lockspec.analysis.semantics;

import java.util.List;

import org.eclipse.emf.ecore.EObject;
import org.lockspec.kernel.WorkKind;
import org.lockspec.model.*;

/**
 * One atomic step of an op, as every engine executes it: the statement's
 * meaning with its operands resolved and the defaults applied. A statement
 * lowers to one step, except {@code with} (an acquire, and a release at the
 * end of its block), {@code for} (the first element, and an advance after each
 * iteration), {@code drain} (closing the gate, then waiting for the users
 * inside to leave), the waits of two steps, and {@code put … release op [under l]}
 * (the put, the release op's call and the free; with the lock, its acquire first and
 * the unlock when the put was not the last). Where control goes after a step is the graph's business
 * ({@link OpGraph.Node}): {@code next}, {@code alt} for the second way out,
 * the branches of a {@code choose}, the {@code with} blocks a jump out leaves.
 * <p>
 * {@link #at()} is the statement the step comes from: its line in reports,
 * its identity for the state an engine keeps about it.
 */
public sealed interface Step {

	EObject at();

	/** {@code lock l [mode] [irqsave]} and the start of {@code with}: waits until {@code lock} is free for {@code mode}. */
	record Acquire(Statement at, Expression lock, LockMode mode, boolean irqsave) implements Step {
		/** The {@code with} block this acquire opens, or null for a plain {@code lock}. */
		public WithStmt scope() {
			return at instanceof WithStmt w ? w : null;
		}
	}

	/** {@code if trylock l}: takes the lock if free ({@code next}), else goes on without it ({@code alt}). */
	record TryAcquire(TrylockStmt at, Expression lock, LockMode mode, boolean irqsave) implements Step {
	}

	/** {@code unlock l}, and the unlock of a {@code put … under l} whose put was not the last. */
	record Release(Statement at, Expression lock) implements Step {
	}

	/** The end of a {@code with} block (also when {@code return} or a failed {@code enter} leaves it). */
	record EndWith(WithStmt at) implements Step {
		public Expression lock() {
			return at.getLock();
		}
	}

	/** {@code if c} and each test of {@code while c}: {@code next} when true, {@code alt} when false. */
	record Branch(Statement at, Expression cond) implements Step {
	}

	/** {@code choose}: any one of its branches. */
	record Choose(ChooseStmt at) implements Step {
	}

	/** {@code let x = e} (not {@code new}). */
	record Bind(LetStmt at, Expression value) implements Step {
	}

	/** {@code let x = new T { inits }}: a fresh object. */
	record Allocate(LetStmt at, NewExpr value) implements Step {
		public ObjectType type() {
			return value.getType();
		}
	}

	/** {@code target = value}: a local, a global or an object's field. */
	record Store(AssignStmt at, Expression target, Expression value) implements Step {
	}

	/** {@code add e to l}. */
	record ListAdd(AddStmt at, Expression elem, Expression list) implements Step {
	}

	/** {@code remove e from l}. */
	record ListDel(RemoveStmt at, Expression elem, Expression list) implements Step {
	}

	/** The start of {@code for x in l}: x is the first element ({@code next}), or the list is empty ({@code alt}). */
	record ForFirst(ForStmt at) implements Step {
	}

	/** The end of an iteration of {@code for}: x moves on along the live list ({@code next}), or the loop ends ({@code alt}). */
	record ForAdvance(ForStmt at) implements Step {
	}

	/** {@code get o.rc}. */
	record RefGet(GetStmt at, MemberAccess refcount) implements Step {
	}

	/**
	 * {@code put o.rc}: one reference less. The last put frees the object, or with a release op
	 * ({@code put o.rc release op}) goes on at {@code alt}: the release op runs ({@link Call}), then the object
	 * is freed ({@link RefFree}). With {@code under l} this step runs with l held, after {@link RefPutUnlessLast}.
	 */
	record RefPut(PutStmt at, MemberAccess refcount) implements Step {
		/** Whether the last put goes on at {@code alt}, to the release op. */
		public boolean releases() {
			return at.getRelease() != null;
		}
	}

	/**
	 * {@code put o.rc release op under l}, first step ({@code refcount_dec_not_one}): a put that is not the last
	 * drops its reference without l ({@code next}); the last one goes on at {@code alt}: it takes l, then puts
	 * ({@link RefPut}) with l held, and unlocks again if another thread took a reference meanwhile.
	 */
	record RefPutUnlessLast(PutStmt at, MemberAccess refcount) implements Step {
	}

	/** After the release op of {@code put o.rc release op} returned: the object is freed. */
	record RefFree(PutStmt at, MemberAccess refcount) implements Step {
	}

	/** {@code enter g}: in ({@code next}), or the gate is closed and the op returns ({@code alt}, unwinding). */
	record GateEnter(EnterStmt at, Expression gate) implements Step {
	}

	/** {@code leave g}. */
	record GateLeave(LeaveStmt at, Expression gate) implements Step {
	}

	/** {@code drain g}, first step: the gate closes (no new user gets in). */
	record GateClose(DrainStmt at, Expression gate) implements Step {
	}

	/** {@code drain g}, second step: waits until no user is inside. */
	record DrainWait(DrainStmt at, Expression gate) implements Step {
	}

	/** {@code might_sleep}: a call that may sleep (a GFP_KERNEL allocation); it waits for nothing. */
	record MightSleep(MightSleepStmt at) implements Step {
	}

	/** {@code wait until c}: waits (sleeping) until c holds. */
	record WaitUntil(WaitStmt at, Expression cond) implements Step {
	}

	/** {@code complete c} (one waiter may go on) and {@code complete_all c} (every waiter, now and later). */
	record Complete(CompleteStmt at, Expression completion, boolean all) implements Step {
	}

	/**
	 * {@code wait_for_completion c}: sleeps until c is done, and consumes one {@code complete}. The
	 * {@code _timeout}/{@code _interruptible}/{@code _killable} forms ({@code mayGiveUp}) consume it if it is
	 * done and may otherwise give up and go on: they never wait for ever.
	 */
	record WaitCompletion(WaitForCompletionStmt at, Expression completion, boolean mayGiveUp) implements Step {
	}

	/** {@code reinit_completion c}: not done again. */
	record ReinitCompletion(ReinitCompletionStmt at, Expression completion) implements Step {
	}

	/**
	 * {@code queue_work w}: queues a run of w's op on a kworker, unless w is pending
	 * ({@link org.lockspec.kernel.WorkState}); {@code kthread_run t} starts the kthread's run.
	 */
	record QueueWork(QueueWorkStmt at, Expression work, boolean kthread) implements Step {
	}

	/**
	 * {@code flush_work w}, {@code cancel_work_sync w} and {@code kthread_stop t}, first step: fixes the run to
	 * wait for, the one queued last; {@code cancel} takes a pending run off the queue first, and keeps w from
	 * being queued until the wait is over; {@code stop} sets the kthread's {@code kthread_should_stop} first.
	 * {@code kind}: what it waits for, which says whether the wait sleeps ({@link WorkKind#waitSleeps}).
	 */
	record FlushWork(FlushWorkStmt at, Expression work, boolean cancel, boolean stop, WorkKind kind) implements Step {
	}

	/** {@code flush_work w}, {@code cancel_work_sync w} and {@code timer_delete_sync t}, second step: sleeps until the run fixed by {@link FlushWork} has ended. */
	record WorkWait(FlushWorkStmt at, Expression work, boolean cancel) implements Step {
	}

	/**
	 * {@code flush_workqueue wq}, {@code drain_workqueue wq} and {@code destroy_workqueue wq}, first step: a flush
	 * fixes the runs on the queue to wait for, those queued and not ended; a drain starts refusing works from
	 * elsewhere ({@link org.lockspec.kernel.Workqueues}).
	 */
	record FlushQueue(FlushWorkqueueStmt at, Expression queue, WorkqueueCall call) implements Step {
	}

	/**
	 * {@code flush_workqueue wq} and the drains, second step: sleeps until the runs fixed by {@link FlushQueue} have
	 * ended, or for a drain, until no run on the queue is left; a destroy then frees the queue.
	 */
	record QueueWait(FlushWorkqueueStmt at, Expression queue, WorkqueueCall call) implements Step {
	}

	/** {@code cancel_work w}: a pending run is taken off the queue; no wait. */
	record CancelWork(CancelWorkStmt at, Expression work) implements Step {
	}

	/**
	 * Where a kworker starts a run of a work: waits until the run before it has ended (one worker at a time),
	 * then runs the work's op, or ends at once if the run was cancelled. Only a kworker starts here; the run
	 * ends when the op returns. {@code at} is the work's declaration. A threaded irq's thread stands here between
	 * runs: it begins one when the line fires or woke it, and leaves its loop once {@code free_irq} stopped it.
	 */
	record WorkBegin(Work at) implements Step {
	}

	/**
	 * A genirq call on a threaded irq ({@link org.lockspec.kernel.IrqState}): {@code request_threaded_irq} starts
	 * the action's thread, {@code free_irq} and the disables stop the line; for the calls that wait, the first of
	 * two steps ({@link IrqWait} waits).
	 */
	record IrqControl(IrqStmt at, Expression irq, org.lockspec.model.IrqCall call) implements Step {
		/** Whether the call sleeps until the irq's thread is idle ({@code synchronize_irq}, {@code disable_irq}) or gone ({@code free_irq}). */
		public boolean waits() {
			return call == org.lockspec.model.IrqCall.SYNCHRONIZE || call == org.lockspec.model.IrqCall.DISABLE
					|| call == org.lockspec.model.IrqCall.FREE;
		}
	}

	/**
	 * {@code synchronize_irq} and {@code disable_irq}, second step: sleeps until the irq's thread neither runs
	 * nor is woken; {@code free_irq} ({@code exit}): until the thread has left its loop.
	 */
	record IrqWait(IrqStmt at, Expression irq, boolean exit) implements Step {
	}

	/**
	 * {@code synchronize_srcu ss}, first step: a grace period begins, owed by the readers inside now
	 * ({@link org.lockspec.kernel.GracePeriods}); {@link SrcuWait} waits for them.
	 */
	record SrcuSync(SynchronizeSrcuStmt at, Expression srcu) implements Step {
	}

	/** {@code synchronize_srcu ss}, second step: sleeps until each of those readers has left its outermost section. */
	record SrcuWait(SynchronizeSrcuStmt at, Expression srcu) implements Step {
	}

	/**
	 * A runtime PM call ({@link org.lockspec.kernel.RuntimePmState}): takes or drops a usage count, waits for a callback
	 * under way, or starts one of its own, whose frame the thread then runs ({@code next} is the {@link PmSettle}
	 * after it).
	 */
	record PmControl(PmStmt at, Expression pm, PmCall call) implements Step {
	}

	/** After a runtime PM call: the callback it ran has returned, and the device is active or suspended. */
	record PmSettle(PmStmt at, Expression pm) implements Step {
	}

	/**
	 * Where the PM workqueue's kworker for a device stands between suspends: it runs the suspend callback (the
	 * op whose graph this node is in) whenever the device may be suspended. {@code at} is the runtime_pm.
	 */
	record PmBegin(RuntimePm at) implements Step {
	}

	/**
	 * {@code call op(args)}, and the call of the release op of {@code put o.rc release op} ({@code at} the put,
	 * {@code args} its object): binds the parameters; the callee's body follows.
	 */
	record Call(Statement at, Operation op, List<Expression> args) implements Step {
	}

	/** {@code queue op(args)}: starts op on a worker thread of its own. */
	record Spawn(QueueStmt at, Operation op, List<Expression> args) implements Step {
	}

	/** {@code assert c}. */
	record Assert(AssertStmt at, Expression cond) implements Step {
	}

	/** {@code return}: leaves the op, ending the {@code with} blocks it is in. */
	record Return(ReturnStmt at) implements Step {
	}
}
