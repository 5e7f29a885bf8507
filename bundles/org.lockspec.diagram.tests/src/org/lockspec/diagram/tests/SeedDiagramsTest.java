package org.lockspec.diagram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.eclipse.emf.ecore.util.EcoreUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lockspec.diagram.Diagrams;
import org.lockspec.diagram.HtmlReport;
import org.lockspec.diagram.Xmi;
import org.lockspec.diagram.model.Diagram;
import org.lockspec.diagram.model.Edge;
import org.lockspec.diagram.model.LockGraph;
import org.lockspec.diagram.model.LockKind;
import org.lockspec.diagram.model.Point;
import org.lockspec.diagram.model.Shape;
import org.lockspec.diagram.model.Topology;
import org.lockspec.diagram.model.Trace;
import org.lockspec.diagram.model.TraceStep;
import org.lockspec.diagram.model.VerdictStatus;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Verdict;
import org.lockspec.tests.Examples;
import org.w3c.dom.Document;

/**
 * Every diagram of every seed example: the SVG is well-formed XML with one
 * node group per model node and one edge group per model edge, every shape and
 * route lies on the canvas, and the XMI reads back equal to the model. The SVG
 * and XMI files are kept under target/diagrams/ for review.
 */
class SeedDiagramsTest {

	static Stream<Path> examples() {
		return Examples.all().stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("examples")
	void lockGraph(Path spec) throws IOException {
		HtmlReport.Entry e = Seeds.proved(spec);
		LockGraph g = Diagrams.lockGraph(e.spec(), e.result().verdicts(), null, Seeds.options());
		long declared = org.eclipse.xtext.EcoreUtil2.eAllOfType(e.spec(), org.lockspec.model.Lock.class).size()
				+ org.eclipse.xtext.EcoreUtil2.eAllOfType(e.spec(), org.lockspec.model.Gate.class).size()
				+ org.eclipse.xtext.EcoreUtil2.eAllOfType(e.spec(), org.lockspec.model.Completion.class).size()
				+ org.eclipse.xtext.EcoreUtil2.eAllOfType(e.spec(), org.lockspec.model.Work.class).size()
				+ org.eclipse.xtext.EcoreUtil2.eAllOfType(e.spec(), org.lockspec.model.RuntimePm.class).size();
		assertEquals(declared, g.getClasses().size(),
				"a class per declared lock, gate, completion, work, kthread and runtime PM");
		Document svg = check(g, spec, "lockgraph");
		assertEquals(g.getClasses().size(), Svgs.groups(svg, "node", "lock-class").size(), "lock classes drawn");
		assertEquals(g.getDependencies().size(), Svgs.groups(svg, "edge", "dependency").size(), "dependencies drawn");
		long waits = g.getDependencies().stream().filter(d -> d.getSource().getKind() == LockKind.COMPLETION
				|| d.getTarget().getKind() == LockKind.COMPLETION || d.getTarget().getKind() == LockKind.WORK
				|| d.getTarget().getKind() == LockKind.SRCU || d.getTarget().getKind() == LockKind.RCU
				|| d.getTarget().getKind() == LockKind.RUNTIME_PM).count();
		assertEquals(waits, Svgs.groups(svg, "edge", "wait").size(),
				"waits for completions, and what they wait for, flushes of works, grace periods and runtime PM callbacks, dashed");
		for (var dep : g.getDependencies()) {
			String pm = dep.getTarget().getId();
			if (dep.getTarget().getKind() == LockKind.RUNTIME_PM) {
				assertTrue(Svgs.groups(svg, "edge", "wait").stream()
						.anyMatch(x -> x.getTextContent().contains(pm + " resumed or suspended")),
						"a runtime PM edge says what it waits for: " + pm);
			}
		}
		long red = g.getDependencies().stream().filter(d -> d.isInCycle()).count();
		assertEquals(red, Svgs.groups(svg, "edge", "in-cycle").size());
		Verdict order = e.result().verdicts().stream().filter(v -> v.id().equals("lock_order")).findFirst().orElseThrow();
		if (order.status() == Status.VIOLATED) {
			assertEquals(1, g.getCycles().size(), "the violated lock order's cycle is found in the graph");
			assertEquals(order.trace().lanes().size(), g.getCycles().get(0).getDependencies().size());
			assertTrue(red > 0);
			assertEquals(VerdictStatus.VIOLATED, g.getStatus());
		} else {
			// only a cycle lockdep would report although it cannot deadlock is drawn, with its own verdict
			boolean lockdepOnly = e.result().verdicts().stream().anyMatch(v -> v.id().equals("lockdep_only"));
			assertEquals(lockdepOnly ? 1 : 0, g.getCycles().size());
			assertTrue(g.getCycles().stream().allMatch(c -> c.getObligation().equals("lockdep_only")));
			assertEquals(lockdepOnly, red > 0);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("examples")
	void topologies(Path spec) throws IOException {
		HtmlReport.Entry e = Seeds.proved(spec);
		List<Topology> tops = Diagrams.topologies(e.spec(), e.result().verdicts(), Seeds.options());
		assertEquals(Diagrams.scenarios(e.spec()).size(), tops.size());
		for (Topology t : tops) {
			Document svg = check(t, spec, "topology-" + t.getScenario());
			assertEquals(t.getNodes().size(), Svgs.groups(svg, "node").size(), "instances and threads drawn");
			assertEquals(t.getLinks().size(), Svgs.groups(svg, "edge", "link").size(), "links drawn");
			assertEquals(t.getNodes().stream().filter(n -> n.isInvolved()).count(), Svgs.groups(svg, "node", "involved").size());
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("examples")
	void traces(Path spec) throws IOException {
		HtmlReport.Entry e = Seeds.proved(spec);
		int drawn = 0;
		for (Verdict v : e.result().verdicts()) {
			if (v.trace() == null) {
				continue;
			}
			Trace t = Diagrams.trace(e.spec(), v, Seeds.options());
			Document svg = check(t, spec, "trace-" + v.id().replaceAll("[^A-Za-z0-9_-]", "_"));
			assertEquals(v.trace().events().size(), t.getSteps().size());
			assertEquals(t.getSteps().size(), Svgs.groups(svg, "node", "step").size(), "steps drawn");
			assertEquals(t.getLanes().size(), Svgs.groups(svg, "lane").size(), "lanes drawn");
			assertEquals(t.getSteps().stream().filter(TraceStep::isBlocked).count(), Svgs.groups(svg, "step", "blocked").size());
			long failing = t.getSteps().stream().filter(TraceStep::isFailing).count();
			assertEquals(v.trace().events().stream().filter(x -> x.fails()).count(), failing);
			assertEquals(failing, Svgs.groups(svg, "step", "failing").size(), "the failing step is marked");
			drawn++;
		}
		if (e.result().verdicts().stream().anyMatch(v -> v.status() == Status.VIOLATED)) {
			assertTrue(drawn > 0, "a buggy seed's violations come with counterexamples");
		}
	}

	/** SVG well-formed, shapes and routes on the canvas, XMI round trip; files kept for review. */
	private static Document check(Diagram d, Path spec, String name) throws IOException {
		String svg = Diagrams.svg(d);
		Document doc = Svgs.parse(svg);
		assertEquals(d.getWidth(), Svgs.number(doc.getDocumentElement(), "width"), 0.05);
		assertEquals(d.getHeight(), Svgs.number(doc.getDocumentElement(), "height"), 0.05);
		List<Shape> shapes = new ArrayList<>();
		List<Edge> edges = new ArrayList<>();
		d.eAllContents().forEachRemaining(o -> {
			if (o instanceof Shape s) {
				shapes.add(s);
			} else if (o instanceof Edge x) {
				edges.add(x);
			}
		});
		for (Shape s : shapes) {
			assertTrue(s.getWidth() > 0 && s.getHeight() > 0, () -> "no size: " + s);
			assertTrue(s.getX() >= 0 && s.getY() >= 0 && s.getX() + s.getWidth() <= d.getWidth() + 0.5
					&& s.getY() + s.getHeight() <= d.getHeight() + 0.5, () -> "off the canvas: " + s);
		}
		for (Edge x : edges) {
			assertTrue(x.getRoute().size() >= 2, () -> "no route: " + x);
			for (Point p : x.getRoute()) {
				assertTrue(p.getX() >= 0 && p.getY() >= 0 && p.getX() <= d.getWidth() + 0.5 && p.getY() <= d.getHeight() + 0.5,
						() -> "route off the canvas: " + x);
			}
		}
		String xmi = Xmi.write(d);
		Diagram back = Xmi.read(xmi, name + ".xmi");
		assertTrue(EcoreUtil.equals(d, back), () -> "XMI round trip changed " + name + ":\n" + xmi);
		assertEquals(xmi, Xmi.write(back), "XMI is stable");
		Path dir = Seeds.target().resolve("diagrams").resolve(Seeds.name(spec));
		Files.createDirectories(dir);
		Files.writeString(dir.resolve(name + ".svg"), svg);
		Files.writeString(dir.resolve(name + ".xmi"), xmi);
		return doc;
	}
}
