package org.lockspec.ide.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionKind;
import org.eclipse.lsp4j.Command;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.WorkspaceEdit;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.codeActions.ICodeActionService2;
import org.lockspec.ide.quickfix.QuickFixes;
import org.lockspec.workspace.TextChange;

/**
 * Code actions: for each diagnostic the client sends (the validation's, and the
 * prover's lock hygiene finding), the quick fixes the Eclipse editor offers,
 * as workspace edits of the document.
 */
public class LockspecCodeActions implements ICodeActionService2 {

	@Override
	public List<Either<Command, CodeAction>> getCodeActions(Options options) {
		// Xtext leaves the options' document unset: read it (this runs inside the request's read already)
		Document doc = options.getDocument() != null ? options.getDocument()
				: options.getLanguageServerAccess().doSyncRead(options.getURI(), context -> context.getDocument());
		List<Either<Command, CodeAction>> actions = new ArrayList<>();
		List<Diagnostic> diagnostics = options.getCodeActionParams().getContext().getDiagnostics();
		for (Diagnostic d : diagnostics == null ? List.<Diagnostic>of() : diagnostics) {
			for (QuickFixes.Fix fix : fixes(doc, d)) {
				actions.add(Either.forRight(action(options.getURI(), doc, d, fix)));
			}
		}
		return actions;
	}

	private static List<QuickFixes.Fix> fixes(Document doc, Diagnostic d) {
		if (d.getCode() == null || d.getRange() == null) {
			return List.of();
		}
		String code = d.getCode().isLeft() ? d.getCode().getLeft() : String.valueOf(d.getCode().getRight());
		String message = d.getMessage() == null ? "" : d.getMessage().isLeft() ? d.getMessage().getLeft()
				: d.getMessage().getRight().getValue();
		try {
			return QuickFixes.of(code, message, doc.getContents(), doc.getOffSet(d.getRange().getStart()),
					doc.getOffSet(d.getRange().getEnd()));
		} catch (IndexOutOfBoundsException e) {
			return List.of(); // a diagnostic of an older version of the document
		}
	}

	private static CodeAction action(String uri, Document doc, Diagnostic d, QuickFixes.Fix fix) {
		CodeAction action = new CodeAction(fix.label());
		action.setKind(CodeActionKind.QuickFix);
		action.setDiagnostics(List.of(d));
		List<TextEdit> edits = fix.changes().stream().map(c -> edit(doc, c)).toList();
		action.setEdit(new WorkspaceEdit(Map.of(uri, edits)));
		return action;
	}

	static TextEdit edit(Document doc, TextChange c) {
		return new TextEdit(new Range(doc.getPosition(c.offset()), doc.getPosition(c.end())), c.text());
	}
}
