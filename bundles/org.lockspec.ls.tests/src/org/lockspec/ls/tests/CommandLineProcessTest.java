package org.lockspec.ls.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockspec.tests.Examples;

/**
 * {@code ./lockspec prove} as a user runs it, in a process of its own: SIGTERM
 * (what Ctrl-C, a CI timeout or {@code kill} sends) ends a long proof at once,
 * with the verdicts decided so far and the rest unknown, saying why.
 */
class CommandLineProcessTest {

	/** Three threads of sixteen independent choices on shared fields: millions of states. */
	static String slowSpec() {
		StringBuilder body = new StringBuilder();
		for (int i = 1; i <= 16; i++) {
			body.append("  choose { x.a = x.a + ").append(i).append(" } or { x.b = x.b + ").append(i).append(" }\n");
		}
		return "spec t.slow\nobject N { field a : int  field b : int }\nop w(x: N) in process {\n" + body + "}\n"
				+ "scenario big {\n  n0 : N\n  thread t0 : w(n0)\n  thread t1 : w(n0)\n  thread t2 : w(n0)\n}\n";
	}

	@Test
	void sigtermEndsAProofPromptlyWithTheVerdictsSoFar(@TempDir Path dir) throws Exception {
		Path spec = Files.writeString(dir.resolve("slow.lockspec"), slowSpec());
		ProcessBuilder pb = new ProcessBuilder(Examples.root().resolve("lockspec").toString(), "prove", "--timeout", "600",
				spec.toString()).redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
		pb.environment().put("LOCKSPEC_NO_BUILD", "1");
		Process p = pb.start();
		Thread.sleep(8_000); // well into the scenario's search
		assertTrue(p.isAlive(), () -> "the proof ended before the signal: " + read(dir.resolve("out.txt")));
		long start = System.nanoTime();
		p.destroy(); // SIGTERM
		boolean ended = p.waitFor(10, TimeUnit.SECONDS);
		long millis = (System.nanoTime() - start) / 1_000_000;
		if (!ended) {
			p.destroyForcibly();
		}
		String out = read(dir.resolve("out.txt"));
		assertTrue(ended && millis < 3_000, "still running " + millis + " ms after SIGTERM");
		assertTrue(out.contains("[proved]            lock_order"), out);
		assertTrue(out.contains("[unknown]           scenario big/deadlock: the search stopped after")
				&& out.contains("interrupted (SIGTERM or Ctrl-C)"), out);
	}

	private static String read(Path p) {
		try {
			return Files.readString(p, StandardCharsets.UTF_8);
		} catch (java.io.IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}
}
