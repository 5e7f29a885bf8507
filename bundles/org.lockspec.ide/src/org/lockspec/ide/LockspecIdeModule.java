package org.lockspec.ide;

import org.eclipse.xtext.documentation.IEObjectDocumentationProvider;
import org.eclipse.xtext.ide.editor.contentassist.IdeContentProposalProvider;
import org.eclipse.xtext.ide.editor.syntaxcoloring.ISemanticHighlightingCalculator;
import org.eclipse.xtext.ide.server.codeActions.ICodeActionService2;
import org.eclipse.xtext.ide.server.formatting.FormattingService;
import org.eclipse.xtext.ide.server.hover.IHoverService;
import org.eclipse.xtext.ide.server.symbol.DocumentSymbolMapper;
import org.lockspec.ide.contentassist.LockspecProposals;
import org.lockspec.ide.highlighting.LockspecHighlighting;
import org.lockspec.ide.hover.LockspecDocumentation;
import org.lockspec.ide.hover.LockspecHoverService;
import org.lockspec.ide.outline.LockspecSymbols;
import org.lockspec.ide.server.LockspecCodeActions;
import org.lockspec.ide.server.LockspecFormatting;

/**
 * Guice bindings of the IDE services (language server, generic editors).
 * Generated defaults live in {@code AbstractLockspecIdeModule} (src-gen);
 * customisation goes here.
 */
public class LockspecIdeModule extends AbstractLockspecIdeModule {

	/** Completion: after 'lock' the locks, no noise. */
	public Class<? extends IdeContentProposalProvider> bindIdeContentProposalProvider() {
		return LockspecProposals.class;
	}

	/** Hover: what a lock, gate, op or object is, then its comment. */
	public Class<? extends IHoverService> bindIHoverService() {
		return LockspecHoverService.class;
	}

	/** The comment lines right above a declaration, or after it on its line, are its documentation. */
	public Class<? extends IEObjectDocumentationProvider> bindIEObjectDocumentationProvider() {
		return LockspecDocumentation.class;
	}

	/** Keywords, comments, numbers, and every name by what it denotes (LSP semantic tokens). */
	public Class<? extends ISemanticHighlightingCalculator> bindISemanticHighlightingCalculator() {
		return LockspecHighlighting.class;
	}

	/** Outline: simple names, nested as in the spec, with kinds and details. */
	public Class<? extends DocumentSymbolMapper.DocumentSymbolNameProvider> bindDocumentSymbolNameProvider() {
		return LockspecSymbols.Names.class;
	}

	public Class<? extends DocumentSymbolMapper.DocumentSymbolKindProvider> bindDocumentSymbolKindProvider() {
		return LockspecSymbols.Kinds.class;
	}

	public Class<? extends DocumentSymbolMapper.DocumentSymbolDetailsProvider> bindDocumentSymbolDetailsProvider() {
		return LockspecSymbols.Details.class;
	}

	/** Code actions: the quick fixes of the Eclipse editor ({@link org.lockspec.ide.quickfix.QuickFixes}). */
	public Class<? extends ICodeActionService2> bindICodeActionService2() {
		return LockspecCodeActions.class;
	}

	/** Formatting: the language's layout ({@link org.lockspec.formatting.SpecFormatter}). */
	public Class<? extends FormattingService> bindFormattingService() {
		return LockspecFormatting.class;
	}
}
