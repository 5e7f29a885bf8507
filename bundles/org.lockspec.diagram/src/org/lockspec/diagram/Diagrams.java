package org.lockspec.diagram;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.xtext.EcoreUtil2;
import org.lockspec.analysis.Explorer;
import org.lockspec.diagram.model.Diagram;
import org.lockspec.diagram.model.LockGraph;
import org.lockspec.diagram.model.Topology;
import org.lockspec.diagram.model.Trace;
import org.lockspec.model.Scenario;
import org.lockspec.model.Spec;
import org.lockspec.verdict.Location;
import org.lockspec.verdict.Verdict;

/**
 * The diagrams of a spec, for every front door (command line, HTML report,
 * Eclipse view): each method takes the spec and the prover's verdicts (an
 * empty list draws without verdicts) and returns the diagram model, laid out,
 * ready for {@link #svg(Diagram)} or {@link Xmi}. No UI, no solver: the
 * verdicts come in as values.
 */
public final class Diagrams {

	/**
	 * {@code base}: source paths are shown relative to it (null: as they are).
	 * A lock graph with more than {@code maxClasses} classes or
	 * {@code maxDependencies} dependencies is reduced (see {@link LockGraph#isReduced()}).
	 */
	public record Options(Path base, int maxClasses, int maxDependencies, Explorer.Options explorer) {
		public static Options defaults() {
			return new Options(null, 250, 1000, Explorer.Options.DEFAULT);
		}

		public Options withBase(Path b) {
			return new Options(b, maxClasses, maxDependencies, explorer);
		}

		public Options withLimits(int classes, int dependencies) {
			return new Options(base, classes, dependencies, explorer);
		}
	}

	private Diagrams() {
	}

	/**
	 * The lock graph: lock classes, dependencies and the cycles of the
	 * lock-order verdicts among {@code verdicts} ({@code obligation}: only the
	 * verdict with that id; null: every lock-order verdict).
	 */
	public static LockGraph lockGraph(Spec spec, List<Verdict> verdicts, String obligation, Options options) {
		LockGraph g = lockGraphModel(spec, verdicts, obligation, options);
		Layout.layout(g);
		return g;
	}

	/** The lock graph before layout (every coordinate 0): {@link Layout#layout(Diagram)} places it. */
	public static LockGraph lockGraphModel(Spec spec, List<Verdict> verdicts, String obligation, Options options) {
		return LockGraphBuilder.build(spec, verdicts, obligation, new Sources(options.base()), options);
	}

	/** The topology of one scenario, with the involvement of the scenario's violated verdicts. */
	public static Topology topology(Spec spec, Scenario scenario, List<Verdict> verdicts, Options options) {
		Topology t = TopologyBuilder.build(spec, scenario, verdicts, new Sources(options.base()));
		Layout.layout(t);
		return t;
	}

	/** The topologies of every scenario of the spec, in order. */
	public static List<Topology> topologies(Spec spec, List<Verdict> verdicts, Options options) {
		List<Topology> out = new ArrayList<>();
		for (Scenario s : scenarios(spec)) {
			out.add(topology(spec, s, verdicts, options));
		}
		return out;
	}

	/** The timeline of a verdict's counterexample; the verdict must carry a trace. */
	public static Trace trace(Spec spec, Verdict verdict, Options options) {
		if (verdict.trace() == null) {
			throw new IllegalArgumentException(verdict.id() + " has no counterexample");
		}
		Trace t = TraceBuilder.build(spec.getName(), Location.of(spec).file(), verdict, new Sources(options.base()));
		Layout.layout(t);
		return t;
	}

	public static List<Scenario> scenarios(Spec spec) {
		return EcoreUtil2.typeSelect(spec.getMembers(), Scenario.class);
	}

	/** The diagram as an SVG document. */
	public static String svg(Diagram d) {
		return Svg.render(d);
	}
}
