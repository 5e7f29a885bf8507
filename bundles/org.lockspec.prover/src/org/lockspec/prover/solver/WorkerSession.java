package org.lockspec.prover.solver;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Z3 in a worker process. libz3 is native code and can crash (a SIGSEGV was seen
 * on 10,000-class special-relation encodings); here a crash, a hang past the
 * deadline or a kill costs one query, which answers {@code UNKNOWN} with the
 * reason, and the next query starts a fresh worker.
 */
public final class WorkerSession extends SolverSession {

	/** Time a worker gets beyond the query's own timeout before it is killed. */
	private static final Duration GRACE = Duration.ofSeconds(10);

	private static final Path TMP = privateTmp();
	private final List<String> command;
	private Process process;
	private Writer toWorker;
	private BlockingQueue<String> fromWorker;
	private long nextId;
	private int starts;

	private WorkerSession(List<String> command) {
		this.command = command;
	}

	/** A session whose worker runs on the classpath that holds this class, Z3 and Gson. */
	public static WorkerSession open() throws SolverException {
		return new WorkerSession(command(classpath()));
	}

	/** Starts the worker process now rather than on the first query (it takes a few hundred ms). */
	public void start() throws SolverException {
		ensureStarted();
	}

	/** How many worker processes this session has started (1 unless one died). */
	public int starts() {
		return starts;
	}

	/** The running worker's process id, or -1 (tests kill it to show a crash is survived). */
	public long workerPid() {
		return process != null && process.isAlive() ? process.pid() : -1;
	}

	/** Kills the worker now: the query under way answers UNKNOWN (a cancel button does this). */
	public void cancel() {
		Process p = process;
		if (p != null) {
			p.destroyForcibly();
		}
	}

	@Override
	protected SolverResult checkImpl(String smtlib, Duration timeout, Set<SolverOption> options) throws SolverException {
		long start = System.nanoTime();
		JsonObject req = new JsonObject();
		req.addProperty("smt2", smtlib);
		req.addProperty("timeoutMs", Math.max(1, timeout.toMillis()));
		req.add("options", WorkerMain.names(options));
		Object res = request(req, timeout.plus(GRACE), start);
		return res instanceof SolverResult r ? r : WorkerMain.result((JsonObject) res);
	}

	@Override
	protected List<SolverResult> checkEachImpl(String smtlib, List<String> goals, Duration timeout,
			Set<SolverOption> options) throws SolverException {
		long start = System.nanoTime();
		JsonObject req = new JsonObject();
		req.addProperty("smt2", smtlib);
		req.addProperty("timeoutMs", Math.max(1, timeout.toMillis()));
		req.add("options", WorkerMain.names(options));
		com.google.gson.JsonArray names = new com.google.gson.JsonArray();
		goals.forEach(names::add);
		req.add("goals", names);
		return results(request(req, timeout.multipliedBy(Math.max(1, goals.size())).plus(GRACE), start), goals.size());
	}

	@Override
	protected List<SolverResult> checkAllImpl(List<String> scripts, Duration timeout, Set<SolverOption> options)
			throws SolverException {
		long start = System.nanoTime();
		JsonObject req = new JsonObject();
		com.google.gson.JsonArray all = new com.google.gson.JsonArray();
		scripts.forEach(all::add);
		req.add("scripts", all);
		req.addProperty("timeoutMs", Math.max(1, timeout.toMillis()));
		req.add("options", WorkerMain.names(options));
		return results(request(req, timeout.multipliedBy(Math.max(1, scripts.size())).plus(GRACE), start), scripts.size());
	}

	/** The answers of a request of {@code n} queries: its results, or n times the reason it failed. */
	private static List<SolverResult> results(Object res, int n) {
		List<SolverResult> out = new ArrayList<>();
		if (res instanceof SolverResult r) {
			for (int i = 0; i < n; i++) {
				out.add(r);
			}
		} else {
			for (com.google.gson.JsonElement e : ((JsonObject) res).getAsJsonArray("results")) {
				out.add(WorkerMain.result(e.getAsJsonObject()));
			}
		}
		return out;
	}

	/** Sends one request and waits for its answer (a JSON object), or answers UNKNOWN (a SolverResult). */
	private Object request(JsonObject req, Duration patience, long start) throws SolverException {
		ensureStarted();
		long id = ++nextId;
		req.addProperty("id", id);
		try {
			toWorker.write(req.toString());
			toWorker.write('\n');
			toWorker.flush();
		} catch (IOException e) {
			return died("could not send the query: " + e.getMessage(), start);
		}
		long deadline = System.nanoTime() + patience.toNanos();
		while (true) {
			String line;
			try {
				line = fromWorker.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				kill();
				return SolverResult.unknown("interrupted", millis(start));
			}
			if (line == null) {
				kill();
				return SolverResult.unknown("the solver did not answer within " + patience.toSeconds()
						+ " s and was stopped", millis(start));
			}
			if (line == EOF) {
				return died("the solver process died", start);
			}
			JsonObject res;
			try {
				res = JsonParser.parseString(line).getAsJsonObject();
			} catch (RuntimeException e) {
				continue; // not protocol output
			}
			if (res.has("id") && res.get("id").getAsLong() == id) {
				return res;
			}
		}
	}

