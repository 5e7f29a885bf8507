package org.lockspec.ide.server;

import java.util.List;

import org.eclipse.lsp4j.FormattingOptions;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.formatting.FormattingService;
import org.eclipse.xtext.resource.XtextResource;
import org.lockspec.formatting.SpecFormatter;

/**
 * Document and range formatting: {@link SpecFormatter}'s changes (those that
 * lie in the range), as text edits. The layout is the language's, two spaces a
 * level whatever the client's tab size.
 */
public class LockspecFormatting extends FormattingService {

	@Override
	public List<TextEdit> format(XtextResource resource, Document document, int offset, int length,
			FormattingOptions options) {
		if (resource.getParseResult() == null || resource.getParseResult().getRootNode() == null) {
			return List.of();
		}
		int end = offset + length;
		return SpecFormatter.changes(resource.getParseResult().getRootNode()).stream()
				.filter(c -> c.offset() >= offset && c.end() <= end).map(c -> LockspecCodeActions.edit(document, c))
				.toList();
	}
}
