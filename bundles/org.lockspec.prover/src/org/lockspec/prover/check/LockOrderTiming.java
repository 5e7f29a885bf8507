package org.lockspec.prover.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.emf.ecore.EObject;
import org.lockspec.analysis.Explorer;
import org.lockspec.analysis.Scc;
import org.lockspec.analysis.SpecFacts;
import org.lockspec.model.Operation;
import org.lockspec.model.Spec;
import org.lockspec.prover.solver.SolverSession;
import org.lockspec.verdict.Location;
import org.lockspec.verdict.Verdict;

/**
 * The lock-order obligation phase by phase, for benchmarks: path analysis,
 * then the check (SCC, cycle search, solver where conditions need it), beside a
 * bare SCC pass over the same class graph as the yardstick.
 */
public final class LockOrderTiming {

	/** Times in nanoseconds; {@code verdict} is the obligation's verdict. */
	public record Result(long analysisNanos, long checkNanos, long bareSccNanos, int classes, int edges, Verdict verdict) {
	}

	private LockOrderTiming() {
	}

	public static Result measure(Spec spec, SolverSession solver) {
		long t0 = System.nanoTime();
		SpecFacts facts = new SpecFacts(spec);
		Facts found = new Facts(facts);
		Explorer explorer = new Explorer(facts, found, Explorer.Options.DEFAULT);
		for (Operation op : facts.entries()) {
			if (op.getBody() != null) {
				explorer.explore(op);
			}
		}
		long t1 = System.nanoTime();
		Verdict v = new LockOrderCheck(found, new LockGraph(found), solver, org.lockspec.analysis.Budget.unlimited()).run("", Location.of(spec));
		long t2 = System.nanoTime();
		// the yardstick: build the class graph of the same edges, and one SCC pass over it
		long t3 = System.nanoTime();
		Map<EObject, Integer> ids = new HashMap<>();
		List<int[]> pairs = new ArrayList<>(found.edges.size());
		for (Facts.Edge e : found.edges) {
			int a = ids.computeIfAbsent(e.fromClass(), k -> ids.size());
			int b = ids.computeIfAbsent(e.toClass(), k -> ids.size());
			pairs.add(new int[] { a, b });
		}
		Scc.components(Scc.adjacency(ids.size(), pairs), new int[1]);
		long t4 = System.nanoTime();
		return new Result(t1 - t0, t2 - t1, t4 - t3, ids.size(), found.edges.size(), v);
	}
}
