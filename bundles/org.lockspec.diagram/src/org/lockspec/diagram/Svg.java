package org.lockspec.diagram;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.lockspec.diagram.model.Dependency;
import org.lockspec.diagram.model.Diagram;
import org.lockspec.diagram.model.Edge;
import org.lockspec.diagram.model.Lane;
import org.lockspec.diagram.model.Link;
import org.lockspec.diagram.model.LinkKind;
import org.lockspec.diagram.model.LockClass;
import org.lockspec.diagram.model.LockGraph;
import org.lockspec.diagram.model.LockKind;
import org.lockspec.diagram.model.Point;
import org.lockspec.diagram.model.SourceRef;
import org.lockspec.diagram.model.ThreadNode;
import org.lockspec.diagram.model.Topology;
import org.lockspec.diagram.model.TopologyNode;
import org.lockspec.diagram.model.Trace;
import org.lockspec.diagram.model.TraceStep;
import org.lockspec.diagram.model.VerdictStatus;
import org.lockspec.diagram.model.Witness;

/**
 * Draws a laid-out diagram as SVG 1.1. Every node is a {@code <g class="node …">},
 * every edge a {@code <g class="edge …">}, with a {@code <title>} that says what
 * it is (tooltips); colours come from presentation attributes, so the file
 * looks the same in a browser, an image viewer and an Eclipse view. Styling:
 * lock classes by kind (sleeping locks blue, spinning locks amber, raw
 * spinlocks orange, gates grey), the header by verdict, a cycle of a violated
 * lock-order obligation in red, blocked steps amber and the failing step red.
 * Output is deterministic.
 */
public final class Svg {

	public static final String RED = "#c62828";
	static final String CYCLE_LEGEND = "cycle of a violated lock-order obligation";
	static final List<String> TOPOLOGY_LEGEND = List.of("list member (owner above)", "reference (e.g. parent)",
			"thread argument", "named by a failing step");
	static final List<String> TRACE_LEGEND = List.of("the CPU waits", "the step where the obligation fails");
	private static final String INK = "#1f2933";
	private static final String GREY = "#6b7280";

	private final StringBuilder b = new StringBuilder(4096);
	private final String id;

	private Svg(String idPrefix) {
		this.id = idPrefix;
	}

	/** The SVG document of {@code d}, which must have been laid out. */
	public static String render(Diagram d) {
		return render(d, "ls");
	}

	/** {@code idPrefix} keeps ids unique when several diagrams share one HTML page. */
	public static String render(Diagram d, String idPrefix) {
		Svg s = new Svg(idPrefix);
		s.document(d);
		return s.b.toString();
	}

