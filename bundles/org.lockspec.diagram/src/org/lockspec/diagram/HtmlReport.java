package org.lockspec.diagram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.lockspec.diagram.model.Diagram;
import org.lockspec.diagram.model.LockGraph;
import org.lockspec.diagram.model.Topology;
import org.lockspec.diagram.model.Trace;
import org.lockspec.model.Spec;
import org.lockspec.verdict.Location;
import org.lockspec.verdict.SpecResult;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Verdict;

/**
 * The proof report as static HTML: {@code index.html} lists every spec and
 * obligation with its verdict; a page per spec shows its verdicts and
 * expectations, the lock graph, each scenario's topology, and every
 * counterexample as a timeline (SVG, and a table) with the source lines it
 * cites. Every source line a page cites ({@code l.27}, {@code file:40:3})
 * links to a source page of its file, a line anchor per line
 * ({@code source-spec-examples_002-aer-sriov_buggy.lockspec.html#L27}). A
 * violation the spec's {@code expect} clauses announce is marked "expected",
 * in amber, apart from the red of an unexpected one. Diagrams are inline SVG
 * and the style sheet is inline: the pages need no network and no JavaScript.
 * Every file is written atomically.
 */
public final class HtmlReport {

	/** A spec and its verdicts. */
	public record Entry(Spec spec, SpecResult result) {
	}

	private final Diagrams.Options options;
	private final Sources sources;
	/** The source pages the pages link to: file (relative to the base) to page name. */
	private final Map<String, String> sourcePages = new TreeMap<>();
	private int ids;

	private HtmlReport(Diagrams.Options options) {
		this.options = options;
		this.sources = new Sources(options.base());
	}

	/**
	 * Writes the report into {@code dir} (created if needed); returns the files
	 * written: the index, the spec pages, then the source pages they link to.
	 */
	public static List<Path> write(List<Entry> entries, Path dir, Diagrams.Options options) throws IOException {
		Files.createDirectories(dir);
		HtmlReport r = new HtmlReport(options);
		List<String> pages = pageNames(entries);
		List<Path> written = new ArrayList<>();
		written.add(dir.resolve("index.html"));
		writeAtomically(written.get(0), r.index(entries, pages));
		for (int i = 0; i < entries.size(); i++) {
			Path p = dir.resolve(pages.get(i));
			writeAtomically(p, r.specPage(entries.get(i)));
			written.add(p);
		}
		for (Map.Entry<String, String> source : r.sourcePages.entrySet()) {
			Path p = dir.resolve(source.getValue());
			writeAtomically(p, r.sourcePage(source.getKey()));
			written.add(p);
		}
		return written;
	}

	static List<String> pageNames(List<Entry> entries) {
		List<String> names = new ArrayList<>();
		Set<String> used = new HashSet<>();
		for (Entry e : entries) {
			String base = "spec-" + e.result().spec().replaceAll("[^A-Za-z0-9._-]", "_");
			String n = base + ".html";
			for (int k = 2; !used.add(n); k++) {
				n = base + "-" + k + ".html";
			}
			names.add(n);
		}
		return names;
	}

	// ------------------------------------------------------------------ index

