package org.lockspec.ui.views;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.eclipse.core.resources.IFile;
import org.eclipse.jface.layout.TableColumnLayout;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ColumnPixelData;
import org.eclipse.jface.viewers.ColumnViewerToolTipSupport;
import org.eclipse.jface.viewers.ColumnWeightData;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IFileEditorInput;
import org.eclipse.ui.IPartListener2;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchPartReference;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.part.ViewPart;
import org.eclipse.ui.texteditor.ITextEditor;
import org.lockspec.prover.render.TextReport;
import org.lockspec.verdict.Location;
import org.lockspec.verdict.SpecResult;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Verdict;
import org.lockspec.ui.LockspecUi;
import org.lockspec.ui.Specs;
import org.lockspec.ui.build.ProverRun;
import org.lockspec.ui.build.VerdictStore;

/**
 * Every obligation of the active spec with its verdict (proved, safe up to
 * bound, violated, unknown) and every {@code expect} clause with whether it
 * came true. Opening a row selects its source in the editor; a violation's
 * counterexample is shown beside the table (below it when the view is too
 * narrow for both), CPU by CPU, as {@code lockspec prove} draws it.
 */
public class VerdictsView extends ViewPart {

	public static final String ID = "org.lockspec.ui.verdicts";

	/** A row: a verdict, or an expectation. */
	public record Row(String status, String obligation, String message, Location location, Verdict verdict) {
		@Override
		public String toString() {
			return status + " | " + obligation + " | " + message;
		}
	}

	/**
	 * The Message column's least width: the other columns are as wide as their
	 * widest cell, it takes the rest (a cell's tooltip, and the trace of the
	 * selected row, show a message whole).
	 */
	private static final int MESSAGE_MIN = 120;
	private static final String NOT_PROVED = "Not proved yet: save the spec (with the Lockspec builder on) or run Lockspec > Prove.";

	private SashForm sash;
	private Composite tableBox;
	private TableColumnLayout columns;
	private TableViewer table;
	private TableColumn message;
	private Text trace;
	/** The width the trace needs for the widest line of every counterexample of the shown proof. */
	private int traceWidth;
	private Path shown;
	private ProverRun.Outcome outcome;
	private final Consumer<ProverRun.Outcome> onProof = o -> {
		Display d = Display.getDefault();
		d.asyncExec(() -> {
			if (table != null && !table.getTable().isDisposed() && (shown == null || o.path().equals(shown))) {
				show(o);
			}
		});
	};
	private final IPartListener2 onEditor = new IPartListener2() {
		@Override
		public void partActivated(IWorkbenchPartReference ref) {
			if (ref.getPart(false) instanceof IEditorPart editor) {
				showEditor(editor);
			}
		}
	};

	@Override
	public void createPartControl(Composite parent) {
		sash = new SashForm(parent, SWT.HORIZONTAL);
		tableBox = new Composite(sash, SWT.NONE);
		columns = new TableColumnLayout();
		tableBox.setLayout(columns);
		table = new TableViewer(tableBox, SWT.FULL_SELECTION | SWT.SINGLE | SWT.BORDER);
		table.getTable().setHeaderVisible(true);
		table.getTable().setLinesVisible(true);
		column("Status", Row::status, true);
		column("Obligation", Row::obligation, false);
		message = column("Message", Row::message, false);
		column("Line", r -> r.location() == null ? "" : String.valueOf(r.location().line()), false);
		ColumnViewerToolTipSupport.enableFor(table);
		table.setContentProvider(ArrayContentProvider.getInstance());
		table.addSelectionChangedListener(e -> showTrace(selected()));
		table.addOpenListener(e -> open(selected()));
		trace = new Text(sash, SWT.MULTI | SWT.READ_ONLY | SWT.H_SCROLL | SWT.V_SCROLL | SWT.BORDER);
		trace.setFont(JFaceResources.getTextFont());
		sash.addListener(SWT.Resize, e -> arrange());
		getSite().setSelectionProvider(table);
		VerdictStore.addListener(onProof);
		getSite().getPage().addPartListener(onEditor);
		IEditorPart active = getSite().getPage().getActiveEditor();
		if (active != null) {
			showEditor(active);
		}
	}

