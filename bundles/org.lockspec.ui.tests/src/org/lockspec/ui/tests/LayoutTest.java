package org.lockspec.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lockspec.ui.tests.Ui.example;
import static org.lockspec.ui.tests.Ui.joinWhileDispatching;
import static org.lockspec.ui.tests.Ui.open;
import static org.lockspec.ui.tests.Ui.page;
import static org.lockspec.ui.tests.Ui.waitFor;
import static org.lockspec.ui.tests.Ui.windowAtDesignSize;
import static org.lockspec.ui.tests.Ui.write;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.ScrolledComposite;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.texteditor.ITextEditor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lockspec.ui.views.Commands;
import org.lockspec.ui.views.DiagramView;
import org.lockspec.ui.views.VerdictsView;

/**
 * The IDE at the size it is designed for, 1600×1000, in its default
 * perspective (Lockspec's): the Verdicts view's columns are as wide as what
 * they show, no CPU column of a counterexample is cut, in the Verdicts view or
 * in the Diagram view, and the Lockspec menu shows Prove's key. Screenshot:
 * target/screenshots/ide-verdicts-1600x1000.png.
 */
class LayoutTest {

	private static final String SEED = "002-aer-sriov";
	/** What GTK draws around a cell's text, at the least. */
	private static final int CELL_PADDING = 4;
	private static IProject project;
	private static IFile buggy;
	private static ITextEditor editor;
	private static VerdictsView verdicts;
	private static DiagramView diagrams;

	@BeforeAll
	static void provedSeed() throws Exception {
		Shell shell = windowAtDesignSize();
		assertEquals(Ui.WIDTH, shell.getSize().x);
		page().resetPerspective();
		project = ResourcesPlugin.getWorkspace().getRoot().getProject("layout");
		project.create(null);
		project.open(null);
		buggy = project.getFile("buggy.lockspec");
		write(buggy, example(SEED, "buggy.lockspec"));
		editor = open(buggy);
		Job prove = Commands.job(buggy, null, true);
		prove.schedule();
		joinWhileDispatching(prove);
		assertTrue(prove.getResult().isOK(), String.valueOf(prove.getResult()));
		IWorkbenchPage page = editor.getSite().getPage();
		diagrams = (DiagramView) page.showView(DiagramView.ID);
		verdicts = (VerdictsView) page.showView(VerdictsView.ID);
		page.activate(editor);
		waitFor("the verdicts of the seed", () -> verdicts.rows().size() > 5);
		Ui.dispatch(300);
	}

	@AfterAll
	static void deleteProject() throws CoreException {
		page().closeAllEditors(false);
		project.delete(true, true, null);
	}

	@Test
	void verdictColumnsFitWhatTheyShow() {
		Table table = Ui.controls(verdicts, Table.class).get(0);
		List<String> widths = new ArrayList<>();
		int total = 0;
		for (int i = 0; i < table.getColumnCount(); i++) {
			TableColumn column = table.getColumn(i);
			widths.add(column.getText() + " " + column.getWidth());
			total += column.getWidth();
			if (column.getText().equals("Message")) {
				assertTrue(column.getWidth() >= 120, "the messages get room: " + widths);
				continue;
			}
			int widest = widest(table, cells(table, i));
			assertTrue(column.getWidth() >= widest + CELL_PADDING,
					column.getText() + " is " + column.getWidth() + " px wide for a text of " + widest + " px: " + widths);
		}
		assertTrue(total <= table.getClientArea().width,
				"the columns (" + widths + ") fit in the table (" + table.getClientArea().width + " px)");
		System.out.println("Verdicts view at " + Ui.WIDTH + "x" + Ui.HEIGHT + ": columns " + widths + " in "
				+ table.getClientArea().width + " px");
	}

