package org.lockspec.ui.views;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.SWTException;
import org.eclipse.swt.custom.ScrolledComposite;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IFileEditorInput;
import org.eclipse.ui.IPartListener2;
import org.eclipse.ui.ISelectionListener;
import org.eclipse.ui.IWorkbenchPartReference;
import org.eclipse.ui.part.ViewPart;
import org.lockspec.diagram.Diagrams;
import org.lockspec.diagram.model.Diagram;
import org.lockspec.model.Scenario;
import org.lockspec.model.Spec;
import static org.lockspec.verdict.Status.VIOLATED;
import org.lockspec.verdict.Verdict;
import org.lockspec.ui.LockspecUi;
import org.lockspec.ui.Specs;
import org.lockspec.ui.build.ProverRun;
import org.lockspec.ui.build.VerdictStore;

/**
 * The diagrams of the active spec, drawn by the diagram bundle (ELK layout,
 * SVG) from its last proof: the lock graph with the cycle of a violated lock
 * order, the topology of each scenario, and the timeline of each
 * counterexample. Selecting a violation in the Verdicts view shows its
 * counterexample here. The SVG is rasterised by SWT (org.eclipse.swt.svg), as
 * wide as the view: a wider diagram is shrunk (to {@link #MIN_SCALE} at most;
 * beyond that the view scrolls), so that a counterexample's last CPU is not
 * hidden past the view's edge.
 */
public class DiagramView extends ViewPart {

	public static final String ID = "org.lockspec.ui.diagram";
	public static final String LOCK_GRAPH = "Lock graph";
	/** The least a diagram is shrunk to fit the view's width; text stays readable. */
	static final double MIN_SCALE = 0.6;
	/** The size of the diagram: the first width and height of the SVG, its root element's. */
	private static final Pattern SIZE = Pattern.compile("width=\"([0-9.]+)\" height=\"([0-9.]+)\"");

	/** One diagram that can be shown: its label in the chooser and how to draw it. */
	private record Choice(String label, java.util.function.Function<Diagrams.Options, Diagram> draw) {
	}

	private Combo chooser;
	private ScrolledComposite scroller;
	private Label canvas;
	private Image image;
	private final List<Choice> choices = new ArrayList<>();
	private ProverRun.Outcome outcome;
	private volatile String svg;
	private volatile String shown;
	private long generation;
	private final Runnable refitTask = this::refit;

	private final Consumer<ProverRun.Outcome> onProof = o -> Display.getDefault().asyncExec(() -> {
		if (chooser != null && !chooser.isDisposed() && (outcome == null || o.path().equals(outcome.path()))) {
			show(o, currentLabel());
		}
	});
	private final IPartListener2 onEditor = new IPartListener2() {
		@Override
		public void partActivated(IWorkbenchPartReference ref) {
			if (ref.getPart(false) instanceof IEditorPart editor) {
				showEditor(editor);
			}
		}
	};
	private final ISelectionListener onVerdict = (part, selection) -> {
		if (part instanceof VerdictsView && selection instanceof IStructuredSelection s
				&& s.getFirstElement() instanceof VerdictsView.Row r && r.verdict() != null && r.verdict().trace() != null) {
			select("Trace: " + r.verdict().id());
		}
	};

	@Override
	public void createPartControl(Composite parent) {
		Composite box = new Composite(parent, SWT.NONE);
		GridLayout layout = new GridLayout(1, false);
		layout.marginWidth = 0;
		layout.marginHeight = 0;
		box.setLayout(layout);
		chooser = new Combo(box, SWT.READ_ONLY | SWT.DROP_DOWN);
		chooser.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		chooser.addListener(SWT.Selection, e -> draw());
		scroller = new ScrolledComposite(box, SWT.H_SCROLL | SWT.V_SCROLL | SWT.BORDER);
		scroller.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
		scroller.setBackground(parent.getDisplay().getSystemColor(SWT.COLOR_WHITE));
		canvas = new Label(scroller, SWT.NONE);
		canvas.setBackground(parent.getDisplay().getSystemColor(SWT.COLOR_WHITE));
		scroller.setContent(canvas);
		scroller.addListener(SWT.Resize, e -> scroller.getDisplay().timerExec(150, refitTask));
		VerdictStore.addListener(onProof);
		getSite().getPage().addPartListener(onEditor);
		getSite().getPage().addPostSelectionListener(VerdictsView.ID, onVerdict);
		IEditorPart active = getSite().getPage().getActiveEditor();
		if (active != null) {
			showEditor(active);
		} else {
			message("Open a .lockspec spec to see its diagrams.");
		}
	}

	private void showEditor(IEditorPart editor) {
		if (!(editor.getEditorInput() instanceof IFileEditorInput in) || !Specs.isSpec(in.getFile())
				|| in.getFile().getLocation() == null) {
			return;
		}
		Path p = in.getFile().getLocation().toPath().toAbsolutePath().normalize();
		ProverRun.Outcome o = VerdictStore.get(p);
		if (o == null) {
			outcome = null;
			choices.clear();
			chooser.setItems();
			message("Not proved yet: save the spec (with the Lockspec builder on) or run Lockspec > Prove.");
		} else if (o != outcome) {
			show(o, null);
		}
	}

