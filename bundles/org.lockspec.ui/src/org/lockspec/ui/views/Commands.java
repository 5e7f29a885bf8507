package org.lockspec.ui.views;

import java.nio.file.Path;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IFileEditorInput;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.handlers.HandlerUtil;
import org.eclipse.ui.texteditor.ITextEditor;
import org.lockspec.ui.LockspecUi;
import org.lockspec.ui.Specs;
import org.lockspec.ui.build.LockspecNature;
import org.lockspec.ui.build.Markers;
import org.lockspec.ui.build.ProverRun;
import org.lockspec.ui.build.VerdictStore;

/** The Lockspec menu's commands: Prove, Show Counterexample, Enable Lockspec Builder. */
public final class Commands {

	private Commands() {
	}

	/** The spec of the active editor, else the selected spec file; null if neither. */
	static IFile spec(ExecutionEvent event) {
		IEditorPart editor = HandlerUtil.getActiveEditor(event);
		ISelection sel = HandlerUtil.getCurrentSelection(event);
		if (HandlerUtil.getActivePart(event) != editor && sel instanceof IStructuredSelection s
				&& Adapters.adapt(s.getFirstElement(), IFile.class) instanceof IFile f && Specs.isSpec(f)) {
			return f;
		}
		if (editor != null && editor.getEditorInput() instanceof IFileEditorInput in && Specs.isSpec(in.getFile())) {
			return in.getFile();
		}
		if (sel instanceof IStructuredSelection s && Adapters.adapt(s.getFirstElement(), IFile.class) instanceof IFile f
				&& Specs.isSpec(f)) {
			return f;
		}
		return null;
	}

	/**
	 * Proves a spec in a {@link Job} with progress and cancel: the text of its
	 * editor if it is open (saved or not), else the file. Cancelling kills the Z3
	 * worker process at once. The verdicts go to the Verdicts view; markers are
	 * set when the text is the saved one.
	 */
	public static final class Prove extends AbstractHandler {
		@Override
		public Object execute(ExecutionEvent event) {
			IFile file = spec(event);
			IWorkbenchWindow window = HandlerUtil.getActiveWorkbenchWindow(event);
			if (file == null || file.getLocation() == null) {
				MessageDialog.openInformation(window.getShell(), "Prove", "Open a .lockspec spec or select one first.");
				return null;
			}
			IEditorPart editor = window.getActivePage().findEditor(new org.eclipse.ui.part.FileEditorInput(file));
			String text = null;
			boolean saved = true;
			if (editor instanceof ITextEditor te) {
				text = te.getDocumentProvider().getDocument(te.getEditorInput()).get();
				saved = !te.isDirty();
			}
			showVerdicts(window.getActivePage());
			job(file, text, saved).schedule();
			return null;
		}
	}

	/** The Prove job of {@code file} ({@code text}: an editor's text, or null to read the file). */
	public static Job job(IFile file, String editorText, boolean saved) {
		Path path = file.getLocation().toPath().toAbsolutePath().normalize();
		Job job = new Job("Proving " + file.getName()) {
			@Override
			protected IStatus run(IProgressMonitor monitor) {
				monitor.beginTask("Proving " + file.getName() + " (lock order, contexts, scenarios; Z3 where needed)",
						IProgressMonitor.UNKNOWN);
				try {
					String text = editorText;
					if (text == null) {
						try (var in = file.getContents(true)) {
							text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
						}
					}
					ProverRun.Outcome o = ProverRun.run(path, text, monitor);
					if (saved) {
						Markers.problems(file, text, o.load().problems());
						if (o.result() != null) {
							Markers.verdicts(file, text, o.result());
						} else {
							Markers.clearVerdicts(file);
						}
					}
					VerdictStore.put(o);
					return Status.OK_STATUS;
				} catch (OperationCanceledException e) {
					return Status.CANCEL_STATUS;
				} catch (CoreException | java.io.IOException | RuntimeException e) {
					return new Status(IStatus.ERROR, LockspecUi.ID, "proving " + file.getName() + " failed: " + e, e);
				} finally {
					monitor.done();
				}
			}
		};
		job.setUser(true);
		job.setRule(file);
		return job;
	}

	static VerdictsView showVerdicts(IWorkbenchPage page) {
		try {
			return (VerdictsView) page.showView(VerdictsView.ID, null, IWorkbenchPage.VIEW_VISIBLE);
		} catch (PartInitException e) {
			LockspecUi.log("cannot open the Verdicts view", e);
			return null;
		}
	}

	/** Shows the first counterexample of the active spec's last proof: in the Verdicts view, and its source selected. */
	public static final class ShowCounterexample extends AbstractHandler {
		@Override
		public Object execute(ExecutionEvent event) {
			IFile file = spec(event);
			IWorkbenchWindow window = HandlerUtil.getActiveWorkbenchWindow(event);
			ProverRun.Outcome o = file == null || file.getLocation() == null ? null
					: VerdictStore.get(file.getLocation().toPath().toAbsolutePath().normalize());
			if (o == null) {
				MessageDialog.openInformation(window.getShell(), "Show Counterexample",
						"This spec has not been proved yet: run Lockspec > Prove first.");
				return null;
			}
			VerdictsView view = showVerdicts(window.getActivePage());
			if (view != null) {
				view.show(o);
				if (!view.showFirstCounterexample()) {
					MessageDialog.openInformation(window.getShell(), "Show Counterexample",
							"No obligation of this spec is violated: there is no counterexample.");
				}
			}
			return null;
		}
	}

	/** Adds the Lockspec nature, and so the builder that validates and proves on save, to the selected project. */
	public static final class EnableBuilder extends AbstractHandler {
		@Override
		public Object execute(ExecutionEvent event) {
			IProject project = null;
			ISelection sel = HandlerUtil.getCurrentSelection(event);
			if (sel instanceof IStructuredSelection s && Adapters.adapt(s.getFirstElement(), IResource.class) instanceof IResource r) {
				project = r.getProject();
			}
			IFile spec = spec(event);
			if (project == null && spec != null) {
				project = spec.getProject();
			}
			if (project == null) {
				MessageDialog.openInformation(HandlerUtil.getActiveWorkbenchWindow(event).getShell(),
						"Enable Lockspec Builder", "Select a project or open one of its specs first.");
				return null;
			}
			LockspecNature.enabling(project).schedule();
			return null;
		}
	}

	static Display display() {
		return Display.getDefault();
	}
}
