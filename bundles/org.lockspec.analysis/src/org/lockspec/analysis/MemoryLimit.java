package org.lockspec.analysis;

import java.util.Locale;

/**
 * How much of the Java heap a proof may fill before its engines stop with {@code unknown} instead of dying of an
 * {@link OutOfMemoryError} (an explicit search keeps every state it has seen). What is in use counts only after a
 * collection: while the heap in use, garbage included, stays below the limit nothing is measured; once it is
 * above, one collection tells the live part, and only if that is still above has the limit been reached. After a
 * collection that found less, the next one waits four times as long as it took, so a search close to the limit
 * spends at most a fifth of its time collecting. (Between two, a search may still fill the heap: the engines also
 * take an {@link OutOfMemoryError} for {@code unknown}.)
 */
public final class MemoryLimit {

	/** The share of the JVM's heap a proof may fill when no limit is given: the rest is for the collector to work in. */
	static final double DEFAULT_SHARE = 0.9;

	private final long limit;
	private final boolean given;
	private long nextCollection = System.nanoTime();
	private volatile long exceededWith = -1;

	private MemoryLimit(long limit, boolean given) {
		this.limit = limit;
		this.given = given;
	}

	/** A limit of {@code bytes} ({@code --memory}); at most the JVM's whole heap counts. */
	public static MemoryLimit of(long bytes) {
		return new MemoryLimit(Math.min(bytes, Runtime.getRuntime().maxMemory()), true);
	}

	/** The default: {@value #DEFAULT_SHARE} of the JVM's heap. */
	public static MemoryLimit ofHeap() {
		return new MemoryLimit((long) (Runtime.getRuntime().maxMemory() * DEFAULT_SHARE), false);
	}

	/** Whether the heap held more than the limit after a collection (once true, it stays true). */
	public boolean exceeded() {
		if (exceededWith >= 0) {
			return true;
		}
		Runtime rt = Runtime.getRuntime();
		if (rt.totalMemory() - rt.freeMemory() <= limit || System.nanoTime() - nextCollection < 0) {
			return false;
		}
		long start = System.nanoTime();
		System.gc(); // the proof is about to stop or to run out: what is live decides
		long live = rt.totalMemory() - rt.freeMemory();
		if (live > limit) {
			exceededWith = live;
			return true;
		}
		long now = System.nanoTime();
		nextCollection = now + 4 * (now - start);
		return false;
	}

	/** Whether {@link #exceeded()} has found the limit reached (measures nothing). */
	public boolean reached() {
		return exceededWith >= 0;
	}

	/** Why the proof stopped, once {@link #exceeded()}. */
	public String reason() {
		return String.format(Locale.ROOT, "the proof held %,d MiB of live objects, more than the %,d MiB it may use (%s)",
				exceededWith >> 20, limit >> 20, given ? "--memory" : "90% of the Java heap; --memory sets it");
	}
}
