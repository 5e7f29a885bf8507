package org.lockspec.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.lockspec.ui.tests.Ui.ROOT;
import static org.lockspec.ui.tests.Ui.dispatch;
import static org.lockspec.ui.tests.Ui.document;
import static org.lockspec.ui.tests.Ui.joinWhileDispatching;
import static org.lockspec.ui.tests.Ui.open;
import static org.lockspec.ui.tests.Ui.read;
import static org.lockspec.ui.tests.Ui.waitFor;
import static org.lockspec.ui.tests.Ui.waitForBuild;
import static org.lockspec.ui.tests.Ui.windowAtDesignSize;
import static org.lockspec.ui.tests.Ui.write;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.ITextOperationTarget;
import org.eclipse.jface.text.ITextViewer;
import org.eclipse.jface.text.contentassist.ICompletionProposal;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Control;
import org.eclipse.ui.IMarkerResolution;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.texteditor.ITextEditor;
import org.eclipse.ui.views.contentoutline.IContentOutlinePage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.lockspec.ide.highlighting.LockspecHighlighting;
import org.lockspec.ui.build.LockspecNature;
import org.lockspec.ui.build.Markers;
import org.lockspec.ui.build.ProverRun;
import org.lockspec.ui.build.QuickFixes;
import org.eclipse.jface.text.Document;
import org.eclipse.jface.text.Region;
import org.eclipse.jface.text.hyperlink.IHyperlink;
import org.eclipse.jface.text.source.projection.ProjectionAnnotationModel;
import org.eclipse.jface.text.source.projection.ProjectionViewer;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.views.contentoutline.ContentOutline;
import org.lockspec.ui.editor.LockspecBrackets;
import org.lockspec.ui.editor.LockspecContentAssist;
import org.lockspec.ui.editor.LockspecHover;
import org.lockspec.ui.editor.LockspecHyperlinks;
import org.lockspec.ui.editor.LockspecOutline;
import org.lockspec.ui.editor.ToggleComment;
import org.lockspec.ui.editor.Styles;
import org.lockspec.diagram.Svg;
import org.lockspec.ui.views.Commands;
import org.lockspec.ui.views.DiagramView;
import org.lockspec.ui.views.GenerateJava;
import org.lockspec.ui.views.TraceAnnotations;
import org.lockspec.ui.views.VerdictsView;
import org.lockspec.validation.IssueCodes;