	@Test
	void noCounterexampleIsCut() throws Exception {
		Text trace = Ui.controls(verdicts, Text.class).stream().filter(t -> (t.getStyle() & SWT.MULTI) != 0)
				.findFirst().orElseThrow();
		List<String> violated = verdicts.rows().stream().filter(r -> r.status().equals("violated"))
				.map(VerdictsView.Row::obligation).toList();
		assertEquals(List.of("lock_order", "scenario probe_vs_aer/deadlock"), violated);
		for (String id : violated) {
			assertTrue(verdicts.select(id));
			Ui.dispatch(100);
			String text = verdicts.traceText();
			assertTrue(text.toLowerCase(java.util.Locale.ROOT).contains("cpu1"), text);
			int widest = widest(trace, Arrays.asList(text.split("\n")));
			assertTrue(trace.getClientArea().width >= widest, id + ": the trace is " + trace.getClientArea().width
					+ " px wide for lines of " + widest + " px:\n" + text);
			assertTrue(trace.getClientArea().height > 0, "the trace is shown");
			System.out.println("Verdicts view: the trace of " + id + " is " + trace.getClientArea().width + "x"
					+ trace.getClientArea().height + " px for lines of " + widest + " px");
		}
		assertTrue(verdicts.select("lock_order"));
		waitFor("the counterexample's timeline", () -> "Trace: lock_order".equals(diagrams.shown()));
		Ui.dispatch(500);
		Ui.screenshot(editor.getSite().getShell(), "ide-verdicts-" + Ui.WIDTH + "x" + Ui.HEIGHT);
	}

	@Test
	void counterexampleTimelinesFitTheDiagramView() {
		ScrolledComposite scroller = Ui.controls(diagrams, ScrolledComposite.class).get(0);
		for (String trace : List.of("Trace: lock_order", "Trace: scenario probe_vs_aer/deadlock")) {
			assertTrue(diagrams.select(trace), diagrams.labels().toString());
			waitFor(trace, () -> trace.equals(diagrams.shown()));
			Ui.dispatch(300); // a resize draws it again
			int room = scroller.getClientArea().width;
			assertTrue(diagrams.imageBounds().width <= room,
					trace + " is " + diagrams.imageBounds().width + " px wide in a view of " + room + " px");
			assertTrue(diagrams.imageBounds().width >= room * 3 / 4, "not shrunk more than it needs: "
					+ diagrams.imageBounds().width + " px in " + room + " px");
			System.out.println("Diagram view: " + trace + " drawn " + diagrams.imageBounds().width + "x"
					+ diagrams.imageBounds().height + " px in " + room + " px");
		}
	}

	/** Prove applies to the editor's spec from any part (the Verdicts view, a navigator): its key shows in all. */
	@Test
	void lockspecMenuShowsProvesKey() {
		page().activate(editor);
		assertTrue(lockspecMenu().contains("Prove\tCtrl+Alt+P"), "the editor active: " + lockspecMenu());
		page().activate(verdicts);
		assertTrue(lockspecMenu().contains("Prove\tCtrl+Alt+P"), "the Verdicts view active: " + lockspecMenu());
		page().activate(editor);
	}

	/** The items of the Lockspec menu as it shows them (with their keys). */
	private static List<String> lockspecMenu() {
		Ui.dispatch(100);
		Menu lockspec = submenu(editor.getSite().getShell().getMenuBar(), "Lockspec");
		lockspec.notifyListeners(SWT.Show, new Event());
		Ui.dispatch(100);
		List<String> items = Arrays.stream(lockspec.getItems()).map(i -> i.getText().replace("&", "")).toList();
		lockspec.notifyListeners(SWT.Hide, new Event());
		return items;
	}

	private static Menu submenu(Menu bar, String label) {
		for (MenuItem item : bar.getItems()) {
			if (item.getText().replace("&", "").equals(label)) {
				assertNotNull(item.getMenu(), label);
				return item.getMenu();
			}
		}
		throw new AssertionError("no menu " + label + " in "
				+ Arrays.stream(bar.getItems()).map(MenuItem::getText).toList());
	}

	/** The texts of column {@code i}: its title and every cell. */
	private static List<String> cells(Table table, int i) {
		List<String> texts = new ArrayList<>();
		texts.add(table.getColumn(i).getText());
		for (TableItem item : table.getItems()) {
			texts.add(item.getText(i));
		}
		assertFalse(texts.size() < 2, "the table shows rows");
		return texts;
	}

	/** The width of the widest of {@code texts} in {@code c}'s font. */
	private static int widest(Control c, List<String> texts) {
		GC gc = new GC(c);
		try {
			return texts.stream().mapToInt(t -> gc.textExtent(t).x).max().orElse(0);
		} finally {
			gc.dispose();
		}
	}
}
