package org.lockspec.analysis;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;

/** Source positions and source text of model elements, for reports. */
public final class Sites {

	private Sites() {
	}

	public static int line(EObject e) {
		ICompositeNode n = e == null ? null : NodeModelUtils.findActualNodeFor(e);
		return n == null ? 0 : n.getStartLine();
	}

	public static int column(EObject e) {
		ICompositeNode n = e == null ? null : NodeModelUtils.findActualNodeFor(e);
		if (n == null) {
			return 0;
		}
		String text = n.getRootNode().getText();
		int offset = n.getOffset();
		int col = 1;
		for (int i = offset - 1; i >= 0 && text.charAt(i) != '\n'; i--) {
			col++;
		}
		return col;
	}

	/** The element's source text on one line, whitespace folded. */
	public static String text(EObject e) {
		ICompositeNode n = e == null ? null : NodeModelUtils.findActualNodeFor(e);
		return n == null ? "?" : NodeModelUtils.getTokenText(n).replaceAll("\\s+", " ").trim();
	}

	/** The file the element comes from, as a path if it is a file. */
	public static String file(EObject e) {
		if (e == null || e.eResource() == null) {
			return "?";
		}
		URI uri = e.eResource().getURI();
		return uri.isFile() ? uri.toFileString() : uri.toString();
	}
}