	private void document(Diagram d) {
		b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" class=\"lockspec-diagram ")
				.append(d.getKind().getLiteral()).append(" status-").append(d.getStatus().getLiteral()).append("\" width=\"")
				.append(n(d.getWidth())).append("\" height=\"").append(n(d.getHeight())).append("\" viewBox=\"0 0 ")
				.append(n(d.getWidth())).append(' ').append(n(d.getHeight()))
				.append("\" font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" font-size=\"12\">\n");
		b.append("<title>").append(Text.xml(d.getTitle())).append("</title>\n");
		b.append("<defs>\n");
		marker("arrow", INK);
		marker("arrow-red", RED);
		marker("arrow-grey", GREY);
		b.append("</defs>\n");
		b.append("<rect class=\"background\" x=\"0\" y=\"0\" width=\"").append(n(d.getWidth())).append("\" height=\"")
				.append(n(d.getHeight())).append("\" fill=\"#ffffff\"/>\n");
		header(d);
		switch (d) {
		case LockGraph g -> lockGraph(g);
		case Topology t -> topology(t);
		case Trace t -> trace(t);
		default -> throw new IllegalArgumentException("cannot draw " + d.eClass().getName());
		}
		footer(d);
		b.append("</svg>\n");
	}

	private void marker(String name, String colour) {
		b.append("<marker id=\"").append(id).append('-').append(name)
				.append("\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\">")
				.append("<path d=\"M0,0 L10,5 L0,10 z\" fill=\"").append(colour).append("\"/></marker>\n");
	}

	private void header(Diagram d) {
		String[] c = statusColours(d.getStatus());
		b.append("<g class=\"header\">");
		b.append("<rect x=\"0\" y=\"0\" width=\"").append(n(d.getWidth())).append("\" height=\"28\" fill=\"").append(c[0])
				.append("\"/>");
		text(Layout.MARGIN, 19, d.getTitle(), 14, c[1], "bold", null);
		if (d.getStatus() != VerdictStatus.NONE) {
			String label = Statuses.label(d.getStatus());
			text(d.getWidth() - Layout.MARGIN - Text.width(label, 12), 19, label, 12, c[1], "bold", "status");
		}
		b.append("</g>\n");
		if (d instanceof LockGraph g) {
			legend(g);
		} else if (d instanceof Topology) {
			b.append("<g class=\"legend\">");
			double x = Layout.MARGIN;
			x = legendLine(x, INK, null, TOPOLOGY_LEGEND.get(0));
			x = legendLine(x, "#2563eb", "6,3", TOPOLOGY_LEGEND.get(1));
			x = legendLine(x, GREY, "2,3", TOPOLOGY_LEGEND.get(2));
			legendBox(x, "#ffffff", RED, TOPOLOGY_LEGEND.get(3));
			b.append("</g>\n");
		} else if (d instanceof Trace) {
			b.append("<g class=\"legend\">");
			double x = legendBox(Layout.MARGIN, "#fef3c7", "#b45309", TRACE_LEGEND.get(0));
			legendBox(x, "#fee2e2", RED, TRACE_LEGEND.get(1));
			b.append("</g>\n");
		}
	}

	private double legendLine(double x, String colour, String dash, String label) {
		b.append("<line x1=\"").append(n(x)).append("\" y1=\"39\" x2=\"").append(n(x + 18)).append("\" y2=\"39\" stroke=\"")
				.append(colour).append("\" stroke-width=\"1.5\"").append(dash == null ? "" : " stroke-dasharray=\"" + dash + "\"")
				.append("/>");
		text(x + 22, 43, label, Text.SMALL, INK, null, null);
		return x + 34 + Text.width(label, Text.SMALL);
	}

	private double legendBox(double x, String fill, String stroke, String label) {
		b.append("<rect x=\"").append(n(x)).append("\" y=\"34\" width=\"12\" height=\"10\" rx=\"2\" fill=\"").append(fill)
				.append("\" stroke=\"").append(stroke).append("\"/>");
		text(x + 16, 43, label, Text.SMALL, INK, null, null);
		return x + 28 + Text.width(label, Text.SMALL);
	}

	private void legend(LockGraph g) {
		Set<LockKind> kinds = EnumSet.noneOf(LockKind.class);
		for (LockClass c : g.getClasses()) {
			kinds.add(c.getKind());
		}
		double x = Layout.MARGIN;
		b.append("<g class=\"legend\">");
		for (LockKind k : kinds) {
			String[] c = kindColours(k);
			b.append("<rect x=\"").append(n(x)).append("\" y=\"34\" width=\"12\" height=\"10\" rx=\"2\" fill=\"").append(c[0])
					.append("\" stroke=\"").append(c[1]).append("\"/>");
			text(x + 16, 43, k.getLiteral(), Text.SMALL, INK, null, null);
			x += 24 + Text.width(k.getLiteral(), Text.SMALL);
		}
		if (!g.getCycles().isEmpty()) {
			b.append("<line x1=\"").append(n(x)).append("\" y1=\"39\" x2=\"").append(n(x + 18))
					.append("\" y2=\"39\" stroke=\"").append(RED).append("\" stroke-width=\"2.5\"/>");
			text(x + 22, 43, CYCLE_LEGEND, Text.SMALL, RED, null, null);
		}
		b.append("</g>\n");
	}

	private void footer(Diagram d) {
		List<String> lines = Layout.footerLines(d, d.getWidth());
		if (lines.isEmpty()) {
			return;
		}
		double y = d.getHeight() - Layout.MARGIN - (lines.size() - 1) * Text.LINE;
		b.append("<g class=\"notes\">");
		for (String l : lines) {
			text(Layout.MARGIN, y, l, Text.SMALL, GREY, null, null);
			y += Text.LINE;
		}
		b.append("</g>\n");
	}

	// ------------------------------------------------------------- lock graph

	private void lockGraph(LockGraph g) {
		for (Dependency d : g.getDependencies()) {
			StringBuilder title = new StringBuilder();
			String waitedFor = switch (d.getTarget().getKind()) {
			case COMPLETION -> " waited for while ";
			case WORK -> " flushed while "; // a work, kthread, irq thread, timer or workqueue
			case RUNTIME_PM -> " resumed or suspended (a call waits for its callback) while ";
			case SRCU, RCU -> " synchronized (a grace period waited for) while "; // its readers add no dependency
			default -> null;
			};
			boolean waitForEvent = waitedFor != null;
			boolean event = d.getSource().getKind() == LockKind.COMPLETION;
			if (waitForEvent) {
				title.append(d.getTarget().getId()).append(waitedFor).append(d.getSource().getId()).append(" is held");
			} else if (event) {
				title.append(d.getSource().getId()).append(" completed only after ").append(d.getTarget().getId())
						.append(" is taken");
			} else {
				title.append(d.getTarget().getId()).append(" taken while ").append(d.getSource().getId()).append(" is held");
			}
			if (d.isConditional()) {
				title.append(" (on some paths, under a condition)");
			}
			for (Witness w : d.getWitnesses()) {
				title.append("\n").append(w.getChain()).append(w.getTakenMode().getValue() == 1 ? " (read)" : "")
						.append(w.getHeldAt() == null ? "" : ", held since line " + w.getHeldAt().getLine());
			}
			if (d.getWitnessCount() > d.getWitnesses().size()) {
				title.append("\n… ").append(d.getWitnessCount() - d.getWitnesses().size()).append(" more");
			}
			// a wait for an event, and an event's dependency on what its producer takes first: dashed
			edge(d, "dependency" + (d.isInCycle() ? " in-cycle" : "") + (d.isConditional() ? " conditional" : "")
					+ (waitForEvent || event ? " wait" : ""),
					d.isInCycle() ? RED : INK, d.isInCycle() ? 2.5 : 1.2, waitForEvent || event ? "6,3" : null,
					d.isInCycle() ? "arrow-red" : "arrow", title.toString(),
					"data-source=\"" + Text.xml(d.getSource().getId()) + "\" data-target=\"" + Text.xml(d.getTarget().getId()) + "\"");
		}
		for (LockClass c : g.getClasses()) {
			String[] col = kindColours(c.getKind());
			b.append("<g class=\"node lock-class kind-").append(c.getKind().getLiteral()).append(c.isInCycle() ? " in-cycle" : "")
					.append("\" data-id=\"").append(Text.xml(c.getId())).append("\">");
			b.append("<title>").append(Text.xml(c.getId() + ": " + c.getKind().getLiteral()
					+ (c.isSleeps() ? ", may sleep" : ", spins") + at(c.getDeclaredAt())
					+ (c.getComponent() >= 0 ? "; on a cycle (component " + c.getComponent() + ")" : "")))
					.append("</title>");
			rect(c.getX(), c.getY(), c.getWidth(), c.getHeight(), col[0], c.isInCycle() ? RED : col[1],
					c.isInCycle() ? 2.5 : 1.2, 6, c.getKind() == LockKind.GATE ? "4,2" : null);
			text(c.getX() + Layout.PAD, c.getY() + 17, c.getId(), Text.SIZE, INK, "bold", null);
			text(c.getX() + Layout.PAD, c.getY() + 32, Layout.kindLine(c), Text.SMALL, GREY, null, null);
			b.append("</g>\n");
		}
	}

	// --------------------------------------------------------------- topology

	private void topology(Topology t) {
		for (Link l : t.getLinks()) {
			String colour = switch (l.getKind()) {
			case LIST -> INK;
			case REF -> "#2563eb";
			case THREAD -> GREY;
			};
			String title = switch (l.getKind()) {
			case LIST -> l.getTarget().getName() + " is on " + l.getSource().getName() + "." + l.getLabel();
			case REF -> l.getSource().getName() + "." + l.getLabel() + " = " + l.getTarget().getName();
			case THREAD -> "thread " + l.getSource().getName() + " starts with " + l.getLabel() + " = " + l.getTarget().getName();
			};
			edge(l, "link " + l.getKind().getLiteral(), colour, 1.2,
					l.getKind() == LinkKind.REF ? "6,3" : l.getKind() == LinkKind.THREAD ? "2,3" : null,
					l.getKind() == LinkKind.THREAD ? "arrow-grey" : "arrow", title, null);
		}
		for (TopologyNode node : t.getNodes()) {
			List<String> lines = Layout.nodeLines(node);
			boolean thread = node instanceof ThreadNode;
			b.append("<g class=\"node ").append(thread ? "thread" : "instance").append(node.isInvolved() ? " involved" : "")
					.append("\" data-id=\"").append(Text.xml(node.getName())).append("\">");
			b.append("<title>").append(Text.xml(String.join("\n", lines) + at(node.getDeclaredAt())
					+ (node.isInvolved() ? "\nnamed by a failing step" : ""))).append("</title>");
			rect(node.getX(), node.getY(), node.getWidth(), node.getHeight(), thread ? "#f3f4f6" : "#ffffff",
					node.isInvolved() ? RED : thread ? GREY : INK, node.isInvolved() ? 2.5 : 1.2, thread ? 14 : 3, null);
			double y = node.getY() + 6 + Text.LINE - 3;
			for (int i = 0; i < lines.size(); i++) {
				if (i == 1 && !thread) {
					b.append("<line x1=\"").append(n(node.getX())).append("\" y1=\"").append(n(y - 12)).append("\" x2=\"")
							.append(n(node.getX() + node.getWidth())).append("\" y2=\"").append(n(y - 12))
							.append("\" stroke=\"#d1d5db\"/>");
				}
				String l = lines.get(i);
				String colour = l.startsWith("lock ") ? "#1d4ed8" : l.startsWith("refcount ") ? "#7c3aed" : INK;
				text(node.getX() + Layout.PAD, y, l, Text.SIZE, i == 0 ? INK : colour, i == 0 ? "bold" : null, null);
				y += Text.LINE;
			}
			b.append("</g>\n");
		}
	}

	// ------------------------------------------------------------------ trace

	private void trace(Trace t) {
		for (Lane l : t.getLanes()) {
			b.append("<g class=\"lane\" data-cpu=\"").append(Text.xml(l.getCpu())).append("\">");
			rect(l.getX(), l.getY(), l.getWidth(), l.getHeight(), "#f9fafb", "#e5e7eb", 1, 4, null);
			text(l.getX() + Layout.PAD, l.getY() + 17, l.getCpu(), Text.SIZE, INK, "bold", null);
			text(l.getX() + Layout.PAD, l.getY() + 33, l.getRuns(), Text.SMALL, GREY, null, null);
			b.append("</g>\n");
		}
		for (TraceStep s : t.getSteps()) {
			String fill = s.isFailing() ? "#fee2e2" : s.isBlocked() ? "#fef3c7" : "#ffffff";
			String stroke = s.isFailing() ? RED : s.isBlocked() ? "#b45309" : "#d1d5db";
			b.append("<g class=\"node step").append(s.isBlocked() ? " blocked" : "").append(s.isFailing() ? " failing" : "")
					.append("\" data-index=\"").append(s.getIndex()).append("\">");
			b.append("<title>").append(Text.xml(s.getLane().getCpu() + ": " + s.getText()
					+ (s.getChain() == null ? "" : "\n" + s.getChain()) + at(s.getAt()))).append("</title>");
			if (s.getAt() != null && s.getAt().getLine() > 0) {
				text(Layout.MARGIN, s.getY() + 15, "l." + s.getAt().getLine(), Text.SMALL, GREY, null, null);
			}
			rect(s.getX(), s.getY(), s.getWidth(), s.getHeight(), fill, stroke, s.isFailing() ? 2.5 : 1, 3, null);
			text(s.getX() + Layout.PAD, s.getY() + 15, Layout.stepText(s), Text.SIZE, s.isFailing() ? RED : INK,
					s.isFailing() || s.isBlocked() ? "bold" : null, null);
			b.append("</g>\n");
		}
		if (t.getOutcome() != null && !t.getLanes().isEmpty()) {
			Lane first = t.getLanes().get(0);
			double y = first.getY() + first.getHeight() - 8;
			text(first.getX() + Layout.PAD, y, "*** " + t.getOutcome() + " ***", Text.SIZE,
					t.getStatus() == VerdictStatus.VIOLATED ? RED : INK, "bold", "outcome");
		}
	}

	// ---------------------------------------------------------------- helpers

	private void edge(Edge e, String cls, String colour, double width, String dash, String marker, String title,
			String attrs) {
		if (e.getRoute().size() < 2) {
			return;
		}
		b.append("<g class=\"edge ").append(cls).append('"');
		if (attrs != null) {
			b.append(' ').append(attrs);
		}
		b.append("><title>").append(Text.xml(title)).append("</title><path d=\"");
		List<Point> r = e.getRoute();
		for (int i = 0; i < r.size(); i++) {
			b.append(i == 0 ? "M" : " L").append(n(r.get(i).getX())).append(',').append(n(r.get(i).getY()));
		}
		b.append("\" fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"").append(n(width)).append('"');
		if (dash != null) {
			b.append(" stroke-dasharray=\"").append(dash).append('"');
		}
		b.append(" marker-end=\"url(#").append(id).append('-').append(marker).append(")\"/>");
		if (e.getLabel() != null && !e.getLabel().isEmpty()) {
			text(e.getLabelX() + 2, e.getLabelY() + 11, e.getLabel(), Text.SMALL, colour.equals(RED) ? RED : GREY, null,
					"label");
		}
		b.append("</g>\n");
	}

	private void rect(double x, double y, double w, double h, String fill, String stroke, double sw, double rx,
			String dash) {
		b.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(w))
				.append("\" height=\"").append(n(h)).append("\" rx=\"").append(n(rx)).append("\" fill=\"").append(fill)
				.append("\" stroke=\"").append(stroke).append("\" stroke-width=\"").append(n(sw)).append('"');
		if (dash != null) {
			b.append(" stroke-dasharray=\"").append(dash).append('"');
		}
		b.append("/>");
	}

	private void text(double x, double y, String s, double size, String fill, String weight, String cls) {
		b.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append('"');
		if (cls != null) {
			b.append(" class=\"").append(cls).append('"');
		}
		if (size != 12) {
			b.append(" font-size=\"").append(n(size)).append('"');
		}
		b.append(" fill=\"").append(fill).append('"');
		if (weight != null) {
			b.append(" font-weight=\"").append(weight).append('"');
		}
		b.append(" xml:space=\"preserve\">").append(Text.xml(s)).append("</text>");
	}

	private static String at(SourceRef r) {
		return r == null ? "" : "\nat " + r.getFile() + ":" + r.getLine() + (r.getText() == null ? "" : ": " + r.getText());
	}

	/** Numbers with at most one decimal, never in exponent form: the output is the same on every machine. */
	static String n(double v) {
		long tenths = Math.round(v * 10);
		return tenths % 10 == 0 ? Long.toString(tenths / 10)
				: String.format(Locale.ROOT, "%.1f", tenths / 10.0);
	}

	/** Fill and stroke of a lock kind: sleeping locks blue, spinning amber, raw spinlocks orange, gates grey, completions green, works and runtime PMs pink, srcus and RCU teal. */
	static String[] kindColours(LockKind k) {
		return switch (k) {
		case MUTEX -> new String[] { "#dbeafe", "#1d4ed8" };
		case RWSEM -> new String[] { "#e0e7ff", "#4338ca" };
		case SPINLOCK -> new String[] { "#fef3c7", "#b45309" };
		case RAW_SPINLOCK -> new String[] { "#ffedd5", "#c2410c" };
		case RWLOCK -> new String[] { "#fefce8", "#a16207" };
		case GATE -> new String[] { "#f3f4f6", "#4b5563" };
		case COMPLETION -> new String[] { "#ecfdf5", "#047857" };
		case WORK, RUNTIME_PM -> new String[] { "#fdf2f8", "#be185d" };
		case SRCU, RCU -> new String[] { "#f0fdfa", "#0f766e" };
		};
	}

	/** Header background and ink by verdict. */
	static String[] statusColours(VerdictStatus s) {
		return switch (s) {
		case VIOLATED -> new String[] { "#fee2e2", "#991b1b" };
		case PROVED -> new String[] { "#dcfce7", "#166534" };
		case SAFE_UP_TO_BOUND -> new String[] { "#e0f2fe", "#075985" };
		case UNKNOWN -> new String[] { "#fef9c3", "#854d0e" };
		case NONE -> new String[] { "#f3f4f6", INK };
		};
	}
}
