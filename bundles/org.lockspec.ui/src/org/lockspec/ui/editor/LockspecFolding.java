package org.lockspec.ui.editor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;


import org.eclipse.jface.text.IDocument;

import org.eclipse.jface.text.ITextViewer;
import org.eclipse.jface.text.Position;



import org.eclipse.jface.text.reconciler.MonoReconciler;
import org.eclipse.jface.text.source.Annotation;
import org.eclipse.jface.text.source.projection.ProjectionAnnotation;
import org.eclipse.jface.text.source.projection.ProjectionAnnotationModel;
import org.eclipse.jface.text.source.projection.ProjectionViewer;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.swt.widgets.Control;

/** Folding: every declaration that spans lines (objects, ops, scenarios, blocks of declarations) folds. */
public class LockspecFolding extends MonoReconciler {

	public LockspecFolding() {
		super(new Strategy(), false);
		setDelay(500);
	}

	@Override
	public void install(ITextViewer textViewer) {
		((Strategy) getReconcilingStrategy(IDocument.DEFAULT_CONTENT_TYPE)).viewer = textViewer;
		super.install(textViewer);
	}

	static final class Strategy extends WholeDocumentStrategy {

		@Override
		void reconcileAll() {
			fold();
		}

		private void fold() {
			SpecDocument spec = SpecDocument.of(document);
			if (spec == null || !(viewer instanceof ProjectionViewer pv)) {
				return;
			}
			SpecDocument.Snapshot s = spec.current();
			List<Position> regions = new ArrayList<>();
			collect(Symbols.of(s), s.text(), regions);
			Control c = pv.getTextWidget();
			if (c == null || c.isDisposed()) {
				return;
			}
			c.getDisplay().asyncExec(() -> apply(pv, regions));
		}

		private void collect(List<DocumentSymbol> symbols, String text, List<Position> out) {
			for (DocumentSymbol d : symbols) {
				if (d.getRange() != null && d.getRange().getEnd().getLine() > d.getRange().getStart().getLine()) {
					int start = Symbols.offset(text, new org.eclipse.lsp4j.Position(d.getRange().getStart().getLine(), 0));
					int endLine = d.getRange().getEnd().getLine() + 1;
					int end = endLine >= text.split("\n", -1).length ? text.length()
							: Symbols.offset(text, new org.eclipse.lsp4j.Position(endLine, 0));
					out.add(new Position(start, end - start));
				}
				if (d.getChildren() != null) {
					collect(d.getChildren(), text, out);
				}
			}
		}

		private void apply(ProjectionViewer pv, List<Position> regions) {
			ProjectionAnnotationModel model = pv.getProjectionAnnotationModel();
			if (model == null || pv.getTextWidget() == null || pv.getTextWidget().isDisposed()) {
				return;
			}
			List<Position> wanted = new ArrayList<>(regions);
			List<Annotation> removed = new ArrayList<>();
			for (var it = model.getAnnotationIterator(); it.hasNext();) {
				Annotation a = it.next();
				if (a instanceof ProjectionAnnotation) {
					Position at = model.getPosition(a);
					if (at != null && wanted.remove(at)) {
						continue; // the same region: keep it, folded or not
					}
					removed.add(a);
				}
			}
			Map<Annotation, Position> added = new HashMap<>();
			for (Position p : wanted) {
				added.put(new ProjectionAnnotation(), p);
			}
			model.modifyAnnotations(removed.toArray(Annotation[]::new), added, null);
		}
	}
}
