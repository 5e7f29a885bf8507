package org.lockspec.generator;

/**
 * A spec that cannot become Java (a name Java does not allow, a construct the
 * generator does not translate), or an output directory that cannot be
 * written safely. The message starts with {@code file:line:col:} where there
 * is a source position.
 */
public final class GenerationException extends Exception {
	private static final long serialVersionUID = 1L;

	public GenerationException(String message) {
		super(message);
	}
}
