package org.lockspec.tests;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Small random specs for the differential oracle: 2 to 4 locks of every kind
 * and mode (global and per object), one object type with fields, a reference,
 * and sometimes a refcount, a list, a gate, a completion, a work and an srcu (with RCU), 2 to 4 ops (locks,
 * {@code with} blocks with {@code return}, trylocks, gates with failed
 * {@code enter}s, completions and waits for them (some that give up), works
 * queued, flushed and cancelled, workqueues flushed, RCU and SRCU read sections and grace periods, runtime PM
 * calls with callbacks that lock and write, refcounts, list walks, calls, {@code choose}, asserts, interrupt
 * contexts), invariants, and scenarios of 1 to 3 objects and 2 or 3 threads. Every spec
 * checks clean (that is tested); what the engines conclude about it is what the
 * oracle holds against each other. The same seed gives the same text. Works, workqueues,
 * grace periods and runtime PM are drawn from streams of their own, so a seed's spec without
 * them is the one it was before they came.
 */
public final class RandomSpecs {

	private static final String[] KINDS = { "mutex", "rwsem", "spinlock", "raw_spinlock", "rwlock" };

	private final SplittableRandom random;
	/** Where works go: a stream of its own, which the rest of the spec never reads. */
	private final SplittableRandom workRandom;
	private boolean work;
	/** Where RCU and SRCU go: a stream of its own too. */
	private final SplittableRandom graceRandom;
	private final boolean grace;
	/** Whether the work runs on a workqueue, global or of each node, and which: a stream of its own too. */
	private final SplittableRandom queueRandom;
	private final boolean queued;
	private final boolean queuePerNode;
	/** Whether the node has runtime PM, its callbacks and its calls: a stream of its own too. */
	private final SplittableRandom pmRandom;
	private final boolean pm;
	/** Whether a refcount's puts may run a release op, and under which lock: a stream of its own too. */
	private final SplittableRandom releaseRandom;
	private boolean releaseOp;
	/** The lock the release op is entered with ({@code put … under}), or null. */
	private String releaseUnder;
	private final StringBuilder out = new StringBuilder();
	private final List<String> globalLocks = new ArrayList<>();
	private final List<String> globalKinds = new ArrayList<>();
	private String nodeLockKind;
	private boolean refcount;
	private boolean list;
	private boolean gate;
	private boolean completion;
	private int ops;
	/** Per op: its context, whether it is an entry; the op being written and its nesting. */
	private final List<String> contexts = new ArrayList<>();
	private int current;
	private int depth;
	private int loopDepth;

	private RandomSpecs(long seed) {
		this.random = new SplittableRandom(seed);
		this.workRandom = new SplittableRandom(seed ^ 0x5eed_0f_70_0b5L);
		this.work = workRandom.nextInt(100) < 35;
		this.graceRandom = new SplittableRandom(seed ^ 0x6ace_9e10_d5L);
		this.grace = graceRandom.nextInt(100) < 30;
		this.queueRandom = new SplittableRandom(seed ^ 0x9e0e_f105_4L);
		this.queued = work && queueRandom.nextInt(100) < 40;
		this.queuePerNode = queueRandom.nextBoolean();
		this.pmRandom = new SplittableRandom(seed ^ 0x9a_5e_7e_5dL);
		this.pm = pmRandom.nextInt(100) < 25;
		this.releaseRandom = new SplittableRandom(seed ^ 0x4e1e_a5e0_9L);
	}

	/** The spec of {@code seed}, named {@code oracle.s<seed>}. */
	public static String generate(long seed) {
		return new RandomSpecs(seed).spec(seed);
	}

