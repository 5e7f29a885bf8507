package org.lockspec.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;
import org.lockspec.analysis.semantics.Lowering;
import org.lockspec.model.AddStmt;
import org.lockspec.model.AssignStmt;
import org.lockspec.model.CallStmt;
import org.lockspec.model.Config;
import org.lockspec.model.ConfigOption;
import org.lockspec.model.Context;
import org.lockspec.model.DrainStmt;
import org.lockspec.model.EnterStmt;
import org.lockspec.model.Expression;
import org.lockspec.model.LockMode;
import org.lockspec.model.LockStmt;
import org.lockspec.model.MemberAccess;
import org.lockspec.model.Operation;
import org.lockspec.model.Order;
import org.lockspec.model.RemoveStmt;
import org.lockspec.model.Spec;
import org.lockspec.model.TrylockStmt;
import org.lockspec.model.VarRef;
import org.lockspec.model.WithStmt;
import org.lockspec.typing.SpecTypes;
import org.lockspec.typing.Syntax;

/**
 * Facts about a whole spec that the path analysis relies on: which fields never
 * change (so their values are the same on every path), which read–write locks
 * are ever taken for write (a read that no writer can block adds no dependency),
 * which gates are ever entered, and which ops are entry points.
 */
public final class SpecFacts {

	private final Spec spec;
	private final Set<EObject> written = new HashSet<>();
	private final Set<EObject> changedLists = new HashSet<>();
	private final Set<EObject> writeTaken = new HashSet<>();
	private final Set<EObject> enteredGates = new HashSet<>();
	private final Set<EObject> drainedGates = new HashSet<>();
	private boolean completes;
	private final Set<Operation> called = new HashSet<>();
	private final Set<Operation> queued = new HashSet<>();
	private final Map<Operation, List<org.lockspec.model.Work>> works = new HashMap<>();
	private final Map<Operation, List<org.lockspec.model.RuntimePm>> pmCallbacks = new HashMap<>();
	/** The ops scenario threads run: each starts a thread of its own, whoever else calls it. */
	private final Set<Operation> threadRun = new HashSet<>();
	/** Ops that a {@code queue op(...)} statement starts on a worker of its own. */
	private final Set<Operation> queuedByStatement = new HashSet<>();
	private final boolean preemptRt;
	private final Config closedWorld;
	private final List<Order> orders;
	/** The ops' graphs of steps, made once per spec and shared by every engine that runs them. */
	private final Lowering lowering = new Lowering();

	/** The ops' graphs of steps ({@link Lowering}): one per op for the whole spec, whichever engine asks. */
	public Lowering lowering() {
		return lowering;
	}

	public SpecFacts(Spec spec) {
		this.spec = spec;
		for (AssignStmt a : EcoreUtil2.getAllContentsOfType(spec, AssignStmt.class)) {
			Expression t = a.getTarget();
			if (t instanceof MemberAccess m && m.getMember() != null) {
				written.add(m.getMember());
			} else if (t instanceof VarRef v && v.getRef() != null) {
				written.add(v.getRef());
			}
		}
		for (AddStmt a : EcoreUtil2.getAllContentsOfType(spec, AddStmt.class)) {
			changedLists.add(Syntax.declaration(a.getList()));
		}
		for (RemoveStmt r : EcoreUtil2.getAllContentsOfType(spec, RemoveStmt.class)) {
			changedLists.add(Syntax.declaration(r.getList()));
		}
		for (EObject o : (Iterable<EObject>) spec::eAllContents) {
			Expression lock = o instanceof LockStmt || o instanceof TrylockStmt || o instanceof WithStmt
					? Syntax.lockOperand(o) : null;
			if (lock != null && Syntax.mode(o) != LockMode.READ) {
				EObject decl = SpecTypes.typeOf(lock).decl();
				if (decl != null) {
					writeTaken.add(decl);
				}
			}
			if (o instanceof EnterStmt e) {
				enteredGates.add(Syntax.declaration(e.getGate()));
			} else if (o instanceof DrainStmt d) {
				drainedGates.add(Syntax.declaration(d.getGate()));
			} else if (o instanceof org.lockspec.model.CompleteStmt) {
				completes = true;
			} else if (o instanceof CallStmt c && c.getOp() != null) {
				called.add(c.getOp());
			} else if (o instanceof org.lockspec.model.PutStmt p && p.getRelease() != null) {
				called.add(p.getRelease()); // a last put calls it
			} else if (o instanceof org.lockspec.model.QueueStmt q && q.getOp() != null) {
				queued.add(q.getOp());
				queuedByStatement.add(q.getOp());
			} else if (o instanceof org.lockspec.model.Work w && w.getOp() != null) {
				queued.add(w.getOp());
				works.computeIfAbsent(w.getOp(), k -> new ArrayList<>()).add(w);
			} else if (o instanceof org.lockspec.model.RuntimePm pm) {
				for (Operation callback : java.util.Arrays.asList(pm.getSuspend(), pm.getResume())) {
					if (callback != null) {
						queued.add(callback); // the PM core runs it: an entry of its own
						pmCallbacks.computeIfAbsent(callback, k -> new ArrayList<>()).add(pm);
					}
				}
			} else if (o instanceof org.lockspec.model.ScenarioThread t && t.getOp() != null) {
				threadRun.add(t.getOp());
			}
		}
		this.preemptRt = config(spec, ConfigOption.PREEMPT_RT) != null;
		this.closedWorld = config(spec, ConfigOption.CLOSED_WORLD);
		this.orders = EcoreUtil2.typeSelect(spec.getMembers(), Order.class);
	}

