package org.lockspec.ui.editor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.ITextViewer;
import org.eclipse.jface.text.Position;
import org.eclipse.jface.text.reconciler.MonoReconciler;
import org.eclipse.jface.text.source.Annotation;
import org.eclipse.jface.text.source.IAnnotationModel;
import org.eclipse.jface.text.source.IAnnotationModelExtension;
import org.eclipse.jface.text.source.ISourceViewer;
import org.lockspec.ui.Specs;
import org.lockspec.ui.build.Markers;
import org.lockspec.workspace.Problem;

/**
 * Loads the spec in the background as you type (300 ms after the last key):
 * syntax, linking and validation problems become annotations in the editor
 * (and {@link LockspecPresentationReconciler} paints the new snapshot's
 * semantic highlighting).
 */
public class LockspecReconciler extends MonoReconciler {

	/** Annotation types of the text editor framework (the error, warning and info squiggles). */
	public static final String ERROR = "org.eclipse.ui.workbench.texteditor.error";
	public static final String WARNING = "org.eclipse.ui.workbench.texteditor.warning";
	public static final String INFO = "org.eclipse.ui.workbench.texteditor.info";

	public LockspecReconciler() {
		super(new Strategy(), false);
		setDelay(300);
	}

	@Override
	public void install(ITextViewer textViewer) {
		((Strategy) getReconcilingStrategy(IDocument.DEFAULT_CONTENT_TYPE)).viewer = textViewer;
		super.install(textViewer);
	}

	static final class Strategy extends WholeDocumentStrategy {
		private final List<Annotation> shown = new ArrayList<>();

		@Override
		void reconcileAll() {
			reconcile();
		}

		private void reconcile() {
			SpecDocument spec = SpecDocument.of(document);
			if (spec == null) {
				return;
			}
			SpecDocument.Snapshot s = spec.current();
			annotate(spec, s); // the presentation reconciler repaints the highlighting of the new snapshot
		}

		private void annotate(SpecDocument spec, SpecDocument.Snapshot s) {
			if (!(viewer instanceof ISourceViewer sv) || sv.getAnnotationModel() == null) {
				return;
			}
			IAnnotationModel model = sv.getAnnotationModel();
			Set<String> onDisk = markers(spec);
			Map<Annotation, Position> added = new HashMap<>();
			for (Problem p : s.result().problems()) {
				if (onDisk.contains(p.line() + ":" + p.message())) {
					continue; // the builder's marker shows it already
				}
				int offset = Specs.offset(s.text(), p.line(), p.column());
				int length = Math.max(1, Specs.tokenLength(s.text(), offset));
				if (offset + length > s.text().length()) {
					length = Math.max(0, s.text().length() - offset);
				}
				String type = switch (p.severity()) {
				case ERROR -> ERROR;
				case WARNING -> WARNING;
				default -> INFO;
				};
				added.put(new Annotation(type, false, p.message()), new Position(offset, length));
			}
			synchronized (shown) {
				if (model instanceof IAnnotationModelExtension ext) {
					ext.replaceAnnotations(shown.toArray(Annotation[]::new), added);
				} else {
					shown.forEach(model::removeAnnotation);
					added.forEach(model::addAnnotation);
				}
				shown.clear();
				shown.addAll(added.keySet());
			}
		}

		/** line:message of the builder's validation markers on the file, when the text is as saved. */
		private static Set<String> markers(SpecDocument spec) {
			IFile file = Specs.fileAt(spec.path());
			Set<String> out = new HashSet<>();
			if (file == null) {
				return out;
			}
			var buffer = org.eclipse.core.filebuffers.FileBuffers.getTextFileBufferManager()
					.getTextFileBuffer(spec.document());
			if (buffer != null && buffer.isDirty()) {
				return out;
			}
			try {
				for (IMarker m : file.findMarkers(Markers.PROBLEM, false, IResource.DEPTH_ZERO)) {
					out.add(m.getAttribute(IMarker.LINE_NUMBER, -1) + ":" + m.getAttribute(IMarker.MESSAGE, ""));
				}
			} catch (CoreException e) {
				// no markers to compare with
			}
			return out;
		}
	}
}
