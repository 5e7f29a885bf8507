package org.lockspec.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.eclipse.lsp4j.ClientInfo;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * lockspec-ls.jar and its launcher on a machine whose default java is too old
 * (Debian's 17), driven by LSP4J's client as an editor drives them: the jar
 * says what it needs (one line on stderr, the answer to {@code initialize},
 * exit code 2) instead of failing with UnsupportedClassVersionError and leaving
 * the editor waiting; the launcher finds a JDK 21+ and the server answers.
 */
class LauncherIT {

	private static final Path DIR = Path.of(System.getProperty("lockspec.ls.dir", "target"));
	private static final Path JAR = DIR.resolve("lockspec-ls.jar");
	private static final Path LAUNCHER = DIR.resolve("lockspec-ls");
	private static Path oldJava;

	@BeforeAll
	static void anOldJvm() throws IOException {
		assertTrue(Files.isRegularFile(JAR), JAR + " is made before the integration tests");
		assertTrue(Files.isExecutable(LAUNCHER), LAUNCHER + " is made, executable, beside the jar");
		oldJava = oldJava(Path.of("/usr/lib/jvm"));
		assumeTrue(oldJava != null, "no JVM older than 21 under /usr/lib/jvm to try the jar and the launcher on");
	}

	@Test
	void theJarOnAnOldJvmSaysWhatItNeeds() throws Exception {
		Process p = new ProcessBuilder(oldJava.toString(), "-jar", JAR.toString()).start();
		p.getOutputStream().close(); // no client: nothing to answer
		assertTrue(p.waitFor(60, TimeUnit.SECONDS), "it stops at once");
		String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		List<String> stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
		assertEquals(Main.TOO_OLD, p.exitValue(), "exit code; stderr: " + stderr);
		assertEquals("", stdout, "stdout is the protocol's");
		assertEquals(1, stderr.size(), "one line: " + stderr);
		assertTrue(stderr.get(0).startsWith("lockspec-ls needs Java 21 or newer; found " + feature(home(oldJava)) + " ("
				+ home(oldJava) + ")"), stderr.get(0));
		System.out.println("lockspec-ls.jar on " + oldJava + ": exit " + p.exitValue() + ", " + stderr.get(0));
	}

	@Test
	void theJarOnAnOldJvmAnswersInitializeWithTheReason(@TempDir Path workspace) throws Exception {
		Process p = new ProcessBuilder(oldJava.toString(), "-jar", JAR.toString())
				.redirectError(workspace.resolve("stderr.txt").toFile()).start();
		Client client = new Client();
		Launcher<LanguageServer> launcher = LSPLauncher.createClientLauncher(client, p.getInputStream(),
				p.getOutputStream());
		launcher.startListening();
		CompletableFuture<InitializeResult> init = launcher.getRemoteProxy().initialize(params(workspace));
		ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
				() -> init.get(60, TimeUnit.SECONDS));
		assertTrue(e.getCause() instanceof ResponseErrorException, String.valueOf(e.getCause()));
		String reason = e.getCause().getMessage();
		assertTrue(reason.startsWith("lockspec-ls needs Java 21 or newer; found " + feature(home(oldJava))), reason);
		assertEquals(List.of(reason), client.shown, "the editor shows the reason too");
		assertTrue(p.waitFor(60, TimeUnit.SECONDS));
		assertEquals(Main.TOO_OLD, p.exitValue());
		System.out.println("lockspec-ls.jar on " + oldJava + ": initialize answered with: " + reason);
	}

	@Test
	void theLauncherFindsAJdk21WhenJava17ComesFirst(@TempDir Path workspace) throws Exception {
		ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString()).redirectError(workspace.resolve("stderr.txt").toFile());
		Map<String, String> env = pb.environment();
		Path home = home(oldJava);
		env.put("JAVA_HOME", home.toString());
		env.put("PATH", home.resolve("bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
		env.put("LOCKSPEC_CACHE", workspace.resolve("cache").toString());
		long start = System.nanoTime();
		Process p = pb.start();
		Launcher<LanguageServer> launcher = LSPLauncher.createClientLauncher(new Client(), p.getInputStream(),
				p.getOutputStream());
		launcher.startListening();
		LanguageServer server = launcher.getRemoteProxy();
		InitializeResult result;
		try {
			result = server.initialize(params(workspace)).get(120, TimeUnit.SECONDS);
		} catch (ExecutionException | java.util.concurrent.TimeoutException e) {
			p.destroyForcibly();
			throw new AssertionError("no answer; the launcher's stderr: " + Files.readString(workspace.resolve("stderr.txt")), e);
		}
		assertEquals("lockspec-ls", result.getServerInfo().getName());
		System.out.println("lockspec-ls launcher with " + home + " first: initialized in "
				+ (System.nanoTime() - start) / 1_000_000 + " ms (first start: unpacks its jars)");
		server.shutdown().get(60, TimeUnit.SECONDS);
		server.exit();
		assertTrue(p.waitFor(60, TimeUnit.SECONDS), "exit ends the server");
		assertEquals(0, p.exitValue());
	}

	private static InitializeParams params(Path workspace) {
		InitializeParams params = new InitializeParams();
		params.setProcessId((int) ProcessHandle.current().pid());
		params.setClientInfo(new ClientInfo("LauncherIT", "1"));
		params.setRootUri(workspace.toUri().toString());
		params.setWorkspaceFolders(List.of(new org.eclipse.lsp4j.WorkspaceFolder(workspace.toUri().toString(), "ws")));
		return params;
	}

	/** The java of a JDK older than 21 under {@code jvms} (the oldest), or null. */
	static Path oldJava(Path jvms) throws IOException {
		if (!Files.isDirectory(jvms)) {
			return null;
		}
		try (Stream<Path> homes = Files.list(jvms)) {
			return homes.filter(h -> Files.isExecutable(h.resolve("bin/java")) && Files.isRegularFile(h.resolve("release")))
					.filter(h -> feature(h) > 0 && feature(h) < Main.NEEDED).min(Comparator.comparingInt(LauncherIT::feature))
					.map(h -> h.resolve("bin/java")).orElse(null);
		}
	}

	/** The JDK of a java, by its real path (as the JVM names its java.home). */
	private static Path home(Path java) throws IOException {
		return java.toRealPath().getParent().getParent();
	}

	/** The feature release a JDK's release file names (JAVA_VERSION="17.0.15"); 0 if it names none. */
	private static int feature(Path home) {
		try {
			for (String line : Files.readAllLines(home.resolve("release"))) {
				if (line.startsWith("JAVA_VERSION=")) {
					return Main.feature(line.substring("JAVA_VERSION=".length()).replace("\"", ""));
				}
			}
		} catch (IOException e) {
			return 0;
		}
		return 0;
	}

	/** An editor that records what the server shows. */
	private static final class Client implements LanguageClient {
		final List<String> shown = new CopyOnWriteArrayList<>();

		@Override
		public void telemetryEvent(Object object) {
		}

		@Override
		public void publishDiagnostics(PublishDiagnosticsParams diagnostics) {
		}

		@Override
		public void showMessage(MessageParams message) {
			shown.add(message.getMessage());
		}

		@Override
		public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams request) {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public void logMessage(MessageParams message) {
		}
	}
}
