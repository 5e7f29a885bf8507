package org.lockspec.ide.hover;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.documentation.IEObjectDocumentationProvider;
import org.eclipse.xtext.ide.server.hover.HoverService;

import com.google.inject.Inject;
import com.google.inject.Singleton;

/**
 * Hover (LSP {@code textDocument/hover}): a line that says what the element is
 * (for a lock its kind and whether it sleeps), then its documentation comment.
 */
@Singleton
public class LockspecHoverService extends HoverService {

	@Inject
	private IEObjectDocumentationProvider documentation;

	@Override
	public String getContents(EObject element) {
		if (element == null) {
			return "";
		}
		String what = Describe.markdown(element);
		String doc = documentation.getDocumentation(element);
		if (doc == null || doc.isBlank()) {
			return what == null ? "" : what;
		}
		return what == null ? doc : what + "\n\n---\n\n" + doc;
	}
}
