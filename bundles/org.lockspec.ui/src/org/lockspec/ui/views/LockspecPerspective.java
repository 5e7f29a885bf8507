package org.lockspec.ui.views;

import org.eclipse.ui.IFolderLayout;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;

/**
 * The Lockspec perspective, the IDE product's default (plugin_customization.ini),
 * laid out for a 1600×1000 screen: under everything, the Verdicts view with the
 * Problems, the whole width (a verdict table and a counterexample's CPU columns
 * side by side need about 1100 px); above, a narrow column with the projects
 * and the outline, then the editor and the Diagram view, half and half (a
 * two-CPU counterexample's timeline is about 600 px wide).
 */
public class LockspecPerspective implements IPerspectiveFactory {

	public static final String ID = "org.lockspec.ui.perspective";

	@Override
	public void createInitialLayout(IPageLayout layout) {
		String editors = layout.getEditorArea();
		IFolderLayout results = layout.createFolder("org.lockspec.ui.results", IPageLayout.BOTTOM, 0.62f, editors);
		results.addView(VerdictsView.ID);
		results.addView(IPageLayout.ID_PROBLEM_VIEW);
		IFolderLayout projects = layout.createFolder("org.lockspec.ui.projects", IPageLayout.LEFT, 0.16f, editors);
		projects.addView(IPageLayout.ID_PROJECT_EXPLORER);
		layout.addView(IPageLayout.ID_OUTLINE, IPageLayout.BOTTOM, 0.55f, "org.lockspec.ui.projects");
		layout.addView(DiagramView.ID, IPageLayout.RIGHT, 0.5f, editors);
		shortcuts(layout);
	}

	/** What Window › Show View, File › New and Window › Perspective offer first. */
	private static void shortcuts(IPageLayout layout) {
		layout.addShowViewShortcut(VerdictsView.ID);
		layout.addShowViewShortcut(DiagramView.ID);
		layout.addShowViewShortcut(IPageLayout.ID_PROBLEM_VIEW);
		layout.addShowViewShortcut(IPageLayout.ID_PROJECT_EXPLORER);
		layout.addShowViewShortcut(IPageLayout.ID_OUTLINE);
		layout.addNewWizardShortcut("org.eclipse.ui.wizards.new.project");
		layout.addNewWizardShortcut("org.eclipse.ui.wizards.new.folder");
		layout.addNewWizardShortcut("org.eclipse.ui.wizards.new.file");
		layout.addPerspectiveShortcut("org.eclipse.ui.resourcePerspective");
	}
}
