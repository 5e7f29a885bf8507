package org.lockspec.ls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.log4j.Logger;
import org.eclipse.emf.common.util.URI;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticRelatedInformation;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.xtext.ide.server.UriExtensions;
import org.eclipse.xtext.resource.IResourceServiceProvider;
import org.lockspec.prover.Proofs;
import org.lockspec.prover.render.TextReport;
import org.lockspec.verdict.SpecResult;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Trace;
import org.lockspec.verdict.Verdict;
import org.lockspec.workspace.SpecFiles;
import org.lockspec.workspace.SpecSet;

import com.google.inject.Inject;
import com.google.inject.Injector;
import com.google.inject.Singleton;

/**
 * Prover verdicts as diagnostics, computed on open and on save on a thread of
 * their own (never a request thread) with the same services as
 * {@code lockspec prove}: {@link SpecSet} loads the document's text (and the
 * specs beside it, for imports), {@link Proofs} judges it against its
 * {@code expect} clauses.
 *
 * <ul>
 * <li>a violation no {@code expect} announced: an error at the verdict's
 * location, the counterexample in the message and in {@code relatedInformation}
 * (one entry per step, at its line);</li>
 * <li>an announced violation: information, with the same counterexample;</li>
 * <li>an {@code expect} that did not come true, or is undecided: a warning on it;</li>
 * <li>an undecided obligation: information.</li>
 * </ul>
 * A spec with validation errors is not proved (its prover diagnostics are
 * cleared); a failure of the prover becomes one warning, never a dead server.
 */
@Singleton
public class ProverDiagnostics {

	/** {@code source} of every prover diagnostic. */
	public static final String SOURCE = "lockspec-prover";
	/** Time for a spec's whole proof; an editor cannot wait as long as a CI job. */
	static final Duration TIMEOUT = Duration.ofSeconds(30);
	/** Stops the run under way when the server goes down. */
	private final org.lockspec.analysis.Budget.Cancellation cancellation = new org.lockspec.analysis.Budget.Cancellation();

	private static final Logger LOG = Logger.getLogger(ProverDiagnostics.class);

	@Inject
	private DiagnosticsHub hub;
	@Inject
	private UriExtensions uris;
	@Inject
	private IResourceServiceProvider.Registry languages;

