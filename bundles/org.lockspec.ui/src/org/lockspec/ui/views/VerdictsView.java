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
import org.eclipse.jface.viewers.ColumnWeightData;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
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
 * counterexample is shown beside the table, CPU by CPU, as
 * {@code lockspec prove} draws it.
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

	private TableViewer table;
	private Text trace;
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
		SashForm sash = new SashForm(parent, SWT.HORIZONTAL);
		Composite tableBox = new Composite(sash, SWT.NONE);
		TableColumnLayout layout = new TableColumnLayout();
		tableBox.setLayout(layout);
		table = new TableViewer(tableBox, SWT.FULL_SELECTION | SWT.SINGLE | SWT.BORDER);
		table.getTable().setHeaderVisible(true);
		table.getTable().setLinesVisible(true);
		column(layout, "Status", 12, Row::status, true);
		column(layout, "Obligation", 25, Row::obligation, false);
		column(layout, "Message", 50, Row::message, false);
		column(layout, "Line", 6, r -> r.location() == null ? "" : String.valueOf(r.location().line()), false);
		table.setContentProvider(ArrayContentProvider.getInstance());
		table.addSelectionChangedListener(e -> showTrace(selected()));
		table.addOpenListener(e -> open(selected()));
		trace = new Text(sash, SWT.MULTI | SWT.READ_ONLY | SWT.H_SCROLL | SWT.V_SCROLL | SWT.BORDER);
		trace.setFont(JFaceResources.getTextFont());
		sash.setWeights(55, 45);
		getSite().setSelectionProvider(table);
		VerdictStore.addListener(onProof);
		getSite().getPage().addPartListener(onEditor);
		IEditorPart active = getSite().getPage().getActiveEditor();
		if (active != null) {
			showEditor(active);
		}
	}

	private void column(TableColumnLayout layout, String title, int weight, java.util.function.Function<Row, String> text,
			boolean coloured) {
		TableViewerColumn c = new TableViewerColumn(table, SWT.NONE);
		c.getColumn().setText(title);
		layout.setColumnData(c.getColumn(), new ColumnWeightData(weight, 40));
		c.setLabelProvider(new ColumnLabelProvider() {
			@Override
			public String getText(Object e) {
				return e instanceof Row r ? text.apply(r) : "";
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
				trace.setText("Not proved yet: save the spec (with the Lockspec builder on) or run Lockspec > Prove.");
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
		StringBuilder b = new StringBuilder();
		b.append(r.status()).append("  ").append(r.obligation()).append('\n').append(r.message()).append('\n');
		if (r.location() != null) {
			b.append("at ").append(r.location()).append('\n');
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
		trace.setText(b.toString());
		TraceAnnotations.show(getSite().getPage(), v);
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
