package org.lockspec.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockspec.tests.Examples;
import org.w3c.dom.Document;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** {@code lockspec prove}: verdicts judged against expect clauses, four formats, exit codes 0/1/2/3. */
class ProveCommandTest {

	static final String ABBA = """
			spec t.abba
			lock A : mutex
			lock B : mutex
			op ab() in process { lock A  lock B  unlock B  unlock A }
			op ba() in process { lock B  lock A  unlock A  unlock B }
			""";

	@Test
	void examplesProveAsExpected() {
		Cli cli = Cli.run("prove", Examples.examplesDir().toString());
		assertEquals(0, cli.exit(), cli::toString);
		int n = Examples.all().size();
		assertTrue(cli.out().contains("proved " + n + " specs: " + n + " as expected, 0 unexpected, 0 undecided"), cli::toString);
		assertTrue(cli.out().contains("*** DEADLOCK ***"), cli::toString);
		assertTrue(cli.out().contains("*** USE AFTER FREE ***"), cli::toString);
		assertFalse(cli.out().matches("(?s).*\\d+ ms\\b.*"), "no timings unless asked: the output is deterministic");
	}

	@Test
	void crossCheckRunsZ3sBoundedModelCheckingBesideTheExplicitSearch() {
		Path seed = Examples.examplesDir().resolve("002-aer-sriov/buggy.lockspec");
		Cli cli = Cli.run("prove", "--cross-check", "--cross-check-steps", "10", seed.toString());
		assertEquals(0, cli.exit(), cli::toString);
		assertTrue(cli.out().contains("[proved]            scenario probe_vs_aer/cross_check: Z3's bounded model checking agrees"
				+ " with the explicit search on every run of up to 10 steps"), cli::toString);
		assertFalse(Cli.run("prove", seed.toString()).out().contains("cross_check"), "only when asked");
		Cli bad = Cli.run("prove", "--cross-check", "--cross-check-steps", "0", seed.toString());
		assertEquals(2, bad.exit(), bad::toString);
		assertTrue(bad.err().contains("--cross-check-steps must be between 1 and 200, not 0"), bad::toString);
	}

	@Test
	void anUnannouncedViolationExitsOne(@TempDir Path dir) throws Exception {
		Path f = Files.writeString(dir.resolve("abba.lockspec"), ABBA);
		Cli cli = Cli.run("prove", f.toString());
		assertEquals(1, cli.exit(), cli::toString);
		assertTrue(cli.out().contains("UNEXPECTED:"), cli::toString);
		assertTrue(cli.out().contains("CPU0 (ab)") && cli.out().contains("CPU1 (ba)"), cli::toString);
		Path announced = Files.writeString(dir.resolve("abba2.lockspec"), ABBA.replace("t.abba", "t.abba2") + "expect deadlock\n");
		assertEquals(0, Cli.run("prove", announced.toString()).exit());
	}

	@Test
	void anExpectationThatDoesNotComeTrueExitsOne(@TempDir Path dir) throws Exception {
		Path f = Files.writeString(dir.resolve("ok.lockspec"),
				"spec t.ok\nlock A : mutex\nop a() in process { lock A  unlock A }\nexpect deadlock\n");
		Cli cli = Cli.run("prove", f.toString());
		assertEquals(1, cli.exit(), cli::toString);
		assertTrue(cli.out().contains("NOT AS EXPECTED:") && cli.out().contains("expect deadlock"), cli::toString);
	}

	@Test
	void aSpecWithErrorsIsAnInputError(@TempDir Path dir) throws Exception {
		Path f = Files.writeString(dir.resolve("bad.lockspec"), "spec t.bad\nlock A : mutex\nop a() { lock A read }\n");
		Cli cli = Cli.run("prove", f.toString());
		assertEquals(2, cli.exit(), cli::toString);
		assertTrue(cli.err().contains("bad.lockspec:3:17: error:"), cli::toString);
		assertTrue(cli.err().contains("nothing was proved"), cli::toString);
		assertEquals(2, Cli.run("prove", "--timeout", "0", f.toString()).exit());
		assertEquals(2, Cli.run("prove", "--format", "pdf", f.toString()).exit());
	}

	@Test
	void anUndecidedObligationExitsThree(@TempDir Path dir) throws Exception {
		// 20 branches that each leave a different value in a local: 2^20 paths in distinct states, more than
		// the path explorer's limit of 100,000 per entry, so lock order cannot be decided
		StringBuilder ops = new StringBuilder("spec t.many\n");
		for (int i = 0; i < 20; i++) {
			ops.append("field f").append(i).append(" : bool\n");
		}
		ops.append("lock A : mutex\nop big() in process {\n  let c = 0\n");
		for (int i = 0; i < 20; i++) {
			ops.append("  if f").append(i).append(" { lock A  c = c + ").append(1 << i).append("  unlock A }\n");
		}
		ops.append("}\nexpect proved\n");
		Path f = Files.writeString(dir.resolve("many.lockspec"), ops.toString());
		Cli cli = Cli.run("prove", f.toString());
		assertEquals(3, cli.exit(), cli::toString);
		assertTrue(cli.out().contains("[unknown]") && cli.out().contains("not every path was explored"), cli::toString);
	}

