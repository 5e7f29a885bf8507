import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.emf.ecore.util.EcoreUtil;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.CheckMode;
import org.lockspec.model.Spec;
import org.lockspec.prover.check.LockOrderTiming;
import org.lockspec.prover.solver.LazySolver;
import org.lockspec.workspace.SpecSet;

/**
 * Lock order at lockdep scale: a generated spec with 8,191 lock classes and
 * 32,768 acquire edges (lockdep's MAX_LOCKDEP_KEYS and MAX_LOCKDEP_ENTRIES),
 * acyclic and with one planted cycle. Prints the median of several runs of each
 * phase: parse, link, validate, path analysis, the lock-order check, and a bare
 * SCC pass over the same class graph.
 *
 * Usage: java -cp "updatesite/target/repository/plugins/*:bench/target/lockdep" LockdepBench [runs]
 */
public final class LockdepBench {

	static final int CLASSES = 8191;
	static final int EDGES = 32768;
	static final int NEST = 8; // locks nested per op: 28 acquire edges each

	public static void main(String[] args) throws Exception {
		int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
		Path dir = Files.createTempDirectory("lockdep-bench");
		Path acyclic = dir.resolve("lockdep_acyclic.lockspec");
		Path cyclic = dir.resolve("lockdep_cycle.lockspec");
		Files.writeString(acyclic, spec("bench.lockdep_acyclic", false));
		Files.writeString(cyclic, spec("bench.lockdep_cycle", true));
		System.out.printf("lockdep-scale lock order: %d classes, %d acquire edges, %d locks nested per op; median of %d runs%n",
				CLASSES, EDGES, NEST, runs);
		System.out.printf("%-10s %8s %8s %8s %9s %8s %8s %9s %9s %s%n", "spec", "size", "parse", "link", "validate",
				"analyse", "check", "bare SCC", "total", "verdict");
		SpecSet.injector(); // Guice and EMF set-up is not part of a spec's time
		for (Path p : List.of(acyclic, cyclic)) {
			run(p, 1, false); // warm-up
			run(p, runs, true);
		}
	}

	static void run(Path file, int runs, boolean print) throws IOException {
		long[] parse = new long[runs], link = new long[runs], validate = new long[runs], analyse = new long[runs],
				check = new long[runs], scc = new long[runs], total = new long[runs];
		String verdict = "";
		int classes = 0;
		int edges = 0;
		for (int i = 0; i < runs; i++) {
			final int r = i;
			String[] v = new String[1];
			int[] counts = new int[2];
			SpecSet.onBigStack(() -> {
				try {
					long t0 = System.nanoTime();
					XtextResourceSet rs = SpecSet.injector().getInstance(XtextResourceSet.class);
					Resource res = rs.getResource(org.eclipse.emf.common.util.URI.createFileURI(file.toString()), true);
					long t1 = System.nanoTime();
					EcoreUtil.resolveAll(res);
					long t2 = System.nanoTime();
					var issues = ((XtextResource) res).getResourceServiceProvider().getResourceValidator().validate(res,
							CheckMode.ALL, CancelIndicator.NullImpl);
					long t3 = System.nanoTime();
					if (!issues.isEmpty()) {
						throw new IllegalStateException("generated spec has issues: " + issues.subList(0, 1));
					}
					try (LazySolver solver = new LazySolver()) {
						LockOrderTiming.Result lo = LockOrderTiming.measure((Spec) res.getContents().get(0), solver);
						parse[r] = t1 - t0;
						link[r] = t2 - t1;
						validate[r] = t3 - t2;
						analyse[r] = lo.analysisNanos();
						check[r] = lo.checkNanos();
						scc[r] = lo.bareSccNanos();
						total[r] = t3 - t0 + lo.analysisNanos() + lo.checkNanos();
						v[0] = lo.verdict().status().label() + ": " + lo.verdict().message();
						counts[0] = lo.classes();
						counts[1] = lo.edges();
					}
				} catch (RuntimeException e) {
					throw e;
				}
				return null;
			});
			verdict = v[0];
			classes = counts[0];
			edges = counts[1];
		}
		if (print) {
			String name = file.getFileName().toString().replace("lockdep_", "").replace(".lockspec", "");
			System.out.printf("%-10s %7dK %6dms %6dms %7dms %6dms %6dms %7.1fms %7dms %s%n", name,
					Files.size(file) / 1024, ms(parse), ms(link), ms(validate), ms(analyse), ms(check),
					median(scc) / 1e6, ms(total), verdict.length() > 90 ? verdict.substring(0, 90) + "..." : verdict);
			System.out.printf("%-10s classes in the graph: %d, acquire edges: %d; check / bare SCC = %.1fx%n", "", classes,
					edges, (double) median(check) / Math.max(1, median(scc)));
		}
	}

	static long median(long[] xs) {
		long[] c = xs.clone();
		Arrays.sort(c);
		return c[c.length / 2];
	}

	static long ms(long[] xs) {
		return median(xs) / 1_000_000;
	}

	/** Ops nest sorted random subsets of the classes: every edge goes up, unless a cycle is planted. */
	static String spec(String name, boolean plantCycle) {
		Random random = new Random(8191);
		StringBuilder sb = new StringBuilder("spec ").append(name).append('\n');
		for (int i = 0; i < CLASSES; i++) {
			sb.append("lock l").append(i).append(" : ").append(i % 3 == 0 ? "spinlock" : "mutex").append('\n');
		}
		int edges = 0;
		int op = 0;
		while (edges < EDGES) {
			int n = Math.min(NEST, nestFor(EDGES - edges));
			int[] locks = random.ints(0, CLASSES).distinct().limit(n).sorted().toArray();
			// spinlocks only under spinlocks would be fine; keep sleeping locks outside spinning ones
			List<Integer> order = new ArrayList<>();
			for (int l : locks) {
				if (l % 3 != 0) {
					order.add(l);
				}
			}
			for (int l : locks) {
				if (l % 3 == 0) {
					order.add(l);
				}
			}
			sb.append("op o").append(op++).append("() in process {\n");
			for (int l : order) {
				sb.append("  lock l").append(l).append('\n');
			}
			for (int k = order.size() - 1; k >= 0; k--) {
				sb.append("  unlock l").append(order.get(k)).append('\n');
			}
			sb.append("}\n");
			edges += n * (n - 1) / 2;
		}
		if (plantCycle) {
			// l1 -> l2 exists in no op for sure; close a cycle through two existing classes both ways
			sb.append("op planted_a() in process {\n  lock l1\n  lock l2\n  unlock l2\n  unlock l1\n}\n");
			sb.append("op planted_b() in process {\n  lock l2\n  lock l1\n  unlock l1\n  unlock l2\n}\n");
		}
		return sb.toString();
	}

	/** The largest nest whose pairs still fit in what is left. */
	static int nestFor(int left) {
		int n = 2;
		while ((n + 1) * n / 2 <= left && n < NEST) {
			n++;
		}
		return n;
	}
}
