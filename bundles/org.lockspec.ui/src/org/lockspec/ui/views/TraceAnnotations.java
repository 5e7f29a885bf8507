package org.lockspec.ui.views;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.resources.IFile;
import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.Position;
import org.eclipse.jface.text.source.Annotation;
import org.eclipse.jface.text.source.IAnnotationModel;
import org.eclipse.jface.text.source.IAnnotationModelExtension;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.part.FileEditorInput;
import org.eclipse.ui.texteditor.ITextEditor;
import org.lockspec.verdict.Trace;
import org.lockspec.verdict.Verdict;
import org.lockspec.ui.Specs;

/**
 * A counterexample in the source: while a violation is selected in the
 * Verdicts view, every step of its trace is marked at its line in the open
 * editors ("CPU0 step 1: lock pf.dev_lock"; the step that waits or fails says
 * so), in the text and the overview ruler.
 */
public final class TraceAnnotations {

	public static final String TYPE = "org.lockspec.ui.traceStep";

	private static final Map<IAnnotationModel, List<Annotation>> SHOWN = new HashMap<>();

	private TraceAnnotations() {
	}

	/** Marks the steps of {@code verdict}'s trace (clears the marks for a verdict without one). */
	public static void show(IWorkbenchPage page, Verdict verdict) {
		clear();
		if (verdict == null || verdict.trace() == null) {
			return;
		}
		Map<IAnnotationModel, Map<Annotation, Position>> add = new HashMap<>();
		List<Trace.Event> events = verdict.trace().events();
		for (int i = 0; i < events.size(); i++) {
			Trace.Event e = events.get(i);
			if (e.at() == null) {
				continue;
			}
			IFile file = Specs.fileAt(Path.of(e.at().file()));
			IEditorPart part = file == null ? null : page.findEditor(new FileEditorInput(file));
			if (!(part instanceof ITextEditor editor)) {
				continue;
			}
			IDocument doc = editor.getDocumentProvider().getDocument(editor.getEditorInput());
			IAnnotationModel model = editor.getDocumentProvider().getAnnotationModel(editor.getEditorInput());
			if (doc == null || model == null) {
				continue;
			}
			String cpu = e.lane() < verdict.trace().lanes().size() ? verdict.trace().lanes().get(e.lane()).cpu() : "CPU";
			String text = cpu + " step " + (i + 1) + ": " + e.text() + (e.waits() ? "  <-- waits" : "")
					+ (e.fails() ? "  <-- here" : "");
			try {
				int line = Math.max(0, Math.min(e.at().line() - 1, doc.getNumberOfLines() - 1));
				int start = doc.getLineOffset(line);
				String content = doc.get(start, doc.getLineLength(line));
				int lead = content.length() - content.stripLeading().length();
				int length = content.strip().length();
				add.computeIfAbsent(model, m -> new HashMap<>()).put(new Annotation(TYPE, false, text),
						new Position(start + lead, length));
			} catch (BadLocationException ex) {
				// the editor's text changed since the proof: no mark for this step
			}
		}
		synchronized (SHOWN) {
			add.forEach((model, annotations) -> {
				if (model instanceof IAnnotationModelExtension ext) {
					ext.replaceAnnotations(null, annotations);
				} else {
					annotations.forEach(model::addAnnotation);
				}
				SHOWN.put(model, new ArrayList<>(annotations.keySet()));
			});
		}
	}

	/** Removes every trace mark. */
	public static void clear() {
		synchronized (SHOWN) {
			SHOWN.forEach((model, annotations) -> {
				if (model instanceof IAnnotationModelExtension ext) {
					ext.replaceAnnotations(annotations.toArray(Annotation[]::new), null);
				} else {
					annotations.forEach(model::removeAnnotation);
				}
			});
			SHOWN.clear();
		}
	}

	/** The trace marks shown now, as "line: text" (tests read them). */
	public static List<String> shown(IAnnotationModel model, IDocument doc) {
		List<String> out = new ArrayList<>();
		synchronized (SHOWN) {
			for (Annotation a : SHOWN.getOrDefault(model, List.of())) {
				Position p = model.getPosition(a);
				try {
					out.add((p == null ? "?" : doc.getLineOfOffset(p.getOffset()) + 1) + ": " + a.getText());
				} catch (BadLocationException e) {
					out.add("?: " + a.getText());
				}
			}
		}
		return out;
	}
}
