package org.lockspec.formatting;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.ILeafNode;
import org.lockspec.workspace.TextChange;

/**
 * Lockspec's layout, as the seed specs are written: two spaces per brace level,
 * a line that continues an expression two more; no white space at the end of a
 * line; no run of blank lines, none at the end, one newline there; a space after
 * a comma and before a {@code {}, none before a comma. Spacing inside a line is
 * otherwise left alone, so aligned columns and comments stay aligned; so are the
 * lines inside a block comment. Works on a spec that does not parse too (its
 * tokens are enough), and changes nothing in a spec laid out this way.
 */
public final class SpecFormatter {

	public static final String INDENT = "  ";
	/** A line whose last token is one of these goes on on the next line. */
	private static final Set<String> OPEN_ENDS = Set.of(".", ":", ",", "(", "==>", "&&", "||", "==", "!=", "<", "<=",
			">", ">=", "+", "-", "*", "/", "%", "|", "&", "=", "!", "~");
	/** A line that starts with one of these goes on from the line before. */
	private static final Set<String> CONTINUING_STARTS = Set.of(")", ".", "==>", "&&", "||", "==", "!=", "<", "<=", ">",
			">=", "+", "*", "/", "%", "|", "&", ",");

	private SpecFormatter() {
	}

	/** The changes that lay out {@code root}'s text, in offset order, none overlapping. */
	public static List<TextChange> changes(ICompositeNode root) {
		return new Run(root).changes();
	}

	/** One token: a leaf of the node model that is not white space. */
	private record Token(int offset, int end, String text, boolean comment) {
	}

	private static final class Run {
		private final String text;
		private final List<Token> tokens = new ArrayList<>();
		private final List<TextChange> out = new ArrayList<>();

		Run(ICompositeNode root) {
			this.text = root.getText();
			for (ILeafNode leaf : root.getLeafNodes()) {
				int start = leaf.getTotalOffset();
				int end = leaf.getTotalEndOffset();
				String t = text.substring(start, end);
				boolean comment = leaf.isHidden() && (t.startsWith("//") || t.startsWith("/*"));
				if (end > start && (!leaf.isHidden() || comment)) {
					tokens.add(new Token(start, end, t, comment));
				}
			}
		}

		List<TextChange> changes() {
			int tail = text.stripTrailing().length();
			int depth = 0;
			int parens = 0;
			int next = 0;
			Token lastCode = null;
			boolean blankBefore = true; // blank lines at the start go
			int lineStart = 0;
			while (lineStart < tail) {
				int lineEnd = lineEnd(lineStart);
				int newline = text.indexOf('\n', lineStart);
				int nextStart = newline < 0 ? text.length() : newline + 1;
				while (next < tokens.size() && tokens.get(next).end() <= lineStart) {
					Token t = tokens.get(next++);
					depth = Math.max(0, depth + braces(t));
					parens = Math.max(0, parens + parens(t));
					lastCode = t.comment() ? lastCode : t;
				}
				Token first = next < tokens.size() ? tokens.get(next) : null;
				String line = text.substring(lineStart, lineEnd);
				if (first != null && first.offset() < lineStart) {
					blankBefore = false; // inside a block comment: as written
				} else if (line.isBlank()) {
					change(lineStart, (blankBefore ? nextStart : lineEnd) - lineStart, "");
					blankBefore = true;
				} else {
					boolean closes = first != null && first.offset() < lineEnd && "}".equals(first.text());
					boolean continues = parens > 0 || open(lastCode)
							|| first != null && !first.comment() && CONTINUING_STARTS.contains(first.text());
					int level = Math.max(0, closes ? depth - 1 : depth);
					indent(lineStart, line, INDENT.repeat(level) + (continues && !closes ? INDENT : ""));
					trailingBlanks(lineStart, line);
					blankBefore = false;
				}
				lineStart = nextStart;
			}
			endOfText(tail);
			spacing();
			out.sort((a, b) -> Integer.compare(a.offset(), b.offset()));
			return out;
		}

		/** The end of the line that starts at {@code lineStart}, before its newline (and a CRLF's CR). */
		private int lineEnd(int lineStart) {
			int nl = text.indexOf('\n', lineStart);
			int end = nl < 0 ? text.length() : nl;
			return end > lineStart && text.charAt(end - 1) == '\r' ? end - 1 : end;
		}

		private static int braces(Token t) {
			return t.comment() ? 0 : "{".equals(t.text()) ? 1 : "}".equals(t.text()) ? -1 : 0;
		}

		private static int parens(Token t) {
			return t.comment() ? 0 : "(".equals(t.text()) ? 1 : ")".equals(t.text()) ? -1 : 0;
		}

		private static boolean open(Token lastCode) {
			return lastCode != null && OPEN_ENDS.contains(lastCode.text());
		}

		private void indent(int lineStart, String line, String indent) {
			int ws = 0;
			while (ws < line.length() && (line.charAt(ws) == ' ' || line.charAt(ws) == '\t')) {
				ws++;
			}
			if (!line.substring(0, ws).equals(indent)) {
				change(lineStart, ws, indent);
			}
		}

		private void trailingBlanks(int lineStart, String line) {
			int end = line.stripTrailing().length();
			if (end < line.length()) {
				change(lineStart + end, line.length() - end, "");
			}
		}

		/** After the last line with something on it, one newline and nothing else (an empty text stays empty). */
		private void endOfText(int tail) {
			if (tail == 0) {
				return;
			}
			int end = lineEnd(text.lastIndexOf('\n', tail - 1) + 1);
			String rest = text.substring(end);
			String newline = rest.startsWith("\r\n") ? "\r\n" : "\n";
			if (!rest.equals(newline)) {
				change(end, rest.length(), newline);
			}
		}

		/** A space after a comma and before a brace on its line, none before a comma. */
		private void spacing() {
			for (int k = 1; k < tokens.size(); k++) {
				Token t = tokens.get(k);
				Token before = tokens.get(k - 1);
				if (t.comment() || before.comment() || sameLineGap(before, t) == null) {
					continue;
				}
				String gap = sameLineGap(before, t);
				if (",".equals(t.text()) && !gap.isEmpty()) {
					change(before.end(), gap.length(), "");
				} else if (",".equals(before.text()) && !" ".equals(gap)) {
					change(before.end(), gap.length(), " ");
				} else if ("{".equals(t.text()) && gap.isEmpty()) {
					change(before.end(), 0, " ");
				}
			}
		}

		/** The white space between two tokens on one line, or null if a line ends between them. */
		private String sameLineGap(Token a, Token b) {
			String gap = text.substring(a.end(), b.offset());
			return gap.indexOf('\n') >= 0 ? null : gap;
		}

		private void change(int offset, int length, String replacement) {
			if (length > 0 || !replacement.isEmpty()) {
				out.add(new TextChange(offset, length, replacement));
			}
		}
	}
}