	private TableColumn column(String title, java.util.function.Function<Row, String> text, boolean coloured) {
		TableViewerColumn c = new TableViewerColumn(table, SWT.NONE);
		c.getColumn().setText(title);
		columns.setColumnData(c.getColumn(), new ColumnWeightData(1, 40));
		c.setLabelProvider(new ColumnLabelProvider() {
			@Override
			public String getText(Object e) {
				return e instanceof Row r ? text.apply(r) : "";
			}

			@Override
			public String getToolTipText(Object e) {
				return e instanceof Row r && !r.message().isEmpty() ? r.message() : null;
			}

			@Override
			public Color getForeground(Object e) {
				if (!coloured || !(e instanceof Row r)) {
					return null;
				}
				Display d = Display.getCurrent();
				return switch (r.status()) {
				case "violated" -> d.getSystemColor(SWT.COLOR_DARK_RED);
				case "proved", "met" -> d.getSystemColor(SWT.COLOR_DARK_GREEN);
				case "not met" -> d.getSystemColor(SWT.COLOR_RED);
				default -> d.getSystemColor(SWT.COLOR_DARK_YELLOW);
				};
			}
		});
		return c.getColumn();
	}

	/**
	 * Lays the view out for what it shows: Status, Obligation and Line as wide as
	 * their widest cell, Message the rest; the trace beside the table when the
	 * view is wide enough for both and the trace's widest line, else below it,
	 * so that no CPU column of a counterexample is cut.
	 */
	private void arrange() {
		int tableWidth = fitColumns();
		int width = sash.getClientArea().width;
		if (width >= tableWidth + sash.getSashWidth() + traceWidth) {
			sash.setOrientation(SWT.HORIZONTAL);
			sash.setWeights(width - sash.getSashWidth() - traceWidth, traceWidth);
		} else {
			sash.setOrientation(SWT.VERTICAL);
			sash.setWeights(2, 3);
		}
	}

	/** Sizes the columns to their cells (Message: the rest, at least {@link #MESSAGE_MIN}); the width the table needs. */
	private int fitColumns() {
		int width = MESSAGE_MIN;
		for (TableColumn c : table.getTable().getColumns()) {
			if (c == message) {
				columns.setColumnData(c, new ColumnWeightData(1, MESSAGE_MIN));
			} else {
				c.pack();
				columns.setColumnData(c, new ColumnPixelData(c.getWidth()));
				width += c.getWidth();
			}
		}
		tableBox.layout(true);
		return table.getTable().computeTrim(0, 0, width, 0).width;
	}

	/** The width of the trace for the widest line of {@code texts}, in its font, with its border and scroll bar. */
	private int traceWidth(List<String> texts) {
		GC gc = new GC(trace);
		try {
			int widest = 0;
			for (String text : texts) {
				for (String line : text.split("\n")) {
					widest = Math.max(widest, gc.textExtent(line).x);
				}
			}
			return trace.computeTrim(0, 0, widest, 0).width;
		} finally {
			gc.dispose();
		}
	}

	private void showText(String text) {
		trace.setText(text);
		traceWidth = traceWidth(List.of(text));
		arrange();
	}

	private void showEditor(IEditorPart editor) {
		if (editor.getEditorInput() instanceof IFileEditorInput in && Specs.isSpec(in.getFile())
				&& in.getFile().getLocation() != null) {
			Path p = in.getFile().getLocation().toPath().toAbsolutePath().normalize();
			shown = p;
			ProverRun.Outcome o = VerdictStore.get(p);
			if (o != null) {
				show(o);
			} else {
				table.setInput(List.of());
				outcome = null;
				showText(NOT_PROVED);
				setContentDescription(in.getFile().getName());
			}
		}
	}

	/** Shows one proof (the Prove command calls this for the spec it proved). */
	public void show(ProverRun.Outcome o) {
		if (o == outcome) {
			return; // already shown: keep the selection and its trace
		}
		outcome = o;
		shown = o.path();
		table.setInput(rows(o));
		setContentDescription(o.path().getFileName() + (o.result() == null ? ": not proved (the spec has errors)"
				: ": " + o.result().outcome().name().toLowerCase().replace('_', ' ') + " (" + o.result().spec() + ")"));
		trace.setText(o.result() == null ? "The spec has errors; see the Problems view." : "");
		List<String> counterexamples = new ArrayList<>(rows().stream()
				.filter(r -> r.verdict() != null && r.verdict().trace() != null).map(VerdictsView::describe).toList());
		counterexamples.add(trace.getText());
		traceWidth = traceWidth(counterexamples);
		arrange();
	}