	/** Shows the diagrams of a proof; {@code keep}: the label to keep chosen if it is still there. */
	public void show(ProverRun.Outcome o, String keep) {
		outcome = o;
		choices.clear();
		Spec spec = o.load().spec();
		if (spec == null || o.result() == null) {
			chooser.setItems();
			message("The spec has errors; see the Problems view.");
			return;
		}
		List<Verdict> verdicts = o.result().verdicts();
		choices.add(new Choice(LOCK_GRAPH, opts -> Diagrams.lockGraph(spec, verdicts, null, opts)));
		for (Scenario s : Diagrams.scenarios(spec)) {
			choices.add(new Choice("Topology: " + s.getName(), opts -> Diagrams.topology(spec, s, verdicts, opts)));
		}
		for (Verdict v : verdicts) {
			if (v.trace() != null && v.status() == VIOLATED) {
				choices.add(new Choice("Trace: " + v.id(), opts -> Diagrams.trace(spec, v, opts)));
			}
		}
		chooser.setItems(choices.stream().map(Choice::label).toArray(String[]::new));
		int at = keep == null ? -1 : chooser.indexOf(keep);
		chooser.select(Math.max(0, at));
		draw();
	}

	/** Chooses the diagram with this label (false if there is none). */
	public boolean select(String label) {
		int at = chooser.indexOf(label);
		if (at < 0) {
			return false;
		}
		if (chooser.getSelectionIndex() != at) {
			chooser.select(at);
			draw();
		}
		return true;
	}

	/** The labels of the diagrams there are (tests read them). */
	public List<String> labels() {
		return List.of(chooser.getItems());
	}

	/** The label of the diagram on show once it is drawn, else null. */
	public String shown() {
		return shown;
	}

	/** The SVG of the diagram on show (tests read it). */
	public String svg() {
		return svg;
	}

	/** The size of the image on show, or null. */
	public org.eclipse.swt.graphics.Rectangle imageBounds() {
		return image == null || image.isDisposed() ? null : image.getBounds();
	}

	private String currentLabel() {
		int i = chooser.getSelectionIndex();
		return i < 0 ? null : chooser.getItem(i);
	}

	/** Lays the chosen diagram out and renders it in a job; the image is set in the UI thread. */
	private void draw() {
		int i = chooser.getSelectionIndex();
		if (i < 0 || i >= choices.size() || outcome == null) {
			return;
		}
		Choice choice = choices.get(i);
		Path base = outcome.path().getParent();
		long mine = ++generation;
		shown = null;
		Job job = Job.create("Drawing " + choice.label(), monitor -> {
			String text;
			try {
				Diagram d = choice.draw().apply(Diagrams.Options.defaults().withBase(base));
				text = Diagrams.svg(d);
			} catch (RuntimeException e) {
				LockspecUi.log("drawing " + choice.label() + " failed", e);
				Display.getDefault().asyncExec(() -> message("Cannot draw " + choice.label() + ": " + e));
				return Status.OK_STATUS;
			}
			Display.getDefault().asyncExec(() -> {
				if (canvas.isDisposed() || mine != generation) {
					return;
				}
				setImage(text, choice.label());
			});
			return Status.OK_STATUS;
		});
		job.setSystem(true);
		job.schedule();
	}

	private void setImage(String text, String label) {
		if (!rasterise(text)) {
			return;
		}
		svg = text;
		shown = label;
		setContentDescription(outcome.path().getFileName() + ": " + label);
	}

	/** Shows {@code text}, an SVG, as wide as the view; false, with a message shown, if SWT cannot read it. */
	private boolean rasterise(String text) {
		Image next;
		try {
			next = new Image(canvas.getDisplay(), new ByteArrayInputStream(fitted(text).getBytes(StandardCharsets.UTF_8)));
		} catch (SWTException | IllegalArgumentException e) {
			message("Cannot show the SVG (" + e.getMessage() + "); org.eclipse.swt.svg must be installed.");
			return false;
		}
		if (image != null) {
			image.dispose();
		}
		image = next;
		canvas.setText("");
		canvas.setImage(image);
		canvas.setSize(image.getBounds().width, image.getBounds().height);
		return true;
	}

	/** The view was resized: the diagram on show, drawn again for its width. */
	private void refit() {
		if (svg != null && !canvas.isDisposed()) {
			rasterise(svg);
		}
	}

	/** The SVG drawn at the view's width when it is wider: shrunk by at most {@link #MIN_SCALE}, never enlarged. */
	private String fitted(String text) {
		Matcher size = SIZE.matcher(text);
		int room = scroller.getClientArea().width;
		if (!size.find() || room <= 0) {
			return text;
		}
		double width = Double.parseDouble(size.group(1));
		double height = Double.parseDouble(size.group(2));
		double scale = Math.min(1, Math.max(MIN_SCALE, room / width));
		if (scale == 1) {
			return text;
		}
		return text.substring(0, size.start()) + "width=\"" + (int) Math.floor(width * scale) + "\" height=\""
				+ (int) Math.floor(height * scale) + "\"" + text.substring(size.end());
	}

	private void message(String text) {
		if (image != null) {
			image.dispose();
			image = null;
		}
		canvas.setImage(null);
		canvas.setText(text);
		canvas.setSize(canvas.computeSize(SWT.DEFAULT, SWT.DEFAULT));
		svg = null;
		shown = null;
		setContentDescription("");
	}

	@Override
	public void setFocus() {
		chooser.setFocus();
	}

	@Override
	public void dispose() {
		VerdictStore.removeListener(onProof);
		getSite().getPage().removePartListener(onEditor);
		getSite().getPage().removePostSelectionListener(VerdictsView.ID, onVerdict);
		if (image != null) {
			image.dispose();
		}
		super.dispose();
	}
}
