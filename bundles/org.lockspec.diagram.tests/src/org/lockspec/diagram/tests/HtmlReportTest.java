package org.lockspec.diagram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockspec.diagram.Diagrams;
import org.lockspec.diagram.HtmlReport;
import org.lockspec.tests.Examples;

/** The report tells an expected violation (amber, "expected") from an unexpected one (red). */
class HtmlReportTest {

	@Test
	void anUnannouncedViolationIsRedAndAnAnnouncedOneAmber(@TempDir Path dir) throws IOException {
		String seed = Files.readString(Examples.examplesDir().resolve("002-aer-sriov/buggy.lockspec"));
		String unannounced = seed.replaceFirst("\nexpect deadlock\n", "\n\n");
		assertTrue(!unannounced.equals(seed), "the seed announces its lock-order deadlock at the top level");
		Path spec = Files.writeString(dir.resolve("unannounced.lockspec"), unannounced);
		HtmlReport.Entry e = Seeds.proved(spec);
		Path out = dir.resolve("report");
		HtmlReport.write(List.of(e), out, Diagrams.Options.defaults().withBase(dir));
		String page = Files.readString(out.resolve("spec-pci.aer_sriov.buggy.html"));
		assertEquals("<span class=\"badge violated\">violated</span>", badgeOf(page, "v-lock_order"),
				"the deadlock no expect clause announces");
		assertEquals("<span class=\"badge violated expected\">violated (expected)</span>",
				badgeOf(page, "v-scenario-probe_vs_aer-deadlock"), "the scenario's announced deadlock");
		assertTrue(page.contains("tr class=\"verdict status-violated\" id=\"v-lock_order\""), page);
		assertTrue(page.contains("tr class=\"verdict status-violated expected\" id=\"v-scenario-probe_vs_aer-deadlock\""),
				page);
	}

	/** The verdict badge in the row of the verdicts table with the given anchor. */
	private static String badgeOf(String page, String anchor) {
		Matcher m = Pattern.compile("id=\"" + Pattern.quote(anchor) + "\"><td>[^<]*</td><td>(<span class=\"badge [^>]*>[^<]*</span>)")
				.matcher(page);
		assertTrue(m.find(), "no verdict row " + anchor);
		return m.group(1);
	}
}