	public Spec spec() {
		return spec;
	}

	/** A field, ref or global that no op ever assigns: its value is fixed by the topology. */
	public boolean isStable(EObject field) {
		return !written.contains(field);
	}

	/** A list that no op ever adds to or removes from. */
	public boolean isStableList(EObject list) {
		return !changedLists.contains(list);
	}

	/** Whether any op takes this rwsem/rwlock for write (or this exclusive lock at all). */
	public boolean writeSideTaken(EObject lockDecl) {
		return writeTaken.contains(lockDecl);
	}

	public boolean gateEntered(EObject gate) {
		return enteredGates.contains(gate);
	}

	/**
	 * Whether some op completes a completion: only then does what a path took before matter later
	 * ({@link PathState#producedAfter}), so only then do paths keep it.
	 */
	public boolean completes() {
		return completes;
	}

	public boolean preemptRt() {
		return preemptRt;
	}

	/**
	 * {@code config closed_world}: the spec shows every writer of its rwsems and rwlocks, so a read of one
	 * that no op takes for write can never block. Without it the world is open, as lockdep's is: a writer
	 * may live in code the spec does not show.
	 */
	public boolean closedWorld() {
		return closedWorld != null;
	}

	/** What a verdict that rests on the closed world says, next to its reasoning. */
	public String closedWorldNote(int dependencies) {
		return "closed world ('config closed_world', line " + Sites.line(closedWorld) + "): " + dependencies
				+ (dependencies == 1 ? " dependency" : " dependencies") + " on a read of a lock that no op of the spec "
				+ "takes for write left out (nothing can block such a read); lockdep, which assumes writers elsewhere, "
				+ "would count " + (dependencies == 1 ? "it" : "them");
	}

	private static Config config(Spec spec, ConfigOption option) {
		return EcoreUtil2.typeSelect(spec.getMembers(), Config.class).stream().filter(c -> c.getOption() == option)
				.findFirst().orElse(null);
	}

	/** The works whose function {@code op} is ({@code work w : op}): a kworker runs op holding each. */
	public List<org.lockspec.model.Work> worksRunBy(Operation op) {
		return works.getOrDefault(op, List.of());
	}

	/**
	 * The work (kthread, threaded irq, timer) whose function {@code op} is, if that is the only way it runs on a
	 * thread of its own: the function of exactly one declaration, never started by {@code queue}, never a
	 * scenario thread's op, never a runtime PM callback. Such an op never runs on two CPUs at once for one object
	 * ({@link org.lockspec.kernel.WorkKind#onceAtATime}); null otherwise.
	 */
	public org.lockspec.model.Work onlyRunAsWork(Operation op) {
		List<org.lockspec.model.Work> ws = worksRunBy(op);
		boolean otherwise = queuedByStatement.contains(op) || threadRun.contains(op) || pmCallbacks.containsKey(op);
		return ws.size() == 1 && !otherwise ? ws.get(0) : null;
	}

	/** The runtime PMs {@code op} is a callback of. */
	public List<org.lockspec.model.RuntimePm> runtimePmsOf(Operation op) {
		return pmCallbacks.getOrDefault(op, List.of());
	}

	public List<Order> orders() {
		return orders;
	}

	/**
	 * Entry points: every op that declares its context, is queued to a worker, is
	 * run by a scenario thread, or is called by no other op. An op without a
	 * context that others call is only analysed inlined, in its callers' contexts
	 * (and only where those calls are reached).
	 */
	public List<Operation> entries() {
		Set<Operation> result = new LinkedHashSet<>();
		for (Operation op : EcoreUtil2.typeSelect(spec.getMembers(), Operation.class)) {
			if (Syntax.declaredContext(op) != null || queued.contains(op) || threadRun.contains(op)
					|| !called.contains(op)) {
				result.add(op);
			}
		}
		return new ArrayList<>(result);
	}

	/** The context an entry op runs in: the declared one, or process context. */
	public static Context entryContext(Operation op) {
		Context c = Syntax.declaredContext(op);
		return c == null ? Context.PROCESS : c;
	}
}
