package org.lockspec.ls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.apache.log4j.Logger;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DidSaveTextDocumentParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.SaveOptions;
import org.eclipse.lsp4j.ServerCapabilities;
import org.eclipse.lsp4j.ServerInfo;
import org.eclipse.lsp4j.TextDocumentSyncKind;
import org.eclipse.lsp4j.TextDocumentSyncOptions;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.xtext.ide.server.BuildManager.Buildable;
import org.eclipse.xtext.ide.server.LanguageServerImpl;
import org.eclipse.xtext.ide.server.UriExtensions;
import org.eclipse.xtext.service.OperationCanceledError;

import com.google.inject.Inject;

/**
 * Xtext's language server with Lockspec's additions: diagnostics go through the
 * {@link DiagnosticsHub} (validation and prover findings side by side), the
 * prover runs on open and on save ({@link ProverDiagnostics}), and clients are
 * asked for save notifications. Code actions (the editor's quick fixes) and
 * formatting come from the language's IDE services
 * ({@code org.lockspec.ide.server}), which Xtext's capabilities announce.
 */
public class LockspecLanguageServer extends LanguageServerImpl {

	private static final Logger LOG = Logger.getLogger(LockspecLanguageServer.class);

	@Inject
	private DiagnosticsHub diagnostics;
	@Inject
	private ProverDiagnostics prover;
	@Inject
	private UriExtensions uris;

	private volatile boolean shutdownRequested;

	@Override
	public void connect(LanguageClient client) {
		super.connect(diagnostics.wrap(client));
	}

	@Override
	public CompletableFuture<InitializeResult> initialize(InitializeParams params) {
		boolean folders = params.getWorkspaceFolders() != null && !params.getWorkspaceFolders().isEmpty();
		if (params.getRootUri() == null && params.getRootPath() == null && folders) {
			// LSP 3.6+ clients may name folders only; Xtext reads the root of a client that does not
			// announce multi-root support from rootUri
			params.setRootUri(params.getWorkspaceFolders().get(0).getUri());
		} else if (params.getRootUri() == null && params.getRootPath() == null) {
			// a client without a workspace (a single file): Xtext needs a root to index
			String root = fallbackRoot().toUri().toString();
			LOG.info("the client named no workspace; using " + root);
			params.setRootUri(root);
			params.setWorkspaceFolders(List.of(new WorkspaceFolder(root, "lockspec")));
		}
		return super.initialize(params).thenApply(result -> {
			result.setServerInfo(new ServerInfo("lockspec-ls", version()));
			return result;
		});
	}

	@Override
	protected ServerCapabilities createServerCapabilities(InitializeParams params) {
		ServerCapabilities capabilities = super.createServerCapabilities(params);
		TextDocumentSyncOptions sync = new TextDocumentSyncOptions();
		sync.setOpenClose(true);
		sync.setChange(TextDocumentSyncKind.Incremental);
		sync.setSave(new SaveOptions(false)); // the prover runs on save: ask for didSave
		capabilities.setTextDocumentSync(sync);
		return capabilities;
	}

	@Override
	public void didOpen(DidOpenTextDocumentParams params) {
		build(params.getTextDocument().getUri(), () -> toBuildable(params));
		prove(params.getTextDocument().getUri());
	}

	@Override
	public void didChange(DidChangeTextDocumentParams params) {
		build(params.getTextDocument().getUri(), () -> toBuildable(params));
	}

	@Override
	public void didSave(DidSaveTextDocumentParams params) {
		super.didSave(params);
		prove(params.getTextDocument().getUri());
	}

	@Override
	public void didClose(DidCloseTextDocumentParams params) {
		prover.forget(key(params.getTextDocument().getUri()));
		super.didClose(params);
	}

	@Override
	public CompletableFuture<Object> shutdown() {
		shutdownRequested = true;
		prover.stop();
		return super.shutdown();
	}

	/**
	 * The root of a client that names none: an empty directory of its own. Not
	 * the directory the server was started in: that may be / or a home directory,
	 * and Xtext would index every file below it. Opened documents are served all
	 * the same; only imports of specs that are not open stay unresolved.
	 */
	static Path fallbackRoot() {
		try {
			Path empty = Files.createTempDirectory("lockspec-ls-");
			empty.toFile().deleteOnExit();
			return empty;
		} catch (IOException e) {
			return Path.of(System.getProperty("java.io.tmpdir"), "lockspec-ls-no-workspace");
		}
	}

	/** Whether the client asked to shut down (the exit code when the stream ends). */
	public boolean shutdownRequested() {
		return shutdownRequested;
	}

	/** The stream ended: stop the background work. */
	void stop() {
		prover.stop();
	}

	/**
	 * Builds as Xtext does ({@code runBuildable}); a build that fails (a document
	 * nested deeper than even the large stacks allow) gives the document an error
	 * diagnostic instead of none.
	 */
	private void build(String clientUri, Supplier<? extends Buildable> buildable) {
		getRequestManager().runWrite(buildable::get, (cancelIndicator, b) -> b.build(cancelIndicator))
				.whenComplete((result, failure) -> {
					if (failure != null && !cancelled(failure)) {
						diagnostics.publishFailure(key(clientUri), failure);
					}
				});
	}

	private static boolean cancelled(Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause()) {
			// OperationCanceledException is Equinox's (org.eclipse.core.runtime), Xtext's cancellation too
			if (t instanceof CancellationException || t instanceof OperationCanceledError
					|| t.getClass().getName().endsWith(".OperationCanceledException")) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Runs the prover on the document once the build under way has taken in its
	 * latest text; the request thread only reads the text, the proof runs on the
	 * prover's own thread.
	 */
	private void prove(String clientUri) {
		String uri = key(clientUri);
		long ticket = prover.ticket(uri);
		getLanguageServerAccess().doRead(clientUri, context -> context.getDocument().getContents())
				.thenAccept(text -> prover.submit(uri, ticket, text)).exceptionally(e -> {
					if (e instanceof CancellationException || e.getCause() instanceof CancellationException) {
						LOG.debug("not proved, the document changed meanwhile: " + clientUri);
					} else {
						LOG.warn("cannot prove " + clientUri + ": " + e);
					}
					return null;
				});
	}

	/** The URI as Xtext publishes diagnostics for it. */
	private String key(String clientUri) {
		return uris.toUriString(uris.toUri(clientUri));
	}

	private static String version() {
		Package p = LockspecLanguageServer.class.getPackage();
		String v = p == null ? null : p.getImplementationVersion();
		return v == null ? "0.1.0" : v;
	}
}
