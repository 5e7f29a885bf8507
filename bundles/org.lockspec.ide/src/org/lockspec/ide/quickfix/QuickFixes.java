package org.lockspec.ide.quickfix;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.lockspec.validation.IssueCodes;
import org.lockspec.validation.LockspecLinkingDiagnostics;
import org.lockspec.workspace.TextChange;

/**
 * Quick fixes for the common mistakes, found by the diagnostic's code, as
 * changes to the spec's text; the Eclipse editor (Ctrl+1, the Problems view)
 * and the language server (code actions) both offer these:
 * <ul>
 * <li>{@link IssueCodes#MODE_NOT_SUPPORTED}: remove the mode a mutex or spinlock does not have;</li>
 * <li>{@link IssueCodes#MODE_MISSING}: take the rwsem's or rwlock's {@code read} or {@code write} side;</li>
 * <li>an unknown lock at {@code lock}/{@code unlock}/{@code with}: declare it ({@code lock x : mutex}, or a spinlock);</li>
 * <li>{@link IssueCodes#UNLOCK_NOT_TAKEN}: say the op {@code releases} the lock, or drop the unlock;</li>
 * <li>{@link IssueCodes#IRQSAVE_ON_SLEEPING_LOCK}: drop {@code irqsave};</li>
 * <li>the prover's lock hygiene finding "a lock is still held when the op
 * returns": unlock it at the end of the op, or declare {@code acquires}.</li>
 * </ul>
 */
public final class QuickFixes {

	/** The prover's lock hygiene obligation (a lock left held, a stray unlock, a double lock). */
	public static final String HYGIENE = "lock_hygiene";
	private static final Pattern STILL_HELD = Pattern
			.compile("'([A-Za-z_][A-Za-z0-9_.]*)' \\(taken at line \\d+\\) is still held when (\\w+) returns");
	private static final Pattern LOCKING_LINE = Pattern.compile("^\\s*(?:if\\s+)?(?:lock|unlock|with|trylock)\\b");
	private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
	private static final Pattern IRQSAVE = Pattern.compile("\\s+irqsave\\b");

	/** A quick fix: what it does, said to the user, and the changes it makes. */
	public record Fix(String label, List<TextChange> changes) {
	}

	private QuickFixes() {
	}

	/**
	 * The fixes for a diagnostic with issue code {@code code} and
	 * {@code message} on {@code text[start, end)}; none when there are none, or
	 * when the text is not what the diagnostic said (it changed since).
	 */
	public static List<Fix> of(String code, String message, String text, int start, int end) {
		if (code == null || start < 0 || end < start || end > text.length()) {
			return List.of();
		}
		Spec spec = new Spec(text);
		return switch (code) {
		case IssueCodes.MODE_NOT_SUPPORTED -> List.of(removeMode(spec, start, end));
		case IssueCodes.MODE_MISSING -> List.of(takeSide(spec, start, "read"), takeSide(spec, start, "write"));
		case IssueCodes.IRQSAVE_ON_SLEEPING_LOCK -> removeIrqsave(spec, start);
		case IssueCodes.UNLOCK_NOT_TAKEN -> unlockNotTaken(spec, start);
		case HYGIENE -> stillHeld(spec, message == null ? "" : message);
		case LockspecLinkingDiagnostics.UNRESOLVED -> declareLock(spec, message == null ? "" : message, start, end);
		default -> List.of();
		};
	}

	private static Fix removeMode(Spec spec, int start, int end) {
		int from = spec.backOverSpaces(start);
		return fix("Remove the mode (this kind of lock has no read or write side)", from, end - from, "");
	}

	private static Fix takeSide(Spec spec, int start, String mode) {
		return fix("Take the lock's " + mode + " side ('" + mode + "')", spec.pathEnd(start), 0, " " + mode);
	}

	private static List<Fix> removeIrqsave(Spec spec, int start) {
		int line = spec.lineStart(start);
		Matcher m = IRQSAVE.matcher(spec.text.substring(line, spec.lineEnd(start)));
		return m.find()
				? List.of(fix("Remove 'irqsave' (a sleeping lock cannot be taken with interrupts off)", line + m.start(),
						m.end() - m.start(), ""))
				: List.of();
	}

	private static List<Fix> unlockNotTaken(Spec spec, int start) {
		List<Fix> out = new ArrayList<>();
		String lock = spec.text.substring(start, spec.pathEnd(start));
		int brace = spec.opBodyBrace(start);
		if (brace >= 0 && !lock.isEmpty()) {
			int at = spec.backOverSpaces(brace);
			out.add(fix("Declare that the op releases the lock ('releases')", at, brace - at, " releases " + lock + " "));
		}
		int line = spec.lineStart(start);
		out.add(fix("Remove this unlock", line, spec.nextLineStart(start) - line, ""));
		return out;
	}