	private String spec(long seed) {
		line("spec oracle.s" + Long.toUnsignedString(seed));
		if (chance(10)) {
			line("config closed_world");
		}
		int globals = 1 + random.nextInt(3);
		for (int i = 0; i < globals; i++) {
			String kind = pick(KINDS);
			globalLocks.add("G" + i);
			globalKinds.add(kind);
			line("lock G" + i + " : " + kind);
		}
		if (grace) {
			line("lock rcu : rcu");
		}
		if (queued && !queuePerNode) {
			line("workqueue wq");
		}
		nodeLockKind = pick(KINDS);
		refcount = chance(40);
		list = chance(40);
		gate = chance(30);
		completion = chance(30);
		line("object Node {");
		line("  field a : int");
		line("  field b : int" + (chance(30) ? " guarded_by l" : ""));
		line("  ref parent : Node?");
		line("  lock l : " + nodeLockKind);
		if (refcount) {
			line("  refcount rc");
		}
		if (list) {
			line("  list kids : Node");
		}
		if (gate) {
			line("  gate g");
		}
		if (completion) {
			line("  completion done");
		}
		if (queued && queuePerNode) {
			line("  workqueue wq");
		}
		if (work) {
			line("  work w : fw" + (queued ? " on wq" : ""));
		}
		if (grace) {
			line("  srcu ss");
		}
		if (pm) {
			line("  runtime_pm pm : pm_suspend, pm_resume");
		}
		line("}");
		invariants();
		releaseOp = refcount && releaseRandom.nextInt(100) < 50;
		if (releaseOp) {
			releaseOp();
		}
		if (work) {
			workFunction();
		}
		if (pm) {
			pmCallback("pm_suspend");
			pmCallback("pm_resume");
		}
		ops = 2 + random.nextInt(3);
		for (int i = 0; i < ops; i++) {
			contexts.add(context());
		}
		for (int i = ops - 1; i >= 0; i--) {
			op(i);
		}
		int scenarios = 1 + random.nextInt(2);
		for (int i = 0; i < scenarios; i++) {
			scenario(i);
		}
		return out.toString();
	}

	// ------------------------------------------------------------- declarations

	private void invariants() {
		if (chance(60)) {
			String under = chance(40) ? " under " + globalLocks.get(random.nextInt(globalLocks.size())) : "";
			line("invariant small" + under + ": forall n: Node . n.a >= 0 && n.a <= 1");
		}
		if (chance(40)) {
			line("invariant pair: forall n: Node . n.b == 1 ==> n.a == 1");
		}
		if (refcount && list && chance(50)) {
			line("invariant kept: forall p: Node . forall c: Node . linked(c, p.kids) ==> c.rc >= 1");
		}
	}

	/**
	 * The release op of the refcount's puts: it writes, maybe under a lock, and half the time it is entered
	 * with a lock that only the last put takes (kref_put_mutex, kref_put_lock), which it unlocks.
	 */
	private void releaseOp() {
		List<String> under = new ArrayList<>();
		for (int i = 0; i < globalLocks.size(); i++) {
			if (List.of("mutex", "spinlock", "raw_spinlock").contains(globalKinds.get(i))) {
				under.add(globalLocks.get(i));
			}
		}
		if (List.of("mutex", "spinlock", "raw_spinlock").contains(nodeLockKind)) {
			under.add("x.l");
		}
		releaseUnder = !under.isEmpty() && releaseRandom.nextBoolean() ? under.get(releaseRandom.nextInt(under.size())) : null;
		line("op rel(x: Node)" + (releaseUnder == null ? "" : " releases " + releaseUnder) + " {");
		if (releaseRandom.nextBoolean()) {
			line(1, "x.a = 0");
		} else {
			line(1, "with " + globalOrNodeLock(releaseRandom).operand() + " { x.b = 0 }");
		}
		if (releaseUnder != null) {
			line(1, "unlock " + releaseUnder);
		}
		line("}");
	}

	/** Entry ops say where they run; helpers (called only) inherit it. */
	private String context() {
		int r = random.nextInt(100);
		return r < 60 ? "process" : r < 72 ? "softirq" : r < 82 ? "hardirq" : r < 88 ? "any" : null;
	}

	private void op(int i) {
		current = i;
		depth = 0;
		loopDepth = 0;
		String ctx = contexts.get(i);
		line("op f" + i + "(x: Node, y: Node)" + (ctx == null ? "" : " in " + ctx) + " {");
		block(1, 2 + random.nextInt(3));
		line("}");
	}

