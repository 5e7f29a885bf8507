package org.lockspec.ui.build;

import java.util.List;

import org.eclipse.core.filebuffers.FileBuffers;
import org.eclipse.core.filebuffers.ITextFileBuffer;
import org.eclipse.core.filebuffers.ITextFileBufferManager;
import org.eclipse.core.filebuffers.LocationKind;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.ui.IMarkerResolution;
import org.eclipse.ui.IMarkerResolutionGenerator2;
import org.lockspec.ide.quickfix.QuickFixes.Fix;
import org.lockspec.ui.LockspecUi;
import org.lockspec.workspace.TextChange;

/**
 * Quick fixes (Ctrl+1 in the editor, or from the Problems view): the fixes of
 * {@link org.lockspec.ide.quickfix.QuickFixes}, which the language server
 * offers as code actions too, for the marker's code and message, applied to
 * the file's document (an open editor's, if any).
 */
public class QuickFixes implements IMarkerResolutionGenerator2 {

	@Override
	public boolean hasResolutions(IMarker marker) {
		return getResolutions(marker).length > 0;
	}

	@Override
	public IMarkerResolution[] getResolutions(IMarker marker) {
		List<Fix> fixes = fixes(marker);
		return fixes == null ? new IMarkerResolution[0]
				: fixes.stream().map(f -> new Resolution(f.label(), marker)).toArray(IMarkerResolution[]::new);
	}

	private static List<Fix> fixes(IMarker marker) {
		return withDocument(marker, doc -> fixesOn(marker, doc));
	}

	/** The fixes for the marker, on its document's text as it is now. */
	private static List<Fix> fixesOn(IMarker marker, IDocument doc) {
		int start = marker.getAttribute(IMarker.CHAR_START, -1);
		return org.lockspec.ide.quickfix.QuickFixes.of(marker.getAttribute(Markers.CODE, ""),
				marker.getAttribute(IMarker.MESSAGE, ""), doc.get(), start, marker.getAttribute(IMarker.CHAR_END, start));
	}

	interface DocFunction<T> {
		T apply(IDocument doc) throws BadLocationException;
	}

	/** Runs {@code f} on the marker's file's shared document (an open editor's, if any); saves it unless it had unsaved changes. */
	static <T> T withDocument(IMarker marker, DocFunction<T> f) {
		if (!(marker.getResource() instanceof IFile file)) {
			return null;
		}
		ITextFileBufferManager manager = FileBuffers.getTextFileBufferManager();
		try {
			manager.connect(file.getFullPath(), LocationKind.IFILE, null);
			try {
				ITextFileBuffer buffer = manager.getTextFileBuffer(file.getFullPath(), LocationKind.IFILE);
				boolean dirty = buffer.isDirty();
				T result = f.apply(buffer.getDocument());
				if (!dirty && buffer.isDirty()) {
					buffer.commit(null, true);
				}
				return result;
			} finally {
				manager.disconnect(file.getFullPath(), LocationKind.IFILE, null);
			}
		} catch (CoreException | BadLocationException e) {
			LockspecUi.log("quick fix on " + file + " failed", e);
			return null;
		}
	}

	/** A fix by its label: what it changes is worked out again on the text as it is when it runs. */
	private static final class Resolution implements IMarkerResolution {
		private final String label;
		private final IMarker marker;

		Resolution(String label, IMarker marker) {
			this.label = label;
			this.marker = marker;
		}

		@Override
		public String getLabel() {
			return label;
		}

		@Override
		public void run(IMarker m) {
			IMarker target = m != null ? m : marker;
			withDocument(target, doc -> {
				for (Fix f : fixesOn(target, doc)) {
					if (f.label().equals(label)) {
						apply(doc, f.changes());
						break;
					}
				}
				return null;
			});
		}

		/** The changes, last first, so that the offsets of the others stay right. */
		private static void apply(IDocument doc, List<TextChange> changes) throws BadLocationException {
			List<TextChange> lastFirst = changes.stream()
					.sorted((a, b) -> Integer.compare(b.offset(), a.offset())).toList();
			for (TextChange c : lastFirst) {
				doc.replace(c.offset(), c.length(), c.text());
			}
		}
	}
}
