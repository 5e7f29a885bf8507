package org.lockspec.tests;

import java.util.ArrayList;
import java.util.List;

import org.apache.log4j.AppenderSkeleton;
import org.apache.log4j.Level;
import org.apache.log4j.Logger;
import org.apache.log4j.spi.LoggingEvent;

/**
 * Collects what Xtext and EMF log at ERROR: an exception inside a check method is
 * logged there rather than thrown, and must fail a test all the same.
 */
public final class LoggedErrors extends AppenderSkeleton implements AutoCloseable {

	private final List<String> errors = new ArrayList<>();

	public static LoggedErrors start() {
		LoggedErrors appender = new LoggedErrors();
		Logger.getRootLogger().addAppender(appender);
		return appender;
	}

	@Override
	protected synchronized void append(LoggingEvent event) {
		if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
			String thrown = event.getThrowableInformation() == null ? ""
					: " / " + event.getThrowableInformation().getThrowable();
			errors.add(event.getRenderedMessage() + thrown);
		}
	}

	public synchronized List<String> errors() {
		return List.copyOf(errors);
	}

	@Override
	public boolean requiresLayout() {
		return false;
	}

	@Override
	public void close() {
		Logger.getRootLogger().removeAppender(this);
	}
}