	private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
		Thread t = new Thread(r, "lockspec-ls-prover");
		t.setDaemon(true);
		return t;
	});
	private final AtomicLong tickets = new AtomicLong();
	/** The newest request per document; older ones are dropped unseen. */
	private final Map<String, Long> newest = new ConcurrentHashMap<>();

	/** Takes a ticket for a run on {@code uri}: a later ticket makes this one stale. */
	public long ticket(String uri) {
		long t = tickets.incrementAndGet();
		newest.put(uri, t);
		return t;
	}

	/** Proves {@code text}, the content of {@code uri}, in the background; publishes unless a newer run was asked for. */
	public void submit(String uri, long ticket, String text) {
		try {
			worker.execute(() -> run(uri, ticket, text));
		} catch (java.util.concurrent.RejectedExecutionException e) {
			// stopped: the server is going down
		}
	}

	/** The document was closed: its prover diagnostics go, and a run under way is not published. */
	public void forget(String uri) {
		newest.remove(uri);
		hub.publishProver(uri, List.of());
	}

	/** Stops the worker (the solver process of a run under way with it). */
	public void stop() {
		cancellation.cancel("the language server is stopping");
		worker.shutdownNow();
		try {
			worker.awaitTermination(2, TimeUnit.SECONDS);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	private boolean stale(String uri, long ticket) {
		Long t = newest.get(uri);
		return t == null || t != ticket;
	}

	private void run(String uri, long ticket, String text) {
		if (stale(uri, ticket)) {
			return;
		}
		List<Diagnostic> found;
		try {
			found = prove(uri, text);
		} catch (Throwable t) { // NOPMD: whatever the prover does, the server goes on
			if (worker.isShutdown()) {
				return; // stopped on the way out
			}
			LOG.error("the prover failed on " + uri + ": " + t, t);
			Diagnostic d = new Diagnostic(new Range(new Position(0, 0), new Position(0, 0)),
					"the prover failed on this spec (" + t + "); validation still works. This is a bug in Lockspec.",
					DiagnosticSeverity.Warning, SOURCE, "prover_failure");
			found = List.of(d);
		}
		if (!stale(uri, ticket)) {
			hub.publishProver(uri, found);
		}
	}

	/** The prover diagnostics of a document: empty for a spec with errors or a document that is not a file. */
	List<Diagnostic> prove(String uri, String text) {
		URI emf = uris.toUri(uri);
		if (!emf.isFile()) {
			return List.of(); // an untitled buffer: nothing on disk to resolve imports against
		}
		Path path = Path.of(emf.toFileString()).toAbsolutePath().normalize();
		SpecSet set = SpecSet.load(List.of(path), siblings(path), Map.of(path, text), languageInjector());
		SpecSet.FileResult file = set.results().get(0);
		if (file.hasErrors() || file.unreadable() || file.spec() == null) {
			return List.of(); // validation reports what is wrong; a spec with errors is not proved
		}
		try (Proofs proofs = Proofs.open(Proofs.options(TIMEOUT).withCancellation(cancellation))) {
			return new Rendering(path, text).diagnostics(proofs.prove(file.spec()));
		}
	}

	private Injector languageInjector() {
		IResourceServiceProvider p = languages.getResourceServiceProvider(URI.createURI("synth:///x" + SpecFiles.EXTENSION));
		return p.get(Injector.class);
	}

	/** The specs beside the document, so that its imports resolve (as {@code lockspec prove FILE} does). */
	private static List<Path> siblings(Path path) {
		Path dir = path.getParent();
		if (dir == null) {
			return List.of();
		}
		try (var s = Files.list(dir)) {
			return s.filter(p -> p.toString().endsWith(SpecFiles.EXTENSION)).sorted().toList();
		} catch (IOException | RuntimeException e) {
			return List.of();
		}
	}

	/** A {@link SpecResult} as LSP diagnostics of one document. */
	final class Rendering {
		private final Path path;
		private final String[] lines;

		Rendering(Path path, String text) {
			this.path = path;
			this.lines = text.split("\n", -1);
		}

		List<Diagnostic> diagnostics(SpecResult result) {
			List<Diagnostic> out = new ArrayList<>();
			for (Verdict v : result.verdicts()) {
				if (v.status() == Status.VIOLATED) {
					boolean expected = result.expected(v);
					out.add(violation(v, expected));
				} else if (v.status() == Status.UNKNOWN) {
					out.add(diagnostic(v.location(), "undecided: " + v.id() + ": " + v.message(),
							DiagnosticSeverity.Information, v.obligation().id()));
				}
			}
			for (SpecResult.Expectation e : result.expectations()) {
				switch (e.result()) {
				case NOT_MET -> out.add(diagnostic(e.location(), "not as expected: '" + e.text() + "'"
						+ (e.scenario() == null ? "" : " (scenario " + e.scenario() + ")") + ": " + e.why(),
						DiagnosticSeverity.Warning, "expectation_not_met"));
				case UNKNOWN -> out.add(diagnostic(e.location(), "undecided: '" + e.text() + "'"
						+ (e.scenario() == null ? "" : " (scenario " + e.scenario() + ")") + ": " + e.why(),
						DiagnosticSeverity.Warning, "expectation_unknown"));
				case MET -> {
					// as the spec says: nothing to show
				}
				}
			}
			return out;
		}

		private Diagnostic violation(Verdict v, boolean expected) {
			StringBuilder message = new StringBuilder(expected ? "violated, as expected: " : "violated: ");
			message.append(v.id()).append(": ").append(v.message());
			List<String> columns = v.trace() == null ? List.of() : TextReport.columns(v.trace());
			for (String line : columns) {
				message.append('\n').append(line);
			}
			Diagnostic d = diagnostic(v.location(), message.toString(),
					expected ? DiagnosticSeverity.Information : DiagnosticSeverity.Error, v.obligation().id());
			if (v.trace() != null) {
				List<DiagnosticRelatedInformation> steps = new ArrayList<>();
				List<Trace.Event> events = v.trace().events();
				for (int i = 0; i < events.size(); i++) {
					Trace.Event e = events.get(i);
					String row = i + 2 < columns.size() ? columns.get(i + 2) : e.text();
					String cell = row.replaceFirst("^l\\.\\d+", "").strip();
					String lane = e.lane() < v.trace().lanes().size() ? v.trace().lanes().get(e.lane()).cpu() + ": " : "";
					steps.add(new DiagnosticRelatedInformation(location(e.at()), lane + cell));
				}
				d.setRelatedInformation(steps);
			}
			return d;
		}

		private Diagnostic diagnostic(org.lockspec.verdict.Location at, String message,
				DiagnosticSeverity severity, String code) {
			Diagnostic d = new Diagnostic(here(at) ? range(at) : range(1, 1), here(at) ? message
					: message + "\n(at " + at + ")", severity, SOURCE, code);
			return d;
		}

		private boolean here(org.lockspec.verdict.Location at) {
			try {
				return at != null && Path.of(at.file()).toAbsolutePath().normalize().equals(path);
			} catch (RuntimeException e) {
				return false;
			}
		}

		private Location location(org.lockspec.verdict.Location at) {
			if (here(at)) {
				return new Location(uris.toUriString(URI.createFileURI(path.toString())), range(at));
			}
			String file = at == null ? path.toString() : at.file();
			int line = at == null ? 1 : at.line();
			return new Location(uris.toUriString(URI.createFileURI(file)),
					new Range(new Position(line - 1, 0), new Position(line - 1, 0)));
		}

		private Range range(org.lockspec.verdict.Location at) {
			return range(at.line(), at.column());
		}

		/** From the 1-based position to the end of its line, trailing comment and blanks left out. */
		private Range range(int line, int column) {
			int l = Math.max(0, Math.min(line - 1, lines.length - 1));
			String text = lines[l];
			int c = Math.max(0, Math.min(column - 1, text.length()));
			int comment = text.indexOf("//", c);
			String code = comment >= 0 ? text.substring(0, comment) : text;
			int end = code.stripTrailing().length();
			return new Range(new Position(l, c), new Position(l, Math.max(c, end)));
		}
	}
}
