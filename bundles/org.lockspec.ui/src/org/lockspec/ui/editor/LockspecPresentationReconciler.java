package org.lockspec.ui.editor;

import java.util.List;

import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.ITextPresentationListener;
import org.eclipse.jface.text.ITextViewer;
import org.eclipse.jface.text.ITextViewerExtension4;
import org.eclipse.jface.text.IRegion;
import org.eclipse.jface.text.TextAttribute;
import org.eclipse.jface.text.TextPresentation;
import org.eclipse.jface.text.presentation.PresentationReconciler;
import org.eclipse.jface.text.rules.DefaultDamagerRepairer;
import org.eclipse.swt.custom.StyleRange;
import org.lockspec.ide.highlighting.LockspecHighlighting;

/**
 * Lexical highlighting ({@link LexicalScanner}) repaired line by line as you
 * type, with the semantic highlighting of the last loaded snapshot merged on
 * top (names by what they denote: object types, ops, locks, fields, ...).
 */
public class LockspecPresentationReconciler extends PresentationReconciler {

	private static final java.util.Set<String> LEXICAL = java.util.Set.of(LockspecHighlighting.KEYWORD,
			LockspecHighlighting.COMMENT, LockspecHighlighting.NUMBER);
	private final ITextPresentationListener semantic = this::mergeSemantic;
	private ITextViewer viewer;

	public LockspecPresentationReconciler() {
		DefaultDamagerRepairer dr = new DefaultDamagerRepairer(new LexicalScanner());
		setDamager(dr, IDocument.DEFAULT_CONTENT_TYPE);
		setRepairer(dr, IDocument.DEFAULT_CONTENT_TYPE);
	}

	@Override
	public void install(ITextViewer textViewer) {
		super.install(textViewer);
		viewer = textViewer;
		if (textViewer instanceof ITextViewerExtension4 v4) {
			v4.addTextPresentationListener(semantic);
		}
	}

	@Override
	public void uninstall() {
		if (viewer instanceof ITextViewerExtension4 v4) {
			v4.removeTextPresentationListener(semantic);
		}
		viewer = null;
		super.uninstall();
	}

	private void mergeSemantic(TextPresentation presentation) {
		ITextViewer v = viewer;
		IDocument document = v == null ? null : v.getDocument();
		SpecDocument spec = SpecDocument.of(document);
		SpecDocument.Snapshot s = spec == null ? null : spec.last();
		if (s == null || s.text().length() != document.getLength() || !s.text().equals(document.get())) {
			return; // stale: the reconciler repaints when it has loaded the new text
		}
		IRegion extent = presentation.getExtent();
		int from = extent.getOffset();
		int to = from + extent.getLength();
		List<SpecDocument.Styled> styled = s.highlighting();
		for (SpecDocument.Styled st : styled) {
			if (st.offset() + st.length() <= from || st.offset() >= to || st.styles().length == 0) {
				continue;
			}
			String style = st.styles()[0];
			if (LEXICAL.contains(style)) {
				continue; // the scanner colours these, lock kinds apart
			}
			TextAttribute a = Styles.attribute(style);
			if (a == null) {
				continue;
			}
			StyleRange r = new StyleRange(st.offset(), st.length(), a.getForeground(), a.getBackground(), a.getStyle());
			presentation.mergeStyleRange(r);
		}
	}
}
