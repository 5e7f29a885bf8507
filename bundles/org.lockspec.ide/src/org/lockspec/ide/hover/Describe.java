package org.lockspec.ide.hover;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.lockspec.kernel.LockKinds;
import org.lockspec.kernel.Workqueues;
import org.lockspec.model.Completion;
import org.lockspec.model.Work;
import org.lockspec.model.Config;
import org.lockspec.model.ConfigOption;
import org.lockspec.model.Const;
import org.lockspec.model.EnumLiteral;
import org.lockspec.model.EnumType;
import org.lockspec.model.Field;
import org.lockspec.model.ForStmt;
import org.lockspec.model.Gate;
import org.lockspec.model.Guard;
import org.lockspec.model.Instance;
import org.lockspec.model.Invariant;
import org.lockspec.model.LetStmt;
import org.lockspec.model.ListField;
import org.lockspec.model.Lock;
import org.lockspec.model.LockKind;
import org.lockspec.model.ObjectType;
import org.lockspec.model.Operation;
import org.lockspec.model.Param;
import org.lockspec.model.PutStmt;
import org.lockspec.model.QuantVar;
import org.lockspec.model.Ref;
import org.lockspec.model.Refcount;
import org.lockspec.model.RuntimePm;
import org.lockspec.model.Scenario;
import org.lockspec.model.ScenarioThread;
import org.lockspec.model.Spec;
import org.lockspec.naming.NameOf;
import org.lockspec.typing.Guards;

/**
 * What a declaration is, in one or two Markdown lines: the text of the hover
 * before the element's own comment. The lock kinds say what LANGUAGE.md says of
 * them: mutex and rwsem sleep; spinlock and rwlock spin, but sleep under
 * {@code config preempt_rt}; a raw spinlock never sleeps.
 */
public final class Describe {

	private Describe() {
	}

