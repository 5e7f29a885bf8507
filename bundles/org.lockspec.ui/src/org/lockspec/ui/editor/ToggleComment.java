package org.lockspec.ui.editor;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IRegion;
import org.eclipse.jface.text.ITextSelection;
import org.eclipse.text.edits.MalformedTreeException;
import org.eclipse.text.edits.MultiTextEdit;
import org.eclipse.text.edits.ReplaceEdit;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.handlers.HandlerUtil;
import org.eclipse.ui.texteditor.ITextEditor;

/**
 * Toggle Comment (Ctrl+/): comments the selected lines out with {@code // }, or
 * in again when every non-blank line of the selection is already commented.
 */
public class ToggleComment extends AbstractHandler {

	@Override
	public Object execute(ExecutionEvent event) {
		IEditorPart part = HandlerUtil.getActiveEditor(event);
		if (!(part instanceof ITextEditor editor) || !(editor.getSelectionProvider().getSelection() instanceof ITextSelection sel)) {
			return null;
		}
		IDocument doc = editor.getDocumentProvider().getDocument(editor.getEditorInput());
		try {
			toggle(doc, sel.getStartLine(), sel.getEndLine());
		} catch (BadLocationException | MalformedTreeException e) {
			// the selection changed under us: nothing to do
		}
		return null;
	}

	/** Toggles {@code //} on lines {@code first..last} (0-based) of {@code doc}. */
	public static void toggle(IDocument doc, int first, int last) throws BadLocationException {
		boolean allCommented = true;
		int indent = Integer.MAX_VALUE;
		for (int l = first; l <= last; l++) {
			String line = line(doc, l);
			if (line.isBlank()) {
				continue;
			}
			int lead = line.length() - line.stripLeading().length();
			indent = Math.min(indent, lead);
			allCommented &= line.stripLeading().startsWith("//");
		}
		if (indent == Integer.MAX_VALUE) {
			return;
		}
		MultiTextEdit edit = new MultiTextEdit();
		for (int l = first; l <= last; l++) {
			String line = line(doc, l);
			if (line.isBlank()) {
				continue;
			}
			int start = doc.getLineOffset(l);
			if (allCommented) {
				int at = line.indexOf("//");
				int len = line.startsWith("// ", at) ? 3 : 2;
				edit.addChild(new ReplaceEdit(start + at, len, ""));
			} else {
				edit.addChild(new ReplaceEdit(start + indent, 0, "// "));
			}
		}
		edit.apply(doc);
	}

	private static String line(IDocument doc, int l) throws BadLocationException {
		IRegion r = doc.getLineInformation(l);
		return doc.get(r.getOffset(), r.getLength());
	}
}
