package org.lockspec.z3.tests;

import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;

import com.microsoft.z3.BoolExpr;
import com.microsoft.z3.Context;
import com.microsoft.z3.IntExpr;
import com.microsoft.z3.IntNum;
import com.microsoft.z3.Model;
import com.microsoft.z3.Native;
import com.microsoft.z3.Params;
import com.microsoft.z3.Solver;
import com.microsoft.z3.Statistics;
import com.microsoft.z3.Status;
import com.microsoft.z3.Version;

/**
 * Small Z3 problems shared by the OSGi tests and by {@link #main}, which runs the same
 * problems on a plain Java classpath (no OSGi), the way a solver worker process will:
 *
 * <pre>
 * java -cp "updatesite/target/repository/plugins/*:bundles/com.microsoft.z3.tests/target/classes" \
 *     org.lockspec.z3.tests.Z3Smoke
 * </pre>
 *
 * Uses nothing but the JDK and the com.microsoft.z3 bundle.
 */
public final class Z3Smoke {

	private Z3Smoke() {
	}

	/** The outcome of one check: its status, a detail (model value, reason unknown) and its time. */
	public record Result(Status status, String detail, long millis) {
		@Override
		public String toString() {
			return status + (detail.isEmpty() ? "" : " (" + detail + ")") + " in " + millis + " ms";
		}
	}

	/** Z3's version as the native library reports it, e.g. "Z3 4.14.1.0". */
	public static String version() {
		return Version.getFullVersion();
	}

	/** Where the Z3 classes come from and which class loader holds the JNI methods. */
	public static String origin() {
		CodeSource cs = Native.class.getProtectionDomain().getCodeSource();
		return "com.microsoft.z3.Native from " + (cs == null ? "?" : cs.getLocation()) + " via "
				+ Native.class.getClassLoader();
	}

	/** {@code x > lo && x < hi} over the integers; the detail is x's value in the model when SAT. */
	public static Result interval(int lo, int hi) {
		try (Context ctx = new Context()) {
			IntExpr x = ctx.mkIntConst("x");
			Solver s = ctx.mkSolver();
			s.add(ctx.mkGt(x, ctx.mkInt(lo)), ctx.mkLt(x, ctx.mkInt(hi)));
			long t0 = System.nanoTime();
			Status st = s.check();
			long ms = (System.nanoTime() - t0) / 1_000_000;
			String detail = st == Status.SATISFIABLE ? "x = " + s.getModel().eval(x, true) : "";
			return new Result(st, detail, ms);
		}
	}

	/**
	 * Difference logic with {@code smt.arith.solver = 1} set on the solver: {@code r0 < r1 < ... < r(n-1)}
	 * (expected SAT; the model is checked to be increasing), then the same solver with
	 * {@code r(n-1) < r0} added (expected UNSAT; its detail is the difference-logic solver's
	 * "dl conflicts" statistic, which only that solver reports). Returns both results.
	 */
	public static Result[] chain(int n) {
		try (Context ctx = new Context()) {
			Solver s = ctx.mkSolver();
			Params p = ctx.mkParams();
			p.add("smt.arith.solver", 1);
			s.setParameters(p);
			List<IntExpr> r = new ArrayList<>(n);
			for (int i = 0; i < n; i++) {
				r.add(ctx.mkIntConst("r" + i));
			}
			for (int i = 0; i + 1 < n; i++) {
				s.add(ctx.mkLt(r.get(i), r.get(i + 1)));
			}
			long t0 = System.nanoTime();
			Status sat = s.check();
			long satMs = (System.nanoTime() - t0) / 1_000_000;
			String satDetail = "";
			if (sat == Status.SATISFIABLE) {
				Model m = s.getModel();
				long prev = Long.MIN_VALUE;
				for (IntExpr ri : r) {
					long v = ((IntNum) m.eval(ri, true)).getInt64();
					if (v <= prev) {
						satDetail = "model not increasing at " + ri;
						break;
					}
					prev = v;
				}
				if (satDetail.isEmpty()) {
					satDetail = "model increasing";
				}
			}
			s.add(ctx.mkLt(r.get(n - 1), r.get(0)));
			t0 = System.nanoTime();
			Status unsat = s.check();
			long unsatMs = (System.nanoTime() - t0) / 1_000_000;
			// the difference-logic theory (smt.arith.solver=1) reports "dl ..." statistics
			String unsatDetail = "";
			for (Statistics.Entry e : s.getStatistics().getEntries()) {
				if (e.Key.equals("dl conflicts")) {
					unsatDetail = "dl conflicts = " + e.getValueString();
				}
			}
			return new Result[] { new Result(sat, satDetail, satMs), new Result(unsat, unsatDetail, unsatMs) };
		}
	}

	/**
	 * The pigeonhole principle ({@code holes + 1} pigeons, {@code holes} holes), which is UNSAT but
	 * exponentially hard for resolution, under a per-solver {@code timeout} in milliseconds. Expected:
	 * UNKNOWN, with Z3's reason as the detail.
	 */
	@SuppressWarnings("unchecked") // mkOr(BoolExpr...) is generic varargs
	public static Result pigeonhole(int holes, int timeoutMs) {
		try (Context ctx = new Context()) {
			int pigeons = holes + 1;
			BoolExpr[][] in = new BoolExpr[pigeons][holes];
			Solver s = ctx.mkSolver();
			Params p = ctx.mkParams();
			p.add("timeout", timeoutMs);
			s.setParameters(p);
			for (int i = 0; i < pigeons; i++) {
				for (int j = 0; j < holes; j++) {
					in[i][j] = ctx.mkBoolConst("p" + i + "_" + j);
				}
				s.add(ctx.mkOr(in[i]));
			}
			for (int j = 0; j < holes; j++) {
				for (int i = 0; i < pigeons; i++) {
					for (int k = i + 1; k < pigeons; k++) {
						s.add(ctx.mkNot(ctx.mkAnd(in[i][j], in[k][j])));
					}
				}
			}
			long t0 = System.nanoTime();
			Status st = s.check();
			long ms = (System.nanoTime() - t0) / 1_000_000;
			return new Result(st, st == Status.UNKNOWN ? s.getReasonUnknown() : "", ms);
		}
	}

	/** Runs every problem; prints one line each; exits 0 when every answer is the expected one. */
	public static void main(String[] args) {
		System.out.println(version() + ": " + origin());
		boolean ok = true;
		Result sat = interval(2, 4);
		System.out.println("x > 2 && x < 4: " + sat);
		ok &= sat.status() == Status.SATISFIABLE && sat.detail().equals("x = 3");
		Result unsat = interval(2, 2);
		System.out.println("x > 2 && x < 2: " + unsat);
		ok &= unsat.status() == Status.UNSATISFIABLE;
		Result[] chain = chain(1000);
		System.out.println("r0 < ... < r999 (smt.arith.solver=1): " + chain[0]);
		System.out.println("  + r999 < r0: " + chain[1]);
		ok &= chain[0].status() == Status.SATISFIABLE && chain[0].detail().equals("model increasing")
				&& chain[1].status() == Status.UNSATISFIABLE && chain[1].detail().startsWith("dl conflicts");
		Result php = pigeonhole(11, 200);
		System.out.println("pigeonhole 12/11, timeout 200 ms: " + php);
		ok &= php.status() == Status.UNKNOWN;
		System.out.println(ok ? "OK" : "FAILED");
		System.exit(ok ? 0 : 1);
	}
}
