package org.lockspec.cli;

import java.io.PrintWriter;
import java.util.List;

import org.lockspec.workspace.Problem;
import org.lockspec.workspace.SpecSet;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/** Renderings of results: text for people, versioned JSON for tools. */
final class Reports {

	/** Version of the JSON documents; bump on any incompatible change. */
	static final int JSON_VERSION = 1;
	/** Text lines shown per file before the rest is summarised. */
	static final int TEXT_LIMIT_PER_FILE = 100;

	private Reports() {
	}

	static void checkText(List<SpecSet.FileResult> results, PrintWriter out) {
		for (SpecSet.FileResult r : results) {
			int shown = 0;
			for (Problem p : r.problems()) {
				if (shown++ == TEXT_LIMIT_PER_FILE) {
					break;
				}
				out.println(p.format());
			}
			int more = r.problems().size() - Math.min(r.problems().size(), TEXT_LIMIT_PER_FILE) + r.omitted();
			if (more > 0) {
				out.println(r.displayPath() + ": ... and " + more + " more problems");
			}
		}
		int errors = CheckCommand.errors(results, Problem.Severity.ERROR);
		int warnings = CheckCommand.errors(results, Problem.Severity.WARNING);
		long clean = results.stream().filter(r -> r.problems().isEmpty()).count();
		out.println("checked " + results.size() + " file" + (results.size() == 1 ? "" : "s") + ": " + clean + " clean, "
				+ errors + " error" + (errors == 1 ? "" : "s") + ", " + warnings + " warning" + (warnings == 1 ? "" : "s"));
	}

	static String checkJson(List<SpecSet.FileResult> results) {
		JsonObject doc = new JsonObject();
		doc.addProperty("version", JSON_VERSION);
		doc.addProperty("tool", "lockspec");
		doc.addProperty("command", "check");
		JsonArray files = new JsonArray();
		for (SpecSet.FileResult r : results) {
			JsonObject f = new JsonObject();
			f.addProperty("path", r.displayPath());
			f.addProperty("readable", !r.unreadable());
			if (r.spec() != null && r.spec().getName() != null) {
				f.addProperty("spec", r.spec().getName());
			}
			JsonArray ds = new JsonArray();
			for (Problem p : r.problems()) {
				JsonObject d = new JsonObject();
				d.addProperty("severity", p.severity().label());
				d.addProperty("line", p.line());
				d.addProperty("column", p.column());
				if (p.code() != null) {
					d.addProperty("code", p.code());
				}
				d.addProperty("message", p.message());
				ds.add(d);
			}
			f.add("diagnostics", ds);
			if (r.omitted() > 0) {
				f.addProperty("omitted", r.omitted());
			}
			files.add(f);
		}
		doc.add("files", files);
		JsonObject summary = new JsonObject();
		summary.addProperty("files", results.size());
		summary.addProperty("errors", CheckCommand.errors(results, Problem.Severity.ERROR));
		summary.addProperty("warnings", CheckCommand.errors(results, Problem.Severity.WARNING));
		doc.add("summary", summary);
		return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(doc);
	}
}