	private void scenario(int i) {
		int objects = 1 + random.nextInt(3);
		line("scenario sc" + i + " {");
		for (int o = 0; o < objects; o++) {
			String init = o > 0 && chance(50) ? " { parent = n0 }" : "";
			String in = list && o > 0 && chance(50) ? " in n0.kids" : "";
			line("  n" + o + " : Node" + init + in);
		}
		int threads = chance(25) ? 3 : 2;
		for (int t = 0; t < threads; t++) {
			int op = random.nextInt(ops);
			line("  thread t" + t + " : f" + op + "(n" + random.nextInt(objects) + ", n" + random.nextInt(objects) + ")");
		}
		if (chance(30)) {
			line("  bound steps " + (20 + random.nextInt(40)));
		}
		line("}");
	}

	// ------------------------------------------------------------- statements

	private void block(int indent, int statements) {
		for (int s = 0; s < statements; s++) {
			statement(indent);
		}
	}

	private void statement(int indent) {
		if (work && workRandom.nextInt(100) < 12) {
			workStatement(indent);
		}
		if (grace && graceRandom.nextInt(100) < 12) {
			graceStatement(indent);
		}
		if (queued && queueRandom.nextInt(100) < 8) {
			line(indent, "flush_workqueue " + queue());
		}
		if (pm && pmRandom.nextInt(100) < 12) {
			pmStatement(indent);
		}
		int r = random.nextInt(100);
		boolean nest = depth < 2;
		if (nest && r < 18) {
			lockBlock(indent);
		} else if (nest && r < 30) {
			withBlock(indent);
		} else if (nest && r < 36) {
			trylock(indent);
		} else if (r < 50) {
			assign(indent);
		} else if (nest && r < 58) {
			ifBlock(indent);
		} else if (r < 63 && current + 1 < ops) {
			int callee = current + 1 + random.nextInt(ops - current - 1);
			line(indent, "call f" + callee + "(" + obj() + ", " + obj() + ")");
		} else if (r < 68 && refcount) {
			String o = obj();
			line(indent, "get " + o + ".rc");
			if (nest && chance(50)) {
				depth++;
				block(indent, 1);
				depth--;
			}
			if (chance(90)) {
				boolean release = releaseOp && releaseRandom.nextInt(100) < 60;
				line(indent, "put " + o + ".rc" + (!release ? "" : " release rel"
						+ (releaseUnder == null ? "" : " under " + releaseUnder.replace("x.", o + "."))));
			}
		} else if (r < 73 && gate) {
			gateStatement(indent);
		} else if (r < 73 && completion) {
			completionStatement(indent);
		} else if (nest && r < 77 && list && loopDepth == 0) {
			String o = obj();
			line(indent, "for k in " + o + ".kids {");
			depth++;
			loopDepth++;
			block(indent + 1, 1 + random.nextInt(2));
			loopDepth--;
			depth--;
			line(indent, "}");
		} else if (r < 80 && list) {
			String o = obj();
			String e = o.equals("x") ? "y" : "x";
			line(indent, (chance(50) ? "add " + e + " to " : "remove " + e + " from ") + o + ".kids");
		} else if (nest && r < 85) {
			line(indent, "choose {");
			depth++;
			block(indent + 1, 1);
			line(indent, "} or {");
			block(indent + 1, 1);
			depth--;
			line(indent, "}");
		} else if (r < 90) {
			line(indent, "assert " + obj() + ".a <= 1");
		} else if (r < 93) {
			line(indent, "wait until " + obj() + ".a == 0");
		} else if (r < 96 && depth > 0) {
			line(indent, "return");
		} else {
			assign(indent);
		}
	}

	private void lockBlock(int indent) {
		Lock l = lock();
		line(indent, "lock " + l.text(random));
		depth++;
		block(indent, 1 + random.nextInt(2));
		depth--;
		line(indent, "unlock " + l.name());
	}

