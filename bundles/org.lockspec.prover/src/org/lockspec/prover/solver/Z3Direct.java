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

	public static SolverResult check(String smtlib, Duration timeout, Set<SolverOption> options) {
		long start = System.nanoTime();
		// global parameters apply to contexts created after them: set per query
		com.microsoft.z3.Global.setParameter("smt.arith.solver",
				options.contains(SolverOption.DIFFERENCE_LOGIC) ? "1" : "6");
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