	private SolverResult died(String what, long start) {
		Process p = process;
		String detail = "";
		if (p != null) {
			try {
				p.waitFor(2, TimeUnit.SECONDS);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			if (!p.isAlive()) {
				int code = p.exitValue();
				detail = code > 128 ? " (killed by signal " + (code - 128) + ")" : " (exit code " + code + ")";
			}
		}
		kill();
		return SolverResult.unknown(what + detail, millis(start));
	}

	private static long millis(long start) {
		return (System.nanoTime() - start) / 1_000_000;
	}

	private static final String EOF = new String("<eof>");

	private void ensureStarted() throws SolverException {
		if (process != null && process.isAlive()) {
			return;
		}
		kill();
		try {
			ProcessBuilder pb = new ProcessBuilder(command);
			pb.redirectError(ProcessBuilder.Redirect.DISCARD);
			process = pb.start();
			starts++;
		} catch (IOException e) {
			throw new SolverException("cannot start the solver worker (" + String.join(" ", command.subList(0, 1)) + "): "
					+ e.getMessage(), e);
		}
		toWorker = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
		BlockingQueue<String> queue = new LinkedBlockingQueue<>();
		fromWorker = queue;
		Process p = process;
		Thread reader = new Thread(() -> {
			try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = r.readLine()) != null) {
					queue.add(line);
				}
			} catch (IOException e) {
				// the worker is gone
			}
			queue.add(EOF);
		}, "lockspec-solver-reader");
		reader.setDaemon(true);
		reader.start();
		try {
			String ready = queue.poll(60, TimeUnit.SECONDS);
			if (ready == null || ready == EOF || !ready.contains("ready")) {
				kill();
				throw new SolverException("the solver worker did not start (is Z3's native library available for "
						+ System.getProperty("os.name") + "/" + System.getProperty("os.arch") + "?)");
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			kill();
			throw new SolverException("interrupted while starting the solver worker", e);
		}
	}

	private void kill() {
		if (process != null) {
			process.destroyForcibly();
			try {
				process.waitFor(5, TimeUnit.SECONDS);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			process = null;
		}
	}

	@Override
	protected void closeImpl() {
		if (toWorker != null) {
			try {
				toWorker.close();
			} catch (IOException e) {
				// closing stdin ends the worker; killing below makes sure
			}
		}
		kill();
	}

	private static Path privateTmp() {
		try {
			Path dir = java.nio.file.Files.createTempDirectory("lockspec-z3-");
			Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
			return dir;
		} catch (IOException e) {
			return Path.of(System.getProperty("java.io.tmpdir"));
		}
	}

	private static void deleteTree(Path dir) {
		try (var s = java.nio.file.Files.walk(dir)) {
			s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		} catch (IOException | RuntimeException e) {
			// best effort at exit
		}
	}

	private static List<String> command(String classpath) {
		String java = ProcessHandle.current().info().command()
				.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		List<String> cmd = new ArrayList<>();
		cmd.add(java);
		cmd.add("-Xss16m");
		cmd.add("-XX:+UseSerialGC");
		if (Runtime.version().feature() >= 23) {
			cmd.add("--sun-misc-unsafe-memory-access=allow");
		}
		cmd.add("--enable-native-access=ALL-UNNAMED");
		// TurnKey unpacks libz3 (34 MB) into java.io.tmpdir and removes it only on a normal exit:
		// each worker gets a directory of its own, which the session deletes even after a crash
		cmd.add("-Djava.io.tmpdir=" + TMP);
		cmd.add("-cp");
		cmd.add(classpath);
		cmd.add(WorkerMain.class.getName());
		return cmd;
	}

	/** The class path entries holding the worker, Z3 and Gson, plain or as OSGi bundle locations. */
	private static String classpath() throws SolverException {
		Set<String> entries = new LinkedHashSet<>();
		for (Class<?> c : List.of(WorkerMain.class, com.microsoft.z3.Context.class, com.google.gson.Gson.class)) {
			entries.addAll(locations(c));
		}
		if (entries.isEmpty()) {
			throw new SolverException("cannot find the jars of the solver worker");
		}
		return String.join(File.pathSeparator, entries);
	}

	private static List<String> locations(Class<?> c) {
		List<String> result = new ArrayList<>();
		try {
			var src = c.getProtectionDomain().getCodeSource();
			if (src != null && src.getLocation() != null) {
				Path p = Path.of(src.getLocation().toURI());
				result.add(p.toString());
				if (p.toFile().isDirectory()) {
					// an exploded bundle (tests in the reactor): its bin folder and embedded jars
					for (String sub : new String[] { "bin", "target/classes", "lib" }) {
						File f = p.resolve(sub).toFile();
						if (f.isDirectory() && sub.equals("lib")) {
							File[] jars = f.listFiles((d, n) -> n.endsWith(".jar"));
							if (jars != null) {
								for (File j : jars) {
									result.add(j.getPath());
								}
							}
						} else if (f.isDirectory()) {
							result.add(f.getPath());
						}
					}
				}
			}
		} catch (URISyntaxException | RuntimeException e) {
			// fall through to the class path
		}
		if (result.isEmpty()) {
			result.add(System.getProperty("java.class.path"));
		}
		return result;
	}
}
