package org.lockspec.ui.views;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.resources.IContainer;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.window.Window;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.dialogs.ContainerSelectionDialog;
import org.eclipse.ui.handlers.HandlerUtil;
import org.lockspec.generator.GenerationException;
import org.lockspec.generator.JavaGenerator;
import org.lockspec.prover.Proofs;
import org.lockspec.ui.build.ProverRun;
import org.lockspec.verdict.SpecResult;
import org.lockspec.generator.OutputTree;
import org.lockspec.model.Spec;
import org.lockspec.ui.LockspecUi;
import org.lockspec.ui.Specs;
import org.lockspec.workspace.Problem;
import org.lockspec.workspace.SpecSet;

/**
 * Generate Java: the spec's reference implementation and its JUnit tests
 * (the generator bundle, as {@code lockspec generate} makes them) into a
 * source folder chosen in the workspace. All or nothing: a spec with errors,
 * or a name Java refuses, writes nothing and says why.
 */
public class GenerateJava extends AbstractHandler {

	/** What a generation wrote, or why it wrote nothing. */
	public record Result(boolean ok, String message, int mainFiles, int testFiles) {
	}

	@Override
	public Object execute(ExecutionEvent event) {
		IFile file = Commands.spec(event);
		IWorkbenchWindow window = HandlerUtil.getActiveWorkbenchWindow(event);
		if (file == null || file.getLocation() == null) {
			MessageDialog.openInformation(window.getShell(), "Generate Java", "Open a .lockspec spec or select one first.");
			return null;
		}
		ContainerSelectionDialog dialog = new ContainerSelectionDialog(window.getShell(), file.getProject(), true,
				"The source folder for the Java of " + file.getName() + " (its tests go there too):");
		dialog.setTitle("Generate Java");
		if (dialog.open() != Window.OK || dialog.getResult() == null || dialog.getResult().length == 0) {
			return null;
		}
		IPath chosen = (IPath) dialog.getResult()[0];
		IResource target = ResourcesPlugin.getWorkspace().getRoot().findMember(chosen);
		IContainer folder = target instanceof IContainer c ? c
				: ResourcesPlugin.getWorkspace().getRoot().getFolder(chosen);
		Job job = new Job("Generating Java from " + file.getName()) {
			@Override
			protected IStatus run(IProgressMonitor monitor) {
				Result r = generate(file, folder, monitor);
				window.getShell().getDisplay().asyncExec(() -> {
					if (r.ok()) {
						MessageDialog.openInformation(window.getShell(), "Generate Java", r.message());
					} else {
						MessageDialog.openError(window.getShell(), "Generate Java", r.message());
					}
				});
				return Status.OK_STATUS;
			}
		};
		job.setUser(true);
		job.setRule(ResourcesPlugin.getWorkspace().getRuleFactory().modifyRule(file.getProject()));
		job.schedule();
		return null;
	}

	/** Generates the Java of {@code spec} into {@code folder} (created if missing) and refreshes it. */
	public static Result generate(IFile spec, IContainer folder, IProgressMonitor monitor) {
		if (folder.getLocation() == null || spec.getLocation() == null) {
			return new Result(false, "the folder or the spec is not on the local disk", 0, 0);
		}
		Path path = spec.getLocation().toPath().toAbsolutePath().normalize();
		SpecSet set = SpecSet.load(List.of(path), Specs.siblings(path), java.util.Map.of(), LockspecUi.injector());
		SpecSet.FileResult r = set.results().get(0);
		if (r.hasErrors() || r.unreadable() || r.spec() == null) {
			List<String> errors = new ArrayList<>();
			for (Problem p : r.problems()) {
				if (p.severity() == Problem.Severity.ERROR) {
					errors.add(spec.getName() + ":" + p.line() + ":" + p.column() + ": " + p.message());
				}
			}
			return new Result(false, "Fix the errors first (nothing was generated):\n" + String.join("\n", errors), 0, 0);
		}
		Spec model = r.spec();
		IContainer project = spec.getProject();
		Path base = project.getLocation() == null ? path.getParent() : project.getLocation().toPath();
		Path out = folder.getLocation().toPath();
		SpecResult proved; // its counterexamples become replay tests
		try (Proofs proofs = Proofs.open(Proofs.options(ProverRun.TIMEOUT))) {
			proved = proofs.prove(model);
		}
		try {
			JavaGenerator.Output output = SpecSet.onBigStack(() -> {
				try {
					return JavaGenerator.generate(List.of(new JavaGenerator.Proved(model, proved)),
							new JavaGenerator.Options(null, base));
				} catch (GenerationException e) {
					throw new IllegalStateException(e.getMessage(), e);
				}
			});
			OutputTree.write(output, out, out);
			folder.refreshLocal(IResource.DEPTH_INFINITE, monitor);
			return new Result(true, "Generated " + output.main().size() + " source files and " + output.test().size()
					+ " test files of " + model.getName() + " in " + folder.getFullPath() + ".", output.main().size(),
					output.test().size());
		} catch (IllegalStateException e) {
			return new Result(false, e.getMessage() + "\nNothing was generated.", 0, 0);
		} catch (GenerationException e) {
			return new Result(false, e.getMessage() + "\nNothing was written.", 0, 0);
		} catch (CoreException e) {
			return new Result(true, "Generated into " + out + ", but the workspace was not refreshed: " + e.getMessage(),
					0, 0);
		}
	}
}