	private static List<Fix> stillHeld(Spec spec, String message) {
		Matcher held = STILL_HELD.matcher(message);
		if (!held.find()) {
			return List.of();
		}
		String lock = held.group(1);
		String op = held.group(2);
		List<Fix> out = new ArrayList<>();
		int close = spec.opBodyEnd(op);
		if (close >= 0) {
			int line = spec.lineStart(close);
			String before = spec.text.substring(line, close);
			String indent = before.isBlank() ? before : "";
			out.add(fix("Unlock '" + lock + "' before '" + op + "' returns", line, 0, indent + "  unlock " + lock + "\n"));
		}
		int open = spec.opBodyStart(op);
		if (open >= 0) {
			int at = spec.backOverSpaces(open);
			out.add(fix("Declare that '" + op + "' returns with '" + lock + "' held ('acquires')", at, open - at,
					" acquires " + lock + " "));
		}
		return out;
	}

	/** An unknown plain name where a lock is taken or released: declare it as a lock. */
	private static List<Fix> declareLock(Spec spec, String message, int start, int end) {
		String name = spec.text.substring(start, end);
		if (!message.startsWith("unknown ") || !NAME.matcher(name).matches()
				|| !LOCKING_LINE.matcher(spec.text.substring(spec.lineStart(start), spec.lineEnd(start))).find()) {
			return List.of();
		}
		List<Fix> out = new ArrayList<>();
		for (String kind : new String[] { "mutex", "spinlock" }) {
			out.add(spec.declare("Declare the lock: 'lock " + name + " : " + kind + "'", "lock " + name + " : " + kind));
		}
		return out;
	}

	private static Fix fix(String label, int offset, int length, String text) {
		return new Fix(label, List.of(new TextChange(offset, length, text)));
	}

	/** Where things are in a spec's text. */
	private static final class Spec {
		private static final Pattern OP = Pattern.compile("(?m)^\\s*op\\s+\\w+");
		private final String text;

		Spec(String text) {
			this.text = text;
		}

		int lineStart(int offset) {
			return offset == 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
		}

		int lineEnd(int offset) {
			int nl = text.indexOf('\n', offset);
			return nl < 0 ? text.length() : nl;
		}

		int nextLineStart(int offset) {
			int nl = text.indexOf('\n', offset);
			return nl < 0 ? text.length() : nl + 1;
		}

		int backOverSpaces(int offset) {
			int at = offset;
			while (at > 0 && text.charAt(at - 1) == ' ') {
				at--;
			}
			return at;
		}

		/** The end of the lock path at {@code start} ({@code pf.dev_lock}). */
		int pathEnd(int start) {
			int i = start;
			while (i < text.length()
					&& (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_' || text.charAt(i) == '.')) {
				i++;
			}
			return i;
		}

		/** The offset of the '{' that opens the body of the op around {@code offset}, or -1. */
		int opBodyBrace(int offset) {
			Matcher m = OP.matcher(text.substring(0, offset));
			int op = -1;
			while (m.find()) {
				op = m.start();
			}
			return op < 0 ? -1 : bodyOpen(op, offset);
		}

		/** The first '{' outside parentheses from {@code from} (an op's header) up to {@code to}, or -1. */
		private int bodyOpen(int from, int to) {
			int depth = 0;
			for (int i = from; i < to; i++) {
				char c = text.charAt(i);
				if (c == '(') {
					depth++;
				} else if (c == ')') {
					depth--;
				} else if (c == '{' && depth == 0) {
					return i;
				}
			}
			return -1;
		}

		/** The '{' that opens the body of op {@code name}, or -1. */
		int opBodyStart(String name) {
			Matcher m = Pattern.compile("(?m)^\\s*op\\s+" + Pattern.quote(name) + "\\s*\\(").matcher(text);
			return m.find() ? bodyOpen(m.start(), text.length()) : -1;
		}

		/** The '}' that closes the body of op {@code name}, or -1 (braces in comments are rare enough to ignore). */
		int opBodyEnd(String name) {
			int open = opBodyStart(name);
			if (open < 0) {
				return -1;
			}
			int depth = 0;
			for (int i = open; i < text.length(); i++) {
				char c = text.charAt(i);
				if (c == '{') {
					depth++;
				} else if (c == '}' && --depth == 0) {
					return i;
				}
			}
			return -1;
		}

		/** A new top-level declaration, after the spec line and the imports. */
		Fix declare(String label, String declaration) {
			String[] lines = text.split("\n", -1);
			int after = 0;
			for (int l = 0; l < lines.length; l++) {
				String line = lines[l].strip();
				if (line.startsWith("spec ") || line.startsWith("import ")) {
					after = l + 1;
				} else if (after > 0 && !line.isEmpty() && !line.startsWith("//")) {
					break;
				}
			}
			if (after >= lines.length) {
				return fix(label, text.length(), 0, "\n" + declaration + "\n");
			}
			int offset = 0;
			for (int l = 0; l < after; l++) {
				offset += lines[l].length() + 1;
			}
			return fix(label, offset, 0, declaration + "\n");
		}
	}
}
