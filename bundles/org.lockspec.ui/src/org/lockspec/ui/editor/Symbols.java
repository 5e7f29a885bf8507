package org.lockspec.ui.editor;

import java.util.List;

import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.Position;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.symbol.HierarchicalDocumentSymbolService;
import org.eclipse.xtext.util.CancelIndicator;
import org.lockspec.ui.LockspecUi;
import org.lockspec.workspace.SpecSet;

/** The spec's declarations, nested, from the IDE bundle's document symbols (the language server's outline). */
final class Symbols {

	private Symbols() {
	}

	static List<DocumentSymbol> of(SpecDocument.Snapshot s) {
		if (s == null || s.resource() == null) {
			return List.of();
		}
		HierarchicalDocumentSymbolService service = LockspecUi.injector()
				.getInstance(HierarchicalDocumentSymbolService.class);
		try {
			return SpecSet.onBigStack(() -> service.getSymbols(s.resource(), CancelIndicator.NullImpl));
		} catch (RuntimeException e) {
			return List.of();
		}
	}

	static int offset(String text, Position p) {
		try {
			return new Document(1, text).getOffSet(p);
		} catch (IndexOutOfBoundsException e) {
			return 0;
		}
	}
}