	private String index(List<Entry> entries, List<String> pages) {
		StringBuilder b = new StringBuilder();
		head(b, "Lockspec proof report");
		int ok = 0;
		int bad = 0;
		int unknown = 0;
		for (Entry e : entries) {
			switch (e.result().outcome()) {
			case AS_EXPECTED -> ok++;
			case UNEXPECTED -> bad++;
			case UNKNOWN -> unknown++;
			}
		}
		b.append("<h1>Lockspec proof report</h1>\n");
		b.append("<p class=\"summary\">").append(entries.size()).append(entries.size() == 1 ? " spec: " : " specs: ")
				.append(ok).append(" as expected, ").append(bad).append(" unexpected, ").append(unknown)
				.append(" undecided.</p>\n");
		b.append("<table class=\"specs\">\n<thead><tr><th>spec</th><th>obligation</th><th>verdict</th><th>what was found</th></tr></thead>\n");
		for (int i = 0; i < entries.size(); i++) {
			SpecResult r = entries.get(i).result();
			List<Verdict> vs = r.verdicts();
			b.append("<tbody class=\"spec outcome-").append(outcome(r)).append("\" id=\"").append(esc(pages.get(i)))
					.append("\">\n<tr class=\"spec-row\"><th colspan=\"4\"><a href=\"").append(esc(pages.get(i))).append("\">")
					.append(esc(r.spec())).append("</a> <span class=\"file\">").append(esc(rel(r.file())))
					.append("</span> ").append(outcomeBadge(r)).append("</th></tr>\n");
			for (Verdict v : vs) {
				b.append("<tr class=\"verdict ").append(statusClasses(r, v)).append("\"><td></td><td><a href=\"")
						.append(esc(pages.get(i))).append("#").append(anchor(v)).append("\">").append(esc(v.id()))
						.append("</a></td><td>").append(badge(r, v)).append("</td><td>").append(esc(v.message()))
						.append("</td></tr>\n");
			}
			b.append("</tbody>\n");
		}
		b.append("</table>\n");
		tail(b);
		return b.toString();
	}

	// -------------------------------------------------------------- spec page

	private String specPage(Entry e) {
		Spec spec = e.spec();
		SpecResult r = e.result();
		StringBuilder b = new StringBuilder();
		head(b, "spec " + r.spec());
		b.append("<p class=\"nav\"><a href=\"index.html\">← all specs</a></p>\n");
		b.append("<h1>spec ").append(esc(r.spec())).append("</h1>\n<p class=\"file\">")
				.append(sourceLink(rel(r.file()), 0, rel(r.file()))).append(" ").append(outcomeBadge(r)).append("</p>\n");

		b.append("<h2>Verdicts</h2>\n<table class=\"verdicts\">\n<thead><tr><th>obligation</th><th>verdict</th><th>what was found</th><th>at</th></tr></thead>\n<tbody>\n");
		for (Verdict v : r.verdicts()) {
			b.append("<tr class=\"verdict ").append(statusClasses(r, v)).append("\" id=\"").append(anchor(v))
					.append("\"><td>").append(esc(v.id())).append("</td><td>").append(badge(r, v)).append("</td><td>")
					.append(esc(v.message()));
			if (v.trace() != null && v.status() != Status.PROVED) {
				b.append(" <a href=\"#cx-").append(anchor(v)).append("\">counterexample</a>");
			}
			b.append("</td><td>").append(v.status().holds() ? "" : at(v.location())).append("</td></tr>\n");
		}
		b.append("</tbody></table>\n");
		if (!r.expectations().isEmpty() || !r.unannounced().isEmpty()) {
			b.append("<h2>Expectations</h2>\n<ul class=\"expectations\">\n");
			for (SpecResult.Expectation x : r.expectations()) {
				b.append("<li class=\"expectation ").append(x.result().name().toLowerCase(java.util.Locale.ROOT))
						.append("\"><code>").append(esc(x.text())).append("</code>")
						.append(x.scenario() == null ? "" : " (scenario " + esc(x.scenario()) + ")").append(" — ")
						.append(x.result() == SpecResult.Expectation.Result.MET ? "met"
								: x.result() == SpecResult.Expectation.Result.UNKNOWN ? "undecided" : "<strong>not met</strong>")
						.append(": ").append(esc(x.why())).append("</li>\n");
			}
			for (Verdict u : r.unannounced()) {
				b.append("<li class=\"unannounced\"><strong>unexpected:</strong> ").append(esc(u.headline())).append("</li>\n");
			}
			b.append("</ul>\n");
		}

		LockGraph g = Diagrams.lockGraph(spec, r.verdicts(), null, options);
		b.append("<h2>Lock graph</h2>\n");
		figure(b, g, "Lock classes and the order they are taken in (an arrow A → B: B is taken while A is held)."
				+ (g.getCycles().isEmpty() ? "" : " In red: the cycle of a violated lock-order obligation."));

		List<Topology> tops = Diagrams.topologies(spec, r.verdicts(), options);
		if (!tops.isEmpty()) {
			b.append("<h2>Scenarios</h2>\n");
			for (Topology t : tops) {
				b.append("<h3 id=\"scenario-").append(esc(t.getScenario())).append("\">scenario ")
						.append(esc(t.getScenario())).append("</h3>\n");
				figure(b, t, "The objects as the scenario starts: list members under their owners, references (dashed) to "
						+ "the objects they name, threads (dotted) to their arguments; in red what a failing step names.");
			}
		}

		List<Verdict> traced = new ArrayList<>();
		for (Verdict v : r.verdicts()) {
			if (v.trace() != null && v.status() != Status.PROVED && v.status() != Status.SAFE_UP_TO_BOUND) {
				traced.add(v);
			}
		}
		if (!traced.isEmpty()) {
			b.append("<h2>Counterexamples</h2>\n");
			for (Verdict v : traced) {
				Trace t = Diagrams.trace(spec, v, options);
				b.append("<section class=\"counterexample\" id=\"cx-").append(anchor(v)).append("\">\n<h3>")
						.append(esc(v.id())).append(" ").append(badge(r, v)).append("</h3>\n<p>").append(esc(v.message()))
						.append("<br><span class=\"file\">at ").append(at(v.location())).append("</span></p>\n");
				figure(b, t, "A column per CPU, a row per step in the order they happen; amber: the CPU waits; red: the "
						+ "step where the obligation fails.");
				timelineTable(b, t);
				cited(b, t);
				b.append("</section>\n");
			}
		}
		tail(b);
		return b.toString();
	}

