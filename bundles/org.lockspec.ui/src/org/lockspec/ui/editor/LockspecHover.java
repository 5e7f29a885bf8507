package org.lockspec.ui.editor;

import org.eclipse.jface.text.IRegion;
import org.eclipse.jface.text.ITextHover;
import org.eclipse.jface.text.ITextViewer;
import org.eclipse.jface.text.Region;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.MarkedString;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.hover.IHoverService;
import org.eclipse.xtext.util.CancelIndicator;
import org.lockspec.ui.LockspecUi;

/**
 * Hover from the IDE bundle's {@link IHoverService}: what a lock, gate, op or
 * object is (a lock's kind, whether it sleeps), then its comment.
 */
public class LockspecHover implements ITextHover {

	@Override
	public String getHoverInfo(ITextViewer viewer, IRegion region) {
		SpecDocument spec = SpecDocument.of(viewer.getDocument());
		if (spec == null) {
			return null;
		}
		return spec.read(s -> {
			if (s.resource() == null || region.getOffset() > s.text().length()) {
				return null;
			}
			IHoverService service = LockspecUi.injector().getInstance(IHoverService.class);
			Document doc = new Document(1, s.text());
			HoverParams params = new HoverParams(new TextDocumentIdentifier(s.resource().getURI().toString()),
					doc.getPosition(region.getOffset()));
			Hover hover = service.hover(doc, s.resource(), params, CancelIndicator.NullImpl);
			return hover == null ? null : text(hover);
		});
	}

	/** The hover's markdown as plain text: code fences dropped, the rest as written. */
	static String text(Hover hover) {
		Either<java.util.List<Either<String, MarkedString>>, MarkupContent> c = hover.getContents();
		if (c == null) {
			return null;
		}
		StringBuilder b = new StringBuilder();
		if (c.isRight()) {
			b.append(c.getRight().getValue());
		} else {
			for (Either<String, MarkedString> e : c.getLeft()) {
				b.append(e.isLeft() ? e.getLeft() : e.getRight().getValue()).append('\n');
			}
		}
		String s = b.toString().replaceAll("(?m)^```\\w*\\s*$\\n?", "").replace("**", "").replace("`", "").strip();
		return s.isEmpty() ? null : s;
	}

	@Override
	public IRegion getHoverRegion(ITextViewer viewer, int offset) {
		return new Region(offset, 0);
	}
}
