package org.lockspec.ide.hover;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.documentation.IEObjectDocumentationProvider;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;

/**
 * A declaration's documentation, the way kernel code comments it: the comment
 * lines right above it ({@code //} lines or one {@code /* *}{@code /} block, with
 * no blank line between), and a {@code //} comment after a one-line declaration
 * ({@code lock dev_lock : mutex  // device_lock()}).
 */
public class LockspecDocumentation implements IEObjectDocumentationProvider {

	@Override
	public String getDocumentation(EObject o) {
		ICompositeNode node = NodeModelUtils.getNode(o);
		if (node == null || node.getRootNode() == null) {
			return null;
		}
		String text = node.getRootNode().getText();
		int start = node.getOffset();
		int end = node.getEndOffset();
		if (start < 0 || end > text.length() || start > end) {
			return null;
		}
		List<String> lines = new ArrayList<>(above(text, start));
		if (text.lastIndexOf('\n', Math.max(0, end - 1)) < start) {
			String after = trailing(text, end);
			if (after != null) {
				lines.add(after);
			}
		}
		return lines.isEmpty() ? null : String.join("\n", lines);
	}

	/** The comment block ending on the line above {@code offset}, top to bottom. */
	static List<String> above(String text, int offset) {
		int lineStart = text.lastIndexOf('\n', offset - 1) + 1;
		if (!text.substring(lineStart, offset).isBlank()) {
			return List.of(); // something else precedes the declaration on its line
		}
		List<String> lines = new ArrayList<>();
		int end = lineStart - 1; // the '\n' ending the line above
		boolean inBlock = false;
		while (end > 0) {
			int begin = text.lastIndexOf('\n', end - 1) + 1;
			String line = text.substring(begin, end).strip();
			if (inBlock) {
				int open = line.indexOf("/*");
				lines.add(strip(open >= 0 ? line.substring(open + 2) : line));
				if (open >= 0) {
					break;
				}
			} else if (line.startsWith("//")) {
				lines.add(line.substring(2).strip());
			} else if (lines.isEmpty() && line.endsWith("*/")) {
				String body = line.substring(0, line.length() - 2);
				int open = body.indexOf("/*");
				if (open >= 0) {
					lines.add(strip(body.substring(open + 2)));
					break;
				}
				lines.add(strip(body));
				inBlock = true;
			} else {
				break;
			}
			end = begin - 1;
		}
		Collections.reverse(lines);
		while (!lines.isEmpty() && lines.get(0).isEmpty()) {
			lines.remove(0);
		}
		return lines;
	}

	/** A {@code //} comment after {@code offset} on the same line, or null. */
	static String trailing(String text, int offset) {
		int eol = text.indexOf('\n', offset);
		String rest = text.substring(offset, eol < 0 ? text.length() : eol).strip();
		return rest.startsWith("//") ? rest.substring(2).strip() : null;
	}

	private static String strip(String line) {
		String s = line.strip();
		while (s.startsWith("*")) {
			s = s.substring(1);
		}
		return s.strip();
	}
}
