package org.lockspec.cli;

import java.io.PrintWriter;
import java.util.Locale;

import org.lockspec.analysis.Budget;

/**
 * A long proof says how far it is on stderr, as TLC and Spin do: once a spec's
 * proof has run for two seconds, a line every two seconds with what the engine
 * is at, how much it has done, how fast, and how deep
 * ({@code lockspec: buggy.lockspec: scenario big: 1,204,331 states (402,110/s), depth 37}).
 * A quick proof prints nothing.
 */
final class ProgressLine implements Budget.Progress {

	private static final long EVERY = 2_000_000_000L;

	private final PrintWriter err;
	private final String spec;
	private final long start = System.nanoTime();
	private long last = start;
	private String phase;
	private long phaseStart;
	private long phaseCount;

	ProgressLine(PrintWriter err, String spec) {
		this.err = err;
		this.spec = spec;
	}

	@Override
	public void at(String what, long count, String unit, int depth) {
		long now = System.nanoTime();
		if (!what.equals(phase)) {
			phase = what;
			phaseStart = now;
			phaseCount = count;
		}
		if (now - last < EVERY) {
			return;
		}
		last = now;
		double seconds = Math.max(1e-3, (now - phaseStart) / 1e9);
		long rate = Math.round((count - phaseCount) / seconds);
		err.println(String.format(Locale.ROOT, "lockspec: %s: %s: %,d %s (%,d/s), depth %d, %.0f s", spec, what, count, unit,
				rate, depth, (now - start) / 1e9));
		err.flush();
	}
}
