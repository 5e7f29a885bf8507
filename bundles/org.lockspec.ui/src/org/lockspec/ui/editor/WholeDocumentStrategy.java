package org.lockspec.ui.editor;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IRegion;
import org.eclipse.jface.text.ITextViewer;
import org.eclipse.jface.text.reconciler.DirtyRegion;
import org.eclipse.jface.text.reconciler.IReconcilingStrategy;
import org.eclipse.jface.text.reconciler.IReconcilingStrategyExtension;

/**
 * A reconciling strategy that redoes its work over the whole document whatever
 * changed (a spec is loaded whole): the folding and the annotations as you type.
 */
abstract class WholeDocumentStrategy implements IReconcilingStrategy, IReconcilingStrategyExtension {

	volatile ITextViewer viewer;
	IDocument document;

	/** The work, on the reconciler's thread. */
	abstract void reconcileAll();

	@Override
	public final void setDocument(IDocument document) {
		this.document = document;
	}

	@Override
	public final void setProgressMonitor(IProgressMonitor monitor) {
		// a load is short; it is not cancelled halfway
	}

	@Override
	public final void initialReconcile() {
		reconcileAll();
	}

	@Override
	public final void reconcile(DirtyRegion dirtyRegion, IRegion subRegion) {
		reconcileAll();
	}

	@Override
	public final void reconcile(IRegion partition) {
		reconcileAll();
	}
}
