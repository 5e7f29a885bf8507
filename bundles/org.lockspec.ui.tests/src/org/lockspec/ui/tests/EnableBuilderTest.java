package org.lockspec.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lockspec.ui.tests.Ui.document;
import static org.lockspec.ui.tests.Ui.example;
import static org.lockspec.ui.tests.Ui.open;
import static org.lockspec.ui.tests.Ui.page;
import static org.lockspec.ui.tests.Ui.waitFor;
import static org.lockspec.ui.tests.Ui.waitForBuildJobs;
import static org.lockspec.ui.tests.Ui.windowAtDesignSize;
import static org.lockspec.ui.tests.Ui.write;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.eclipse.core.resources.ICommand;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.IJobChangeListener;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.jface.text.IDocument;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.handlers.IHandlerService;
import org.eclipse.ui.texteditor.ITextEditor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lockspec.ui.build.LockspecBuilder;
import org.lockspec.ui.build.LockspecNature;
import org.lockspec.ui.build.Markers;

/**
 * A newcomer's first hour in the IDE: a project without the Lockspec nature, a
 * buggy spec in it, <i>Lockspec &gt; Enable Lockspec Builder</i> run as the menu
 * runs it (the command, its handler and its job), then a save that the builder
 * proves: the deadlock is an error in the Problems view. Screenshot:
 * target/screenshots/ide-enable-builder-002-buggy.png.
 */
class EnableBuilderTest {

	private static final String COMMAND = "org.lockspec.ui.enableBuilder";
	private static final String SEED = "002-aer-sriov";
	private static final String PROBLEM_VIEW = "org.eclipse.ui.views.ProblemView";
	private static IProject project;
	private static IFile spec;
	private static final List<String> enablingJobs = Collections.synchronizedList(new ArrayList<>());
	private static final IJobChangeListener recordEnablingJobs = new JobChangeAdapter() {
		@Override
		public void done(IJobChangeEvent event) {
			if (event.getJob().getName().startsWith("Enabling the Lockspec builder")) {
				enablingJobs.add(statusText(event.getResult()));
			}
		}
	};

	@BeforeAll
	static void projectWithoutNature() throws Exception {
		windowAtDesignSize();
		assertTrue(ResourcesPlugin.getWorkspace().isAutoBuilding(), "the workspace builds on save, as the IDE's does");
		project = ResourcesPlugin.getWorkspace().getRoot().getProject("first-hour");
		project.create(null);
		project.open(null);
		spec = project.getFile("buggy.lockspec");
		write(spec, example(SEED, "buggy.lockspec"));
		Job.getJobManager().addJobChangeListener(recordEnablingJobs);
	}

	@AfterAll
	static void deleteProject() throws CoreException {
		Job.getJobManager().removeJobChangeListener(recordEnablingJobs);
		page().closeAllEditors(false);
		project.delete(true, true, null);
	}

