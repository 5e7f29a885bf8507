package org.lockspec.ls;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.services.LanguageClient;
import org.lockspec.workspace.SpecSet;

import com.google.inject.Singleton;

/**
 * The one place diagnostics reach the client. A document's diagnostics are two
 * lists: validation (Xtext's, republished on every change) and the prover's
 * (computed on open and save, in the background); every publish sends both,
 * so neither ever erases the other.
 */
@Singleton
public class DiagnosticsHub {

	/** {@code source} of validation diagnostics (syntax, linking, {@code @Check} rules). */
	public static final String VALIDATION = "lockspec";

	private LanguageClient client;
	private final Map<String, PublishDiagnosticsParams> validation = new HashMap<>();
	private final Map<String, List<Diagnostic>> prover = new HashMap<>();

	/**
	 * {@code client} as Xtext's server should see it: its {@code publishDiagnostics}
	 * goes through this hub; everything else goes straight to the client.
	 */
	public synchronized LanguageClient wrap(LanguageClient remote) {
		this.client = remote;
		InvocationHandler handler = (proxy, method, args) -> {
			if (method.getName().equals("publishDiagnostics") && args != null && args.length == 1
					&& args[0] instanceof PublishDiagnosticsParams params) {
				publishValidation(params);
				return null;
			}
			if (method.getDeclaringClass() == Object.class) {
				return switch (method.getName()) {
				case "equals" -> proxy == args[0];
				case "hashCode" -> System.identityHashCode(proxy);
				default -> "DiagnosticsHub(" + remote + ")";
				};
			}
			try {
				return method.invoke(remote, args);
			} catch (InvocationTargetException e) {
				throw e.getCause();
			}
		};
		return (LanguageClient) Proxy.newProxyInstance(LanguageClient.class.getClassLoader(),
				new Class<?>[] { LanguageClient.class }, handler);
	}

	/** Xtext's validation of {@code params.uri}: replaces the previous one, keeps the prover's. */
	synchronized void publishValidation(PublishDiagnosticsParams params) {
		for (Diagnostic d : params.getDiagnostics()) {
			if (d.getSource() == null) {
				d.setSource(VALIDATION);
			}
		}
		validation.put(params.getUri(), params);
		send(params.getUri());
	}

	/**
	 * The build of {@code uri} failed (Xtext logged why): instead of leaving the
	 * document without diagnostics, say so on its first line, in the words the
	 * command line uses for the same failure.
	 */
	public synchronized void publishFailure(String uri, Throwable failure) {
		boolean deep = false;
		for (Throwable t = failure; t != null && !deep; t = t.getCause()) {
			deep = t instanceof StackOverflowError;
		}
		String message = deep ? "this file nests expressions or blocks too deeply to be read"
				: "Lockspec failed while reading this file (" + failure + "); this is a bug in Lockspec, not in your spec";
		Diagnostic d = new Diagnostic(new Range(new Position(0, 0), new Position(0, 0)), message,
				DiagnosticSeverity.Error, VALIDATION, deep ? SpecSet.TOO_DEEP : SpecSet.INTERNAL);
		validation.put(uri, new PublishDiagnosticsParams(uri, List.of(d)));
		send(uri);
	}

	/** The prover's diagnostics of {@code uri} (empty: none): replace the previous ones, keep validation's. */
	public synchronized void publishProver(String uri, List<Diagnostic> diagnostics) {
		List<Diagnostic> before = diagnostics.isEmpty() ? prover.remove(uri) : prover.put(uri, List.copyOf(diagnostics));
		if (!diagnostics.isEmpty() || before != null) {
			send(uri);
		}
	}

	private void send(String uri) {
		if (client == null) {
			return;
		}
		PublishDiagnosticsParams v = validation.get(uri);
		List<Diagnostic> all = new ArrayList<>();
		if (v != null) {
			all.addAll(v.getDiagnostics());
		}
		all.addAll(prover.getOrDefault(uri, List.of()));
		PublishDiagnosticsParams params = new PublishDiagnosticsParams(uri, all);
		if (v != null && v.getVersion() != null) {
			params.setVersion(v.getVersion());
		}
		client.publishDiagnostics(params);
	}
}
