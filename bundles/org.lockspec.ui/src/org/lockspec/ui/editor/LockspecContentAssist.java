package org.lockspec.ui.editor;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.jface.text.ITextViewer;
import org.eclipse.jface.text.contentassist.CompletionProposal;
import org.eclipse.jface.text.contentassist.ICompletionProposal;
import org.eclipse.jface.text.contentassist.IContentAssistProcessor;
import org.eclipse.jface.text.contentassist.IContextInformation;
import org.eclipse.jface.text.contentassist.IContextInformationValidator;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionList;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.contentassist.ContentAssistService;
import org.eclipse.xtext.util.CancelIndicator;
import org.lockspec.ui.LockspecUi;
import org.lockspec.workspace.SpecSet;

/**
 * Content assist from Xtext's {@link ContentAssistService} with Lockspec's
 * proposal provider (org.lockspec.ide): keywords, the declarations in scope,
 * after {@code lock} the locks, after a lock the modes its kind has.
 */
public class LockspecContentAssist implements IContentAssistProcessor {

	@Override
	public ICompletionProposal[] computeCompletionProposals(ITextViewer viewer, int offset) {
		SpecDocument spec = SpecDocument.of(viewer.getDocument());
		if (spec == null) {
			return new ICompletionProposal[0];
		}
		List<ICompletionProposal> out = new ArrayList<>();
		spec.read(s -> {
			if (s.resource() == null) {
				return null;
			}
			ContentAssistService service = LockspecUi.injector().getInstance(ContentAssistService.class);
			Document doc = new Document(1, s.text());
			CompletionParams params = new CompletionParams(new TextDocumentIdentifier(s.resource().getURI().toString()),
					doc.getPosition(Math.min(offset, s.text().length())));
			CompletionList list = SpecSet.onBigStack(
					() -> service.createCompletionList(doc, s.resource(), params, CancelIndicator.NullImpl));
			for (CompletionItem item : list.getItems()) {
				out.add(proposal(doc, item, offset));
			}
			return null;
		});
		return out.toArray(ICompletionProposal[]::new);
	}

	private static ICompletionProposal proposal(Document doc, CompletionItem item, int offset) {
		String text = item.getInsertText() != null ? item.getInsertText() : item.getLabel();
		int start = offset;
		int length = 0;
		if (item.getTextEdit() != null && item.getTextEdit().isLeft()) {
			TextEdit edit = item.getTextEdit().getLeft();
			text = edit.getNewText();
			start = doc.getOffSet(edit.getRange().getStart());
			length = doc.getOffSet(edit.getRange().getEnd()) - start;
		}
		String display = item.getLabel() + (item.getDetail() == null || item.getDetail().isBlank() ? ""
				: " - " + item.getDetail());
		return new CompletionProposal(text, start, length, text.length(), null, display, null,
				item.getDetail());
	}

	@Override
	public IContextInformation[] computeContextInformation(ITextViewer viewer, int offset) {
		return null;
	}

	@Override
	public char[] getCompletionProposalAutoActivationCharacters() {
		return new char[] { '.' };
	}

	@Override
	public char[] getContextInformationAutoActivationCharacters() {
		return null;
	}

	@Override
	public String getErrorMessage() {
		return null;
	}

	@Override
	public IContextInformationValidator getContextInformationValidator() {
		return null;
	}
}
