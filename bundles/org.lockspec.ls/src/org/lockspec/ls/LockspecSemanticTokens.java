package org.lockspec.ls;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.eclipse.lsp4j.SemanticTokens;
import org.eclipse.lsp4j.SemanticTokensParams;
import org.eclipse.xtext.ide.editor.syntaxcoloring.ISemanticHighlightingCalculator;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.semantictokens.SemanticTokensService;
import org.eclipse.xtext.resource.IResourceServiceProvider;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.CancelIndicator;
import org.lockspec.ide.highlighting.LockspecHighlighting;

import com.google.inject.Inject;
import com.google.inject.Singleton;

/**
 * LSP semantic tokens from the language's {@link ISemanticHighlightingCalculator}
 * ({@link LockspecHighlighting}): its style ids are LSP token types, the legend
 * lists them, and the encoding is the protocol's (relative positions, one line
 * per token, UTF-16 columns, no overlaps).
 */
@Singleton
public class LockspecSemanticTokens extends SemanticTokensService {

	@Inject
	private IResourceServiceProvider.Registry languages;

	private record Token(int offset, int length, String[] ids) {
	}

	@Override
	protected void addTokenTypes() {
		getTokenTypes().addAll(LockspecHighlighting.TYPES);
	}

	@Override
	protected void addTokenModifiers() {
		getTokenModifiers().add(LockspecHighlighting.DECLARATION);
	}

	@Override
	public SemanticTokens semanticTokensFull(Document document, XtextResource resource, SemanticTokensParams params,
			CancelIndicator cancelIndicator) {
		if (document == null || resource == null) {
			return new SemanticTokens(List.of());
		}
		IResourceServiceProvider language = languages.getResourceServiceProvider(resource.getURI());
		ISemanticHighlightingCalculator calculator = language == null ? null
				: language.get(ISemanticHighlightingCalculator.class);
		if (calculator == null) {
			return new SemanticTokens(List.of());
		}
		List<Token> tokens = new ArrayList<>();
		calculator.provideHighlightingFor(resource, (offset, length, ids) -> tokens.add(new Token(offset, length, ids)),
				cancelIndicator);
		tokens.sort(Comparator.comparingInt(Token::offset));
		return new SemanticTokens(encode(document.getContents(), tokens));
	}

	private List<Integer> encode(String text, List<Token> tokens) {
		List<Integer> data = new ArrayList<>();
		int line = 0;
		int lineStart = 0;
		int scanned = 0; // text before this offset has been counted into line/lineStart
		int lastLine = 0;
		int lastChar = 0;
		int end = 0;
		for (Token t : tokens) {
			int type = getTokenTypes().indexOf(t.ids()[0]);
			if (type < 0 || t.offset() < end || t.offset() + t.length() > text.length()) {
				continue;
			}
			int modifiers = 0;
			for (String id : t.ids()) {
				int m = getTokenModifiers().indexOf(id);
				if (m >= 0) {
					modifiers |= 1 << m;
				}
			}
			int from = t.offset();
			end = t.offset() + t.length();
			while (from < end) {
				for (; scanned < from; scanned++) {
					if (text.charAt(scanned) == '\n') {
						line++;
						lineStart = scanned + 1;
					}
				}
				int eol = text.indexOf('\n', from);
				int to = eol < 0 || eol > end ? end : eol;
				if (to > from) {
					int character = from - lineStart;
					data.add(line - lastLine);
					data.add(line == lastLine ? character - lastChar : character);
					data.add(to - from);
					data.add(type);
					data.add(modifiers);
					lastLine = line;
					lastChar = character;
				}
				from = to + (to == eol ? 1 : 0);
			}
		}
		return data;
	}
}