	@Test
	void theTimeoutBoundsTheWholeProof(@TempDir Path dir) throws Exception {
		// stopped by the spec's budget of 1 s
		Path f = slowSpec(dir);
		long start = System.nanoTime();
		Cli cli = Cli.run("prove", "--timeout", "1", f.toString());
		long millis = (System.nanoTime() - start) / 1_000_000;
		assertEquals(1, cli.exit(), cli::toString); // its races are found in time, the rest is undecided
		assertTrue(cli.out().contains("[unknown]           scenario big/deadlock: the search stopped after")
				&& cli.out().contains("the spec's time budget of 1 s (--timeout) ran out"), cli::toString);
		assertTrue(millis < 10_000, "--timeout 1 took " + millis + " ms");
	}

	/** Three threads of sixteen independent choices: millions of states. */
	private static Path slowSpec(Path dir) throws Exception {
		StringBuilder body = new StringBuilder();
		for (int i = 1; i <= 16; i++) {
			body.append("  choose { x.a = x.a + ").append(i).append(" } or { x.b = x.b + ").append(i).append(" }\n");
		}
		return Files.writeString(dir.resolve("slow.lockspec"), "spec t.slow\nobject N { field a : int  field b : int }\n"
				+ "op w(x: N) in process {\n" + body + "}\nscenario big {\n  n0 : N\n  thread t0 : w(n0)\n"
				+ "  thread t1 : w(n0)\n  thread t2 : w(n0)\n}\n");
	}

	@Test
	void maxStatesStopsTheSearch(@TempDir Path dir) throws Exception {
		Cli cli = Cli.run("prove", "--max-states", "5000", slowSpec(dir).toString());
		assertEquals(1, cli.exit(), cli::toString); // its races are found first, the rest is undecided
		assertTrue(cli.out().contains("[unknown]           scenario big/deadlock: the search stopped at 5000 states "
				+ "(--max-states) before covering the bound"), cli::toString);
		assertEquals(2, Cli.run("prove", "--max-states", "0", slowSpec(dir).toString()).exit());
	}

	/** A memory limit below what the JVM already holds: every engine stops at its first look, and says why. */
	@Test
	void theMemoryLimitStopsTheProofInsteadOfTheHeap(@TempDir Path dir) throws Exception {
		Cli cli = Cli.run("prove", "--memory", "1", slowSpec(dir).toString());
		assertEquals(3, cli.exit(), cli::toString);
		assertTrue(cli.out().contains("[unknown]") && cli.out().contains("more than the 1 MiB it may use (--memory)"),
				cli::toString);
		assertEquals(2, Cli.run("prove", "--memory", "-1", slowSpec(dir).toString()).exit());
		Cli tooMuch = Cli.run("prove", "--memory", "100000000", slowSpec(dir).toString());
		assertEquals(2, tooMuch.exit(), tooMuch::toString);
		assertTrue(tooMuch.err().contains("--memory must be between 1 and the Java heap's"), tooMuch::toString);
	}

	@Test
	void jsonIsVersioned(@TempDir Path dir) throws Exception {
		Path f = Files.writeString(dir.resolve("abba.lockspec"), ABBA + "expect deadlock\n");
		Cli cli = Cli.run("prove", "--format", "json", f.toString());
		assertEquals(0, cli.exit(), cli::toString);
		JsonObject doc = JsonParser.parseString(cli.out()).getAsJsonObject();
		assertEquals(1, doc.get("version").getAsInt());
		JsonObject spec = doc.getAsJsonArray("specs").get(0).getAsJsonObject();
		assertEquals("as_expected", spec.get("outcome").getAsString());
		JsonObject order = spec.getAsJsonArray("verdicts").get(0).getAsJsonObject();
		assertEquals("lock_order", order.get("obligation").getAsString());
		assertEquals("violated", order.get("status").getAsString());
		JsonArray events = order.getAsJsonObject("trace").getAsJsonArray("events");
		assertEquals(4, events.size());
		assertEquals(4, order.getAsJsonObject("location").get("line").getAsInt());
		JsonObject first = order.getAsJsonArray("lockChain").get(0).getAsJsonObject();
		assertEquals("ab", first.get("task").getAsString());
		assertEquals("A", first.getAsJsonObject("holds").get("class").getAsString());
		assertEquals("mutex_lock", first.getAsJsonObject("waits").getAsJsonArray("backtrace").get(0).getAsString());
	}

