package org.lockspec.kernel;

/**
 * What a {@code struct completion} counts, for every engine that keeps one as
 * a number ({@code done} in kernel/sched/completion.c): each {@code complete}
 * adds one, {@code complete_all} makes it done for good ({@code UINT_MAX}), a
 * waiter goes on once it is above zero and takes one, and
 * {@code reinit_completion} sets it back to zero.
 */
public final class Completions {

	private Completions() {
	}

	/** {@code complete_all} was called: every waiter goes on, now and later, and takes nothing. */
	public static final int ALL = Integer.MAX_VALUE;

	/** A fresh completion ({@code init_completion}) and one after {@code reinit_completion}. */
	public static final int NOT_DONE = 0;

	/** After {@code complete}: one more waiter may go on (a count that is already all stays all). */
	public static int completed(int done) {
		return done == ALL || done == ALL - 1 ? ALL : done + 1;
	}

	/** Whether a waiter goes on now. */
	public static boolean isDone(int done) {
		return done > 0;
	}

	/** After a waiter went on: it took one {@code complete}, unless the completion is done for all. */
	public static int consumed(int done) {
		return done == ALL ? ALL : done - 1;
	}
}