	private void withBlock(int indent) {
		Lock l = lock();
		line(indent, "with " + l.text(random) + " {");
		depth++;
		block(indent + 1, 1 + random.nextInt(2));
		if (chance(25)) {
			line(indent + 1, "if " + obj() + ".a == 1 { return }");
		}
		depth--;
		line(indent, "}");
	}

	private void trylock(int indent) {
		Lock l = lock();
		line(indent, "if trylock " + l.text(random) + " {");
		depth++;
		block(indent + 1, 1);
		line(indent + 1, "unlock " + l.name());
		depth--;
		line(indent, "} else {");
		depth++;
		block(indent + 1, 1);
		depth--;
		line(indent, "}");
	}

	private void ifBlock(int indent) {
		line(indent, "if " + obj() + ".a == " + random.nextInt(2) + " {");
		depth++;
		block(indent + 1, 1 + random.nextInt(2));
		depth--;
		if (chance(50)) {
			line(indent, "} else {");
			depth++;
			block(indent + 1, 1);
			depth--;
		}
		line(indent, "}");
	}

	private void gateStatement(int indent) {
		String o = obj();
		if (chance(30)) {
			line(indent, "drain " + o + ".g");
			return;
		}
		line(indent, "enter " + o + ".g");
		depth++;
		block(indent, 1);
		depth--;
		line(indent, "leave " + o + ".g");
	}

	private void completionStatement(int indent) {
		String c = obj() + ".done";
		int r = random.nextInt(100);
		line(indent, (r < 40 ? "complete " : r < 50 ? "complete_all " : r < 85 ? "wait_for_completion "
				: r < 95 ? "wait_for_completion_timeout " : "reinit_completion ") + c);
	}

	/** The work's function: a kworker runs it for one node, taking locks, writing, requeueing or flushing itself. */
	private void workFunction() {
		line("op fw(x: Node) {");
		int statements = 1 + workRandom.nextInt(3);
		for (int i = 0; i < statements; i++) {
			int r = workRandom.nextInt(100);
			if (r < 45) {
				Taken l = globalOrNodeLock(workRandom);
				line(1, "lock " + l.operand());
				line(1, "x.a = " + workRandom.nextInt(2));
				line(1, "unlock " + l.name());
			} else if (r < 70) {
				line(1, "x.b = 1 - x.b");
			} else if (r < 85) {
				line(1, "queue_work x.w");
			} else if (completion && r < 93) {
				line(1, "complete x.done");
			} else {
				line(1, workRandom.nextBoolean() ? "flush_work x.w" : "cancel_work_sync x.w");
			}
		}
		if (queued && queueRandom.nextInt(100) < 15) {
			line(1, "flush_workqueue " + (queuePerNode ? "x.wq" : "wq")); // the queue it runs on: waits for itself
		}
		line("}");
	}

	private void workStatement(int indent) {
		String w = (workRandom.nextBoolean() ? "x" : "y") + ".w";
		int r = workRandom.nextInt(100);
		line(indent, (r < 45 ? "queue_work " : r < 65 ? "flush_work " : r < 85 ? "cancel_work_sync " : "cancel_work ") + w);
	}

	/** A read section of RCU or of a node's srcu around a statement, or a grace period of either. */
	private void graceStatement(int indent) {
		String ss = (graceRandom.nextBoolean() ? "x" : "y") + ".ss";
		int r = graceRandom.nextInt(100);
		if (r < 60 && depth < 2) {
			boolean rcu = r < 30;
			line(indent, rcu ? "rcu_read_lock" : "srcu_read_lock " + ss);
			depth++;
			block(indent, 1);
			depth--;
			line(indent, rcu ? "rcu_read_unlock" : "srcu_read_unlock " + ss);
		} else {
			line(indent, graceRandom.nextBoolean() ? "synchronize_rcu" : "synchronize_srcu " + ss);
		}
	}

	/** A runtime PM callback of the node: it locks the node's lock or a global one and writes, or may sleep. */
	private void pmCallback(String name) {
		line("op " + name + "(x: Node) {");
		int r = pmRandom.nextInt(100);
		if (r < 60) {
			line(1, "with " + globalOrNodeLock(pmRandom).operand() + " {");
			line(2, "x.a = " + pmRandom.nextInt(2));
			line(1, "}");
		} else if (r < 80) {
			line(1, "x.b = 1 - x.b");
		} else {
			line(1, "might_sleep");
		}
		line("}");
	}

