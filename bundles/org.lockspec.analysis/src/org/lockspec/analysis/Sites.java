package org.lockspec.analysis;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.ILeafNode;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.util.LineAndColumn;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.resource.XtextResource;
import org.lockspec.model.Block;
import org.lockspec.model.Statement;

/**
 * Source positions and source text of model elements, for reports. The specs
 * analysed are loaded for one proof and not edited after, so an element's
 * position is computed once, from the root of its node model found through its
 * resource (walking up from the node costs the nesting depth every time).
 */
public final class Sites {

	/** line and column of each element asked about */
	private static final Map<EObject, int[]> POSITIONS = Collections.synchronizedMap(new WeakHashMap<>());

	private Sites() {
	}

	public static int line(EObject e) {
		return position(e)[0];
	}

	/** The column, counted from the last line break before the element (\n, \r\n or a lone \r, as lines are). */
	public static int column(EObject e) {
		return position(e)[1];
	}

	private static int[] position(EObject e) {
		if (e == null) {
			return new int[] { 0, 0 };
		}
		int[] p = POSITIONS.get(e);
		if (p == null) {
			p = compute(e);
			POSITIONS.put(e, p);
		}
		return p;
	}

	private static int[] compute(EObject e) {
		ICompositeNode n = NodeModelUtils.findActualNodeFor(e);
		if (n == null) {
			return new int[] { 0, 0 };
		}
		INode root = root(e, n);
		int offset = n.getOffset();
		LineAndColumn lc = NodeModelUtils.getLineAndColumn(root, offset);
		String text = root.getText();
		int col = 1;
		for (int i = offset - 1; i >= 0 && text.charAt(i) != '\n' && text.charAt(i) != '\r'; i--) {
			col++;
		}
		return new int[] { lc.getLine(), col };
	}

	/** The root of the element's node model: from its resource, not by walking up from the node. */
	private static INode root(EObject e, INode n) {
		if (e.eResource() instanceof XtextResource r && r.getParseResult() != null) {
			return r.getParseResult().getRootNode();
		}
		return n.getRootNode();
	}

	/**
	 * The element's source text on one line, whitespace folded; for a statement with a body ({@code with},
	 * {@code if}, {@code for}, ...) its head, without the body. Reads only the tokens it shows.
	 */
	public static String text(EObject e) {
		ICompositeNode n = e == null ? null : NodeModelUtils.findActualNodeFor(e);
		if (n == null && e instanceof org.lockspec.model.VarRef v && v.getRef() != null) {
			return org.lockspec.naming.NameOf.name(v.getRef()); // a name no text has: RCU's (typing/RcuDomain)
		}
		if (n == null) {
			return "?";
		}
		boolean head = e instanceof Statement && e.eContents().stream().anyMatch(Block.class::isInstance);
		StringBuilder sb = new StringBuilder();
		for (ILeafNode leaf : n.getLeafNodes()) {
			if (head && "{".equals(leaf.getText())) {
				break;
			}
			if (!leaf.isHidden()) {
				sb.append(leaf.getText());
			} else if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ' ') {
				sb.append(' ');
			}
		}
		return sb.toString().replaceAll("\\s+", " ").trim();
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