	private void figure(StringBuilder b, Diagram d, String caption) {
		b.append("<figure class=\"diagram ").append(d.getKind().getLiteral()).append("\">\n");
		b.append(Svg.render(d, "d" + (++ids)));
		b.append("<figcaption>").append(esc(caption)).append("</figcaption>\n</figure>\n");
	}

	/** The timeline as a table too: readable where SVG is not shown, and searchable; each line links to its source. */
	private void timelineTable(StringBuilder b, Trace t) {
		b.append("<table class=\"timeline\">\n<thead><tr><th>line</th>");
		for (var l : t.getLanes()) {
			b.append("<th>").append(esc(l.getCpu())).append("<br><span class=\"runs\">").append(esc(l.getRuns()))
					.append("</span></th>");
		}
		b.append("</tr></thead>\n<tbody>\n");
		for (var s : t.getSteps()) {
			b.append("<tr class=\"step").append(s.isBlocked() ? " blocked" : "").append(s.isFailing() ? " failing" : "")
					.append("\"><td class=\"line\">").append(s.getAt() == null ? ""
							: sourceLink(s.getAt().getFile(), s.getAt().getLine(), "l." + s.getAt().getLine()))
					.append("</td>");
			for (var l : t.getLanes()) {
				b.append("<td>");
				if (s.getLane() == l) {
					b.append("<code>").append(esc(Layout.stepText(s))).append("</code>");
				}
				b.append("</td>");
			}
			b.append("</tr>\n");
		}
		b.append("</tbody></table>\n");
		if (t.getOutcome() != null) {
			b.append("<p class=\"outcome\">*** ").append(esc(t.getOutcome())).append(" ***</p>\n");
		}
		if (t.getNotes().size() > 1) {
			b.append("<ul class=\"notes\">\n");
			for (String n : t.getNotes().subList(1, t.getNotes().size())) {
				b.append("<li>").append(esc(n)).append("</li>\n");
			}
			b.append("</ul>\n");
		}
	}

