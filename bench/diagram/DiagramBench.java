import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.lockspec.diagram.Diagrams;
import org.lockspec.diagram.Layout;
import org.lockspec.diagram.Svg;
import org.lockspec.diagram.Xmi;
import org.lockspec.diagram.model.LockGraph;
import org.lockspec.model.Spec;
import org.lockspec.prover.check.Prover;
import org.lockspec.prover.solver.LazySolver;
import org.lockspec.verdict.SpecResult;
import org.lockspec.workspace.SpecSet;

/**
 * The lock graph at lockdep scale: the lockdep benchmark's generated specs
 * (8,191 classes, 32,768 acquire edges; acyclic, and with a planted cycle),
 * loaded and proved, then drawn: the graph built from the path analysis and
 * reduced to what can be drawn (its strongly connected components, the
 * verdict's cycle and the longest chain, with a summary), laid out by ELK and
 * rendered to SVG (and XMI). Prints the median of several runs of each phase.
 *
 * Usage: java [-Dlimit=N] -cp "updatesite/target/repository/plugins/*:bench/target/diagram" DiagramBench [runs] [out]
 */
public final class DiagramBench {

	/** -Dlimit=N draws up to N classes and 4N dependencies (default: the product's limits), to see what layout costs. */
	static final int LIMIT = Integer.getInteger("limit", 0);

	public static void main(String[] args) throws Exception {
		int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
		Path dir = Files.createTempDirectory("diagram-bench");
		Path acyclic = dir.resolve("lockdep_acyclic.lockspec");
		Path cyclic = dir.resolve("lockdep_cycle.lockspec");
		Files.writeString(acyclic, LockdepBench.spec("bench.lockdep_acyclic", false));
		Files.writeString(cyclic, LockdepBench.spec("bench.lockdep_cycle", true));
		Path out = Path.of(args.length > 1 ? args[1] : "bench/target/diagram");
		Files.createDirectories(out);
		System.out.printf("lock graph diagrams at lockdep scale: %d classes, %d acquire edges; median of %d runs%n",
				LockdepBench.CLASSES, LockdepBench.EDGES, runs);
		System.out.printf("%-8s %8s %8s | %8s %8s %8s %8s %10s | %6s %6s %8s %8s%n", "spec", "load", "prove", "graph",
				"layout", "svg", "xmi", "diagram", "drawn", "edges", "svg", "xmi");
		SpecSet.injector();
		for (Path p : List.of(acyclic, cyclic)) {
			run(p, 1, false, out); // warm-up
			run(p, runs, true, out);
		}
	}

	static void run(Path file, int runs, boolean print, Path out) throws Exception {
		long[] load = new long[runs], prove = new long[runs], graph = new long[runs], layout = new long[runs],
				svg = new long[runs], xmi = new long[runs], diagram = new long[runs];
		LockGraph last = null;
		String svgText = null;
		String xmiText = null;
		for (int i = 0; i < runs; i++) {
			long t0 = System.nanoTime();
			SpecSet set = SpecSet.load(List.of(file), List.of());
			SpecSet.FileResult r = set.results().get(0);
			if (r.hasErrors() || r.spec() == null) {
				throw new IllegalStateException("generated spec has errors: " + r.problems());
			}
			Spec spec = r.spec();
			long t1 = System.nanoTime();
			SpecResult result;
			try (LazySolver solver = new LazySolver()) {
				result = SpecSet.onBigStack(() -> Prover.prove(spec, solver,
						Prover.Options.defaults().withTimeout(Duration.ofSeconds(30))));
			}
			long t2 = System.nanoTime();
			long[] phases = new long[2];
			LockGraph g = SpecSet.onBigStack(() -> {
				long a = System.nanoTime();
				Diagrams.Options o = Diagrams.Options.defaults().withBase(file.getParent());
				if (LIMIT > 0) {
					o = o.withLimits(LIMIT, 4 * LIMIT);
				}
				LockGraph lg = Diagrams.lockGraphModel(spec, result.verdicts(), null, o);
				long b = System.nanoTime();
				Layout.layout(lg);
				phases[0] = b - a;
				phases[1] = System.nanoTime() - b;
				return lg;
			});
			long t3 = System.nanoTime();
			String s = Svg.render(g);
			long t4 = System.nanoTime();
			String x = Xmi.write(g);
			long t5 = System.nanoTime();
			load[i] = t1 - t0;
			prove[i] = t2 - t1;
			graph[i] = phases[0];
			layout[i] = phases[1];
			svg[i] = t4 - t3;
			xmi[i] = t5 - t4;
			diagram[i] = t4 - t2; // lock graph + layout + SVG: what 'lockspec diagram --kind lockgraph' adds to a proof
			last = g;
			svgText = s;
			xmiText = x;
		}
		if (print) {
			String name = file.getFileName().toString().replace("lockdep_", "").replace(".lockspec", "");
			Files.writeString(out.resolve(name + ".svg"), svgText);
			Files.writeString(out.resolve(name + ".xmi"), xmiText);
			System.out.printf("%-8s %6dms %6dms | %6dms %6dms %6dms %6dms %8dms | %6d %6d %7dK %7dK%n", name, ms(load),
					ms(prove), ms(graph), ms(layout), ms(svg), ms(xmi), ms(diagram), last.getClasses().size(),
					last.getDependencies().size(), svgText.length() / 1024, xmiText.length() / 1024);
			for (String n : last.getNotes()) {
				System.out.printf("%-8s %s%n", "", n.length() > 150 ? n.substring(0, 150) + "..." : n);
			}
			System.out.printf("%-8s cycles drawn in red: %d; files: %s%n", "", last.getCycles().size(),
					out.resolve(name + ".svg"));
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

}
