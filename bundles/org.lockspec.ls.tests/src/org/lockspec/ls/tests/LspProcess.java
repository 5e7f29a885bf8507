package org.lockspec.ls.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DocumentSymbolCapabilities;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentClientCapabilities;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;

/**
 * A language server started the way an editor starts it (a child process on
 * stdio) and an LSP4J client connected to it, recording what the server publishes.
 */
final class LspProcess implements AutoCloseable {

	/** Every {@code publishDiagnostics}, with the time it arrived. */
	record Published(long nanos, PublishDiagnosticsParams params) {
	}

	final Process process;
	final LanguageServer server;
	final Launcher<LanguageServer> launcher;
	final long startNanos;
	final Path stderr;
	/** Whether the server had to unpack its jars first (set by the test). */
	boolean cold;
	private final List<Published> published = new ArrayList<>();
	private final List<MessageParams> logged = new ArrayList<>();

	private LspProcess(List<String> command, Map<String, String> env, Path dir, Path stderr) throws IOException {
		this.stderr = stderr;
		ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectError(stderr.toFile());
		pb.environment().putAll(env);
		this.startNanos = System.nanoTime();
		this.process = pb.start();
		LanguageClient client = new LanguageClient() {
			@Override
			public void telemetryEvent(Object object) {
			}

			@Override
			public void publishDiagnostics(PublishDiagnosticsParams diagnostics) {
				synchronized (published) {
					published.add(new Published(System.nanoTime(), diagnostics));
					published.notifyAll();
				}
			}

			@Override
			public void showMessage(MessageParams message) {
				synchronized (logged) {
					logged.add(message);
				}
			}

			@Override
			public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams request) {
				return CompletableFuture.completedFuture(null);
			}

			@Override
			public void logMessage(MessageParams message) {
				synchronized (logged) {
					logged.add(message);
				}
			}
		};
		this.launcher = LSPLauncher.createClientLauncher(client, process.getInputStream(), process.getOutputStream());
		this.server = launcher.getRemoteProxy();
		launcher.startListening();
	}

	static LspProcess start(List<String> command, Map<String, String> env, Path dir, Path stderr) throws IOException {
		return new LspProcess(command, env, dir, stderr);
	}

	/** {@code initialize} (root: {@code workspace}) and {@code initialized}, as a typical editor sends them. */
	InitializeResult initialize(Path workspace) throws Exception {
		return initialize(workspace, true);
	}

	/**
	 * {@code initialize} and {@code initialized}; without {@code rootUri} the workspace is named by
	 * {@code workspaceFolders} only, as clients that follow LSP 3.6+ may send it.
	 */
	InitializeResult initialize(Path workspace, boolean rootUri) throws Exception {
		InitializeParams params = new InitializeParams();
		params.setProcessId((int) ProcessHandle.current().pid());
		if (rootUri) {
			params.setRootUri(workspace.toUri().toString());
		}
		params.setWorkspaceFolders(List.of(new WorkspaceFolder(workspace.toUri().toString(), "ws")));
		ClientCapabilities capabilities = new ClientCapabilities();
		TextDocumentClientCapabilities text = new TextDocumentClientCapabilities();
		DocumentSymbolCapabilities symbols = new DocumentSymbolCapabilities();
		symbols.setHierarchicalDocumentSymbolSupport(true);
		text.setDocumentSymbol(symbols);
		capabilities.setTextDocument(text);
		params.setCapabilities(capabilities);
		InitializeResult result = server.initialize(params).get(60, TimeUnit.SECONDS);
		server.initialized(new InitializedParams());
		return result;
	}

	void open(String uri, String text) {
		server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "lockspec", 1, text)));
	}

	/** The first publish for {@code uri} that satisfies {@code test}, at or after index {@code from}; fails after the timeout. */
	Published await(String uri, int from, Predicate<PublishDiagnosticsParams> test, long timeoutSeconds)
			throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
		synchronized (published) {
			while (true) {
				for (int i = from; i < published.size(); i++) {
					Published p = published.get(i);
					if (p.params().getUri().equals(uri) && test.test(p.params())) {
						return p;
					}
				}
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					throw new AssertionError("no matching diagnostics for " + uri + " within " + timeoutSeconds
							+ " s; published: " + published.stream().map(p -> p.params().toString()).toList()
							+ "\nserver stderr:\n" + stderrText());
				}
				published.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
			}
		}
	}

	/** How many publishes have arrived so far (an index for {@link #await}). */
	int publishedCount() {
		synchronized (published) {
			return published.size();
		}
	}

	/** Sends shutdown and exit; returns the exit code of the process. */
	int shutdownAndExit() throws Exception {
		server.shutdown().get(30, TimeUnit.SECONDS);
		server.exit();
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			throw new AssertionError("the server did not end within 30 s of exit\n" + stderrText());
		}
		return process.exitValue();
	}

	String stderrText() {
		try {
			return Files.readString(stderr, StandardCharsets.UTF_8);
		} catch (IOException e) {
			return "(unreadable: " + e + ")";
		}
	}

	@Override
	public void close() {
		if (process.isAlive()) {
			process.destroyForcibly();
		}
	}
}
