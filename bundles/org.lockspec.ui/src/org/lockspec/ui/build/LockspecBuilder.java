package org.lockspec.ui.build;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IResourceDelta;
import org.eclipse.core.resources.IncrementalProjectBuilder;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.lockspec.ui.LockspecUi;
import org.lockspec.ui.Specs;
import org.lockspec.workspace.Problem;

/**
 * Validates and proves every {@code .lockspec} file that changed (all of them
 * on a full build): problems and prover findings become markers in the
 * Problems view, at their lines; the verdicts go to the Verdicts view.
 */
public class LockspecBuilder extends IncrementalProjectBuilder {

	public static final String ID = "org.lockspec.ui.builder";

	@Override
	protected IProject[] build(int kind, Map<String, String> args, IProgressMonitor monitor) throws CoreException {
		List<IFile> files = new ArrayList<>();
		IResourceDelta delta = kind == FULL_BUILD ? null : getDelta(getProject());
		if (delta == null) {
			getProject().accept(r -> {
				if (r instanceof IFile f && Specs.isSpec(f)) {
					files.add(f);
				}
				return true;
			});
		} else {
			delta.accept(d -> {
				if (d.getResource() instanceof IFile f && Specs.isSpec(f) && d.getKind() != IResourceDelta.REMOVED) {
					files.add(f);
				}
				return true;
			});
		}
		SubMonitor sub = SubMonitor.convert(monitor, "Proving Lockspec specs", files.size());
		for (IFile f : files) {
			if (sub.isCanceled()) {
				throw new OperationCanceledException();
			}
			sub.subTask(f.getName());
			check(f, sub.split(1));
		}
		return null;
	}

	@Override
	protected void clean(IProgressMonitor monitor) throws CoreException {
		getProject().deleteMarkers(Markers.PROBLEM, false, IResource.DEPTH_INFINITE);
		getProject().deleteMarkers(Markers.VERDICT, false, IResource.DEPTH_INFINITE);
	}

	/** Validates and proves one file; markers and the Verdicts view follow. */
	public static ProverRun.Outcome check(IFile file, IProgressMonitor monitor) throws CoreException {
		if (file.getLocation() == null) {
			return null;
		}
		Path path = file.getLocation().toPath().toAbsolutePath().normalize();
		String text;
		try (InputStream in = file.getContents(true)) {
			text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		} catch (IOException e) {
			file.deleteMarkers(Markers.VERDICT, false, IResource.DEPTH_ZERO);
			Markers.problems(file, "", List.of(new Problem(file.getName(), 1, 1, Problem.Severity.ERROR,
					"org.lockspec.unreadable", "cannot read this file: " + e.getMessage())));
			return null;
		}
		ProverRun.Outcome outcome;
		try {
			outcome = ProverRun.run(path, text, monitor);
		} catch (OperationCanceledException e) {
			throw e;
		} catch (RuntimeException | StackOverflowError e) {
			LockspecUi.log("proving " + path + " failed", e);
			Markers.problems(file, text, List.of(new Problem(file.getName(), 1, 1, Problem.Severity.WARNING,
					"org.lockspec.internal_error", "the prover failed on this spec (" + e + "); this is a bug in Lockspec")));
			return null;
		}
		Markers.problems(file, text, outcome.load().problems());
		if (outcome.result() != null) {
			Markers.verdicts(file, text, outcome.result());
		} else {
			Markers.clearVerdicts(file);
		}
		VerdictStore.put(outcome);
		return outcome;
	}
}
