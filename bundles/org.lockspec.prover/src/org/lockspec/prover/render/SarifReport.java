package org.lockspec.prover.render;

import java.nio.file.Path;
import java.util.List;

import org.lockspec.verdict.Location;
import org.lockspec.verdict.Obligation;
import org.lockspec.verdict.SpecResult;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Trace;
import org.lockspec.verdict.Verdict;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * SARIF 2.1.0 for code-scanning tools: a rule per obligation kind, a result per
 * violated or undecided obligation (an expected violation is a note, an
 * unexpected one an error), counterexamples as code flows with a thread flow
 * per CPU.
 */
public final class SarifReport {

	private SarifReport() {
	}

	public static String render(List<SpecResult> results, Path base) {
		JsonObject doc = new JsonObject();
		doc.addProperty("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
		doc.addProperty("version", "2.1.0");
		JsonObject run = new JsonObject();
		JsonObject driver = new JsonObject();
		driver.addProperty("name", "lockspec");
		driver.addProperty("informationUri", "https://github.com/lockspec/lockspec");
		driver.addProperty("semanticVersion", "0.1.0");
		JsonArray rules = new JsonArray();
		for (Obligation o : Obligation.values()) {
			JsonObject rule = new JsonObject();
			rule.addProperty("id", o.id());
			JsonObject text = new JsonObject();
			text.addProperty("text", o.title());
			rule.add("shortDescription", text);
			rules.add(rule);
		}
		driver.add("rules", rules);
		JsonObject tool = new JsonObject();
		tool.add("driver", driver);
		run.add("tool", tool);
		JsonArray res = new JsonArray();
		for (SpecResult r : results) {
			for (Verdict v : r.verdicts()) {
				if (v.status().holds()) {
					continue;
				}
				boolean expected = r.expected(v);
				JsonObject result = new JsonObject();
				result.addProperty("ruleId", v.obligation().id());
				result.addProperty("level", v.status() == Status.UNKNOWN ? "warning" : expected ? "note" : "error");
				JsonObject message = new JsonObject();
				message.addProperty("text", r.spec() + ": " + v.message()
						+ (v.status() == Status.VIOLATED && expected ? " (as the spec expects)" : ""));
				result.add("message", message);
				JsonArray locations = new JsonArray();
				locations.add(location(v.location(), base, null));
				result.add("locations", locations);
				JsonObject props = new JsonObject();
				props.addProperty("status", v.status().label());
				props.addProperty("obligationId", v.id());
				props.addProperty("spec", r.spec());
				result.add("properties", props);
				if (v.trace() != null) {
					result.add("codeFlows", codeFlows(v.trace(), base));
				}
				res.add(result);
			}
		}
		run.add("results", res);
		JsonArray runs = new JsonArray();
		runs.add(run);
		doc.add("runs", runs);
		return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(doc);
	}

	private static JsonArray codeFlows(Trace t, Path base) {
		JsonArray threadFlows = new JsonArray();
		for (int lane = 0; lane < t.lanes().size(); lane++) {
			JsonObject tf = new JsonObject();
			tf.addProperty("id", t.lanes().get(lane).cpu());
			JsonArray locs = new JsonArray();
			for (int i = 0; i < t.events().size(); i++) {
				Trace.Event e = t.events().get(i);
				if (e.lane() != lane) {
					continue;
				}
				JsonObject tfl = new JsonObject();
				tfl.add("location", location(e.at(), base, e.text() + (e.waits() ? " (waits)" : "")));
				tfl.addProperty("executionOrder", i + 1);
				locs.add(tfl);
			}
			tf.add("locations", locs);
			threadFlows.add(tf);
		}
		JsonObject flow = new JsonObject();
		flow.add("threadFlows", threadFlows);
		JsonArray flows = new JsonArray();
		flows.add(flow);
		return flows;
	}

	private static JsonObject location(Location l, Path base, String text) {
		JsonObject artifact = new JsonObject();
		artifact.addProperty("uri", uri(l.file(), base));
		JsonObject region = new JsonObject();
		region.addProperty("startLine", l.line());
		region.addProperty("startColumn", l.column());
		JsonObject physical = new JsonObject();
		physical.add("artifactLocation", artifact);
		physical.add("region", region);
		JsonObject loc = new JsonObject();
		loc.add("physicalLocation", physical);
		if (text != null) {
			JsonObject m = new JsonObject();
			m.addProperty("text", text);
			loc.add("message", m);
		}
		return loc;
	}

	/** Relative to the working directory where possible, with forward slashes (SARIF uses URIs). */
	static String uri(String file, Path base) {
		try {
			Path p = Path.of(file).toAbsolutePath().normalize();
			Path b = base.toAbsolutePath().normalize();
			String rel = p.startsWith(b) ? b.relativize(p).toString() : p.toString();
			return rel.replace('\\', '/');
		} catch (RuntimeException e) {
			return file;
		}
	}
}
