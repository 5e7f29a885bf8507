package org.lockspec.prover.solver;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The solver worker process: one JSON request per line on stdin
 * ({@code {"id":1,"smt2":"...","timeoutMs":5000,"options":["MODELS"]}}), one
 * JSON answer per line on stdout. If libz3 crashes, only this process dies.
 */
public final class WorkerMain {

	private WorkerMain() {
	}

	public static void main(String[] args) throws Exception {
		PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
		System.setOut(new PrintStream(System.err, true, StandardCharsets.UTF_8)); // nothing else may write to the protocol
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		// load libz3 (TurnKey unpacks it first) before saying ready, so a prestarted worker has it loaded
		try (com.microsoft.z3.Context warm = new com.microsoft.z3.Context()) {
			warm.mkSolver().check();
		} catch (RuntimeException | LinkageError e) {
			// the first query reports it
		}
		out.println("{\"ready\":true}");
		String line;
		while ((line = in.readLine()) != null) {
			if (line.isBlank()) {
				continue;
			}
			JsonObject req = JsonParser.parseString(line).getAsJsonObject();
			Set<SolverOption> options = EnumSet.noneOf(SolverOption.class);
			if (req.has("options")) {
				for (JsonElement o : req.getAsJsonArray("options")) {
					options.add(SolverOption.valueOf(o.getAsString()));
				}
			}
			Duration timeout = Duration.ofMillis(req.get("timeoutMs").getAsLong());
			if (req.has("scripts")) {
				// independent queries: one per core
				answer(out, req, Z3Direct.checkAll(strings(req.getAsJsonArray("scripts")), timeout, options,
						Runtime.getRuntime().availableProcessors()));
				continue;
			}
			if (req.has("goals")) {
				answer(out, req, Z3Direct.checkEach(req.get("smt2").getAsString(), strings(req.getAsJsonArray("goals")),
						timeout, options));
				continue;
			}
			SolverResult r = Z3Direct.check(req.get("smt2").getAsString(), timeout, options);
			JsonObject res = json(r);
			res.add("id", req.get("id"));
			out.println(res.toString());
		}
	}

	private static java.util.List<String> strings(JsonArray array) {
		java.util.List<String> out = new java.util.ArrayList<>();
		for (JsonElement e : array) {
			out.add(e.getAsString());
		}
		return out;
	}

	/** The answer to a request of several queries: its id and their results, in order. */
	private static void answer(PrintStream out, JsonObject req, java.util.List<SolverResult> results) {
		JsonArray all = new JsonArray();
		for (SolverResult r : results) {
			all.add(json(r));
		}
		JsonObject res = new JsonObject();
		res.add("id", req.get("id"));
		res.add("results", all);
		out.println(res.toString());
	}

	static JsonObject json(SolverResult r) {
		JsonObject res = new JsonObject();
		res.addProperty("status", r.status().name());
		if (r.model() != null) {
			res.addProperty("model", r.model());
		}
		if (r.reason() != null) {
			res.addProperty("reason", r.reason());
		}
		res.addProperty("millis", r.millis());
		return res;
	}

	static SolverResult result(JsonObject res) {
		return new SolverResult(SolverResult.Status.valueOf(res.get("status").getAsString()),
				res.has("model") ? res.get("model").getAsString() : null,
				res.has("reason") ? res.get("reason").getAsString() : null, res.get("millis").getAsLong());
	}

	static JsonArray names(Set<SolverOption> options) {
		JsonArray a = new JsonArray();
		for (SolverOption o : options) {
			a.add(o.name());
		}
		return a;
	}
}
