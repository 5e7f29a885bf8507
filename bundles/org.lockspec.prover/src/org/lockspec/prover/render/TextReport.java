package org.lockspec.prover.render;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import org.lockspec.verdict.SpecResult;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Trace;
import org.lockspec.verdict.Verdict;

/** Verdicts for people: one line per obligation, counterexamples in CPU columns. */
public final class TextReport {

	private TextReport() {
	}

	/** Paths are printed relative to {@code base} (the working directory), so reports are reproducible. */
	public static void render(List<SpecResult> results, PrintWriter out, boolean timings, java.nio.file.Path base) {
		int ok = 0;
		int bad = 0;
		int unknown = 0;
		for (SpecResult r : results) {
			out.println("spec " + r.spec() + "  (" + org.lockspec.verdict.Location.relative(r.file(), base) + ")"
					+ (timings ? "  " + r.millis() + " ms" : ""));
			for (Verdict v : r.verdicts()) {
				out.println("  " + pad("[" + v.status().label() + "]", 20) + v.id() + ": " + v.message());
				if (v.status() != Status.PROVED && v.status() != Status.SAFE_UP_TO_BOUND) {
					out.println("  " + pad("", 20) + "at " + v.location().toString(base));
				}
				if (v.trace() != null && v.status() == Status.VIOLATED) {
					for (String line : columns(v.trace())) {
						out.println("      " + line);
					}
				}
			}
			for (SpecResult.Expectation e : r.expectations()) {
				out.println("  " + pad(e.result() == SpecResult.Expectation.Result.MET ? "expected:" : e.result()
						== SpecResult.Expectation.Result.UNKNOWN ? "undecided:" : "NOT AS EXPECTED:", 20) + e.text()
						+ (e.scenario() == null ? "" : " (scenario " + e.scenario() + ")") + " -- " + e.why());
			}
			for (Verdict u : r.unannounced()) {
				out.println("  " + pad("UNEXPECTED:", 20) + u.headline());
			}
			switch (r.outcome()) {
			case AS_EXPECTED -> ok++;
			case UNEXPECTED -> bad++;
			case UNKNOWN -> unknown++;
			}
			out.println();
		}
		out.println("proved " + results.size() + " spec" + (results.size() == 1 ? "" : "s") + ": " + ok + " as expected, "
				+ bad + " unexpected, " + unknown + " undecided");
	}

	/**
	 * The trace the way kernel developers draw it: a column per CPU, a row per
	 * step, the source line in the gutter, {@code <-- waits} where a CPU blocks.
	 */
	public static List<String> columns(Trace t) {
		int lanes = t.lanes().size();
		int[] width = new int[lanes];
		List<String> heads = new ArrayList<>();
		for (int i = 0; i < lanes; i++) {
			Trace.Lane lane = t.lanes().get(i);
			String head = lane.cpu() + " (" + lane.runs() + ")";
			heads.add(head);
			width[i] = Math.max(width[i], head.length());
		}
		for (Trace.Event e : t.events()) {
			width[e.lane()] = Math.max(width[e.lane()], cell(e).length());
		}
		for (int i = 0; i < lanes; i++) {
			width[i] = Math.min(width[i], 60) + 2;
		}
		List<String> lines = new ArrayList<>();
		lines.add(row("", heads, width));
		List<String> dashes = new ArrayList<>();
		for (int i = 0; i < lanes; i++) {
			dashes.add("----");
		}
		lines.add(row("", dashes, width));
		for (Trace.Event e : t.events()) {
			List<String> cells = new ArrayList<>();
			for (int i = 0; i < lanes; i++) {
				cells.add(i == e.lane() ? cell(e) : "");
			}
			lines.add(row(Integer.toString(e.at().line()), cells, width));
		}
		lines.add(pad("", 6) + "*** " + t.outcome() + " ***");
		for (String n : t.notes()) {
			lines.add(pad("", 6) + n);
		}
		return lines;
	}

	private static String cell(Trace.Event e) {
		return e.text() + (e.waits() ? "  <-- waits" : e.fails() ? "  <-- here" : "");
	}

	private static String row(String gutter, List<String> cells, int[] width) {
		StringBuilder sb = new StringBuilder(pad(gutter.isEmpty() ? "" : "l." + gutter, 6));
		for (int i = 0; i < cells.size(); i++) {
			sb.append(i == cells.size() - 1 ? cells.get(i) : pad(cells.get(i), width[i]));
		}
		return sb.toString().stripTrailing();
	}

	static String pad(String s, int n) {
		return s.length() >= n ? s + " " : s + " ".repeat(n - s.length());
	}
}