	/** Markdown for {@code element}, or null for an element that has nothing to say. */
	public static String markdown(EObject element) {
		if (element instanceof Lock lock) {
			return lock(lock);
		}
		if (element instanceof Gate gate) {
			return "**gate** `" + gate.getName() + "`" + owner(gate)
					+ "  \nA kernfs-style active reference: many may `enter` while it is open; `drain` closes it and "
					+ "waits until all have left (it sleeps); an `enter` after that fails and the op returns.";
		}
		if (element instanceof Completion c) {
			return "**completion** `" + c.getName() + "`" + owner(c)
					+ "  \nA `struct completion`: `complete` lets one waiter go on, `complete_all` every waiter; "
					+ "`wait_for_completion` sleeps until it is done (its `_timeout`/`_interruptible` forms may give up); "
					+ "`reinit_completion` makes it not done. Waiting for it while holding a lock its producer takes "
					+ "first deadlocks: Lockspec reports that cycle, lockdep cannot (DEPT can).";
		}
		if (element instanceof Work w && w.isTimer()) {
			return "**timer** `" + w.getName() + "`" + owner(w) + (w.getOp() == null ? "" : ", timer function `"
					+ w.getOp().getName() + "`")
					+ "  \nA `struct timer_list` (`timer_setup`): `mod_timer`/`add_timer` arm it (a no-op while it is "
					+ "pending: only the expiry moves), and the function then runs in softirq context, never twice at "
					+ "once. `timer_delete` takes a pending expiry off; `timer_delete_sync` (`del_timer_sync`) also spins "
					+ "until a running function has returned: no sleep, but holding a lock the function takes deadlocks. "
					+ "Lockdep reports that through the timer's lock map, and so does Lockspec.";
		}
		if (element instanceof Work w && w.isIrq()) {
			return "**threaded irq** `" + w.getName() + "`" + owner(w) + (w.getOp() == null ? "" : ", thread function `"
					+ w.getOp().getName() + "`")
					+ "  \nAn interrupt line's action (`request_threaded_irq`): once requested, the line may fire at any "
					+ "time while enabled, and its one thread runs the function once per wake-up, never twice at once. "
					+ "`synchronize_irq` sleeps until the thread is idle, `disable_irq` stops the line and waits the same "
					+ "way (`disable_irq_nosync` does not wait), `enable_irq` undoes one disable, `free_irq` stops the "
					+ "line and sleeps until the thread has exited. Waiting for it while holding a lock its function "
					+ "takes deadlocks, and so does waiting from its own function: Lockspec reports both, lockdep "
					+ "cannot.";
		}
		if (element instanceof Work w && w.isKthread()) {
			return "**kthread** `" + w.getName() + "`" + owner(w) + (w.getOp() == null ? "" : ", runs `" + w.getOp().getName() + "`")
					+ "  \nA kernel thread: `kthread_run` starts it; `kthread_stop` sets `kthread_should_stop` and sleeps "
					+ "until the thread function returns (a thread that has not begun it never runs it). Stopping it while "
					+ "holding a lock its function takes deadlocks: Lockspec reports that cycle, lockdep cannot (DEPT can).";
		}
		if (element instanceof Work w) {
			return "**work** `" + w.getName() + "`" + owner(w) + (w.getOp() == null ? "" : ", runs `" + w.getOp().getName() + "`")
					+ "  \nA `struct work_struct` (`INIT_WORK`): `queue_work` queues a run on a kworker (a no-op while one is "
					+ "pending); runs never overlap; `flush_work` sleeps until the run queued last has ended; `cancel_work` "
					+ "takes a pending run off the queue, `cancel_work_sync` also waits for the running one. Flushing it "
					+ "while holding a lock its function takes deadlocks: lockdep reports it as `(work_completion)`, and "
					+ "so does Lockspec." + (w.getQueue() == null ? " It runs on the system workqueue."
							: " It runs on the workqueue `" + w.getQueue().getName() + "` (`queue_work(" + w.getQueue().getName()
									+ ", &" + w.getName() + ")`).");
		}
		if (element instanceof RuntimePm pm) {
			return "**runtime_pm** `" + pm.getName() + "`" + owner(pm) + (pm.getSuspend() == null || pm.getResume() == null
					? "" : ", callbacks `" + pm.getSuspend().getName() + "` (suspend) and `" + pm.getResume().getName()
							+ "` (resume)")
					+ "  \nA device's runtime PM (`struct dev_pm_info`, `RUNTIME_PM_OPS`): `pm_runtime_get_sync` takes a "
					+ "usage count and, if the device is suspended, runs the resume callback itself, after sleeping until "
					+ "a callback under way has ended; `pm_runtime_put_sync` runs the suspend callback at zero; "
					+ "`pm_runtime_put` leaves the suspend to the PM workqueue, which may suspend an unused device at any "
					+ "time; `pm_runtime_barrier` waits for a callback under way. Calling them while holding a lock a "
					+ "callback takes deadlocks (and so does a callback calling them on its own device): Lockspec reports "
					+ "that cycle, lockdep cannot.";
		}
		if (element instanceof Operation op) {
			return operation(op);
		}
		if (element instanceof ObjectType type) {
			return objectType(type);
		}
		if (element instanceof Field field) {
			return "**field** `" + field.getName() + "` : `" + text(field.getType()) + "`" + owner(field)
					+ (field.isAtomic() ? ", atomic (never a race)" : "") + guards(field.getGuards());
		}
		if (element instanceof Ref ref) {
			return "**ref** `" + ref.getName() + "` : `" + name(ref.getType()) + (ref.isNullable() ? "?" : "") + "`"
					+ owner(ref) + "  \nA pointer" + (ref.isNullable() ? " that may be null" : "") + "."
					+ guards(ref.getGuards());
		}
		if (element instanceof ListField list) {
			return "**list** `" + list.getName() + "` : `" + name(list.getType()) + "`" + owner(list)
					+ "  \nA kernel list head; whether an object is `linked` on it is state the prover tracks."
					+ guards(list.getGuards());
		}
		if (element instanceof Refcount rc) {
			return "**refcount** `" + rc.getName() + "`" + owner(rc)
					+ "  \nA kref: starts at 1, `get` and `put`; the object is freed when it reaches 0, or, with "
					+ "`put … release op`, when op returns.";
		}
		if (element instanceof Param p) {
			return "**parameter** `" + p.getName() + "` : `" + text(p.getType()) + "`";
		}
		if (element instanceof Instance i) {
			return "**instance** `" + i.getName() + "` : `" + name(i.getType()) + "` of the scenario";
		}
		if (element instanceof ScenarioThread t) {
			return "**thread** `" + t.getName() + "` runs `" + name(t.getOp()) + "`";
		}
		if (element instanceof Scenario s) {
			return "**scenario** `" + s.getName() + "`: " + s.getThreads().size() + " threads over "
					+ s.getInstances().size() + " instances; every interleaving is checked";
		}
		if (element instanceof Invariant inv) {
			return "**invariant** `" + inv.getName() + "`: must hold in every reachable state";
		}
		if (element instanceof EnumType e) {
			return "**enum** `" + e.getName() + "` { "
					+ e.getLiterals().stream().map(EnumLiteral::getName).collect(Collectors.joining(", ")) + " }";
		}
		if (element instanceof EnumLiteral l) {
			return "**enum value** `" + l.getName() + "`"
					+ (l.eContainer() instanceof EnumType e ? " of `" + e.getName() + "`" : "");
		}
		if (element instanceof Const c) {
			return "**const** `" + c.getName() + "` = " + c.getValue();
		}
		if (element instanceof LetStmt let) {
			return "**local** `" + let.getName() + "`";
		}
		if (element instanceof ForStmt f) {
			return "**loop variable** `" + f.getName() + "` over `" + text(f.getList()) + "`";
		}
		if (element instanceof QuantVar q) {
			return "**bound variable** `" + q.getName() + "` : `" + name(q.getType()) + "`";
		}
		if (element instanceof Spec s) {
			return "**spec** `" + s.getName() + "`";
		}
		return null;
	}