	/** A runtime PM call on a node: one that may run a callback or wait for one, or one that only counts. */
	private void pmStatement(int indent) {
		String d = (pmRandom.nextBoolean() ? "x" : "y") + ".pm";
		int r = pmRandom.nextInt(100);
		if (r < 45 && depth < 2) {
			line(indent, (pmRandom.nextBoolean() ? "pm_runtime_get_sync " : "pm_runtime_resume_and_get ") + d);
			depth++;
			block(indent, 1);
			depth--;
			String[] puts = { "pm_runtime_put ", "pm_runtime_put_sync ", "pm_runtime_put_autosuspend ",
					"pm_runtime_put_noidle " };
			line(indent, puts[pmRandom.nextInt(puts.length)] + d);
		} else if (r < 65) {
			line(indent, "pm_runtime_barrier " + d);
		} else if (r < 80) {
			line(indent, "pm_runtime_get_noresume " + d);
		} else {
			line(indent, (pmRandom.nextBoolean() ? "pm_runtime_put_sync " : "pm_runtime_put ") + d);
		}
	}

	/** The workqueue to flush: the global one, or a node's. */
	private String queue() {
		return queuePerNode ? (queueRandom.nextBoolean() ? "x" : "y") + ".wq" : "wq";
	}

	private void assign(int indent) {
		String o = obj();
		int r = random.nextInt(4);
		String target = o + (r == 3 ? ".b" : ".a");
		String value = switch (random.nextInt(4)) {
		case 0 -> "0";
		case 1 -> "1";
		case 2 -> (o.equals("x") ? "y" : "x") + ".a";
		default -> "1 - " + o + ".a";
		};
		if (r == 2) {
			line(indent, o + ".parent = " + (chance(50) ? "null" : o.equals("x") ? "y" : "x"));
		} else {
			line(indent, target + " = " + value);
		}
	}

	// ------------------------------------------------------------- operands

	private record Lock(String name, String kind) {
		String text(SplittableRandom random) {
			boolean rw = kind.equals("rwsem") || kind.equals("rwlock");
			boolean spins = kind.equals("spinlock") || kind.equals("raw_spinlock") || kind.equals("rwlock");
			return name + (rw ? random.nextBoolean() ? " read" : " write" : "")
					+ (spins && random.nextInt(3) == 0 ? " irqsave" : "");
		}
	}

	/** A lock to take: its name, and the operand of the statement that takes it (with a side, for a rwsem or rwlock). */
	private record Taken(String name, String operand) {
	}

	/** For the work's function and the runtime PM callbacks, drawn from their own stream {@code r}: a global lock or the node's. */
	private Taken globalOrNodeLock(SplittableRandom r) {
		int g = r.nextInt(globalLocks.size());
		boolean global = r.nextBoolean();
		String l = global ? globalLocks.get(g) : "x.l";
		String kind = global ? globalKinds.get(g) : nodeLockKind;
		boolean rw = kind.equals("rwsem") || kind.equals("rwlock");
		return new Taken(l, l + (rw ? r.nextBoolean() ? " read" : " write" : ""));
	}

	private Lock lock() {
		if (chance(50)) {
			int g = random.nextInt(globalLocks.size());
			return new Lock(globalLocks.get(g), globalKinds.get(g));
		}
		return new Lock(obj() + ".l", nodeLockKind);
	}

	private String obj() {
		return random.nextBoolean() ? "x" : "y";
	}

	private boolean chance(int percent) {
		return random.nextInt(100) < percent;
	}

	private String pick(String[] options) {
		return options[random.nextInt(options.length)];
	}

	private void line(String s) {
		out.append(s).append('\n');
	}

	private void line(int indent, String s) {
		out.append("  ".repeat(indent)).append(s).append('\n');
	}
}
