package org.lockspec.cli;

import org.apache.log4j.Level;
import org.apache.log4j.Logger;
import org.apache.log4j.PatternLayout;
import org.apache.log4j.WriterAppender;

/**
 * Xtext and EMF log through log4j. A user sees their warnings as one line each
 * on stderr, never a stack trace; {@code LOCKSPEC_DEBUG=1} shows everything.
 */
final class Logging {

	private static boolean configured;

	private Logging() {
	}

	static boolean debug() {
		String v = System.getenv("LOCKSPEC_DEBUG");
		return v != null && !v.isEmpty() && !"0".equals(v);
	}

	static synchronized void configure(boolean force) {
		if (configured && !force) {
			return;
		}
		configured = true;
		Logger root = Logger.getRootLogger();
		root.removeAllAppenders();
		boolean debug = debug();
		WriterAppender appender = new WriterAppender(new PatternLayout("lockspec: %p: %m%n") {
			@Override
			public boolean ignoresThrowable() {
				return debug; // false: the layout has handled the throwable (by leaving it out)
			}
		}, System.err);
		root.addAppender(appender);
		root.setLevel(debug ? Level.DEBUG : Level.ERROR);
	}
}
