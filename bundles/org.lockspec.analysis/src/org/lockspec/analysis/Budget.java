package org.lockspec.analysis;

import java.time.Duration;

/**
 * How long one spec's proof may take, how much of the heap it may fill
 * ({@link MemoryLimit}), and whether it was cancelled (Ctrl-C, SIGTERM, a cancel
 * button, a newer save). Every engine asks it at its own pace; once it is
 * {@link #exhausted()} what is not decided yet is {@code unknown} with
 * {@link #reason()}, never proved.
 */
public final class Budget {

	/** Shared by every spec of a run: one cancel stops them all. */
	public static final class Cancellation {
		private volatile String reason;
		private final java.util.List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

		public void cancel(String why) {
			if (reason == null) {
				reason = why;
				listeners.forEach(Runnable::run);
			}
		}

		/**
		 * Also does {@code r} on cancellation (stops a solver process, which answers unknown at once), until
		 * the registration returned is closed.
		 */
		public Registration onCancel(Runnable r) {
			listeners.add(r);
			if (reason != null) {
				r.run();
			}
			return () -> listeners.remove(r);
		}

		public String reason() {
			return reason;
		}
	}

	/** A listener's registration; closing it removes the listener. */
	public interface Registration extends AutoCloseable {
		@Override
		void close();
	}

	/**
	 * Where a long proof says how far it is: the engine at work (an obligation or a scenario), a count of
	 * what it has done (states, paths, queries) and how deep it is. Engines tell it often; it decides what
	 * to show, and when.
	 */
	public interface Progress {
		Progress NONE = (what, count, unit, depth) -> {
		};

		void at(String what, long count, String unit, int depth);
	}

	private final long deadline;
	private final Duration whole;
	private final Cancellation cancellation;
	private final Progress progress;
	private final MemoryLimit memory;

	private Budget(Duration whole, Cancellation cancellation, Progress progress, MemoryLimit memory) {
		this.whole = whole;
		this.deadline = whole == null ? Long.MAX_VALUE : System.nanoTime() + whole.toNanos();
		this.cancellation = cancellation;
		this.progress = progress;
		this.memory = memory;
	}

	/** Tells the progress sink where the proof is (cheap: the sink decides what to show). */
	public void progress(String what, long count, String unit, int depth) {
		progress.at(what, count, unit, depth);
	}

	/** No time limit, and nothing can cancel it. */
	public static Budget unlimited() {
		return new Budget(null, new Cancellation(), Progress.NONE, MemoryLimit.ofHeap());
	}

	/**
	 * {@code whole} from now (null: no time limit), cancelled with {@code cancellation}, telling {@code progress},
	 * filling at most 90% of the heap.
	 */
	public static Budget of(Duration whole, Cancellation cancellation, Progress progress) {
		return of(whole, cancellation, progress, 0);
	}

	/** {@link #of(Duration, Cancellation, Progress)}, filling at most {@code memoryBytes} of the heap (0: 90% of it). */
	public static Budget of(Duration whole, Cancellation cancellation, Progress progress, long memoryBytes) {
		return new Budget(whole, cancellation == null ? new Cancellation() : cancellation,
				progress == null ? Progress.NONE : progress,
				memoryBytes > 0 ? MemoryLimit.of(memoryBytes) : MemoryLimit.ofHeap());
	}

	public boolean exhausted() {
		return cancellation.reason() != null || System.nanoTime() - deadline > 0 || memory.exceeded();
	}

	/** Why the proof stopped, for the verdicts it leaves unknown. */
	public String reason() {
		if (cancellation.reason() != null) {
			return cancellation.reason();
		}
		if (memory.reached()) {
			return memory.reason();
		}
		return "the spec's time budget of " + whole.toSeconds() + " s (--timeout) ran out";
	}

	/** What is left, at most {@code cap} and at least a millisecond (a solver query's own timeout). */
	public Duration remaining(Duration cap) {
		long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
		Duration d = left == Long.MAX_VALUE ? cap : Duration.ofNanos(Math.max(1_000_000, left));
		return cap != null && cap.compareTo(d) < 0 ? cap : d;
	}
}