	/** The rows of a proof: every verdict, then every expect clause. */
	public static List<Row> rows(ProverRun.Outcome o) {
		List<Row> rows = new ArrayList<>();
		if (o.result() == null) {
			return rows;
		}
		for (Verdict v : o.result().verdicts()) {
			rows.add(new Row(label(v.status()), v.id(), v.message(), v.location(), v));
		}
		for (SpecResult.Expectation e : o.result().expectations()) {
			String status = switch (e.result()) {
			case MET -> "met";
			case NOT_MET -> "not met";
			case UNKNOWN -> "undecided";
			};
			rows.add(new Row(status, e.text() + (e.scenario() == null ? "" : " (" + e.scenario() + ")"),
					e.why() == null ? "" : e.why(), e.location(), null));
		}
		return rows;
	}

	static String label(Status s) {
		return s.name().toLowerCase().replace('_', ' ');
	}

	/** The rows shown now (tests read them). */
	@SuppressWarnings("unchecked")
	public List<Row> rows() {
		Object in = table.getInput();
		return in instanceof List<?> l ? (List<Row>) l : List.of();
	}

	/** The counterexample text shown now. */
	public String traceText() {
		return trace.getText();
	}

	/** Selects the first row whose obligation id is {@code id} (its trace is shown); false if none. */
	public boolean select(String id) {
		for (Row r : rows()) {
			if (r.obligation().equals(id)) {
				table.setSelection(new StructuredSelection(r), true);
				showTrace(r);
				return true;
			}
		}
		return false;
	}

	/** Selects the first violation, shows its trace and opens its source; false if there is none. */
	public boolean showFirstCounterexample() {
		for (Row r : rows()) {
			if (r.verdict() != null && r.verdict().status() == Status.VIOLATED && r.verdict().trace() != null) {
				table.setSelection(new StructuredSelection(r), true);
				showTrace(r);
				open(r);
				return true;
			}
		}
		return false;
	}

	private Row selected() {
		return table.getSelection() instanceof IStructuredSelection s && s.getFirstElement() instanceof Row r ? r : null;
	}

	private void showTrace(Row r) {
		if (r == null) {
			return;
		}
		trace.setText(describe(r));
		TraceAnnotations.show(getSite().getPage(), r.verdict());
	}

	/** What the trace shows for a row: its verdict, message and place, and its counterexample CPU by CPU. */
	private static String describe(Row r) {
		StringBuilder b = new StringBuilder();
		b.append(r.status()).append("  ").append(r.obligation()).append('\n').append(r.message()).append('\n');
		if (r.location() != null) {
			b.append("at ").append(where(r.location())).append('\n');
		}
		Verdict v = r.verdict();
		if (v != null && v.trace() != null) {
			b.append('\n');
			for (String line : TextReport.columns(v.trace())) {
				b.append(line).append('\n');
			}
		}
		if (v != null && v.details() != null) {
			for (String d : v.details()) {
				b.append(d).append('\n');
			}
		}
		return b.toString();
	}

	/** A location with the file's workspace path (/project/spec.lockspec:40:3) when it is in the workspace. */
	private static String where(Location l) {
		IFile file = Specs.fileAt(Path.of(l.file()));
		return file == null ? l.toString() : file.getFullPath() + ":" + l.line() + ":" + l.column();
	}

	/** Opens the row's source: the spec at the verdict's line. */
	private void open(Row r) {
		if (r == null || r.location() == null) {
			return;
		}
		IFile file = Specs.fileAt(Path.of(r.location().file()));
		if (file == null) {
			return;
		}
		IWorkbenchPage page = getSite().getPage();
		try {
			IEditorPart part = IDE.openEditor(page, file, false);
			if (part instanceof ITextEditor te) {
				var doc = te.getDocumentProvider().getDocument(te.getEditorInput());
				int start = Specs.offset(doc, r.location().line(), r.location().column());
				int lineEnd;
				try {
					int line = doc.getLineOfOffset(start);
					lineEnd = doc.getLineOffset(line) + doc.getLineLength(line);
					String t = doc.get(start, lineEnd - start);
					lineEnd = start + t.stripTrailing().length();
				} catch (org.eclipse.jface.text.BadLocationException e) {
					lineEnd = start;
				}
				te.selectAndReveal(start, Math.max(0, lineEnd - start));
			}
		} catch (PartInitException e) {
			LockspecUi.log("cannot open " + file, e);
		}
	}

	@Override
	public void setFocus() {
		table.getControl().setFocus();
	}

	@Override
	public void dispose() {
		TraceAnnotations.clear();
		VerdictStore.removeListener(onProof);
		getSite().getPage().removePartListener(onEditor);
		super.dispose();
	}
}