/**
 * The IDE in a real workbench: a seed example in the generic editor with
 * Lockspec's highlighting, content assist and outline; the builder's markers
 * on a broken copy and their quick fixes; Prove and the Verdicts view; and a
 * screenshot of it all (target/screenshots/).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkbenchTest {

	private static final String SEED = "002-aer-sriov";
	private static IProject project;
	private static IFile buggy;

	@BeforeAll
	static void project() throws Exception {
		Path seeds = ROOT.resolve("spec-examples");
		List<Path> dirs;
		try (var s = Files.list(seeds)) {
			dirs = s.filter(Files::isDirectory).sorted().toList();
		}
		assertFalse(dirs.isEmpty(), "no seed examples under " + seeds);
		project = ResourcesPlugin.getWorkspace().getRoot().getProject("seeds");
		if (!project.exists()) {
			project.create(null);
		}
		project.open(null);
		LockspecNature.enable(project, null);
		assertTrue(project.hasNature(LockspecNature.ID));
		for (Path dir : dirs) {
			IFolder folder = project.getFolder(dir.getFileName().toString());
			if (!folder.exists()) {
				folder.create(true, true, null);
			}
			try (var s = Files.list(dir)) {
				for (Path f : s.filter(p -> p.toString().endsWith(".lockspec")).sorted().toList()) {
					write(folder.getFile(f.getFileName().toString()), Files.readString(f));
				}
			}
		}
		buggy = project.getFolder(SEED).getFile("buggy.lockspec");
		assertTrue(buggy.exists());
		waitForBuild();
		windowAtDesignSize();
	}

	@AfterAll
	static void close() {
		PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage().closeAllEditors(false);
	}

	@Test
	@Order(1)
	void highlighting() throws Exception {
		ITextEditor editor = open(buggy);
		assertEquals("org.eclipse.ui.genericeditor.GenericEditor", editor.getSite().getId(),
				"a .lockspec file opens in the generic editor");
		StyledText text = (StyledText) editor.getAdapter(Control.class);
		String source = document(editor).get();
		int kind = source.indexOf(": rwsem") + 2;
		int op = source.indexOf("op driver_probe") + 3;
		int object = source.indexOf("object PciDev") + 7;
		int keyword = source.indexOf("\nlock pci_bus_sem") + 1;
		int comment = source.indexOf("// Seed 002");
		int objectUse = source.indexOf("pf: PciDev") + 4;
		waitFor("semantic highlighting of the ops", () -> rgb(text, op) != null
				&& rgb(text, op).equals(color(LockspecHighlighting.FUNCTION)));
		assertEquals(color(Styles.LOCK_KIND), rgb(text, kind), "a lock kind");
		assertEquals(color(LockspecHighlighting.TYPE), rgb(text, object), "an object type where it is declared");
		assertEquals(color(LockspecHighlighting.TYPE), rgb(text, objectUse), "an object type where it is used");
		assertEquals(color(LockspecHighlighting.KEYWORD), rgb(text, keyword), "a keyword");
		assertEquals(color(LockspecHighlighting.COMMENT), rgb(text, comment), "a comment");
		assertEquals(3, new java.util.HashSet<>(List.of(rgb(text, kind), rgb(text, op), rgb(text, object))).size(),
				"lock kinds, ops and objects each have a colour of their own");
		assertTrue((text.getStyleRangeAtOffset(kind).fontStyle & SWT.BOLD) != 0, "lock kinds are bold");

		// typing keeps the names coloured: the semantic ranges move with the text until the next load
		IDocument doc = document(editor);
		doc.replace(0, 0, "\n");
		try {
			dispatch(30);
			assertEquals(color(LockspecHighlighting.FUNCTION), rgb(text, op + 1), "an op's colour, moved with the text");
		} finally {
			doc.replace(0, 1, "");
			editor.doSave(null);
		}

		IContentOutlinePage outline = editor.getAdapter(IContentOutlinePage.class);
		assertNotNull(outline, "the generic editor has Lockspec's outline");
	}

	@Test
	@Order(2)
	void contentAssist() throws Exception {
		ITextEditor editor = open(buggy);
		ITextViewer viewer = (ITextViewer) editor.getAdapter(ITextOperationTarget.class);
		String source = viewer.getDocument().get();
		int afterLock = source.indexOf("    lock dev.dev_lock") + "    lock ".length();
		List<String> names = proposals(viewer, afterLock);
		assertTrue(names.contains("dev"), "the loop variable a lock is reached through: " + names);
		assertTrue(names.contains("pci_bus_sem"), "the global lock: " + names);
		assertTrue(names.contains("bus"), "the op's parameter: " + names);
		assertFalse(names.contains("op") || names.contains("scenario"), "no keywords after 'lock': " + names);

		int afterRwsem = source.indexOf("lock pci_bus_sem read") + "lock pci_bus_sem ".length();
		List<String> rwsem = proposals(viewer, afterRwsem);
		assertTrue(rwsem.contains("read") && rwsem.contains("write"), "a rwsem has both sides: " + rwsem);
		int afterMutex = source.indexOf("lock pf.dev_lock") + "lock pf.dev_lock ".length();
		List<String> mutex = proposals(viewer, afterMutex);
		assertFalse(mutex.contains("read") || mutex.contains("write"), "a mutex has no read or write side: " + mutex);
		assertTrue(mutex.contains("irqsave") || mutex.contains("call"), "the keywords that may follow: " + mutex);
	}

	@Test
	@Order(3)
	void hoverDefinitionOutlineFoldingComments() throws Exception {
		ITextEditor editor = open(buggy);
		ITextViewer viewer = (ITextViewer) editor.getAdapter(ITextOperationTarget.class);
		String source = viewer.getDocument().get();

		int use = source.indexOf("lock pci_bus_sem write") + "lock ".length();
		String hover = new LockspecHover().getHoverInfo(viewer, new Region(use + 2, 0));
		assertNotNull(hover, "a hover on a lock");
		assertTrue(hover.contains("rwsem") && hover.contains("pci_bus_sem"), hover);

		int call = source.indexOf("call pci_device_add(vf)") + "call ".length();
		IHyperlink[] links = new LockspecHyperlinks().detectHyperlinks(viewer, new Region(call + 1, 0), false);
		assertNotNull(links, "a hyperlink on a called op");
		assertEquals(call, links[0].getHyperlinkRegion().getOffset());
		links[0].open();
		dispatch(100);
		var sel = (org.eclipse.jface.text.ITextSelection) editor.getSelectionProvider().getSelection();
		assertEquals(source.indexOf("op pci_device_add") + 3, sel.getOffset(), "go to definition selects the op's name");
		assertEquals("pci_device_add", sel.getText());

		IWorkbenchPage page = editor.getSite().getPage();
		ContentOutline outline = (ContentOutline) page.showView(IPageLayout.ID_OUTLINE);
		page.activate(editor);
		dispatch(200);
		assertTrue(outline.getCurrentPage() instanceof LockspecOutline, String.valueOf(outline.getCurrentPage()));
		List<String> entries = ((LockspecOutline) outline.getCurrentPage()).labels();
		assertTrue(entries.contains("pci.aer_sriov.buggy"), entries.toString());
		assertTrue(entries.contains("  pci_bus_sem : rwsem"), entries.toString());
		assertTrue(entries.contains("  driver_probe : (pf: PciDev)"), entries.toString());
		assertTrue(entries.stream().anyMatch(e -> e.startsWith("  probe_vs_aer")), entries.toString());

		ProjectionAnnotationModel folds = ((ProjectionViewer) viewer).getProjectionAnnotationModel();
		waitFor("folding regions", () -> {
			int n = 0;
			for (var it = folds.getAnnotationIterator(); it.hasNext(); it.next()) {
				n++;
			}
			return n >= 7; // the objects, the ops and the scenario
		});

		int open = source.indexOf("{", source.indexOf("op driver_probe"));
		var pair = new LockspecBrackets().match(viewer.getDocument(), open + 1);
		assertNotNull(pair, "the brace of an op body has its pair");
		int close = source.indexOf("\n}", open) + 1;
		assertEquals(open, pair.getOffset());
		assertEquals(close, pair.getOffset() + pair.getLength() - 1, "the op's closing brace");

		Document doc = new Document("op f() {\n  lock a\n\n  unlock a\n}\n");
		ToggleComment.toggle(doc, 1, 3);
		assertEquals("op f() {\n  // lock a\n\n  // unlock a\n}\n", doc.get());
		ToggleComment.toggle(doc, 1, 3);
		assertEquals("op f() {\n  lock a\n\n  unlock a\n}\n", doc.get());
	}

	@Test
	@Order(3)
	void lockLeftHeldQuickFix() throws Exception {
		String text = "spec leak.demo\n\nlock m : mutex\n\nop leaky() in process {\n  lock m\n}\n";
		IFile file = project.getFolder(SEED).getFile("held.lockspec");
		write(file, text);
		waitForBuild();
		IMarker held = null;
		for (IMarker m : file.findMarkers(Markers.VERDICT, false, IResource.DEPTH_ZERO)) {
			if ("lock_hygiene".equals(m.getAttribute(Markers.CODE, ""))) {
				held = m;
			}
		}
		assertNotNull(held, "the prover finds the lock left held");
		assertEquals(IMarker.SEVERITY_ERROR, held.getAttribute(IMarker.SEVERITY, -1), "an unexpected violation");
		fix(held, "Unlock 'm' before 'leaky' returns");
		waitForBuild();
		assertEquals("spec leak.demo\n\nlock m : mutex\n\nop leaky() in process {\n  lock m\n  unlock m\n}\n", read(file));
		assertEquals(0, Arrays.stream(file.findMarkers(Markers.VERDICT, false, IResource.DEPTH_ZERO))
				.filter(m -> m.getAttribute(IMarker.SEVERITY, -1) == IMarker.SEVERITY_ERROR).count());
		file.delete(true, null);
		waitForBuild();
	}

	@Test
	@Order(3)
	void annotationsAsYouType() throws Exception {
		ITextEditor editor = open(buggy);
		IDocument doc = document(editor);
		String original = doc.get();
		var model = editor.getDocumentProvider().getAnnotationModel(editor.getEditorInput());
		int at = original.indexOf("lock pf.dev_lock") + "lock pf.dev_lock".length();
		doc.replace(at, 0, " read");
		try {
			waitFor("an error annotation while typing", () -> annotations(model).stream()
					.anyMatch(a -> a.startsWith("org.eclipse.ui.workbench.texteditor.error:a mutex has no read or write side")));
		} finally {
			doc.set(original);
			editor.doRevertToSaved();
		}
		waitFor("the annotation gone with the error", () -> annotations(model).stream()
				.noneMatch(a -> a.contains("a mutex has no read or write side")));
	}

	@Test
	@Order(3)
	void cancelledProofStops() throws Exception {
		String text = Files.readString(ROOT.resolve("spec-examples").resolve(SEED).resolve("buggy.lockspec"));
		var monitor = new NullProgressMonitor();
		monitor.setCanceled(true);
		try {
			ProverRun.run(buggy.getLocation().toPath(), text, monitor);
			fail("a cancelled proof returned a result");
		} catch (org.eclipse.core.runtime.OperationCanceledException expected) {
			// as asked
		}
	}

	private static List<String> annotations(org.eclipse.jface.text.source.IAnnotationModel model) {
		List<String> out = new ArrayList<>();
		for (var it = model.getAnnotationIterator(); it.hasNext();) {
			var a = it.next();
			out.add(a.getType() + ":" + a.getText());
		}
		return out;
	}

	@Test
	@Order(4)
	void markersAndQuickFixes() throws Exception {
		String seed = Files.readString(ROOT.resolve("spec-examples").resolve(SEED).resolve("buggy.lockspec"));
		String broken = seed.replace("spec pci.aer_sriov.buggy", "spec pci.aer_sriov.broken")
				.replace("lock pci_bus_sem write", "lock pci_bus_sem")
				.replace("  lock pf.dev_lock\n", "  lock pf.dev_lock read\n")
				.replace("    unlock dev.dev_lock", "    unlock dev.dev_lock\n    lock nowhere_lock\n    unlock nowhere_lock");
		IFile file = project.getFolder(SEED).getFile("broken.lockspec");
		write(file, broken);
		waitForBuild();
		IMarker missing = marker(file, IssueCodes.MODE_MISSING);
		IMarker notSupported = marker(file, IssueCodes.MODE_NOT_SUPPORTED);
		IMarker unknown = marker(file, org.lockspec.validation.LockspecLinkingDiagnostics.UNRESOLVED);
		assertEquals(line(broken, "lock pci_bus_sem\n"), missing.getAttribute(IMarker.LINE_NUMBER, -1));
		assertEquals(line(broken, "lock pf.dev_lock read"), notSupported.getAttribute(IMarker.LINE_NUMBER, -1));
		assertEquals(line(broken, "lock nowhere_lock"), unknown.getAttribute(IMarker.LINE_NUMBER, -1));
		assertEquals(IMarker.SEVERITY_ERROR, missing.getAttribute(IMarker.SEVERITY, -1));
		assertEquals(0, file.findMarkers(Markers.VERDICT, false, IResource.DEPTH_ZERO).length,
				"a spec with errors is not proved");

		// each fix saves the file; the builder runs again and the next marker is where the text now is
		fix(missing, "'write'");
		waitForBuild();
		fix(marker(file, IssueCodes.MODE_NOT_SUPPORTED), "Remove the mode");
		waitForBuild();
		fix(marker(file, org.lockspec.validation.LockspecLinkingDiagnostics.UNRESOLVED), "lock nowhere_lock : mutex");
		waitForBuild();
		String fixed = read(file);
		assertTrue(fixed.contains("lock pci_bus_sem write"), fixed);
		assertTrue(fixed.contains("  lock pf.dev_lock\n"), fixed);
		assertTrue(fixed.contains("lock nowhere_lock : mutex\n"), fixed);
		assertEquals(List.of(), Arrays.stream(file.findMarkers(Markers.PROBLEM, false, IResource.DEPTH_ZERO))
				.map(m -> m.getAttribute(IMarker.MESSAGE, "")).toList(), "every error fixed");
		assertTrue(file.findMarkers(Markers.VERDICT, false, IResource.DEPTH_ZERO).length > 0,
				"the fixed spec was proved on save: its deadlock is a marker");
		file.delete(true, null);
		waitForBuild();
	}

	@Test
	@Order(5)
	void proveAndVerdicts() throws Exception {
		ITextEditor editor = open(buggy);
		IWorkbenchPage page = editor.getSite().getPage();
		Job job = Commands.job(buggy, null, true);
		job.schedule();
		joinWhileDispatching(job);
		assertTrue(job.getResult().isOK(), String.valueOf(job.getResult()));
		VerdictsView view = (VerdictsView) page.showView(VerdictsView.ID);
		page.activate(editor);
		waitFor("the verdicts of the seed", () -> view.rows().stream()
				.anyMatch(r -> r.obligation().equals("lock_order") && r.status().equals("violated")));
		List<String> rows = view.rows().stream().map(VerdictsView.Row::toString).toList();
		assertTrue(rows.stream().anyMatch(r -> r.startsWith("met | expect deadlock")), String.join("\n", rows));
		assertTrue(rows.stream().anyMatch(r -> r.startsWith("proved | wait_context")), String.join("\n", rows));
		assertTrue(view.select("lock_order"));
		String trace = view.traceText();
		assertTrue(trace.contains("CPU0 (driver_probe pf)") && trace.contains("*** DEADLOCK ***"), trace);
		assertTrue(trace.contains("lock pci_bus_sem write  <-- waits"), trace);
		List<String> marks = TraceAnnotations.shown(
				editor.getDocumentProvider().getAnnotationModel(editor.getEditorInput()), document(editor));
		assertTrue(marks.contains("27: CPU0 step 1: lock pf.dev_lock"), "the trace's steps in the editor: " + marks);
		assertTrue(marks.contains("40: CPU0 step 3: lock pci_bus_sem write  <-- waits"), marks.toString());
		assertEquals(4, marks.size(), marks.toString());
		IMarker[] verdicts = buggy.findMarkers(Markers.VERDICT, false, IResource.DEPTH_ZERO);
		assertTrue(Arrays.stream(verdicts).anyMatch(m -> m.getAttribute(IMarker.MESSAGE, "")
				.startsWith("violated, as expected: lock_order")), "the expected deadlock is an info marker");
		assertTrue(view.showFirstCounterexample());
		dispatch(300);
		var sel = (org.eclipse.jface.text.ITextSelection) editor.getSelectionProvider().getSelection();
		assertEquals(line(document(editor).get(), "lock pci_bus_sem write") - 1, sel.getStartLine(),
				"opening the counterexample selects the verdict's source line");
	}

	@Test
	@Order(6)
	void diagramView() throws Exception {
		ITextEditor editor = open(buggy);
		IWorkbenchPage page = editor.getSite().getPage();
		long start = System.nanoTime();
		DiagramView diagrams = (DiagramView) page.showView(DiagramView.ID);
		page.activate(editor);
		// the first diagram is the lock graph, or the counterexample still selected in the Verdicts view
		waitFor("a diagram drawn", 120_000, () -> diagrams.shown() != null);
		System.out.println("Diagram view: first diagram (" + diagrams.shown() + ") drawn in "
				+ (System.nanoTime() - start) / 1_000_000 + " ms");
		assertTrue(diagrams.select(DiagramView.LOCK_GRAPH));
		waitFor("the lock graph drawn", () -> DiagramView.LOCK_GRAPH.equals(diagrams.shown()));
		assertEquals(List.of(DiagramView.LOCK_GRAPH, "Topology: probe_vs_aer", "Trace: lock_order",
				"Trace: scenario probe_vs_aer/deadlock"), diagrams.labels());
		assertTrue(diagrams.svg().contains("pci_bus_sem") && diagrams.svg().contains("PciDev.dev_lock"), diagrams.svg());
		assertTrue(diagrams.svg().contains(Svg.RED), "the cycle of the violated lock order is red");
		assertTrue(diagrams.imageBounds().width > 200 && diagrams.imageBounds().height > 100,
				"the SVG is rasterised: " + diagrams.imageBounds());

		VerdictsView verdicts = (VerdictsView) page.showView(VerdictsView.ID);
		assertTrue(verdicts.select("scenario probe_vs_aer/deadlock"));
		dispatch(100);
		waitFor("the scenario's counterexample", () -> "Trace: scenario probe_vs_aer/deadlock".equals(diagrams.shown()));
		assertTrue(verdicts.select("lock_order"));
		dispatch(100);
		waitFor("the counterexample of the selected verdict", () -> "Trace: lock_order".equals(diagrams.shown()));
		assertTrue(diagrams.svg().contains("lock pci_bus_sem write"), diagrams.svg());

		assertTrue(diagrams.select("Topology: probe_vs_aer"));
		waitFor("the topology", () -> "Topology: probe_vs_aer".equals(diagrams.shown()));
		assertTrue(diagrams.svg().contains("bus0") && diagrams.svg().contains("pf"), diagrams.svg());
		assertTrue(diagrams.select(DiagramView.LOCK_GRAPH));
		waitFor("the lock graph again", () -> DiagramView.LOCK_GRAPH.equals(diagrams.shown()));
	}

	@Test
	@Order(6)
	void generateJava() throws Exception {
		IFolder out = project.getFolder("generated");
		GenerateJava.Result r = GenerateJava.generate(buggy, out, new NullProgressMonitor());
		assertTrue(r.ok(), r.message());
		assertTrue(r.mainFiles() > 0 && r.testFiles() > 0, r.message());
		List<IFile> java = new ArrayList<>();
		out.accept(res -> {
			if (res instanceof IFile f && f.getName().endsWith(".java")) {
				java.add(f);
			}
			return true;
		});
		assertEquals(r.mainFiles() + r.testFiles(), java.size(), "the files are in the workspace: " + java);
		assertTrue(java.stream().anyMatch(f -> f.getName().equals("PciDev.java")), java.toString());
		assertTrue(read(java.get(0)).startsWith("// ") || read(java.get(0)).contains("package "), read(java.get(0)));

		IFile broken = project.getFolder(SEED).getFile("unfinished.lockspec");
		write(broken, "spec unfinished\nlock m : mutex\nop f() in process {\n  lock m read\n  unlock m\n}\n");
		IFolder none = project.getFolder("not-generated");
		GenerateJava.Result bad = GenerateJava.generate(broken, none, new NullProgressMonitor());
		assertFalse(bad.ok());
		assertTrue(bad.message().contains("unfinished.lockspec:4:10: a mutex has no read or write side"), bad.message());
		assertFalse(none.exists(), "nothing written for a spec with errors");
		broken.delete(true, null);
		out.delete(true, null);
		waitForBuild();
	}

	@Test
	@Order(7)
	void screenshot() throws Exception {
		ITextEditor editor = open(buggy);
		IWorkbenchPage page = editor.getSite().getPage();
		page.showView("org.eclipse.ui.views.ContentOutline");
		page.showView("org.eclipse.ui.views.ProblemView");
		DiagramView diagrams = (DiagramView) page.showView(DiagramView.ID);
		VerdictsView verdicts = (VerdictsView) page.showView(VerdictsView.ID);
		verdicts.select("lock_order");
		page.activate(editor);
		String source = document(editor).get();
		int at = source.indexOf("lock pci_bus_sem write");
		editor.selectAndReveal(source.indexOf("// __driver_attach"), 0);
		editor.selectAndReveal(at, "lock pci_bus_sem write".length());
		assertTrue(buggy.findMarkers(Markers.VERDICT, false, IResource.DEPTH_ZERO).length > 0,
				"the seed's verdicts are markers (in the ruler and the Problems view)");
		diagrams.select(DiagramView.LOCK_GRAPH);
		waitFor("the lock graph in the Diagram view", () -> DiagramView.LOCK_GRAPH.equals(diagrams.shown()));
		dispatch(1500);
		Ui.screenshot(editor.getSite().getShell(), "ide-" + SEED + "-buggy");
	}

	// ------------------------------------------------------------------ helpers

	private static List<String> proposals(ITextViewer viewer, int offset) {
		ICompletionProposal[] ps = new LockspecContentAssist().computeCompletionProposals(viewer, offset);
		return Arrays.stream(ps).map(p -> p.getDisplayString().split(" ")[0]).collect(Collectors.toList());
	}

	private static void fix(IMarker marker, String label) {
		IMarkerResolution[] fixes = new QuickFixes().getResolutions(marker);
		for (IMarkerResolution f : fixes) {
			if (f.getLabel().contains(label)) {
				f.run(marker);
				return;
			}
		}
		fail("no quick fix '" + label + "' among " + Arrays.stream(fixes).map(IMarkerResolution::getLabel).toList());
	}

	/** The first marker (by line) with the issue code {@code code}. */
	private static IMarker marker(IFile file, String code) throws CoreException {
		List<String> seen = new ArrayList<>();
		IMarker first = null;
		for (IMarker m : file.findMarkers(Markers.PROBLEM, false, IResource.DEPTH_ZERO)) {
			if (code.equals(m.getAttribute(Markers.CODE, ""))) {
				if (first == null || m.getAttribute(IMarker.LINE_NUMBER, 0) < first.getAttribute(IMarker.LINE_NUMBER, 0)) {
					first = m;
				}
			}
			seen.add(m.getAttribute(Markers.CODE, "") + ": " + m.getAttribute(IMarker.MESSAGE, ""));
		}
		if (first == null) {
			fail("no marker " + code + " on " + file + "; there are " + seen);
		}
		return first;
	}

	private static int line(String text, String what) {
		int at = text.indexOf(what);
		assertTrue(at >= 0, what);
		return (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
	}

	private static RGB rgb(StyledText text, int offset) {
		StyleRange r = text.getStyleRangeAtOffset(offset);
		return r == null || r.foreground == null ? null : r.foreground.getRGB();
	}

	private static RGB color(String style) {
		return Styles.attribute(style).getForeground().getRGB();
	}

}
