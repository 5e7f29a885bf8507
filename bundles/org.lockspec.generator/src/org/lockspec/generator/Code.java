package org.lockspec.generator;

/** Java source text with indentation (tabs, as the rest of Lockspec). */
final class Code {

	private final StringBuilder b = new StringBuilder();
	private int depth;

	Code line(String s) {
		if (!s.isEmpty()) {
			b.append("\t".repeat(depth)).append(s);
		}
		b.append('\n');
		return this;
	}

	Code line() {
		return line("");
	}

	Code open(String s) {
		line(s);
		depth++;
		return this;
	}

	Code close(String s) {
		depth--;
		return line(s);
	}

	/** A line between two blocks ({@code } else {}). */
	Code mid(String s) {
		depth--;
		line(s);
		depth++;
		return this;
	}

	Code close() {
		return close("}");
	}

	@Override
	public String toString() {
		return b.toString();
	}
}