	@Test
	void sarifHasRulesResultsAndCodeFlows(@TempDir Path dir) throws Exception {
		Path f = Files.writeString(dir.resolve("abba.lockspec"), ABBA);
		Cli cli = Cli.run("prove", "--format", "sarif", f.toString());
		assertEquals(1, cli.exit(), cli::toString);
		JsonObject doc = JsonParser.parseString(cli.out()).getAsJsonObject();
		assertEquals("2.1.0", doc.get("version").getAsString());
		JsonObject run = doc.getAsJsonArray("runs").get(0).getAsJsonObject();
		assertEquals("lockspec", run.getAsJsonObject("tool").getAsJsonObject("driver").get("name").getAsString());
		JsonObject result = run.getAsJsonArray("results").get(0).getAsJsonObject();
		assertEquals("lock_order", result.get("ruleId").getAsString());
		assertEquals("error", result.get("level").getAsString(), "an unannounced violation is an error");
		JsonObject region = result.getAsJsonArray("locations").get(0).getAsJsonObject().getAsJsonObject("physicalLocation")
				.getAsJsonObject("region");
		assertEquals(4, region.get("startLine").getAsInt());
		assertEquals(2, result.getAsJsonArray("codeFlows").get(0).getAsJsonObject().getAsJsonArray("threadFlows").size());
	}

	@Test
	void lockdepPrintsTheCycleAsLockdepDoes(@TempDir Path dir) throws Exception {
		Path f = Files.writeString(dir.resolve("abba.lockspec"), ABBA);
		Cli cli = Cli.run("prove", "--format", "lockdep", f.toString());
		assertEquals(1, cli.exit(), cli::toString);
		String report = """
				======================================================
				WARNING: possible circular locking dependency detected
				------------------------------------------------------
				ba is trying to acquire lock:
				 (A), at: ba+l.5

				but task is already holding lock:
				 (B), at: ba+l.5

				which lock already depends on the new lock.


				the existing dependency chain (in reverse order) is:

				-> #1 (B):
				       mutex_lock
				       ab+l.4

				-> #0 (A):
				       mutex_lock
				       ba+l.5

				other info that might help us debug this:

				 Possible unsafe locking scenario:

				       CPU0                    CPU1
				       ----                    ----
				  lock(B);
				                               lock(A);
				                               lock(B);
				  lock(A);

				 *** DEADLOCK ***

				lockspec: lock_order: possible deadlock: a cycle of 2 lock dependencies (A -> B -> A)
				""";
		assertTrue(cli.out().contains(report), cli::toString);
		assertTrue(cli.out().startsWith("lockspec: spec t.abba ("), cli::toString);
		// a cycle that cannot deadlock is printed as lockdep prints it, with why it cannot
		Cli fixed = Cli.run("prove", "--format", "lockdep",
				Examples.examplesDir().resolve("017-pciehp-reset-lock-device-lock/fixed.lockspec").toString());
		assertEquals(0, fixed.exit(), fixed::toString);
		assertTrue(fixed.out().contains("WARNING: possible circular locking dependency detected"), fixed::toString);
		assertTrue(fixed.out().contains("Chain exists of:\n  reset_lock --> pci_rescan_remove_lock --> device_lock\n"),
				fixed::toString);
		assertTrue(fixed.out().contains("lockspec: lockdep_only: lockdep would report a circular locking dependency"),
				fixed::toString);
	}

	@Test
	void junitHasATestCasePerObligation(@TempDir Path dir) throws Exception {
		Path f = Files.writeString(dir.resolve("abba.lockspec"), ABBA);
		Cli cli = Cli.run("prove", "--format", "junit", f.toString());
		assertEquals(1, cli.exit(), cli::toString);
		Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
				.parse(new ByteArrayInputStream(cli.out().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
		assertEquals("testsuites", xml.getDocumentElement().getTagName());
		assertEquals(5, xml.getElementsByTagName("testcase").getLength(), cli::toString);
		assertEquals(1, xml.getElementsByTagName("failure").getLength(), cli::toString);
	}

	@Test
	void outWritesTheReportAndNothingElse(@TempDir Path dir) throws Exception {
		Path f = Files.writeString(dir.resolve("abba.lockspec"), ABBA + "expect deadlock\n");
		Path report = dir.resolve("reports/verdicts.json");
		Cli cli = Cli.run("prove", "--format", "json", "--out", report.toString(), f.toString());
		assertEquals(0, cli.exit(), cli::toString);
		assertEquals("", cli.out());
		assertEquals(1, JsonParser.parseString(Files.readString(report)).getAsJsonObject().get("version").getAsInt());
		try (var s = Files.list(report.getParent())) {
			assertEquals(1, s.count(), "no temporary file left behind");
		}
	}
}