	@Test
	void enableTheBuilderThenSaveABuggySpec() throws Exception {
		ITextEditor editor = open(spec);
		waitForBuildJobs();
		assertFalse(project.hasNature(LockspecNature.ID));
		assertEquals(0, lockspecMarkers().length, "no builder yet: no markers");

		// Lockspec > Enable Lockspec Builder, with the spec's editor active
		handlers().executeCommand(COMMAND, null);
		waitFor("the enabling job", () -> !enablingJobs.isEmpty());
		assertEquals(List.of("OK"), enablingJobs, "the enabling job's result");
		assertTrue(project.hasNature(LockspecNature.ID), "the project has the Lockspec nature");
		assertTrue(Arrays.stream(project.getDescription().getBuildSpec())
				.map(ICommand::getBuilderName).anyMatch(LockspecBuilder.ID::equals), "and its builder");
		waitForBuildJobs();
		assertTrue(messages(IMarker.SEVERITY_INFO).contains("violated, as expected: lock_order: possible deadlock: "
				+ "a cycle of 2 lock dependencies (PciDev.dev_lock -> pci_bus_sem -> PciDev.dev_lock)"),
				"the builder proved the spec when it was enabled: " + messages(IMarker.SEVERITY_INFO));
		assertEquals(List.of(), messages(IMarker.SEVERITY_ERROR), "the deadlock is announced: no error yet");

		// the newcomer drops the expect clauses and saves: the deadlock is now an error at its line
		IDocument doc = document(editor);
		doc.set(doc.get().replace("expect deadlock\n", ""));
		editor.doSave(null);
		waitForBuildJobs();
		List<String> errors = messages(IMarker.SEVERITY_ERROR);
		assertTrue(errors.contains("violated: lock_order: possible deadlock: "
				+ "a cycle of 2 lock dependencies (PciDev.dev_lock -> pci_bus_sem -> PciDev.dev_lock)"), errors.toString());
		assertTrue(errors.stream().anyMatch(m -> m.startsWith("violated: scenario probe_vs_aer/deadlock")), errors.toString());
		assertEquals(List.of("scenario 'probe_vs_aer' states no 'expect': its verdict cannot be checked against anything"),
				messages(IMarker.SEVERITY_WARNING));
		IMarker lockOrder = Arrays.stream(lockspecMarkers())
				.filter(m -> m.getAttribute(Markers.VERDICT_ID, "").equals("lock_order")).findFirst().orElseThrow();
		assertEquals(40, lockOrder.getAttribute(IMarker.LINE_NUMBER, -1), "at 'lock pci_bus_sem write'");

		IWorkbenchPage page = editor.getSite().getPage();
		IViewPart problems = page.showView(PROBLEM_VIEW);
		page.activate(editor);
		editor.selectAndReveal(document(editor).get().indexOf("lock pci_bus_sem write"), "lock pci_bus_sem write".length());
		waitFor("the deadlock in the Problems view", () -> rows(problems).stream()
				.anyMatch(r -> r.startsWith("violated: lock_order: possible deadlock")));
		Ui.dispatch(1000);
		Ui.screenshot(editor.getSite().getShell(), "ide-enable-builder-" + SEED + "-buggy");
	}

	private static IHandlerService handlers() {
		return page().getWorkbenchWindow().getService(IHandlerService.class);
	}

	private static IMarker[] lockspecMarkers() throws CoreException {
		List<IMarker> all = new ArrayList<>(Arrays.asList(spec.findMarkers(Markers.PROBLEM, false, IResource.DEPTH_ZERO)));
		all.addAll(Arrays.asList(spec.findMarkers(Markers.VERDICT, false, IResource.DEPTH_ZERO)));
		return all.toArray(IMarker[]::new);
	}

	private static List<String> messages(int severity) throws CoreException {
		return Arrays.stream(lockspecMarkers()).filter(m -> m.getAttribute(IMarker.SEVERITY, -1) == severity)
				.map(m -> m.getAttribute(IMarker.MESSAGE, "")).sorted().toList();
	}

	private static String statusText(IStatus status) {
		if (status.isOK()) {
			return "OK";
		}
		return status.getMessage() + (status.getException() == null ? "" : ": " + status.getException());
	}

	/** The texts of the rows the Problems view shows (its categories expanded). */
	private static List<String> rows(IViewPart view) {
		List<String> rows = new ArrayList<>();
		for (Tree tree : Ui.controls(view, Tree.class)) {
			for (TreeItem category : tree.getItems()) {
				expand(tree, category);
				rows.add(category.getText());
				for (TreeItem item : category.getItems()) {
					rows.add(item.getText());
				}
			}
		}
		return rows;
	}

	/** Expands {@code item} as a click does: the viewer is told first, so that it makes the children. */
	private static void expand(Tree tree, TreeItem item) {
		if (!item.getExpanded()) {
			Event e = new Event();
			e.item = item;
			tree.notifyListeners(SWT.Expand, e);
			item.setExpanded(true);
		}
	}
}
