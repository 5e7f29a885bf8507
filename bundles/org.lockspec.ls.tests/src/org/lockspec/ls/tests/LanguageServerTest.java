package org.lockspec.ls.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionContext;
import org.eclipse.lsp4j.CodeActionKind;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.Command;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionList;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticRelatedInformation;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidSaveTextDocumentParams;
import org.eclipse.lsp4j.DocumentFormattingParams;
import org.eclipse.lsp4j.DocumentRangeFormattingParams;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.FormattingOptions;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.LocationLink;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.ReferenceContext;
import org.eclipse.lsp4j.ReferenceParams;
import org.eclipse.lsp4j.SemanticTokens;
import org.eclipse.lsp4j.SemanticTokensParams;
import org.eclipse.lsp4j.SymbolInformation;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.services.TextDocumentService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.lockspec.tests.Examples;

/**
 * The language server as users run it: {@code java -jar lockspec-ls.jar} (and
 * {@code ./lockspec lsp}) as a child process, driven by LSP4J's client launcher.
 * The jar is built by the {@code lockspec-ls} module, which the reactor builds
 * before this bundle. Start-up times are printed, not asserted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LanguageServerTest {

	private static final long TIMEOUT = 60;
	private static final String SEED = "spec-examples/002-aer-sriov/buggy.lockspec";
	/** Where the jar unpacks its bundles: fresh for this test class, so the first start is a cold one. */
	private static Path cache;

	@TempDir
	Path workspace;

	@BeforeAll
	static void freshCache() throws IOException {
		cache = Files.createTempDirectory("lockspec-ls-cache-");
	}

	@AfterAll
	static void dropCache() throws IOException {
		try (Stream<Path> s = Files.walk(cache)) {
			s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		}
	}

	static Path jar() {
		Path jar = Examples.root().resolve("lockspec-ls/target/lockspec-ls.jar");
		assertTrue(Files.isRegularFile(jar), jar + " is missing: the lockspec-ls module builds it before this bundle");
		return jar;
	}

	/** The JDK running this test, as an editor would run java. */
	static String java() {
		return ProcessHandle.current().info().command().orElseThrow();
	}

	private LspProcess startJar(String what) throws IOException {
		boolean cold;
		try (Stream<Path> s = Files.list(cache)) {
			cold = s.findAny().isEmpty();
		}
		LspProcess p = LspProcess.start(List.of(java(), "-jar", jar().toString()),
				Map.of("LOCKSPEC_CACHE", cache.toString()), workspace, workspace.resolve(".server-" + what + ".stderr"));
		p.cold = cold;
		return p;
	}

	private static String seed() throws IOException {
		return Files.readString(Examples.root().resolve(SEED), StandardCharsets.UTF_8);
	}

	/** 0-based line of the first line of {@code text} that contains {@code needle}. */
	static int lineOf(String text, String needle) {
		String[] lines = text.split("\n", -1);
		for (int i = 0; i < lines.length; i++) {
			if (lines[i].contains(needle)) {
				return i;
			}
		}
		throw new AssertionError("no line contains " + needle);
	}

	static Position at(String text, String lineNeedle, String word) {
		int line = lineOf(text, lineNeedle);
		return new Position(line, text.split("\n", -1)[line].indexOf(word) + 1);
	}

	static void report(String what, LspProcess p, LspProcess.Published first) {
		long ms = TimeUnit.NANOSECONDS.toMillis(first.nanos() - p.startNanos);
		System.out.println("lockspec-ls: " + what + ": start-up to the first diagnostics: " + ms + " ms"
				+ (ms < 3000 ? " (under 3 s)" : " (OVER 3 s)"));
	}

	private static boolean hasError(PublishDiagnosticsParams p) {
		return p.getDiagnostics().stream().anyMatch(d -> d.getSeverity() == DiagnosticSeverity.Error);
	}

	/** A diagnostic's message (LSP 3.18 allows Markdown there; Lockspec sends text). */
	static String text(Diagnostic d) {
		return d.getMessage().isLeft() ? d.getMessage().getLeft() : d.getMessage().getRight().getValue();
	}

	private static List<Diagnostic> prover(PublishDiagnosticsParams p) {
		return p.getDiagnostics().stream().filter(d -> "lockspec-prover".equals(d.getSource())).toList();
	}

	@Test
	@Order(1)
	void theJarServesAnEditor() throws Exception {
		String seed = seed();
		Path file = workspace.resolve("buggy.lockspec");
		Files.writeString(file, seed);
		String uri = file.toUri().toString();
		String planted = seed.replace("  call pci_enable_sriov(pf)\n  unlock pf.dev_lock", "  call pci_enable_srio(pf)\n  unlock pf.dev_lock");
		assertFalse(planted.equals(seed));
		int plantedLine = lineOf(planted, "call pci_enable_srio(pf)");

		try (LspProcess ls = startJar("jar")) {
			InitializeResult init = ls.initialize(workspace);
			assertEquals("lockspec-ls", init.getServerInfo().getName());
			assertTrue(init.getCapabilities().getHoverProvider().getLeft());
			assertNotNull(init.getCapabilities().getSemanticTokensProvider());

			// an error planted in a seed: diagnosed at its line
			ls.open(uri, planted);
			LspProcess.Published first = ls.await(uri, 0, LanguageServerTest::hasError, TIMEOUT);
			report("java -jar lockspec-ls.jar (" + (ls.cold ? "first start: unpacks its jars" : "warm") + ")", ls, first);
			Diagnostic error = first.params().getDiagnostics().stream()
					.filter(d -> d.getSeverity() == DiagnosticSeverity.Error).findFirst().orElseThrow();
			assertEquals(plantedLine, error.getRange().getStart().getLine(), error.toString());
			assertTrue(text(error).contains("pci_enable_srio"), text(error));

			// fixed, with the top-level 'expect deadlock' taken out: clean, then on save the prover finds the deadlock
			String unannounced = seed.replaceFirst("\nexpect deadlock\n", "\n\n");
			int mark = ls.publishedCount();
			change(ls.server.getTextDocumentService(), uri, 2, unannounced);
			ls.await(uri, mark, p -> !hasError(p), TIMEOUT);
			ls.server.getTextDocumentService().didSave(new DidSaveTextDocumentParams(new TextDocumentIdentifier(uri)));
			PublishDiagnosticsParams proved = ls.await(uri, mark, p -> !prover(p).isEmpty(), TIMEOUT).params();
			Diagnostic deadlock = prover(proved).stream()
					.filter(d -> d.getSeverity() == DiagnosticSeverity.Error && text(d).contains("lock_order"))
					.findFirst().orElseThrow(() -> new AssertionError("no unannounced deadlock in " + proved));
			assertEquals(lineOf(unannounced, "lock pci_bus_sem write"), deadlock.getRange().getStart().getLine());
			assertTrue(text(deadlock).contains("*** DEADLOCK ***"), text(deadlock));
			List<DiagnosticRelatedInformation> steps = deadlock.getRelatedInformation();
			assertEquals(4, steps.size(), steps.toString());
			assertEquals(lineOf(unannounced, "lock pf.dev_lock"), steps.get(0).getLocation().getRange().getStart().getLine());
			assertTrue(steps.get(0).getMessage().contains("lock pf.dev_lock"), steps.get(0).getMessage());
			assertTrue(steps.stream().allMatch(s -> s.getLocation().getUri().equals(uri)), steps.toString());
			// the announced scenario deadlock: information, with its trace
			assertTrue(prover(proved).stream().anyMatch(d -> d.getSeverity() == DiagnosticSeverity.Information
					&& text(d).contains("probe_vs_aer/deadlock") && !d.getRelatedInformation().isEmpty()),
					proved.toString());
			System.out.println("lockspec-ls: prover on save: " + prover(proved).size() + " diagnostics; the unannounced one:\n"
					+ text(deadlock) + "\n  related: " + steps.stream()
							.map(s -> "l." + (s.getLocation().getRange().getStart().getLine() + 1) + " " + s.getMessage())
							.collect(Collectors.joining("; ")));

			TextDocumentService docs = ls.server.getTextDocumentService();
			TextDocumentIdentifier doc = new TextDocumentIdentifier(uri);
			int declLine = lineOf(unannounced, "lock pci_bus_sem : rwsem");

			// hover on a lock: its kind and whether it sleeps
			Hover global = docs.hover(new HoverParams(doc, at(unannounced, "lock pci_bus_sem : rwsem", "pci_bus_sem")))
					.get(TIMEOUT, TimeUnit.SECONDS);
			String globalText = global.getContents().getRight().getValue();
			assertTrue(globalText.contains("rwsem") && globalText.contains("sleeps"), globalText);
			assertTrue(globalText.contains("DECLARE_RWSEM"), "the comment after the declaration: " + globalText);
			Hover member = docs.hover(new HoverParams(doc, at(unannounced, "  lock pf.dev_lock", "dev_lock")))
					.get(TIMEOUT, TimeUnit.SECONDS);
			String memberText = member.getContents().getRight().getValue();
			assertTrue(memberText.contains("mutex") && memberText.contains("one per `PciDev`"), memberText);
			System.out.println("lockspec-ls: hover on pf.dev_lock: " + memberText.replace("\n", " | "));

			// go to definition: a use of a lock jumps to its declaration
			Either<List<? extends Location>, List<? extends LocationLink>> definition = docs
					.definition(new DefinitionParams(doc, at(unannounced, "lock pci_bus_sem write", "pci_bus_sem")))
					.get(TIMEOUT, TimeUnit.SECONDS);
			List<? extends Location> targets = definition.getLeft();
			assertEquals(1, targets.size(), targets.toString());
			assertEquals(uri, targets.get(0).getUri());
			assertEquals(declLine, targets.get(0).getRange().getStart().getLine());

			// find references of the declaration
			ReferenceParams refs = new ReferenceParams(doc, at(unannounced, "lock pci_bus_sem : rwsem", "pci_bus_sem"),
					new ReferenceContext(true));
			List<? extends Location> uses = docs.references(refs).get(TIMEOUT, TimeUnit.SECONDS);
			Set<Integer> useLines = uses.stream().map(l -> l.getRange().getStart().getLine()).collect(Collectors.toSet());
			assertTrue(useLines.contains(lineOf(unannounced, "lock pci_bus_sem write"))
					&& useLines.contains(lineOf(unannounced, "lock pci_bus_sem read")), uses.toString());

			// outline
			List<Either<SymbolInformation, DocumentSymbol>> outline = docs.documentSymbol(new DocumentSymbolParams(doc))
					.get(TIMEOUT, TimeUnit.SECONDS);
			assertEquals(1, outline.size(), outline.toString());
			DocumentSymbol spec = outline.get(0).getRight();
			assertEquals("pci.aer_sriov.buggy", spec.getName());
			List<String> names = spec.getChildren().stream().map(DocumentSymbol::getName).toList();
			assertTrue(names.containsAll(List.of("pci_bus_sem", "PciDev", "driver_probe", "aer_recover", "probe_vs_aer")),
					names.toString());
			DocumentSymbol pciDev = spec.getChildren().stream().filter(s -> s.getName().equals("PciDev")).findFirst()
					.orElseThrow();
			assertEquals(List.of("bus", "dev_lock", "is_virtfn"),
					pciDev.getChildren().stream().map(DocumentSymbol::getName).toList());

			// semantic tokens
			SemanticTokens tokens = docs.semanticTokensFull(new SemanticTokensParams(doc)).get(TIMEOUT, TimeUnit.SECONDS);
			assertTrue(tokens.getData().size() > 100 && tokens.getData().size() % 5 == 0, tokens.toString());

			// completion inside an op body offers the declared locks: a new 'lock ' line, and 'lock dev.' in the loop
			String typing = unannounced.replace("  lock pci_bus_sem read\n", "  lock pci_bus_sem read\n  lock \n")
					.replace("    lock dev.dev_lock ", "    lock dev.\n    lock dev.dev_lock ");
			mark = ls.publishedCount();
			change(docs, uri, 3, typing);
			PublishDiagnosticsParams afterTyping = ls.await(uri, mark, LanguageServerTest::hasError, TIMEOUT).params();
			assertFalse(prover(afterTyping).isEmpty(), "validation publishes keep the prover's findings: " + afterTyping);
			int line = typingLine(typing, "  lock \n");
			List<String> globals = labels(docs.completion(new CompletionParams(doc, new Position(line, 7)))
					.get(TIMEOUT, TimeUnit.SECONDS));
			assertTrue(globals.contains("pci_bus_sem"), globals.toString());
			assertFalse(globals.contains("pci.aer_sriov.buggy.pci_bus_sem") || globals.contains("true")
					|| globals.contains("("), "only what a lock is reached through: " + globals);
			int memberLine = typingLine(typing, "    lock dev.");
			List<String> members = labels(docs.completion(new CompletionParams(doc, new Position(memberLine, 13)))
					.get(TIMEOUT, TimeUnit.SECONDS));
			assertTrue(members.contains("dev_lock"), members.toString());
			assertFalse(members.contains("is_virtfn"), "a bool field is no lock: " + members);
			System.out.println("lockspec-ls: completion after 'lock ': " + globals + "; after 'lock dev.': " + members);

			// shutdown and exit end the process cleanly
			assertEquals(0, ls.shutdownAndExit(), ls.stderrText());
		}
	}

	@Test
	@Order(2)
	void codeActionsFormattingAndLockModes() throws Exception {
		String seed = seed();
		String broken = seed.replace("lock pci_bus_sem write", "lock pci_bus_sem").replace("  lock pf.dev_lock\n",
				"  lock pf.dev_lock read\n");
		Path file = workspace.resolve("broken.lockspec");
		Files.writeString(file, broken);
		String uri = file.toUri().toString();
		try (LspProcess ls = startJar("actions")) {
			InitializeResult init = ls.initialize(workspace);
			assertTrue(init.getCapabilities().getCodeActionProvider().getLeft(), "code actions are announced");
			assertTrue(init.getCapabilities().getDocumentFormattingProvider().getLeft(), "formatting is announced");
			TextDocumentService docs = ls.server.getTextDocumentService();
			TextDocumentIdentifier doc = new TextDocumentIdentifier(uri);

			// the editor's quick fixes, as code actions: take the rwsem's write side, drop a mutex's mode
			ls.open(uri, broken);
			List<Diagnostic> errors = ls.await(uri, 0, LanguageServerTest::hasError, TIMEOUT).params().getDiagnostics();
			Diagnostic missing = withCode(errors, "org.lockspec.mode_missing");
			Diagnostic notSupported = withCode(errors, "org.lockspec.mode_not_supported");
			Map<String, CodeAction> fixes = codeActions(docs, doc, missing);
			assertEquals(Set.of("Take the lock's read side ('read')", "Take the lock's write side ('write')"), fixes.keySet());
			String fixed = applied(broken, uri, fixes.get("Take the lock's write side ('write')"));
			assertEquals(broken.replace("  lock pci_bus_sem\n", "  lock pci_bus_sem write\n"), fixed);
			CodeAction removeMode = codeActions(docs, doc, notSupported).get("Remove the mode (this kind of lock has no read or write side)");
			assertNotNull(removeMode);
			assertEquals(seed, applied(fixed, uri, removeMode));

			// the prover's "still held" on save: unlock it before the op returns
			String leaky = "spec leak.demo\n\nlock m : mutex\n\nop leaky() in process {\n  lock m\n}\n";
			String leakUri = workspace.resolve("held.lockspec").toUri().toString();
			ls.open(leakUri, leaky);
			docs.didSave(new DidSaveTextDocumentParams(new TextDocumentIdentifier(leakUri)));
			Diagnostic held = withCode(ls.await(leakUri, 0, p -> p.getDiagnostics().stream()
					.anyMatch(d -> d.getCode() != null && "lock_hygiene".equals(d.getCode().getLeft())), TIMEOUT).params()
					.getDiagnostics(), "lock_hygiene");
			Map<String, CodeAction> heldFixes = codeActions(docs, new TextDocumentIdentifier(leakUri), held);
			assertEquals("spec leak.demo\n\nlock m : mutex\n\nop leaky() in process {\n  lock m\n  unlock m\n}\n",
					applied(leaky, leakUri, heldFixes.get("Unlock 'm' before 'leaky' returns")), heldFixes.keySet().toString());

			// formatting: the golden of bundles/org.lockspec.tests/formatting, and a range only changes what is in it
			Path formatting = Examples.root().resolve("bundles/org.lockspec.tests/formatting");
			String messy = Files.readString(formatting.resolve("messy.lockspec"));
			String messyUri = workspace.resolve("messy.lockspec").toUri().toString();
			ls.open(messyUri, messy);
			ls.await(messyUri, 0, p -> true, TIMEOUT);
			TextDocumentIdentifier messyDoc = new TextDocumentIdentifier(messyUri);
			List<? extends TextEdit> all = docs.formatting(new DocumentFormattingParams(messyDoc, new FormattingOptions(4, true)))
					.get(TIMEOUT, TimeUnit.SECONDS);
			assertEquals(Files.readString(formatting.resolve("formatted.lockspec")), apply(messy, all));
			int enable = lineOf(messy, "op enable(");
			Range lastOp = new Range(new Position(enable, 0), new Position(enable + 4, 0));
			List<? extends TextEdit> some = docs.rangeFormatting(new DocumentRangeFormattingParams(messyDoc,
					new FormattingOptions(4, true), lastOp)).get(TIMEOUT, TimeUnit.SECONDS);
			assertTrue(!some.isEmpty() && some.size() < all.size(), some.toString());
			assertTrue(some.stream().allMatch(e -> e.getRange().getStart().getLine() >= enable), some.toString());
			assertTrue(apply(messy, some).contains("op enable(a: PciDev, b: PciDev) {\n  a.enabled = a.enabled &&\n    b.enabled\n}"),
					apply(messy, some));

			// completion after a rwsem: its sides first; after a mutex: none
			String typing = seed.replace("  lock pci_bus_sem read\n", "  lock pci_bus_sem \n").replace("    lock dev.dev_lock ",
					"    lock dev.dev_lock \n    unlock dev.dev_lock\n    lock dev.dev_lock ");
			String typingUri = workspace.resolve("typing.lockspec").toUri().toString();
			ls.open(typingUri, typing);
			ls.await(typingUri, 0, p -> true, TIMEOUT);
			TextDocumentIdentifier typingDoc = new TextDocumentIdentifier(typingUri);
			int rwsemLine = typingLine(typing, "  lock pci_bus_sem \n");
			List<String> afterRwsem = labels(docs.completion(new CompletionParams(typingDoc, new Position(rwsemLine, 19)))
					.get(TIMEOUT, TimeUnit.SECONDS));
			assertEquals(Set.of("read", "write"), Set.copyOf(afterRwsem.subList(0, 2)), "the rwsem's sides first: " + afterRwsem);
			int mutexLine = typingLine(typing, "    lock dev.dev_lock \n");
			List<String> afterMutex = labels(docs.completion(new CompletionParams(typingDoc, new Position(mutexLine, 22)))
					.get(TIMEOUT, TimeUnit.SECONDS));
			assertFalse(afterMutex.contains("read") || afterMutex.contains("write"), "a mutex has no sides: " + afterMutex);
			// after a completion's statement: the completions, and what they are reached through; no lock
			String waits = "spec waits.demo\n\nlock m : mutex\ncompletion all_done\n\nobject Dev {\n  lock dev_lock : mutex\n"
					+ "  completion done\n  gate node\n}\n\nop waiter(d: Dev) in process {\n  wait_for_completion \n"
					+ "  wait_for_completion d.\n}\n";
			String waitsUri = workspace.resolve("waits.lockspec").toUri().toString();
			ls.open(waitsUri, waits);
			ls.await(waitsUri, 0, p -> true, TIMEOUT);
			TextDocumentIdentifier waitsDoc = new TextDocumentIdentifier(waitsUri);
			List<String> afterWait = labels(docs.completion(new CompletionParams(waitsDoc,
					new Position(typingLine(waits, "  wait_for_completion \n"), 22))).get(TIMEOUT, TimeUnit.SECONDS));
			assertTrue(afterWait.contains("all_done") && afterWait.contains("d"), afterWait.toString());
			assertFalse(afterWait.contains("m") || afterWait.contains("lock"), "no lock, no keyword: " + afterWait);
			List<String> afterWaitDot = labels(docs.completion(new CompletionParams(waitsDoc,
					new Position(typingLine(waits, "  wait_for_completion d.\n"), 24))).get(TIMEOUT, TimeUnit.SECONDS));
			assertEquals(List.of("done"), afterWaitDot, "only the completion of Dev");
			System.out.println("lockspec-ls: completion after 'lock pci_bus_sem ': " + afterRwsem.subList(0, Math.min(6,
					afterRwsem.size())) + " ...; code actions for a missing mode: " + fixes.keySet());
			assertEquals(0, ls.shutdownAndExit(), ls.stderrText());
		}
	}

	private static Diagnostic withCode(List<Diagnostic> diagnostics, String code) {
		return diagnostics.stream().filter(d -> d.getCode() != null && code.equals(d.getCode().getLeft())).findFirst()
				.orElseThrow(() -> new AssertionError("no " + code + " among " + diagnostics));
	}

	/** The code actions for one diagnostic, by title. */
	private static Map<String, CodeAction> codeActions(TextDocumentService docs, TextDocumentIdentifier doc, Diagnostic d)
			throws Exception {
		List<Either<Command, CodeAction>> actions = docs.codeAction(new CodeActionParams(doc, d.getRange(),
				new CodeActionContext(List.of(d)))).get(TIMEOUT, TimeUnit.SECONDS);
		Map<String, CodeAction> byTitle = new java.util.LinkedHashMap<>();
		for (Either<Command, CodeAction> a : actions) {
			assertTrue(a.isRight(), "a code action, not a bare command: " + a);
			assertEquals(CodeActionKind.QuickFix, a.getRight().getKind());
			byTitle.put(a.getRight().getTitle(), a.getRight());
		}
		return byTitle;
	}

	/** {@code text} with a code action's edits of document {@code uri} made. */
	private static String applied(String text, String uri, CodeAction action) {
		assertNotNull(action, "no such code action");
		List<TextEdit> edits = action.getEdit().getChanges().get(uri);
		assertNotNull(edits, "the action edits " + action.getEdit().getChanges().keySet() + ", not " + uri);
		return apply(text, edits);
	}

	/** LSP edits all refer to the text before any of them: made last first. */
	static String apply(String text, List<? extends TextEdit> edits) {
		StringBuilder b = new StringBuilder(text);
		edits.stream().sorted(Comparator.comparing((TextEdit e) -> offset(text, e.getRange().getStart())).reversed())
				.forEach(e -> b.replace(offset(text, e.getRange().getStart()), offset(text, e.getRange().getEnd()),
						e.getNewText()));
		return b.toString();
	}

	private static int offset(String text, Position p) {
		int offset = 0;
		for (int line = 0; line < p.getLine(); line++) {
			offset = text.indexOf('\n', offset) + 1;
		}
		return offset + p.getCharacter();
	}

	@Test
	@Order(3)
	void aFailingRequestIsAnsweredAndTheServerGoesOn() throws Exception {
		Path file = workspace.resolve("buggy.lockspec");
		String seed = seed();
		Files.writeString(file, seed);
		String uri = file.toUri().toString();
		try (LspProcess ls = startJar("robustness")) {
			ls.initialize(workspace);
			ls.open(uri, seed);
			report("java -jar lockspec-ls.jar (" + (ls.cold ? "first start: unpacks its jars" : "warm") + ")", ls,
					ls.await(uri, 0, p -> true, TIMEOUT));
			TextDocumentService docs = ls.server.getTextDocumentService();
			TextDocumentIdentifier doc = new TextDocumentIdentifier(uri);

			// malformed documents give diagnostics, not a dead server (deep: one ')' short, 200,000 levels down)
			Map<String, String> malformed = Map.of( //
					"garbage.lockspec", "\u0000\u0007spec {{{ ]]] op ( \uFFFD \"unterminated", //
					"truncated.lockspec", seed.substring(0, seed.indexOf("op aer_recover") + 20), //
					"deep.lockspec", "spec deep\ninvariant i: " + "(".repeat(200_000) + "true" + ")".repeat(199_999) + "\n", //
					"empty.lockspec", "");
			for (var e : malformed.entrySet()) {
				String u = workspace.resolve(e.getKey()).toUri().toString();
				ls.open(u, e.getValue());
				ls.await(u, 0, LanguageServerTest::hasError, TIMEOUT);
			}

			// a request that throws is answered with an error
			CompletableFuture<Hover> beyond = docs.hover(new HoverParams(doc, new Position(10_000, 3)));
			try {
				Hover h = beyond.get(TIMEOUT, TimeUnit.SECONDS);
				assertTrue(h == null || h.getContents() == null || h.getContents().getRight().getValue().isEmpty(),
						String.valueOf(h));
			} catch (ExecutionException e) {
				assertTrue(e.getCause() instanceof ResponseErrorException, e.toString());
				System.out.println("lockspec-ls: hover beyond the end answered: " + e.getCause().getMessage());
			}
			try {
				ls.launcher.getRemoteEndpoint().request("lockspec/noSuchMethod", null).get(TIMEOUT, TimeUnit.SECONDS);
				fail("an unknown method must be answered with an error");
			} catch (ExecutionException e) {
				assertTrue(e.getCause() instanceof ResponseErrorException, e.toString());
			}
			CompletableFuture<Either<List<CompletionItem>, CompletionList>> nowhere = docs
					.completion(new CompletionParams(new TextDocumentIdentifier(workspace.resolve("absent.lockspec")
							.toUri().toString()), new Position(-1, -1)));
			try {
				nowhere.get(TIMEOUT, TimeUnit.SECONDS);
			} catch (ExecutionException e) {
				assertTrue(e.getCause() instanceof ResponseErrorException, e.toString());
			}

			// ... and the server goes on
			Hover h = docs.hover(new HoverParams(doc, at(seed, "lock pci_bus_sem : rwsem", "pci_bus_sem")))
					.get(TIMEOUT, TimeUnit.SECONDS);
			assertTrue(h.getContents().getRight().getValue().contains("rwsem"), h.toString());
			assertTrue(ls.process.isAlive());
			assertEquals(0, ls.shutdownAndExit(), ls.stderrText());
		}
	}

	@Test
	@Order(4)
	void lockspecLspIsTheSameServer() throws Exception {
		Path root = Examples.root();
		Path file = workspace.resolve("buggy.lockspec");
		String seed = seed();
		Files.writeString(file, seed);
		String uri = file.toUri().toString();
		String planted = seed.replace("lock pci_bus_sem write", "lock pci_bus_sem");
		try (LspProcess ls = LspProcess.start(List.of(root.resolve("lockspec").toString(), "lsp"),
				Map.of("LOCKSPEC_NO_BUILD", "1", "JAVA_HOME", Path.of(java()).getParent().getParent().toString()),
				workspace, workspace.resolve(".server-cli.stderr"))) {
			ls.initialize(workspace, false); // workspace folders, no root URI
			ls.open(uri, planted);
			LspProcess.Published first = ls.await(uri, 0, LanguageServerTest::hasError, TIMEOUT);
			report("./lockspec lsp", ls, first);
			Diagnostic error = first.params().getDiagnostics().stream()
					.filter(d -> d.getSeverity() == DiagnosticSeverity.Error).findFirst().orElseThrow();
			assertEquals(typingLine(planted, "  lock pci_bus_sem\n"), error.getRange().getStart().getLine(),
					error.toString());
			assertEquals(0, ls.shutdownAndExit(), ls.stderrText());
		}
	}

	/** 0-based line at which {@code prefix} (possibly ending in a newline) starts a line. */
	static int typingLine(String text, String prefix) {
		int i = text.indexOf("\n" + prefix);
		assertTrue(i >= 0, "no line starts with " + prefix);
		return (int) text.substring(0, i + 1).chars().filter(c -> c == '\n').count();
	}

	private static void change(TextDocumentService docs, String uri, int version, String text) {
		docs.didChange(new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(uri, version),
				List.of(new TextDocumentContentChangeEvent(text))));
	}

	private static List<String> labels(Either<List<CompletionItem>, CompletionList> result) {
		List<CompletionItem> items = result.isLeft() ? result.getLeft() : result.getRight().getItems();
		return items.stream().map(CompletionItem::getLabel).toList();
	}

}