	/** Whether a lock of this kind sleeps, as lockdep's wait-context rule sees it. */
	public static String sleeps(LockKind kind, boolean preemptRt) {
		if (LockKinds.readSectionAtomic(kind)) {
			return "a reader never waits, and must not sleep inside";
		}
		if (LockKinds.readersOnly(kind)) {
			return "a reader never waits, and may sleep inside";
		}
		if (LockKinds.alwaysSleeps(kind)) {
			return "sleeps";
		}
		if (LockKinds.sleepsOnPreemptRt(kind)) {
			return preemptRt ? "sleeps (this spec has `config preempt_rt`)"
					: "spins, never sleeps (but sleeps under `config preempt_rt`)";
		}
		return "spins, never sleeps (not even under `config preempt_rt`)";
	}

	private static String lock(Lock lock) {
		LockKind kind = lock.getKind();
		StringBuilder sb = new StringBuilder("**lock** `").append(lock.getName()).append("` : `")
				.append(kind.getLiteral()).append('`');
		sb.append(lock.eContainer() instanceof ObjectType t ? ", one per `" + t.getName() + "`" : ", global (one instance)");
		sb.append("  \n").append(switch (kind) {
		case MUTEX -> "A mutex: ";
		case RWSEM -> "A reader/writer semaphore (`lock " + lock.getName() + " read|write`; a waiting writer blocks new readers): ";
		case SPINLOCK -> "A spinlock (`irqsave` optional): ";
		case RWLOCK -> "A reader/writer spinlock (`read|write`; a reader in interrupt context never waits "
				+ "behind a waiting writer, one in process context does): ";
		case RAW_SPINLOCK -> "A raw spinlock (`irqsave` optional): ";
		case SRCU -> "A `struct srcu_struct`: `srcu_read_lock`/`srcu_read_unlock` open and close a read section, which "
				+ "never waits and may sleep; `synchronize_srcu` sleeps until every reader that was inside when it "
				+ "began has left. Synchronizing while holding a lock a reader takes inside deadlocks (lockdep reports "
				+ "it since f0f44752f5f6), and so does synchronizing inside a read section of the same srcu. ";
		case RCU -> "RCU itself (lockdep's `rcu_read_lock`): `rcu_read_lock`/`rcu_read_unlock` open and close a read "
				+ "section, which never waits and in which nothing may sleep (a spinlock may be taken; on PREEMPT_RT "
				+ "it is an rt_mutex, which RCU allows); `synchronize_rcu` sleeps until every reader that was inside "
				+ "when it began has left, so an object unpublished before it may be freed after it. Synchronizing "
				+ "inside a read section waits for itself. ";
		case WORKQUEUE, ORDERED_WORKQUEUE -> "A `struct workqueue_struct` (`alloc_" + (Workqueues.ordered(kind)
				? "ordered_" : "") + "workqueue`): the works declared `on` it run on its kworkers" + (Workqueues.ordered(kind)
						? ", one at a time, in the order they were queued (a work waiting for one behind it deadlocks)" : "")
				+ "; `flush_workqueue` sleeps until every run queued when it began has ended, `drain_workqueue` until "
				+ "it is empty, `destroy_workqueue` drains and frees it. Flushing it while holding a lock one of its "
				+ "works takes deadlocks (lockdep: `(wq_completion)`), and so does flushing it from one of its works. ";
		}).append(Workqueues.isWorkqueue(kind) ? "No lock statement takes it" : sleeps(kind, preemptRt(lock))).append('.');
		if (LockKinds.sleeps(kind, preemptRt(lock))) {
			sb.append(" Never take it in atomic context (under a spinning lock, with IRQs off, in an IRQ).");
		}
		return sb.toString();
	}

