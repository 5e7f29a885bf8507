package org.lockspec.prover.render;

import java.util.List;
import java.util.Map;

import org.lockspec.verdict.Location;
import org.lockspec.verdict.LockChain;
import org.lockspec.verdict.SpecResult;
import org.lockspec.verdict.Trace;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Verdict;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Verdicts on the wire: one versioned JSON document ({@code "version": 1}). The
 * other renderings (text, SARIF, JUnit, reports, diagrams) render the same values.
 */
public final class JsonReport {

	public static final int VERSION = 1;

	private JsonReport() {
	}

	public static String render(List<SpecResult> results) {
		JsonObject doc = new JsonObject();
		doc.addProperty("version", VERSION);
		doc.addProperty("tool", "lockspec");
		doc.addProperty("command", "prove");
		JsonArray specs = new JsonArray();
		for (SpecResult r : results) {
			specs.add(spec(r));
		}
		doc.add("specs", specs);
		return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(doc);
	}

	static JsonObject spec(SpecResult r) {
		JsonObject s = new JsonObject();
		s.addProperty("spec", r.spec());
		s.addProperty("file", r.file());
		s.addProperty("outcome", r.outcome().name().toLowerCase(java.util.Locale.ROOT));
		JsonArray vs = new JsonArray();
		for (Verdict v : r.verdicts()) {
			vs.add(verdict(v));
		}
		s.add("verdicts", vs);
		JsonArray es = new JsonArray();
		for (SpecResult.Expectation e : r.expectations()) {
			JsonObject o = new JsonObject();
			o.addProperty("expect", e.text());
			if (e.scenario() != null) {
				o.addProperty("scenario", e.scenario());
			}
			o.add("location", location(e.location()));
			o.addProperty("result", e.result().name().toLowerCase(java.util.Locale.ROOT));
			o.addProperty("why", e.why());
			es.add(o);
		}
		s.add("expectations", es);
		JsonArray un = new JsonArray();
		r.unannounced().forEach(u -> un.add(u.headline()));
		s.add("unexpected", un);
		return s;
	}

	public static JsonObject verdict(Verdict v) {
		JsonObject o = new JsonObject();
		o.addProperty("id", v.id());
		o.addProperty("obligation", v.obligation().id());
		o.addProperty("status", v.status().label());
		o.addProperty("message", v.message());
		o.add("location", location(v.location()));
		if (v.subject() != null) {
			o.addProperty("subject", v.subject());
		}
		o.addProperty("engine", v.engine());
		if (v.trace() != null) {
			o.add("trace", trace(v.trace()));
		}
		if (v.proof() != null && !v.proof().isEmpty()) {
			// a proof's artifact (a rank function), or what a counterexample shows (its depth, its cycle of waits)
			o.add(v.status() == Status.VIOLATED ? "evidence" : "proof", tree(v.proof()));
		}
		if (!v.details().isEmpty()) {
			JsonArray d = new JsonArray();
			v.details().forEach(d::add);
			o.add("details", d);
		}
		if (v.chain() != null) {
			o.add("lockChain", chain(v.chain()));
		}
		return o;
	}

	/** A lock-order cycle as lockdep reports it: per CPU, its task and what it holds and waits for. */
	static JsonArray chain(LockChain c) {
		JsonArray steps = new JsonArray();
		for (LockChain.Step step : c.steps()) {
			JsonObject o = new JsonObject();
			o.addProperty("task", step.task());
			o.add("holds", acquire(step.holds()));
			o.add("waits", acquire(step.waits()));
			steps.add(o);
		}
		return steps;
	}

	private static JsonObject acquire(LockChain.Acquire a) {
		JsonObject o = new JsonObject();
		o.addProperty("class", a.lockClass());
		o.addProperty("read", a.read());
		JsonArray frames = new JsonArray();
		a.backtrace().forEach(frames::add);
		o.add("backtrace", frames);
		return o;
	}

	static JsonObject location(Location l) {
		JsonObject o = new JsonObject();
		o.addProperty("file", l.file());
		o.addProperty("line", l.line());
		o.addProperty("column", l.column());
		return o;
	}

	static JsonObject trace(Trace t) {
		JsonObject o = new JsonObject();
		JsonArray lanes = new JsonArray();
		for (Trace.Lane l : t.lanes()) {
			JsonObject lane = new JsonObject();
			lane.addProperty("cpu", l.cpu());
			lane.addProperty("runs", l.runs());
			lanes.add(lane);
		}
		o.add("lanes", lanes);
		JsonArray events = new JsonArray();
		for (Trace.Event e : t.events()) {
			JsonObject ev = new JsonObject();
			ev.addProperty("lane", e.lane());
			ev.addProperty("text", e.text());
			ev.addProperty("line", e.at().line());
			ev.addProperty("chain", e.chain());
			if (e.waits()) {
				ev.addProperty("waits", true);
			}
			if (e.fails()) {
				ev.addProperty("fails", true);
			}
			events.add(ev);
		}
		o.add("events", events);
		o.addProperty("outcome", t.outcome());
		JsonArray notes = new JsonArray();
		t.notes().forEach(notes::add);
		o.add("notes", notes);
		return o;
	}

	@SuppressWarnings("unchecked")
	static JsonElement tree(Object value) {
		if (value instanceof Map<?, ?> m) {
			JsonObject o = new JsonObject();
			for (var e : ((Map<String, Object>) m).entrySet()) {
				o.add(e.getKey(), tree(e.getValue()));
			}
			return o;
		}
		if (value instanceof List<?> l) {
			JsonArray a = new JsonArray();
			for (Object x : l) {
				a.add(tree(x));
			}
			return a;
		}
		if (value instanceof Number n) {
			return new com.google.gson.JsonPrimitive(n);
		}
		if (value instanceof Boolean b) {
			return new com.google.gson.JsonPrimitive(b);
		}
		return new com.google.gson.JsonPrimitive(String.valueOf(value));
	}
}
