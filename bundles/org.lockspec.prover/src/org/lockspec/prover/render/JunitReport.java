package org.lockspec.prover.render;

import java.util.List;

import org.lockspec.verdict.SpecResult;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Verdict;

/**
 * JUnit XML for CI: a test suite per spec, a test case per obligation. A case
 * fails when its verdict is not what the spec expects (an unannounced violation),
 * errors when undecided, and an expectation that did not come true is a failing
 * case of its own.
 */
public final class JunitReport {

	private JunitReport() {
	}

	public static String render(List<SpecResult> results) {
		StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
		int tests = 0;
		int failures = 0;
		int errors = 0;
		StringBuilder suites = new StringBuilder();
		for (SpecResult r : results) {
			int t = 0;
			int f = 0;
			int e = 0;
			StringBuilder cases = new StringBuilder();
			for (Verdict v : r.verdicts()) {
				t++;
				cases.append("    <testcase classname=\"").append(esc(r.spec())).append("\" name=\"").append(esc(v.id()))
						.append("\">");
				boolean unexpected = r.unexpected(v);
				if (unexpected) {
					f++;
					cases.append("\n      <failure message=\"").append(esc(v.message())).append("\" type=\"")
							.append(v.obligation().id()).append("\">").append(esc(v.location() + ": " + v.message()))
							.append(trace(v)).append("</failure>\n    ");
				} else if (v.status() == Status.UNKNOWN) {
					e++;
					cases.append("\n      <error message=\"").append(esc(v.message())).append("\" type=\"unknown\"/>\n    ");
				} else {
					cases.append("\n      <system-out>").append(esc(v.status().label() + ": " + v.message()))
							.append("</system-out>\n    ");
				}
				cases.append("</testcase>\n");
			}
			for (SpecResult.Expectation x : r.expectations()) {
				t++;
				cases.append("    <testcase classname=\"").append(esc(r.spec())).append("\" name=\"")
						.append(esc(x.text() + (x.scenario() == null ? "" : " (scenario " + x.scenario() + ")"))).append("\">");
				switch (x.result()) {
				case NOT_MET -> {
					f++;
					cases.append("\n      <failure message=\"").append(esc(x.why())).append("\" type=\"expectation\"/>\n    ");
				}
				case UNKNOWN -> {
					e++;
					cases.append("\n      <error message=\"").append(esc(x.why())).append("\" type=\"unknown\"/>\n    ");
				}
				case MET -> cases.append("");
				}
				cases.append("</testcase>\n");
			}
			suites.append("  <testsuite name=\"").append(esc(r.spec())).append("\" tests=\"").append(t)
					.append("\" failures=\"").append(f).append("\" errors=\"").append(e).append("\" skipped=\"0\">\n")
					.append(cases).append("  </testsuite>\n");
			tests += t;
			failures += f;
			errors += e;
		}
		sb.append("<testsuites name=\"lockspec\" tests=\"").append(tests).append("\" failures=\"").append(failures)
				.append("\" errors=\"").append(errors).append("\">\n").append(suites).append("</testsuites>\n");
		return sb.toString();
	}

	private static String trace(Verdict v) {
		if (v.trace() == null) {
			return "";
		}
		return esc("\n" + String.join("\n", TextReport.columns(v.trace())));
	}

	static String esc(String s) {
		StringBuilder sb = new StringBuilder();
		for (char c : s.toCharArray()) {
			switch (c) {
			case '<' -> sb.append("&lt;");
			case '>' -> sb.append("&gt;");
			case '&' -> sb.append("&amp;");
			case '"' -> sb.append("&quot;");
			default -> {
				if (c >= 0x20 || c == '\n' || c == '\t') {
					sb.append(c);
				}
			}
			}
		}
		return sb.toString();
	}
}
