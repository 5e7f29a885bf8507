package org.lockspec.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockspec.tests.Examples;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** {@code lockspec check}: output formats and exit codes. */
class CheckCommandTest {

	@Test
	void examplesAreClean() {
		Cli cli = Cli.run("check", Examples.examplesDir().toString());
		assertEquals(0, cli.exit(), cli::toString);
		String last = cli.outLines().get(cli.outLines().size() - 1);
		int n = Examples.all().size();
		assertEquals("checked " + n + " files: " + n + " clean, 0 errors, 0 warnings", last, cli::toString);
		assertEquals("", cli.err());
	}

	@Test
	void jsonIsVersionedAndComplete() {
		Cli cli = Cli.run("check", "--format", "json", Examples.examplesDir().toString());
		assertEquals(0, cli.exit(), cli::toString);
		JsonObject doc = JsonParser.parseString(cli.out()).getAsJsonObject();
		assertEquals(1, doc.get("version").getAsInt());
		assertEquals("check", doc.get("command").getAsString());
		JsonArray files = doc.getAsJsonArray("files");
		assertEquals(Examples.all().size(), files.size());
		for (var f : files) {
			assertTrue(f.getAsJsonObject().get("readable").getAsBoolean());
			assertEquals(0, f.getAsJsonObject().getAsJsonArray("diagnostics").size());
			assertTrue(f.getAsJsonObject().get("spec").getAsString().matches("[a-z0-9_]+(\\.[a-z0-9_]+)+"), f::toString);
		}
		assertEquals(0, doc.getAsJsonObject("summary").get("errors").getAsInt());
	}

	@Test
	void errorsAreReportedWithPositionsAndExitOne(@TempDir Path dir) throws Exception {
		Path bad = dir.resolve("bad.lockspec");
		Files.writeString(bad, "spec t\nlock m : mutex\nop f() {\n  lock m read\n  unlock m\n}\n");
		Cli cli = Cli.run("check", bad.toString());
		assertEquals(1, cli.exit(), cli::toString);
		assertEquals(bad + ":4:10: error: a mutex has no read or write side; write 'lock m' [org.lockspec.mode_not_supported]",
				cli.outLines().get(0));
		assertEquals("checked 1 file: 0 clean, 1 error, 0 warnings", cli.outLines().get(1));

		JsonObject doc = JsonParser.parseString(Cli.run("check", "--format=json", bad.toString()).out()).getAsJsonObject();
		JsonObject d = doc.getAsJsonArray("files").get(0).getAsJsonObject().getAsJsonArray("diagnostics").get(0)
				.getAsJsonObject();
		assertEquals(4, d.get("line").getAsInt());
		assertEquals(10, d.get("column").getAsInt());
		assertEquals("error", d.get("severity").getAsString());
		assertEquals("org.lockspec.mode_not_supported", d.get("code").getAsString());
	}

	@Test
	void warningsAloneExitZero(@TempDir Path dir) throws Exception {
		Path file = dir.resolve("warn.lockspec");
		Files.writeString(file, "spec t\nop f() { }\nscenario s {\n  thread a : f()\n  expect safe\n}\n");
		Cli cli = Cli.run("check", file.toString());
		assertEquals(0, cli.exit(), cli::toString);
		assertTrue(cli.out().contains(":3:10: warning: scenario 's' runs a single thread"), cli::toString);
	}

	@Test
	void importsResolveFromTheSameDirectoryAndFromImportPath(@TempDir Path dir) throws Exception {
		Path lib = Files.createDirectories(dir.resolve("lib"));
		Files.writeString(lib.resolve("core.lockspec"), "spec pci.core\nlock pci_bus_sem : rwsem\n");
		Path user = dir.resolve("user.lockspec");
		Files.writeString(user, "spec pci.user\nimport pci.core.*\nop f() { lock pci_bus_sem read  unlock pci_bus_sem }\n");
		Cli without = Cli.run("check", user.toString());
		assertEquals(1, without.exit(), without::toString);
		assertTrue(without.out().contains("no spec declares 'pci.core'"), without::toString);
		Cli with = Cli.run("check", "-I", lib.toString(), user.toString());
		assertEquals(0, with.exit(), with::toString);
		Files.copy(lib.resolve("core.lockspec"), dir.resolve("core.lockspec"));
		Cli sibling = Cli.run("check", user.toString());
		assertEquals(0, sibling.exit(), sibling::toString);
		assertEquals("checked 1 file: 1 clean, 0 errors, 0 warnings", sibling.outLines().get(0), "siblings are not reported");
	}

	@Test
	void usageErrorsExitTwo(@TempDir Path dir) throws Exception {
		Cli none = Cli.run();
		assertEquals(2, none.exit(), none::toString);
		assertTrue(none.err().contains("name a command") && none.err().contains("Try 'lockspec --help'"), none::toString);
		// a wrong option: what is wrong and where to read more, in a few lines, not the whole usage
		Cli flag = Cli.run("prove", "--bogus", dir.toString());
		assertEquals(2, flag.exit(), flag::toString);
		assertTrue(flag.err().lines().count() <= 3 && flag.err().contains("Unknown option: '--bogus'")
				&& flag.err().contains("Try 'lockspec prove --help'"), flag::toString);
		Cli missing = Cli.run("check", dir.resolve("nowhere.lockspec").toString());
		assertEquals(2, missing.exit(), missing::toString);
		assertTrue(missing.err().contains("no such file or directory"), missing::toString);
		Cli empty = Cli.run("check", dir.toString());
		assertEquals(2, empty.exit(), empty::toString);
		assertTrue(empty.err().contains("no .lockspec files in this directory"), empty::toString);
		Cli format = Cli.run("check", "--format", "xml", dir.toString());
		assertEquals(2, format.exit(), format::toString);
		Cli unknown = Cli.run("frobnicate");
		assertEquals(2, unknown.exit(), unknown::toString);
		Cli noFiles = Cli.run("check");
		assertEquals(2, noFiles.exit(), noFiles::toString);
	}

	@Test
	void helpAndVersionExitZero() {
		Cli help = Cli.run("--help");
		assertEquals(0, help.exit(), help::toString);
		assertTrue(help.out().contains("check"), help::toString);
		assertTrue(help.out().contains("Exit codes"), help::toString);
		Cli version = Cli.run("--version");
		assertEquals(0, version.exit(), version::toString);
		assertTrue(version.out().startsWith("lockspec "), version::toString);
		assertFalse(Cli.run("check", "--help").out().isEmpty());
	}
}
