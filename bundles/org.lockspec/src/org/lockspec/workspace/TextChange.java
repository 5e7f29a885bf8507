package org.lockspec.workspace;

import java.util.Comparator;
import java.util.List;

/**
 * A change to a text: the {@code length} characters at {@code offset} become
 * {@code text}. Quick fixes and the formatter say what they do as changes;
 * each front door applies them to its own kind of document.
 */
public record TextChange(int offset, int length, String text) {

	public int end() {
		return offset + length;
	}

	/** {@code text} with {@code changes} (which must not overlap) made. */
	public static String apply(String text, List<TextChange> changes) {
		StringBuilder b = new StringBuilder(text);
		changes.stream().sorted(Comparator.comparingInt(TextChange::offset).reversed())
				.forEach(c -> b.replace(c.offset(), c.end(), c.text()));
		return b.toString();
	}
}