	/** The source lines the counterexample cites, in file and line order, the blocked and failing ones marked. */
	private void cited(StringBuilder b, Trace t) {
		TreeMap<String, TreeMap<Integer, String>> lines = new TreeMap<>();
		TreeMap<String, TreeMap<Integer, String>> marks = new TreeMap<>();
		for (var s : t.getSteps()) {
			if (s.getAt() == null || s.getAt().getLine() < 1) {
				continue;
			}
			lines.computeIfAbsent(s.getAt().getFile(), k -> new TreeMap<>()).put(s.getAt().getLine(),
					s.getAt().getText() == null ? "" : s.getAt().getText());
			String mark = s.isFailing() ? "failing" : s.isBlocked() ? "blocked" : null;
			if (mark != null) {
				marks.computeIfAbsent(s.getAt().getFile(), k -> new TreeMap<>()).merge(s.getAt().getLine(), mark,
						(a, c) -> a.equals("failing") ? a : c);
			}
		}
		if (lines.isEmpty()) {
			return;
		}
		b.append("<h4>Cited source lines</h4>\n");
		for (var f : lines.entrySet()) {
			b.append("<pre class=\"source\" data-file=\"").append(esc(f.getKey())).append("\"><span class=\"file\">")
					.append(sourceLink(f.getKey(), 0, f.getKey())).append("</span>\n");
			for (var l : f.getValue().entrySet()) {
				String mark = marks.getOrDefault(f.getKey(), new TreeMap<>()).get(l.getKey());
				b.append("<span class=\"cited").append(mark == null ? "" : " " + mark).append("\">")
						.append(sourceLink(f.getKey(), l.getKey(), String.format("%5d", l.getKey()))).append("  ")
						.append(esc(l.getValue())).append("</span>\n");
			}
			b.append("</pre>\n");
		}
	}

	// ------------------------------------------------------------ source page

	/**
	 * A link to line {@code line} (0: the top) of {@code file}'s source page, or
	 * the plain label when the file cannot be read.
	 */
	private String sourceLink(String file, int line, String label) {
		if (file == null || sources.lines(file) == null) {
			return esc(label);
		}
		String page = sourcePages.computeIfAbsent(file, this::sourcePageName);
		return "<a class=\"src\" href=\"" + esc(page) + (line > 0 ? "#" + lineAnchor(line) : "") + "\">" + esc(label)
				+ "</a>";
	}

	private String sourcePageName(String file) {
		String base = "source-" + file.replaceAll("[^A-Za-z0-9._-]", "_");
		String n = base + ".html";
		for (int k = 2; sourcePages.containsValue(n); k++) {
			n = base + "-" + k + ".html";
		}
		return n;
	}

	static String lineAnchor(int line) {
		return "L" + line;
	}

	/** {@code file} line by line, each line an anchor ({@code #L12}) that the browser highlights when it is the target. */
	private String sourcePage(String file) {
		StringBuilder b = new StringBuilder();
		head(b, file);
		b.append("<p class=\"nav\"><a href=\"index.html\">← all specs</a></p>\n<h1 class=\"file\">")
				.append(esc(file)).append("</h1>\n<pre class=\"listing\">");
		List<String> lines = sources.lines(file);
		int width = String.valueOf(lines.size()).length();
		for (int n = 1; n <= lines.size(); n++) {
			String id = lineAnchor(n);
			b.append("<span class=\"line\" id=\"").append(id).append("\"><a class=\"ln\" href=\"#").append(id)
					.append("\">").append(String.format("%" + width + "d", n)).append("</a>  ")
					.append(esc(lines.get(n - 1))).append("</span>\n");
		}
		b.append("</pre>\n");
		tail(b);
		return b.toString();
	}

	// ---------------------------------------------------------------- helpers

	private static void head(StringBuilder b, String title) {
		b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").append(esc(title))
				.append("</title>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<style>\n")
				.append(CSS).append("</style>\n</head>\n<body>\n");
	}

	private static void tail(StringBuilder b) {
		b.append("<footer>Generated by lockspec report.</footer>\n</body>\n</html>\n");
	}

	private String rel(String file) {
		return Location.relative(file, options.base());
	}

	/** {@code file:line:col}, linked to the line. */
	private String at(Location l) {
		return l == null ? "" : sourceLink(sources.relative(l.file()), l.line(), l.toString(options.base()));
	}

	static String anchor(Verdict v) {
		return "v-" + v.id().replaceAll("[^A-Za-z0-9_-]", "-");
	}

	private static String cls(Status s) {
		return s.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
	}

