package org.lockspec.ui.build;

import java.util.Arrays;

import org.eclipse.core.resources.ICommand;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IProjectDescription;
import org.eclipse.core.resources.IProjectNature;
import org.eclipse.core.resources.WorkspaceJob;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;

/** The Lockspec nature: its project runs {@link LockspecBuilder} (validate and prove on save). */
public class LockspecNature implements IProjectNature {

	public static final String ID = "org.lockspec.ui.nature";

	private IProject project;

	/**
	 * A job that {@linkplain #enable enables} the nature on {@code project}. Its
	 * rule is the workspace root: a project description whose natures change is
	 * set under the root (the natures are configured as part of it), and a job
	 * holding only the project's rule fails there.
	 */
	public static Job enabling(IProject project) {
		WorkspaceJob job = new WorkspaceJob("Enabling the Lockspec builder on " + project.getName()) {
			@Override
			public IStatus runInWorkspace(IProgressMonitor monitor) throws CoreException {
				enable(project, monitor);
				return Status.OK_STATUS;
			}
		};
		job.setRule(project.getWorkspace().getRoot());
		job.setUser(true);
		return job;
	}

	/** Adds the nature (and so the builder) to {@code project}; nothing if it has it already. */
	public static void enable(IProject project, IProgressMonitor monitor) throws CoreException {
		if (project.hasNature(ID)) {
			return;
		}
		IProjectDescription d = project.getDescription();
		String[] natures = Arrays.copyOf(d.getNatureIds(), d.getNatureIds().length + 1);
		natures[natures.length - 1] = ID;
		d.setNatureIds(natures);
		project.setDescription(d, monitor);
	}

	@Override
	public void configure() throws CoreException {
		IProjectDescription d = project.getDescription();
		for (ICommand c : d.getBuildSpec()) {
			if (LockspecBuilder.ID.equals(c.getBuilderName())) {
				return;
			}
		}
		ICommand command = d.newCommand();
		command.setBuilderName(LockspecBuilder.ID);
		ICommand[] spec = Arrays.copyOf(d.getBuildSpec(), d.getBuildSpec().length + 1);
		spec[spec.length - 1] = command;
		d.setBuildSpec(spec);
		project.setDescription(d, null);
	}

	@Override
	public void deconfigure() throws CoreException {
		IProjectDescription d = project.getDescription();
		d.setBuildSpec(Arrays.stream(d.getBuildSpec()).filter(c -> !LockspecBuilder.ID.equals(c.getBuilderName()))
				.toArray(ICommand[]::new));
		project.setDescription(d, null);
	}

	@Override
	public IProject getProject() {
		return project;
	}

	@Override
	public void setProject(IProject project) {
		this.project = project;
	}
}
