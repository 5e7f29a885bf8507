package org.lockspec.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockspec.tests.Examples;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@code lockspec diagram} and {@code lockspec report}: files written, formats, exit codes, bad input. */
class DiagramCommandTest {

	static Path seed(String dir, String variant) {
		return Examples.examplesDir().resolve(dir).resolve(variant + ".lockspec");
	}

	static Document xml(Path f) throws Exception {
		DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
		dbf.setNamespaceAware(true);
		return dbf.newDocumentBuilder().parse(new ByteArrayInputStream(Files.readAllBytes(f)));
	}

	static int groups(Document d, String cls) {
		NodeList all = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "g");
		int n = 0;
		for (int i = 0; i < all.getLength(); i++) {
			if (List.of(((Element) all.item(i)).getAttribute("class").split(" ")).contains(cls)) {
				n++;
			}
		}
		return n;
	}

	@Test
	void lockGraphOfTheAerSriovDeadlockAsSvg(@TempDir Path dir) throws Exception {
		Path out = dir.resolve("sub/lockgraph.svg");
		Cli cli = Cli.run("diagram", seed("002-aer-sriov", "buggy").toString(), "--kind", "lockgraph", "--out", out.toString());
		assertEquals(0, cli.exit(), cli::toString);
		Document d = xml(out);
		assertEquals("svg", d.getDocumentElement().getLocalName());
		assertTrue(d.getDocumentElement().getAttribute("class").contains("status-violated"));
		assertEquals(2, groups(d, "lock-class"));
		assertEquals(2, groups(d, "in-cycle") - 2, "2 classes and 2 dependencies on the cycle");
		assertEquals(List.of(), leftovers(dir.resolve("sub")), "no temporary files left");
	}

	@Test
	void topologyAndTraceAsSvgAndXmi(@TempDir Path dir) throws Exception {
		Path spec = seed("003-eeh-pe", "buggy");
		Path topo = dir.resolve("t.svg");
		assertEquals(0, Cli.run("diagram", spec.toString(), "--kind", "topology", "--out", topo.toString()).exit());
		assertEquals(9, groups(xml(topo), "node"));
		Path trace = dir.resolve("t.xmi");
		Cli cli = Cli.run("diagram", spec.toString(), "--kind", "trace", "--obligation",
				"scenario report_vs_hot_remove/use_after_free", "--out", trace.toString());
		assertEquals(0, cli.exit(), cli::toString);
		String xmi = Files.readString(trace, StandardCharsets.UTF_8);
		assertTrue(xmi.contains("xmlns:diagram=\"http://lockspec.org/diagram/1\""), xmi);
		assertTrue(xmi.contains("diagram:Trace"), xmi);
		assertTrue(xmi.contains("failing=\"true\""), xmi);
		Document x = xml(trace);
		assertTrue(x.getElementsByTagName("steps").getLength() > 3);
		// the default trace is the first violated obligation's
		Path first = dir.resolve("first.svg");
		assertEquals(0, Cli.run("diagram", seed("002-aer-sriov", "buggy").toString(), "--kind", "trace", "--out", first.toString()).exit());
		assertTrue(Files.readString(first).contains("lock_order in pci.aer_sriov.buggy"));
	}

	@Test
	void badInputIsExitTwoAndWritesNothing(@TempDir Path dir) throws Exception {
		Path out = dir.resolve("x.svg");
		String buggy = seed("002-aer-sriov", "buggy").toString();
		String fixed = seed("002-aer-sriov", "fixed").toString();
		expectUsage(Cli.run("diagram", buggy, "--kind", "lockgraph", "--out", dir.resolve("x.png").toString()), ".svg or .xmi");
		expectUsage(Cli.run("diagram", buggy, "--kind", "pie", "--out", out.toString()), "--kind");
		expectUsage(Cli.run("diagram", buggy, "--kind", "lockgraph"), "--out");
		expectUsage(Cli.run("diagram", dir.resolve("missing.lockspec").toString(), "--kind", "lockgraph", "--out", out.toString()),
				"missing.lockspec");
		expectUsage(Cli.run("diagram", Examples.examplesDir().toString(), "--kind", "lockgraph", "--out", out.toString()),
				"not the directory");
		expectUsage(Cli.run("diagram", buggy, "--kind", "lockgraph", "--obligation", "nope", "--out", out.toString()),
				"has no lock-order obligation 'nope'; it has: lock_order");
		expectUsage(Cli.run("diagram", buggy, "--kind", "topology", "--obligation", "scenario nope/deadlock", "--out",
				out.toString()), "has no scenario 'nope'; it has: probe_vs_aer");
		expectUsage(Cli.run("diagram", fixed, "--kind", "trace", "--out", out.toString()), "no counterexample to draw");
		expectUsage(Cli.run("diagram", fixed, "--kind", "trace", "--obligation", "lock_order", "--out", out.toString()),
				"has no counterexample (it is proved)");
		Path bad = Files.writeString(dir.resolve("bad.lockspec"), "spec t.bad\nlock A : mutex\nop a() { lock A read }\n");
		Cli cli = Cli.run("diagram", bad.toString(), "--kind", "lockgraph", "--out", out.toString());
		expectUsage(cli, "bad.lockspec:3:17: error:");
		assertTrue(cli.err().contains("nothing was drawn"), cli::toString);
		assertFalse(Files.exists(out), "nothing written on bad input");
		assertEquals(List.of("bad.lockspec"), leftovers(dir));
	}

	private static void expectUsage(Cli cli, String message) {
		assertEquals(2, cli.exit(), cli::toString);
		assertTrue(cli.err().contains(message), () -> "expected '" + message + "' in\n" + cli);
		assertFalse(cli.err().contains("\tat "), () -> "no stack trace: " + cli);
	}

	private static List<String> leftovers(Path dir) throws Exception {
		try (var s = Files.list(dir)) {
			return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".svg")).sorted().toList();
		}
	}

	@Test
	void reportOfTheExamples(@TempDir Path dir) throws Exception {
		Path html = dir.resolve("report");
		Cli cli = Cli.run("report", Examples.examplesDir().toString(), "--html", html.toString());
		assertEquals(0, cli.exit(), cli::toString);
		assertTrue(cli.out().contains("index.html, " + Examples.all().size() + " spec pages and " + Examples.all().size()
				+ " source pages"), cli::toString);
		String index = Files.readString(html.resolve("index.html"));
		assertTrue(index.contains("spec-pci.aer_sriov.buggy.html"), index);
		assertTrue(index.contains(Examples.all().size() + " specs: " + Examples.all().size() + " as expected"), index);
		String page = Files.readString(html.resolve("spec-pci.aer_sriov.buggy.html"));
		assertTrue(page.contains("<figure class=\"diagram lockgraph\">"));
		assertTrue(page.contains("<figure class=\"diagram trace\">"));
		assertTrue(page.contains("Cited source lines"));
		assertFalse(page.contains("<script"), "no JavaScript");
		assertFalse(page.matches("(?s).*(src|href)=\"[a-z]+://.*"), "no network");
		Path file = Files.writeString(dir.resolve("file"), "x");
		expectUsage(Cli.run("report", Examples.examplesDir().toString(), "--html", file.toString()), "must name a directory");
	}

	@Test
	void reportExitCodeFollowsProve(@TempDir Path dir) throws Exception {
		Path f = Files.writeString(dir.resolve("abba.lockspec"), ProveCommandTest.ABBA);
		Cli cli = Cli.run("report", f.toString(), "--html", dir.resolve("r").toString());
		assertEquals(1, cli.exit(), cli::toString);
		String page = Files.readString(dir.resolve("r/spec-t.abba.html"));
		assertTrue(page.contains("class=\"badge outcome unexpected\""), page);
		assertTrue(page.contains("in-cycle"), "the ABBA cycle is drawn");
	}
}
