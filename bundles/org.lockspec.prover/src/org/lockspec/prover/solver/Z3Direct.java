package org.lockspec.prover.solver;

import java.time.Duration;
import java.util.Set;

import com.microsoft.z3.BoolExpr;
import com.microsoft.z3.Context;
import com.microsoft.z3.Model;
import com.microsoft.z3.Params;
import com.microsoft.z3.Solver;
import com.microsoft.z3.Status;

/**
 * Z3 in this process, through its Java bindings. Used by the worker process;
 * a crash in libz3 takes this process down, which is why the prover talks to
 * {@link WorkerSession} instead.
 */
public final class Z3Direct {

	private Z3Direct() {
	}

	/** Parses {@code smtlib} once and checks each goal (a declared Boolean constant) in a scope of its own. */
	public static java.util.List<SolverResult> checkEach(String smtlib, java.util.List<String> goals, Duration timeout,
			Set<SolverOption> options) {
		java.util.List<SolverResult> out = new java.util.ArrayList<>();
		com.microsoft.z3.Global.setParameter("smt.arith.solver",
				options.contains(SolverOption.DIFFERENCE_LOGIC) ? "1" : "6");
		long start = System.nanoTime();
		try (Context ctx = new Context()) {
			int ms = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
			Solver solver;
			if (options.contains(SolverOption.BIT_VECTORS)) {
				solver = ctx.mkSolver(ctx.tryFor(ctx.mkTactic("qfbv"), ms));
			} else {
				solver = ctx.mkSolver();
				Params p = ctx.mkParams();
				p.add("timeout", ms);
				solver.setParameters(p);
			}
			solver.add(ctx.parseSMTLIB2String(smtlib, null, null, null, null));
			for (String g : goals) {
				long t0 = System.nanoTime();
				// one scope per goal (a tactic-based solver takes no assumptions)
				solver.push();
				solver.add(ctx.mkBoolConst(g));
				Status st = solver.check();
				long millis = (System.nanoTime() - t0) / 1_000_000;
				out.add(switch (st) {
				case SATISFIABLE -> new SolverResult(SolverResult.Status.SAT,
						options.contains(SolverOption.MODELS) ? solver.getModel().toString() : null, null, millis);
				case UNSATISFIABLE -> new SolverResult(SolverResult.Status.UNSAT, null, null, millis);
				default -> SolverResult.unknown(solver.getReasonUnknown(), millis);
				});
				solver.pop();
			}
		} catch (RuntimeException | UnsatisfiedLinkError e) {
			while (out.size() < goals.size()) {
				out.add(SolverResult.unknown("z3: " + e.getMessage(), (System.nanoTime() - start) / 1_000_000));
			}
		}
		return out;
	}

	public static SolverResult check(String smtlib, Duration timeout, Set<SolverOption> options) {
		// global parameters apply to contexts created after them: set per query
		com.microsoft.z3.Global.setParameter("smt.arith.solver",
				options.contains(SolverOption.DIFFERENCE_LOGIC) ? "1" : "6");
		return checkIn(smtlib, timeout, options);
	}

	/**
	 * Checks independent scripts, each in a context of its own, on up to
	 * {@code threads} threads at once (Z3 contexts do not share state; the
	 * global parameters are set once, before any of them is made); the results
	 * in the scripts' order.
	 */
	public static java.util.List<SolverResult> checkAll(java.util.List<String> scripts, Duration timeout,
			Set<SolverOption> options, int threads) {
		com.microsoft.z3.Global.setParameter("smt.arith.solver",
				options.contains(SolverOption.DIFFERENCE_LOGIC) ? "1" : "6");
		int n = Math.max(1, Math.min(threads, scripts.size()));
		if (n == 1) {
			return scripts.stream().map(s -> checkIn(s, timeout, options)).toList();
		}
		SolverResult[] out = new SolverResult[scripts.size()];
		java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
		Runnable work = () -> {
			for (int i; (i = next.getAndIncrement()) < out.length;) {
				out[i] = checkIn(scripts.get(i), timeout, options);
			}
		};
		java.util.List<Thread> pool = new java.util.ArrayList<>();
		for (int i = 1; i < n; i++) {
			Thread t = new Thread(work, "z3-" + i);
			t.setDaemon(true);
			t.start();
			pool.add(t);
		}
		work.run();
		for (Thread t : pool) {
			try {
				t.join();
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		return java.util.Arrays.stream(out)
				.map(r -> r != null ? r : SolverResult.unknown("z3: interrupted", 0)).toList();
	}

	private static SolverResult checkIn(String smtlib, Duration timeout, Set<SolverOption> options) {
		long start = System.nanoTime();
		try (Context ctx = new Context()) {
			Solver solver = ctx.mkSolver();
			Params p = ctx.mkParams();
			long ms = Math.max(1, timeout.toMillis());
			p.add("timeout", (int) Math.min(Integer.MAX_VALUE, ms));
			solver.setParameters(p);
			BoolExpr[] assertions = ctx.parseSMTLIB2String(smtlib, null, null, null, null);
			solver.add(assertions);
			Status st = solver.check();
			long millis = (System.nanoTime() - start) / 1_000_000;
			return switch (st) {
			case SATISFIABLE -> {
				Model m = options.contains(SolverOption.MODELS) ? solver.getModel() : null;
				yield new SolverResult(SolverResult.Status.SAT, m == null ? null : m.toString(), null, millis);
			}
			case UNSATISFIABLE -> new SolverResult(SolverResult.Status.UNSAT, null, null, millis);
			default -> SolverResult.unknown(solver.getReasonUnknown(), millis);
			};
		} catch (RuntimeException | UnsatisfiedLinkError e) {
			return SolverResult.unknown("z3: " + e.getMessage(), (System.nanoTime() - start) / 1_000_000);
		}
	}
}
