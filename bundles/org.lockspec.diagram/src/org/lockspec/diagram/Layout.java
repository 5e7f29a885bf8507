package org.lockspec.diagram;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.elk.alg.layered.LayeredLayoutProvider;
import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.math.ElkPadding;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkLabel;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;
import org.lockspec.diagram.model.Dependency;
import org.lockspec.diagram.model.Diagram;
import org.lockspec.diagram.model.DiagramFactory;
import org.lockspec.diagram.model.Edge;
import org.lockspec.diagram.model.Lane;
import org.lockspec.diagram.model.Link;
import org.lockspec.diagram.model.LinkKind;
import org.lockspec.diagram.model.LockClass;
import org.lockspec.diagram.model.LockGraph;
import org.lockspec.diagram.model.ObjectInstance;
import org.lockspec.diagram.model.Point;
import org.lockspec.diagram.model.Shape;
import org.lockspec.diagram.model.ThreadNode;
import org.lockspec.diagram.model.Topology;
import org.lockspec.diagram.model.TopologyNode;
import org.lockspec.diagram.model.Trace;
import org.lockspec.diagram.model.TraceStep;

/**
 * Lays diagrams out: lock graphs and topologies with ELK's layered algorithm
 * (lock graphs left to right, in the order locks are taken; topologies top
 * down, owners above members and parents above children), traces as a grid
 * of a column per CPU and a row per step. Sizes come from the text (see
 * {@link Text}); every coordinate lands in the model, so renderers only draw.
 */
public final class Layout {

	/** Space above the drawing for the title and the legend. */
	public static final double HEADER = 48;
	public static final double MARGIN = 16;
	public static final double NODE_HEIGHT = 40;
	public static final double PAD = 10;
	public static final double GUTTER = 56;
	public static final double ROW = 26;
	public static final double LANE_HEADER = 44;

	private static final DiagramFactory F = DiagramFactory.eINSTANCE;

	static {
		// registers ELK's option types (ElkReflect) and the layered algorithm's options, without extension registry
		LayoutMetaDataService.getInstance().registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
	}

	private Layout() {
	}

	public static void layout(Diagram d) {
		switch (d) {
		case LockGraph g -> lockGraph(g);
		case Topology t -> topology(t);
		case Trace t -> trace(t);
		default -> throw new IllegalArgumentException("no layout for " + d.eClass().getName());
		}
	}

	// ----------------------------------------------------------------- graphs

	static void lockGraph(LockGraph g) {
		ElkNode root = graph(Direction.RIGHT, g.getClasses().size());
		Map<Shape, ElkNode> nodes = new HashMap<>();
		for (LockClass c : g.getClasses()) {
			c.setWidth(Math.max(Text.width(c.getId(), Text.SIZE), Text.width(kindLine(c), Text.SMALL)) + 2 * PAD);
			c.setHeight(NODE_HEIGHT);
			nodes.put(c, node(root, c));
		}
		boolean labels = g.getDependencies().size() <= 200;
		Map<Edge, ElkEdge> edges = new HashMap<>();
		for (Dependency dep : g.getDependencies()) {
			edges.put(dep, edge(root, nodes.get(dep.getSource()), nodes.get(dep.getTarget()), labels ? dep.getLabel() : null));
		}
		run(root);
		read(g, root, nodes, edges, false);
	}

	static String kindLine(LockClass c) {
		return c.getKind().getLiteral() + (c.isSleeps() ? " (sleeps)" : " (spins)");
	}

	static void topology(Topology t) {
		ElkNode root = graph(Direction.DOWN, t.getNodes().size());
		Map<Shape, ElkNode> nodes = new HashMap<>();
		for (TopologyNode n : t.getNodes()) {
			List<String> lines = nodeLines(n);
			double w = 0;
			for (String l : lines) {
				w = Math.max(w, Text.width(l, Text.SIZE));
			}
			n.setWidth(w + 2 * PAD);
			n.setHeight(12 + lines.size() * Text.LINE);
			nodes.put(n, node(root, n));
		}
		Map<Edge, ElkEdge> edges = new HashMap<>();
		for (Link l : t.getLinks()) {
			// a reference points up the tree (child to parent): lay it out from the parent
			boolean up = l.getKind() == LinkKind.REF;
			ElkNode from = nodes.get(up ? l.getTarget() : l.getSource());
			ElkNode to = nodes.get(up ? l.getSource() : l.getTarget());
			edges.put(l, edge(root, from, to, l.getLabel() == null || l.getLabel().isEmpty() ? null : l.getLabel()));
		}
		run(root);
		read(t, root, nodes, edges, true);
	}

