package org.lockspec.prover.render;

import java.nio.file.Path;
import java.util.List;

import org.lockspec.verdict.Location;
import org.lockspec.verdict.LockChain;
import org.lockspec.verdict.SpecResult;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Verdict;

/**
 * Verdicts as the kernel's lockdep prints them, to paste into a patch mail: each lock-order cycle (a deadlock, or
 * one that lockdep reports although it cannot deadlock) as lockdep's "possible circular locking dependency
 * detected" report (kernel/locking/lockdep.c: print_circular_bug_header, the dependency chain in reverse order,
 * print_circular_lock_scenario), followed by Lockspec's verdict on it; every other violation or undecided verdict
 * as one line; a line per spec.
 */
public final class LockdepReport {

	private static final String RULE = "======================================================";
	private static final String DASHES = "------------------------------------------------------";

	private LockdepReport() {
	}

	public static String render(List<SpecResult> results, Path base) {
		StringBuilder out = new StringBuilder();
		for (SpecResult r : results) {
			out.append("lockspec: spec ").append(r.spec()).append(" (").append(Location.relative(r.file(), base))
					.append("): ").append(r.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '))
					.append('\n');
			for (Verdict v : r.verdicts()) {
				if (v.chain() != null && v.status() == Status.VIOLATED) {
					out.append('\n');
					if (v.chain().steps().size() == 1) {
						recursive(v.chain().steps().get(0), out);
					} else {
						circular(v.chain(), out);
					}
					out.append("lockspec: ").append(v.id()).append(": ").append(v.message()).append("\n\n");
				} else if (v.status() == Status.VIOLATED || v.status() == Status.UNKNOWN) {
					out.append("lockspec: [").append(v.status().label()).append("] ").append(v.headline()).append('\n');
				}
			}
		}
		return out.toString();
	}

	/**
	 * Step i of the chain holds H(i) and waits for H(i+1); the last step is the task that closes the cycle: it
	 * holds the target H(n-1) and tries to acquire the source H(0).
	 */
	private static void circular(LockChain chain, StringBuilder out) {
		List<LockChain.Step> steps = chain.steps();
		int n = steps.size();
		LockChain.Step last = steps.get(n - 1);
		out.append(RULE).append('\n').append("WARNING: possible circular locking dependency detected\n").append(DASHES)
				.append('\n');
		out.append(last.task()).append(" is trying to acquire lock:\n");
		out.append(" (").append(last.waits().lockClass()).append("), at: ").append(at(last.waits())).append("\n\n");
		out.append("but task is already holding lock:\n");
		out.append(" (").append(last.holds().lockClass()).append("), at: ").append(at(last.holds())).append("\n\n");
		out.append("which lock already depends on the new lock.\n\n\n");
		out.append("the existing dependency chain (in reverse order) is:\n");
		for (int k = n - 1; k >= 0; k--) {
			// #k: where H(k) was taken after H(k-1); #0, the new lock: where the last step takes it now
			LockChain.Acquire taken = steps.get(k == 0 ? n - 1 : k - 1).waits();
			out.append("\n-> #").append(k).append(" (").append(taken.lockClass()).append("):\n");
			for (String frame : taken.backtrace()) {
				out.append("       ").append(frame).append('\n');
			}
		}
		out.append("\nother info that might help us debug this:\n\n");
		String source = last.waits().lockClass();
		String target = last.holds().lockClass();
		String parent = steps.get(n - 2).holds().lockClass();
		if (n > 2) {
			out.append("Chain exists of:\n  ").append(source).append(" --> ").append(parent).append(" --> ").append(target)
					.append("\n\n");
		}
		out.append(" Possible unsafe locking scenario:\n\n");
		out.append("       CPU0                    CPU1\n");
		out.append("       ----                    ----\n");
		out.append("  ").append(lock(target, last.holds().read())).append('\n');
		out.append("                               ").append(lock(parent, false)).append('\n');
		out.append("                               ").append(lock(target, steps.get(n - 2).waits().read())).append('\n');
		out.append("  ").append(lock(source, last.waits().read())).append('\n');
		out.append("\n *** DEADLOCK ***\n\n");
	}

	/** One task that takes a lock of a class it holds: lockdep's print_deadlock_bug. */
	private static void recursive(LockChain.Step step, StringBuilder out) {
		out.append("============================================\n");
		out.append("WARNING: possible recursive locking detected\n");
		out.append("--------------------------------------------\n");
		out.append(step.task()).append(" is trying to acquire lock:\n");
		out.append(" (").append(step.waits().lockClass()).append("), at: ").append(at(step.waits())).append("\n\n");
		out.append("but task is already holding lock:\n");
		out.append(" (").append(step.holds().lockClass()).append("), at: ").append(at(step.holds())).append("\n\n");
		out.append("other info that might help us debug this:\n");
		out.append(" Possible unsafe locking scenario:\n\n");
		out.append("       CPU0\n");
		out.append("       ----\n");
		out.append("  ").append(lock(step.holds().lockClass(), step.holds().read())).append('\n');
		out.append("  ").append(lock(step.waits().lockClass(), step.waits().read())).append('\n');
		out.append("\n *** DEADLOCK ***\n\n");
		out.append(" May be due to missing lock nesting notation\n\n");
	}

	private static String lock(String lockClass, boolean read) {
		return (read ? "rlock(" : "lock(") + lockClass + ");";
	}

	/** Where an acquisition is, as lockdep's "at:" names it: the function it is in. */
	private static String at(LockChain.Acquire a) {
		return a.backtrace().size() > 1 ? a.backtrace().get(1) : a.backtrace().get(0);
	}
}
