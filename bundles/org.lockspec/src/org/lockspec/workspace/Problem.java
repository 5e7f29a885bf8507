package org.lockspec.workspace;

/**
 * One diagnostic of a spec file, positioned at 1-based line and column.
 *
 * @param path   the file as the user named it (relative paths stay relative)
 * @param code   an {@code org.lockspec.*} issue code, or a syntax/IO code
 */
public record Problem(String path, int line, int column, Severity severity, String code, String message)
		implements Comparable<Problem> {

	public enum Severity {
		ERROR, WARNING, INFO;

		public String label() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}
	}

	/** gcc style, as editors and kernel developers parse it: {@code path:line:col: error: message [code]}. */
	public String format() {
		return path + ":" + line + ":" + column + ": " + severity.label() + ": " + message
				+ (code == null ? "" : " [" + code + "]");
	}

	@Override
	public int compareTo(Problem o) {
		int c = path.compareTo(o.path);
		if (c == 0) {
			c = Integer.compare(line, o.line);
		}
		if (c == 0) {
			c = Integer.compare(column, o.column);
		}
		if (c == 0) {
			c = message.compareTo(o.message);
		}
		return c;
	}
}