	/** The text lines of a topology node, first the header; the renderer draws exactly these. */
	public static List<String> nodeLines(TopologyNode n) {
		List<String> lines = new java.util.ArrayList<>();
		if (n instanceof ObjectInstance o) {
			lines.add(o.getName() + " : " + o.getType());
			for (var l : o.getLocks()) {
				lines.add("lock " + l.getName() + " : " + l.getKind().getLiteral());
			}
			for (var r : o.getRefcounts()) {
				lines.add("refcount " + r.getName() + " = " + r.getInitial());
			}
			for (var f : o.getFields()) {
				lines.add(f.getName() + " = " + f.getValue());
			}
		} else if (n instanceof ThreadNode th) {
			lines.add("thread " + th.getName());
			lines.add(th.getOp() + "(" + th.getArguments() + ")");
		}
		return lines;
	}

	private static ElkNode graph(Direction direction, int size) {
		ElkNode root = ElkGraphUtil.createGraph();
		root.setProperty(LayeredOptions.DIRECTION, direction);
		root.setProperty(LayeredOptions.EDGE_ROUTING, EdgeRouting.ORTHOGONAL);
		root.setProperty(LayeredOptions.SPACING_NODE_NODE, 24.0);
		root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 48.0);
		root.setProperty(LayeredOptions.SPACING_EDGE_NODE, 14.0);
		root.setProperty(LayeredOptions.SPACING_EDGE_EDGE, 10.0);
		root.setProperty(LayeredOptions.SPACING_EDGE_LABEL, 4.0);
		root.setProperty(LayeredOptions.PADDING, new ElkPadding(MARGIN));
		root.setProperty(LayeredOptions.RANDOM_SEED, 1);
		if (size > 150) {
			root.setProperty(LayeredOptions.THOROUGHNESS, 1);
		}
		return root;
	}

	private static ElkNode node(ElkNode root, Shape s) {
		ElkNode n = ElkGraphUtil.createNode(root);
		n.setDimensions(s.getWidth(), s.getHeight());
		return n;
	}

	private static ElkEdge edge(ElkNode root, ElkNode from, ElkNode to, String label) {
		ElkEdge e = ElkGraphUtil.createSimpleEdge(from, to);
		if (label != null && !label.isEmpty()) {
			ElkLabel l = ElkGraphUtil.createLabel(label, e);
			l.setDimensions(Text.width(label, Text.SMALL) + 4, 14);
		}
		return e;
	}

	private static void run(ElkNode root) {
		new LayeredLayoutProvider().layout(root, new BasicProgressMonitor());
	}

	private static void read(Diagram d, ElkNode root, Map<Shape, ElkNode> nodes, Map<Edge, ElkEdge> edges,
			boolean reverseRefs) {
		double dy = HEADER;
		for (var e : nodes.entrySet()) {
			e.getKey().setX(e.getValue().getX());
			e.getKey().setY(e.getValue().getY() + dy);
		}
		for (var e : edges.entrySet()) {
			Edge model = e.getKey();
			ElkEdge elk = e.getValue();
			model.getRoute().clear();
			// edge coordinates are relative to the edge's container; the container here is the root
			double ox = 0;
			double oy = dy;
			ElkNode container = elk.getContainingNode();
			if (container != null && container != root) {
				ox += container.getX();
				oy += container.getY();
			}
			if (!elk.getSections().isEmpty()) {
				ElkEdgeSection s = elk.getSections().get(0);
				model.getRoute().add(point(s.getStartX() + ox, s.getStartY() + oy));
				for (var b : s.getBendPoints()) {
					model.getRoute().add(point(b.getX() + ox, b.getY() + oy));
				}
				model.getRoute().add(point(s.getEndX() + ox, s.getEndY() + oy));
			}
			if (reverseRefs && model instanceof Link l && l.getKind() == LinkKind.REF) {
				org.eclipse.emf.common.util.ECollections.reverse(model.getRoute());
			}
			if (!elk.getLabels().isEmpty()) {
				ElkLabel lab = elk.getLabels().get(0);
				model.setLabelX(lab.getX() + ox);
				model.setLabelY(lab.getY() + oy);
			} else if (model.getRoute().size() >= 2) {
				Point a = model.getRoute().get(model.getRoute().size() / 2 - 1);
				Point b = model.getRoute().get(model.getRoute().size() / 2);
				model.setLabelX((a.getX() + b.getX()) / 2);
				model.setLabelY((a.getY() + b.getY()) / 2 - 12);
			}
		}
		d.setX(0);
		d.setY(0);
		double width = Math.max(root.getWidth(), titleWidth(d));
		d.setWidth(Math.ceil(width));
		d.setHeight(Math.ceil(root.getHeight() + dy + footer(d, width)));
	}

	private static Point point(double x, double y) {
		Point p = F.createPoint();
		p.setX(x);
		p.setY(y);
		return p;
	}

	/** Room for the title and the verdict beside it, and for the legend below them (as {@link Svg} draws it). */
	static double titleWidth(Diagram d) {
		double status = d.getStatus() == null || d.getStatus().getValue() == 0 ? 0
				: Text.width(Statuses.label(d.getStatus()), 12) + 24;
		double legend = 2 * MARGIN;
		if (d instanceof LockGraph g) {
			java.util.Set<org.lockspec.diagram.model.LockKind> kinds = java.util.EnumSet
					.noneOf(org.lockspec.diagram.model.LockKind.class);
			for (LockClass c : g.getClasses()) {
				kinds.add(c.getKind());
			}
			for (var k : kinds) {
				legend += 24 + Text.width(k.getLiteral(), Text.SMALL);
			}
			if (!g.getCycles().isEmpty()) {
				legend += 22 + Text.width(Svg.CYCLE_LEGEND, Text.SMALL);
			}
		} else if (d instanceof Topology) {
			for (String l : Svg.TOPOLOGY_LEGEND) {
				legend += 34 + Text.width(l, Text.SMALL);
			}
		} else if (d instanceof Trace) {
			for (String l : Svg.TRACE_LEGEND) {
				legend += 28 + Text.width(l, Text.SMALL);
			}
		}
		return Math.max(Math.max(360, legend), Text.width(d.getTitle(), 14) * 1.05 + status + 2 * MARGIN);
	}

	/** The notes below the drawing, wrapped to its width; the renderer wraps them the same way. */
	public static List<String> footerLines(Diagram d, double width) {
		List<String> out = new java.util.ArrayList<>();
		int max = Math.max(40, Text.fit(width - 2 * MARGIN));
		for (String n : d.getNotes()) {
			out.addAll(Text.wrap(n, max));
		}
		return out;
	}

	private static double footer(Diagram d, double width) {
		List<String> lines = footerLines(d, width);
		return lines.isEmpty() ? MARGIN : lines.size() * Text.LINE + 2 * MARGIN;
	}

	// ------------------------------------------------------------------ trace

	static void trace(Trace t) {
		double x = MARGIN + GUTTER;
		Map<Lane, Double> widths = new HashMap<>();
		for (Lane l : t.getLanes()) {
			double w = Math.max(Text.width(l.getCpu(), Text.SIZE), Text.width(l.getRuns(), Text.SMALL));
			for (TraceStep s : t.getSteps()) {
				if (s.getLane() == l) {
					w = Math.max(w, Text.width(stepText(s), Text.SIZE));
				}
			}
			widths.put(l, w + 2 * PAD);
		}
		double top = HEADER;
		for (Lane l : t.getLanes()) {
			l.setX(x);
			l.setY(top);
			l.setWidth(widths.get(l));
			x += widths.get(l) + 16;
		}
		double y = top + LANE_HEADER;
		for (TraceStep s : t.getSteps()) {
			s.setX(s.getLane().getX());
			s.setY(y);
			s.setWidth(s.getLane().getWidth());
			s.setHeight(ROW - 4);
			y += ROW;
		}
		double outcome = t.getOutcome() == null ? 0 : ROW;
		for (Lane l : t.getLanes()) {
			l.setHeight(y - top + outcome);
		}
		double width = Math.max(x - 16 + MARGIN, titleWidth(t));
		t.setX(0);
		t.setY(0);
		t.setWidth(Math.ceil(width));
		t.setHeight(Math.ceil(y + outcome + footer(t, width)));
	}

	/** A step as drawn: its text, and what happens there. */
	public static String stepText(TraceStep s) {
		return s.getText() + (s.isFailing() ? (s.isBlocked() ? "  <-- waits ✗" : "  <-- fails ✗")
				: s.isBlocked() ? "  <-- waits" : "");
	}
}
