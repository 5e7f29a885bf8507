package org.lockspec.ui.editor;

import java.util.Set;
import java.util.function.Consumer;

import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.BadPositionCategoryException;
import org.eclipse.jface.text.DefaultPositionUpdater;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IPositionUpdater;
import org.eclipse.jface.text.IRegion;
import org.eclipse.jface.text.ITextInputListener;
import org.eclipse.jface.text.ITextPresentationListener;
import org.eclipse.jface.text.ITextViewer;
import org.eclipse.jface.text.ITextViewerExtension4;
import org.eclipse.jface.text.Position;
import org.eclipse.jface.text.TextAttribute;
import org.eclipse.jface.text.TextPresentation;
import org.eclipse.jface.text.presentation.PresentationReconciler;
import org.eclipse.jface.text.rules.DefaultDamagerRepairer;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.widgets.Control;
import org.lockspec.ide.highlighting.LockspecHighlighting;

/**
 * Lexical highlighting ({@link LexicalScanner}) repaired line by line as you
 * type, with the semantic highlighting of the last loaded snapshot merged on
 * top (names by what they denote: object types, ops, locks, fields, ...). The
 * semantic ranges are positions in the document, so they move with the text
 * while the next load is under way.
 */
public class LockspecPresentationReconciler extends PresentationReconciler {

	private static final String CATEGORY = "org.lockspec.ui.semantic";
	private static final Set<String> LEXICAL = Set.of(LockspecHighlighting.KEYWORD, LockspecHighlighting.COMMENT,
			LockspecHighlighting.NUMBER);

	/** A semantic range and its style. */
	private static final class Styled extends Position {
		final TextAttribute attribute;

		Styled(int offset, int length, TextAttribute attribute) {
			super(offset, length);
			this.attribute = attribute;
		}
	}

	private final ITextPresentationListener semantic = this::mergeSemantic;
	private final ITextInputListener inputs = new ITextInputListener() {
		@Override
		public void inputDocumentAboutToBeChanged(IDocument oldInput, IDocument newInput) {
			detach();
		}

		@Override
		public void inputDocumentChanged(IDocument oldInput, IDocument newInput) {
			attach(newInput);
		}
	};
	private final Consumer<SpecDocument.Snapshot> onLoad = this::loaded;
	private ITextViewer viewer;
	private IDocument document;
	private SpecDocument spec;
	private IPositionUpdater updater;

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
		textViewer.addTextInputListener(inputs);
		attach(textViewer.getDocument());
	}

	@Override
	public void uninstall() {
		if (viewer != null) {
			viewer.removeTextInputListener(inputs);
			if (viewer instanceof ITextViewerExtension4 v4) {
				v4.removeTextPresentationListener(semantic);
			}
		}
		detach();
		viewer = null;
		super.uninstall();
	}

	private void attach(IDocument doc) {
		detach();
		SpecDocument s = SpecDocument.of(doc);
		if (s == null) {
			return;
		}
		document = doc;
		spec = s;
		doc.addPositionCategory(CATEGORY);
		updater = new DefaultPositionUpdater(CATEGORY);
		doc.addPositionUpdater(updater);
		s.addListener(onLoad);
		SpecDocument.Snapshot last = s.last();
		if (last != null) {
			loaded(last);
		}
	}

	private void detach() {
		if (spec != null) {
			spec.removeListener(onLoad);
		}
		if (document != null) {
			document.removePositionUpdater(updater);
			try {
				document.removePositionCategory(CATEGORY);
			} catch (BadPositionCategoryException e) {
				// never added
			}
		}
		spec = null;
		document = null;
		updater = null;
	}

	/** A new snapshot was loaded (on any thread): its ranges replace the old ones in the UI thread, if it is still current. */
	private void loaded(SpecDocument.Snapshot s) {
		ITextViewer v = viewer;
		Control c = v == null ? null : v.getTextWidget();
		if (c == null || c.isDisposed()) {
			return;
		}
		c.getDisplay().asyncExec(() -> {
			IDocument doc = document;
			if (c.isDisposed() || doc == null || viewer == null || !s.text().equals(doc.get())) {
				return; // stale: a newer load is coming
			}
			try {
				doc.removePositionCategory(CATEGORY);
				doc.addPositionCategory(CATEGORY);
				for (SpecDocument.Styled st : s.highlighting()) {
					if (st.styles().length == 0 || LEXICAL.contains(st.styles()[0])) {
						continue; // the scanner colours these, lock kinds apart
					}
					TextAttribute a = Styles.attribute(st.styles()[0]);
					if (a != null && st.offset() + st.length() <= doc.getLength()) {
						doc.addPosition(CATEGORY, new Styled(st.offset(), st.length(), a));
					}
				}
			} catch (BadPositionCategoryException | BadLocationException e) {
				return;
			}
			viewer.invalidateTextPresentation();
		});
	}

	private void mergeSemantic(TextPresentation presentation) {
		IDocument doc = document;
		if (doc == null) {
			return;
		}
		Position[] positions;
		try {
			positions = doc.getPositions(CATEGORY);
		} catch (BadPositionCategoryException e) {
			return;
		}
		IRegion extent = presentation.getExtent();
		int from = extent.getOffset();
		int to = from + extent.getLength();
		for (Position p : positions) {
			if (p.isDeleted() || p.getLength() == 0 || p.getOffset() + p.getLength() <= from || p.getOffset() >= to
					|| !(p instanceof Styled st)) {
				continue;
			}
			TextAttribute a = st.attribute;
			presentation.mergeStyleRange(new StyleRange(p.getOffset(), p.getLength(), a.getForeground(),
					a.getBackground(), a.getStyle()));
		}
	}
}