	private static String badge(Status s) {
		return "<span class=\"badge " + cls(s) + "\">" + esc(s.label()) + "</span>";
	}

	/** A verdict's badge: a violation the spec announces says "expected", in amber. */
	private static String badge(SpecResult r, Verdict v) {
		return expected(r, v)
				? "<span class=\"badge " + cls(v.status()) + " expected\">" + esc(v.status().label()) + " (expected)</span>"
				: badge(v.status());
	}

	private static String statusClasses(SpecResult r, Verdict v) {
		return "status-" + cls(v.status()) + (expected(r, v) ? " expected" : "");
	}

	/** A violation that an {@code expect} clause announces (the prover lists the others as unannounced). */
	static boolean expected(SpecResult r, Verdict v) {
		return r.expected(v);
	}

	private static String outcome(SpecResult r) {
		return r.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
	}

	private static String outcomeBadge(SpecResult r) {
		String label = switch (r.outcome()) {
		case AS_EXPECTED -> "as expected";
		case UNEXPECTED -> "unexpected";
		case UNKNOWN -> "undecided";
		};
		return "<span class=\"badge outcome " + outcome(r) + "\">" + label + "</span>";
	}

	static String esc(String s) {
		return Text.xml(s);
	}

	static void writeAtomically(Path target, String content) throws IOException {
		org.lockspec.workspace.AtomicFiles.write(target, content);
	}

	private static final String CSS = """
			body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2933; margin: 1.5em auto; max-width: 1400px; padding: 0 1em; line-height: 1.4; }
			h1 { font-size: 1.6em; margin-bottom: .2em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #e5e7eb; }
			code, pre, .file { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .92em; }
			.file { color: #6b7280; }
			table { border-collapse: collapse; width: 100%; margin: .5em 0; }
			th, td { text-align: left; vertical-align: top; padding: .3em .5em; border-bottom: 1px solid #f0f0f0; }
			tr.spec-row th { background: #f9fafb; padding-top: .8em; font-size: 1.05em; }
			.badge { display: inline-block; padding: 0 .5em; border-radius: .8em; font-size: .85em; white-space: nowrap; font-weight: 600; }
			.badge.proved, .badge.as-expected { background: #dcfce7; color: #166534; }
			.badge.safe-up-to-bound { background: #e0f2fe; color: #075985; }
			.badge.violated, .badge.unexpected { background: #fee2e2; color: #991b1b; }
			.badge.violated.expected { background: #fef3c7; color: #92400e; }
			.badge.unknown { background: #fef9c3; color: #854d0e; }
			figure.diagram { margin: 1em 0; overflow-x: auto; border: 1px solid #e5e7eb; border-radius: 6px; padding: .5em; }
			figure.diagram svg { display: block; max-width: none; }
			figcaption { color: #6b7280; font-size: .9em; margin-top: .4em; }
			table.timeline td, table.timeline th { border: 1px solid #e5e7eb; }
			table.timeline tr.blocked td { background: #fef3c7; }
			table.timeline tr.failing td { background: #fee2e2; font-weight: 600; }
			table.timeline td.line { color: #6b7280; width: 4em; }
			.runs { color: #6b7280; font-weight: normal; font-size: .9em; }
			.outcome { color: #c62828; font-weight: 700; font-family: monospace; }
			pre.source { background: #f9fafb; border: 1px solid #e5e7eb; padding: .5em; overflow-x: auto; }
			pre.source .blocked { background: #fef3c7; display: inline-block; min-width: 100%; }
			pre.source .failing { background: #fee2e2; display: inline-block; min-width: 100%; font-weight: 700; }
			li.not_met, li.unannounced { color: #991b1b; }
			a.src { color: inherit; text-decoration: underline dotted; }
			pre.listing { line-height: 1.35; }
			pre.listing .line:target { background: #fef3c7; display: inline-block; min-width: 100%; }
			pre.listing a.ln { color: #9ca3af; text-decoration: none; }
			footer { margin-top: 3em; color: #9ca3af; font-size: .85em; }
			""";
}
