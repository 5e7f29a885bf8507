package org.lockspec.ui.build;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.CoreException;
import org.lockspec.verdict.Location;
import org.lockspec.verdict.SpecResult;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Verdict;
import org.lockspec.ui.Specs;
import org.lockspec.workspace.Problem;

/**
 * The Problems view's share of Lockspec: validation problems
 * ({@link #PROBLEM}, with the validator's issue code) and prover findings
 * ({@link #VERDICT}, with the obligation's id), at their lines.
 */
public final class Markers {

	/** Syntax, linking and validation problems; attribute {@link #CODE} is the issue code. */
	public static final String PROBLEM = "org.lockspec.ui.problem";
	/** Prover findings: violations, undecided obligations, expectations that did not come true. */
	public static final String VERDICT = "org.lockspec.ui.verdict";
	/** The issue code (org.lockspec.validation.IssueCodes) or the obligation id. */
	public static final String CODE = "code";
	/** The id of the verdict a {@link #VERDICT} marker shows ({@code lock_order}, {@code scenario s/deadlock}). */
	public static final String VERDICT_ID = "verdictId";

	private Markers() {
	}

	public static void problems(IFile file, String text, List<Problem> problems) throws CoreException {
		file.deleteMarkers(PROBLEM, false, IResource.DEPTH_ZERO);
		for (Problem p : problems) {
			int severity = switch (p.severity()) {
			case ERROR -> IMarker.SEVERITY_ERROR;
			case WARNING -> IMarker.SEVERITY_WARNING;
			default -> IMarker.SEVERITY_INFO;
			};
			create(file, PROBLEM, text, p.line(), p.column(), severity, p.message(), p.code(), null);
		}
	}

	public static void clearVerdicts(IFile file) throws CoreException {
		file.deleteMarkers(VERDICT, false, IResource.DEPTH_ZERO);
	}

	/** The prover's findings as markers, the way the language server shows them as diagnostics. */
	public static void verdicts(IFile file, String text, SpecResult result) throws CoreException {
		clearVerdicts(file);
		String here = file.getLocation() == null ? null : file.getLocation().toPath().toAbsolutePath().normalize().toString();
		for (Verdict v : result.verdicts()) {
			if (v.status() == Status.VIOLATED) {
				boolean expected = result.expected(v);
				marker(file, text, here, v.location(), expected ? IMarker.SEVERITY_INFO : IMarker.SEVERITY_ERROR,
						(expected ? "violated, as expected: " : "violated: ") + v.id() + ": " + v.message(),
						v.obligation().id(), v.id());
			} else if (v.status() == Status.UNKNOWN) {
				marker(file, text, here, v.location(), IMarker.SEVERITY_INFO, "undecided: " + v.id() + ": " + v.message(),
						v.obligation().id(), v.id());
			}
		}
		for (SpecResult.Expectation e : result.expectations()) {
			String scenario = e.scenario() == null ? "" : " (scenario " + e.scenario() + ")";
			switch (e.result()) {
			case NOT_MET -> marker(file, text, here, e.location(), IMarker.SEVERITY_WARNING,
					"not as expected: '" + e.text() + "'" + scenario + ": " + e.why(), "expectation_not_met", null);
			case UNKNOWN -> marker(file, text, here, e.location(), IMarker.SEVERITY_WARNING,
					"undecided: '" + e.text() + "'" + scenario + ": " + e.why(), "expectation_unknown", null);
			case MET -> {
				// as the spec says
			}
			}
		}
	}

	private static void marker(IFile file, String text, String here, Location at, int severity, String message,
			String code, String verdictId) throws CoreException {
		boolean local = at != null && here != null && pathEquals(at.file(), here);
		int line = local ? at.line() : 1;
		int column = local ? at.column() : 1;
		create(file, VERDICT, text, line, column, severity, local || at == null ? message : message + " (at " + at + ")",
				code, verdictId);
	}

	private static boolean pathEquals(String a, String b) {
		try {
			return java.nio.file.Path.of(a).toAbsolutePath().normalize().toString().equals(b);
		} catch (RuntimeException e) {
			return false;
		}
	}

	private static void create(IFile file, String type, String text, int line, int column, int severity, String message,
			String code, String verdictId) throws CoreException {
		int start = Specs.offset(text, line, column);
		int end = start + Specs.tokenLength(text, start);
		Map<String, Object> attrs = new HashMap<>();
		attrs.put(IMarker.LINE_NUMBER, line);
		attrs.put(IMarker.CHAR_START, start);
		attrs.put(IMarker.CHAR_END, Math.max(end, start));
		attrs.put(IMarker.SEVERITY, severity);
		attrs.put(IMarker.MESSAGE, message);
		attrs.put(IMarker.SOURCE_ID, "Lockspec");
		if (code != null) {
			attrs.put(CODE, code);
		}
		if (verdictId != null) {
			attrs.put(VERDICT_ID, verdictId);
		}
		file.createMarker(type, attrs);
	}
}