	private static String operation(Operation op) {
		StringBuilder sb = new StringBuilder("**op** `").append(op.getName()).append('(');
		List<String> params = new ArrayList<>();
		for (Param p : op.getParams()) {
			params.add(p.getName() + ": " + text(p.getType()));
		}
		sb.append(String.join(", ", params)).append(")`");
		sb.append(op.getContext() != null && isSet(op, "context") ? " in `" + op.getContext().getLiteral() + "`"
				: " (in its caller's context)");
		if (!op.getAcquires().isEmpty()) {
			sb.append(", acquires `").append(op.getAcquires().stream().map(Describe::text).collect(Collectors.joining(", ")))
					.append('`');
		}
		if (!op.getReleases().isEmpty()) {
			sb.append(", releases `").append(op.getReleases().stream().map(Describe::text).collect(Collectors.joining(", ")))
					.append('`');
		}
		int statements = op.getBody() == null ? 0 : op.getBody().getStatements().size();
		sb.append("  \nAn operation: ").append(statements).append(statements == 1 ? " statement" : " statements")
				.append("; the prover explores every path of it.");
		Spec spec = EcoreUtil2.getContainerOfType(op, Spec.class);
		boolean release = spec != null && EcoreUtil2.eAllOfType(spec, PutStmt.class).stream().anyMatch(p -> p.getRelease() == op);
		if (release) {
			sb.append("  \nA release op (kref_put's release): the last `put … release " + op.getName()
					+ "` runs it, and frees the object when it returns.");
		}
		return sb.toString();
	}

	private static String objectType(ObjectType type) {
		long locks = type.getFeatures().stream().filter(f -> f instanceof Lock).count();
		long gates = type.getFeatures().stream().filter(f -> f instanceof Gate).count();
		int n = type.getFeatures().size();
		return "**object** `" + type.getName() + "`  \nA kind of kernel object: " + n + (n == 1 ? " feature" : " features")
				+ (locks > 0 ? ", " + locks + (locks == 1 ? " lock" : " locks") + " per object" : "")
				+ (gates > 0 ? ", " + gates + (gates == 1 ? " gate" : " gates") : "") + ".";
	}

	private static boolean isSet(EObject o, String feature) {
		var f = o.eClass().getEStructuralFeature(feature);
		return f != null && o.eIsSet(f);
	}

	private static boolean preemptRt(EObject o) {
		Spec spec = EcoreUtil2.getContainerOfType(o, Spec.class);
		return spec != null && EcoreUtil2.typeSelect(spec.getMembers(), Config.class).stream()
				.anyMatch(c -> c.getOption() == ConfigOption.PREEMPT_RT);
	}

	private static String owner(EObject feature) {
		return feature.eContainer() instanceof ObjectType t ? " of `" + t.getName() + "`" : "";
	}

	private static String guards(List<Guard> guards) {
		if (guards.isEmpty()) {
			return "";
		}
		return "  \nGuarded by " + guards.stream().map(g -> "`" + Guards.text(g) + "`").collect(Collectors.joining(", "))
				+ ": every access holds one of them" + (guards.stream().anyMatch(g -> !Guards.path(g).isEmpty())
						? " (a lock reached through refs is the one of the object they point to at the access)" : "")
				+ ".";
	}

	private static String name(EObject o) {
		String n = o == null || o.eIsProxy() ? null : NameOf.name(o);
		return n == null ? "?" : n;
	}

	/** The source text of an element (a type, an expression), one line. */
	private static String text(EObject o) {
		ICompositeNode node = o == null ? null : NodeModelUtils.findActualNodeFor(o);
		return node == null ? "?" : NodeModelUtils.getTokenText(node);
	}
}
