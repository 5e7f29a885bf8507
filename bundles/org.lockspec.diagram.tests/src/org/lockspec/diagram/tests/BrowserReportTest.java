package org.lockspec.diagram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lockspec.diagram.HtmlReport;
import org.lockspec.diagram.Svg;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Verdict;
import org.lockspec.tests.Examples;

/**
 * The HTML report of every seed, opened in a real browser: headless Chromium
 * (Debian package {@code chromium}; {@code LOCKSPEC_CHROMIUM} names another
 * binary) with no network. The DOM Chromium builds must hold every spec and
 * verdict and every diagram; the screenshot of the seed 002 deadlock page
 * (kept as target/screenshots/002-aer-sriov-buggy.png for review) must show the
 * red cycle, so the SVG was really drawn. Every source link of that page
 * ({@code l.27}, {@code file:40:3}) must reach a line of the source page that
 * holds the text the counterexample cites (the seed 002 page above shows them:
 * its timelines' l.NN cells); the source page is kept as
 * target/screenshots/002-aer-sriov-buggy-source.png.
 */
class BrowserReportTest {

	private static Path report;
	private static List<HtmlReport.Entry> entries;
	private static Path profile;

	@BeforeAll
	static void writeReport() throws IOException {
		entries = new ArrayList<>();
		for (Path spec : Examples.all()) {
			entries.add(Seeds.proved(spec));
		}
		report = Seeds.target().resolve("report");
		// a fresh directory: a file the report replaces keeps its permissions (reportFilesAreReadableAsAnyNewFile)
		if (Files.isDirectory(report)) {
			try (Stream<Path> old = Files.walk(report)) {
				for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
					Files.delete(p);
				}
			}
		}
		HtmlReport.write(entries, report, Seeds.options());
		profile = Files.createTempDirectory("lockspec-chromium-");
	}

	@AfterAll
	static void removeProfile() throws IOException {
		if (profile != null) {
			try (Stream<Path> s = Files.walk(profile)) {
				s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
			}
		}
	}

	@Test
	void indexListsEverySpecAndObligation() throws Exception {
		String dom = chromium("--dump-dom", report.resolve("index.html").toUri().toString());
		assertEquals(entries.size(), count(dom, "<tbody class=\"spec "), dom);
		int verdicts = entries.stream().mapToInt(e -> e.result().verdicts().size()).sum();
		assertEquals(verdicts, count(dom, "<tr class=\"verdict "), "a row per obligation");
		for (HtmlReport.Entry e : entries) {
			assertTrue(dom.contains(">" + e.result().spec() + "</a>"), e.result().spec());
		}
		assertTrue(dom.contains(entries.size() + " specs: " + entries.size() + " as expected"), dom);
	}

	@Test
	void specPageOfTheAerSriovDeadlockShowsItsDiagrams() throws Exception {
		HtmlReport.Entry e = Seeds.proved(Examples.examplesDir().resolve("002-aer-sriov/buggy.lockspec"));
		Path page = report.resolve("spec-pci.aer_sriov.buggy.html");
		assertTrue(Files.exists(page), page.toString());
		String dom = chromium("--dump-dom", page.toUri().toString());
		long traced = e.result().verdicts().stream()
				.filter(v -> v.trace() != null && v.status() == Status.VIOLATED).count();
		assertEquals(2, traced, "lock order and the scenario's deadlock");
		assertEquals(1, count(dom, "<figure class=\"diagram lockgraph\">"));
		assertEquals(1, count(dom, "<figure class=\"diagram topology\">"));
		assertEquals(traced, count(dom, "<figure class=\"diagram trace\">"));
		assertEquals(2 + traced, count(dom, "<svg "), "every figure holds its SVG");
		assertEquals(2, count(dom, "class=\"node lock-class "), "PciDev.dev_lock and pci_bus_sem");
		assertEquals(2, count(dom, "class=\"edge dependency in-cycle"), "the cycle's two dependencies");
		assertTrue(count(dom, "class=\"node step blocked") >= 2, "the waiting CPUs are marked");
		assertTrue(dom.contains("Cited source lines"));
		for (Verdict v : e.result().verdicts()) {
			assertTrue(dom.contains(v.id()), v.id());
		}

		Path shot = Seeds.target().resolve("screenshots/002-aer-sriov-buggy.png");
		Files.createDirectories(shot.getParent());
		Files.deleteIfExists(shot);
		chromium("--screenshot=" + shot, "--window-size=1400,3000", page.toUri().toString());
		assertTrue(Files.size(shot) > 10_000, "a screenshot of the page");
		BufferedImage img = ImageIO.read(shot.toFile());
		assertEquals(1400, img.getWidth());
		int red = 0;
		int cycle = Integer.parseInt(Svg.RED.substring(1), 16);
		for (int y = 0; y < img.getHeight(); y++) {
			for (int x = 0; x < img.getWidth(); x++) {
				if (close(img.getRGB(x, y), cycle)) {
					red++;
				}
			}
		}
		assertTrue(red > 200, "the red cycle is drawn in the browser (" + red + " red pixels)");
	}

	@Test
	void sourceLinksReachTheLinesTheyCite() throws Exception {
		HtmlReport.Entry e = Seeds.proved(Examples.examplesDir().resolve("002-aer-sriov/buggy.lockspec"));
		Path page = report.resolve("spec-pci.aer_sriov.buggy.html");
		String dom = chromium("--dump-dom", page.toUri().toString());
		Matcher link = Pattern.compile("<a class=\"src\" href=\"([^\"#]+)(?:#L(\\d+))?\">([^<]*)</a>").matcher(dom);
		Map<String, String> pages = new HashMap<>();
		int lineLinks = 0;
		int stepLinks = 0;
		while (link.find()) {
			String target = link.group(1);
			assertTrue(Files.isRegularFile(report.resolve(target)), "a link to a missing page: " + link.group());
			String source = pages.computeIfAbsent(target, t -> dumpDom(report.resolve(t)));
			if (link.group(2) == null) {
				continue;
			}
			int line = Integer.parseInt(link.group(2));
			Matcher anchor = Pattern.compile("<span class=\"line\" id=\"L" + line + "\"><a class=\"ln\" href=\"#L" + line
					+ "\">\\s*" + line + "</a>  ([^\n]*)</span>").matcher(source);
			assertTrue(anchor.find(), "no anchor L" + line + " in " + target + " for " + link.group());
			lineLinks++;
			if (link.group(3).equals("l." + line)) {
				stepLinks++;
			}
		}
		assertEquals(Set.of("source-spec-examples_002-aer-sriov_buggy.lockspec.html"), pages.keySet(),
				"one source page, of the spec's file");
		int steps = count(dom, "<tr class=\"step");
		assertTrue(steps > 0, "the page has timelines");
		assertEquals(steps, stepLinks, "every l.NN cell of the timelines is a link");
		assertTrue(lineLinks > stepLinks, "the verdicts' file:line:col and the cited source lines link too");

		// the deadlock's waiting step, l.40, leads to 'lock pci_bus_sem write'
		String source = pages.values().iterator().next();
		Matcher l40 = Pattern.compile("id=\"L40\"><a class=\"ln\" href=\"#L40\">40</a>  ([^<]*)</span>").matcher(source);
		assertTrue(l40.find() && l40.group(1).strip().equals("lock pci_bus_sem write"), source);

		// expected violations are amber and say so; nothing on this page is an unexpected red
		assertEquals(4, count(dom, "<span class=\"badge violated expected\">violated (expected)</span>"),
				"the two violations, in the verdicts table and over their counterexamples");
		assertEquals(0, count(dom, "<span class=\"badge violated\">"), "no violation here is unexpected");

		// the source page as the browser draws it (headless Chromium draws nothing for a URL with a fragment)
		Path shot = Seeds.target().resolve("screenshots/002-aer-sriov-buggy-source.png");
		Files.createDirectories(shot.getParent());
		Files.deleteIfExists(shot);
		chromium("--screenshot=" + shot, "--window-size=1000,1400", report.resolve(pages.keySet().iterator().next()).toUri()
				.toString());
		BufferedImage img = ImageIO.read(shot.toFile());
		int ink = 0;
		for (int y = 0; y < img.getHeight(); y++) {
			for (int x = 0; x < img.getWidth(); x++) {
				if ((img.getRGB(x, y) & 0xffffff) < 0x808080) {
					ink++;
				}
			}
		}
		assertTrue(ink > 5_000, "the source text is drawn (" + ink + " dark pixels)");
	}

	@Test
	void reportFilesAreReadableAsAnyNewFile() throws IOException {
		Path plain = Files.createTempFile(report, "plain", ".html");
		Files.delete(plain);
		Files.createFile(plain);
		String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(plain));
		Files.delete(plain);
		try (Stream<Path> s = Files.list(report)) {
			for (Path f : s.toList()) {
				assertEquals(mode, PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
			}
		}
	}

	private static String dumpDom(Path page) {
		try {
			return chromium("--dump-dom", page.toUri().toString());
		} catch (Exception ex) {
			throw new AssertionError("Chromium could not open " + page, ex);
		}
	}

	private static boolean close(int rgb, int want) {
		for (int shift = 0; shift <= 16; shift += 8) {
			if (Math.abs((rgb >> shift & 0xff) - (want >> shift & 0xff)) > 12) {
				return false;
			}
		}
		return true;
	}

	private static int count(String s, String what) {
		Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
		int n = 0;
		while (m.find()) {
			n++;
		}
		return n;
	}

	/** Runs headless Chromium without network; returns what it printed on stdout. */
	static String chromium(String... args) throws Exception {
		List<String> cmd = new ArrayList<>(List.of(browser(), "--headless", "--no-sandbox", "--disable-gpu",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--disable-extensions", "--host-resolver-rules=MAP * ~NOTFOUND",
				"--proxy-server=127.0.0.1:9", "--user-data-dir=" + profile, "--hide-scrollbars"));
		cmd.addAll(List.of(args));
		Path err = Files.createTempFile("lockspec-chromium-", ".err");
		Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
		p.getOutputStream().close();
		byte[] out = p.getInputStream().readAllBytes();
		if (!p.waitFor(120, TimeUnit.SECONDS)) {
			p.destroyForcibly();
			fail("Chromium did not finish in 120 s: " + String.join(" ", cmd));
		}
		String stderr = Files.readString(err);
		Files.deleteIfExists(err);
		assertEquals(0, p.exitValue(), () -> "Chromium failed: " + String.join(" ", cmd) + "\n" + stderr);
		return new String(out, StandardCharsets.UTF_8);
	}

	private static String browser() {
		String env = System.getenv("LOCKSPEC_CHROMIUM");
		if (env != null && !env.isBlank()) {
			if (!Files.isExecutable(Path.of(env))) {
				fail("LOCKSPEC_CHROMIUM=" + env + " is not an executable file");
			}
			return env;
		}
		List<String> tried = new ArrayList<>();
		String path = System.getenv("PATH");
		List<Path> candidates = new ArrayList<>(List.of(Path.of("/usr/bin/chromium")));
		if (path != null) {
			for (String dir : path.split(File.pathSeparator)) {
				if (!dir.isEmpty()) {
					candidates.add(Path.of(dir, "chromium"));
				}
			}
		}
		for (Path c : candidates) {
			tried.add(c.toString());
			if (Files.isExecutable(c)) {
				return c.toString();
			}
		}
		fail("this test opens the HTML report in headless Chromium, which is not installed: install the Debian package "
				+ "'chromium' (apt-get install chromium), or set LOCKSPEC_CHROMIUM to a Chromium binary (looked for "
				+ String.join(", ", tried) + ")");
		return null;
	}
}
