package org.lockspec.ls;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.xtext.ide.ExecutorServiceProvider;

import com.google.inject.Singleton;

/**
 * The threads that run requests and builds, with a large stack (reserved, used
 * only as needed): a document nested 200,000 levels deep gives a diagnostic, as
 * on the command line, instead of a StackOverflowError in the middle of a build.
 */
@Singleton
public class RequestThreads extends ExecutorServiceProvider {

	/** Stack of a request thread: as much as the command line gives the parser (SpecSet). */
	static final long STACK_BYTES = 1L << 30;

	private final AtomicInteger count = new AtomicInteger();

	@Override
	protected ExecutorService createInstance(String key) {
		return Executors.newCachedThreadPool(r -> {
			Thread t = new Thread(null, r, "lockspec-ls-request-" + count.incrementAndGet(), STACK_BYTES);
			t.setDaemon(true);
			return t;
		});
	}
}
