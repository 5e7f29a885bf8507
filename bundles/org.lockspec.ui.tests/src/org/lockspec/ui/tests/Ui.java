package org.lockspec.ui.tests;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IncrementalProjectBuilder;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.jface.text.IDocument;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.WorkbenchException;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.texteditor.ITextEditor;
import org.lockspec.ui.editor.SpecDocument;
import org.lockspec.ui.views.LockspecPerspective;

/** What the workbench tests share: the examples, files, editors, waiting on the UI thread, screenshots. */
final class Ui {

	static final Path ROOT = Path.of(System.getProperty("lockspec.root", "../.."));
	/** The screen size the layout is designed for (the 1600×1000); xvfb.sh makes a screen this large. */
	static final int WIDTH = 1600;
	static final int HEIGHT = 1000;

	private Ui() {
	}

	static IWorkbenchPage page() {
		return PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
	}

	/**
	 * The workbench window as the IDE product opens it: in the Lockspec
	 * perspective, at {@link #WIDTH}×{@link #HEIGHT}, the welcome page closed.
	 */
	static Shell windowAtDesignSize() throws WorkbenchException {
		IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
		Shell shell = window.getShell();
		shell.setMaximized(false);
		shell.setBounds(0, 0, WIDTH, HEIGHT);
		var intro = PlatformUI.getWorkbench().getIntroManager();
		intro.closeIntro(intro.getIntro());
		PlatformUI.getWorkbench().showPerspective(LockspecPerspective.ID, window);
		dispatch(100);
		return shell;
	}

	static String example(String seed, String file) throws IOException {
		return Files.readString(ROOT.resolve("spec-examples").resolve(seed).resolve(file));
	}

	static ITextEditor open(IFile file) {
		IEditorPart part;
		try {
			part = IDE.openEditor(page(), file, true);
		} catch (org.eclipse.ui.PartInitException e) {
			throw new AssertionError("cannot open " + file, e);
		}
		assertTrue(part instanceof ITextEditor, String.valueOf(part));
		ITextEditor editor = (ITextEditor) part;
		SpecDocument spec = SpecDocument.of(document(editor));
		assertNotNull(spec, "the editor's document is a spec");
		waitFor("the first load of " + file.getName(), () -> spec.last() != null);
		return editor;
	}

	static IDocument document(ITextEditor editor) {
		return editor.getDocumentProvider().getDocument(editor.getEditorInput());
	}

	static void write(IFile file, String text) throws CoreException {
		var in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
		if (file.exists()) {
			file.setContents(in, true, false, null);
		} else {
			file.create(in, true, null);
		}
	}

	static String read(IFile file) throws Exception {
		try (var in = file.getContents(true)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	/** Builds the workspace and waits until no build job is left. */
	static void waitForBuild() throws CoreException {
		ResourcesPlugin.getWorkspace().build(IncrementalProjectBuilder.INCREMENTAL_BUILD, new NullProgressMonitor());
		waitForBuildJobs();
	}

	/** Waits, dispatching, until the automatic and manual build jobs are done (what a save starts). */
	static void waitForBuildJobs() {
		dispatch(100); // a save schedules the auto-build a moment later
		waitFor("the build", 60_000, () -> Job.getJobManager().find(ResourcesPlugin.FAMILY_AUTO_BUILD).length == 0
				&& Job.getJobManager().find(ResourcesPlugin.FAMILY_MANUAL_BUILD).length == 0);
		dispatch(50);
	}

	static void joinWhileDispatching(Job job) {
		long end = System.currentTimeMillis() + 120_000;
		while (job.getState() != Job.NONE || job.getResult() == null) {
			if (System.currentTimeMillis() > end) {
				job.cancel();
				fail(job.getName() + " did not finish within 120 s");
			}
			dispatch(20);
		}
	}

	static void waitFor(String what, BooleanSupplier condition) {
		waitFor(what, 60_000, condition);
	}

	static void waitFor(String what, long millis, BooleanSupplier condition) {
		long end = System.currentTimeMillis() + millis;
		while (!condition.getAsBoolean()) {
			if (System.currentTimeMillis() > end) {
				fail("timed out waiting for " + what);
			}
			dispatch(20);
		}
	}

	/** Runs the UI thread's queue for {@code millis}. */
	static void dispatch(long millis) {
		Display d = Display.getCurrent();
		long end = System.currentTimeMillis() + millis;
		do {
			while (d.readAndDispatch()) {
				// run what is queued
			}
			try {
				Thread.sleep(10);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return;
			}
		} while (System.currentTimeMillis() < end);
	}

	/** The controls of type {@code type} in {@code view}, depth first. */
	static <T extends Control> List<T> controls(IViewPart view, Class<T> type) {
		List<T> found = new ArrayList<>();
		collect((Control) view.getSite().getService(MPart.class).getWidget(), type, found);
		return found;
	}

	private static <T extends Control> void collect(Control c, Class<T> type, List<T> found) {
		if (type.isInstance(c)) {
			found.add(type.cast(c));
		}
		if (c instanceof Composite parent) {
			for (Control child : parent.getChildren()) {
				collect(child, type, found);
			}
		}
	}

	/** A PNG of {@code shell} as it is on the screen, in target/screenshots/NAME.png (a test output). */
	static Path screenshot(Shell shell, String name) throws IOException {
		Path out = Path.of("target", "screenshots", name + ".png");
		Files.createDirectories(out.getParent());
		Display display = shell.getDisplay();
		Rectangle r = shell.getBounds();
		Image image = new Image(display, r.width, r.height);
		GC gc = new GC(display);
		try {
			gc.copyArea(image, r.x, r.y);
		} finally {
			gc.dispose();
		}
		ImageData data = image.getImageData();
		image.dispose();
		ImageLoader loader = new ImageLoader();
		loader.data = new ImageData[] { data };
		loader.save(out.toString(), SWT.IMAGE_PNG);
		assertTrue(Files.size(out) > 10_000, "a screenshot with something on it: " + out.toAbsolutePath());
		System.out.println("screenshot: " + out.toAbsolutePath());
		return out;
	}
}
