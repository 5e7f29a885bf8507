package org.lockspec.ls;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.log4j.Level;
import org.apache.log4j.LogManager;
import org.apache.log4j.Logger;
import org.apache.log4j.PatternLayout;
import org.apache.log4j.WriterAppender;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.eclipse.lsp4j.services.LanguageClient;

import com.google.inject.Guice;
import com.google.inject.Injector;

/**
 * {@code lockspec-ls}: the Lockspec language server, speaking LSP over stdin and
 * stdout. Started by {@code java -jar lockspec-ls.jar} and by {@code lockspec lsp}.
 *
 * <p>Stdout is the protocol channel: before anything else runs, {@code System.out}
 * is pointed at stderr, so a stray print cannot corrupt the stream; logs go to
 * stderr too ({@code LOCKSPEC_DEBUG=1} for all of them).
 */
public final class ServerMain {

	static final String USAGE = """
			usage: lockspec-ls [--trace]
			The Lockspec language server: LSP (JSON-RPC) on stdin/stdout, logs on stderr.
			  --trace   also copy every LSP message to stderr
			""";

	private ServerMain() {
	}

	public static void main(String[] args) {
		System.exit(run(System.in, System.out, args));
	}

	/**
	 * Serves {@code in}/{@code out} until the client sends {@code exit} (which ends
	 * the process: 0 after {@code shutdown}, 1 without) or closes the stream.
	 *
	 * @return 0 if the stream ended after {@code shutdown}, 1 if it ended without, 2 on a usage error
	 */
	public static int run(InputStream in, OutputStream out, String... args) {
		PrintStream stderr = System.err;
		System.setOut(stderr); // stdout belongs to the protocol
		boolean trace = false;
		for (String arg : args) {
			switch (arg) {
			case "--trace", "-trace" -> trace = true;
			case "-log", "-noValidate" -> {
				// Xtext ServerLauncher options: accepted, nothing to do
			}
			case "-h", "--help" -> {
				stderr.print(USAGE);
				return 0;
			}
			default -> {
				stderr.println("lockspec-ls: unknown option " + arg);
				stderr.print(USAGE);
				return 2;
			}
			}
		}
		configureLogging(stderr);
		Injector injector = Guice.createInjector(new LockspecServerModule());
		LockspecLanguageServer server = injector.getInstance(LockspecLanguageServer.class);
		ExecutorService messages = Executors.newCachedThreadPool(r -> {
			Thread t = new Thread(r, "lockspec-ls-jsonrpc");
			t.setDaemon(true);
			return t;
		});
		Launcher.Builder<LanguageClient> builder = new Launcher.Builder<LanguageClient>().setLocalService(server)
				.setRemoteInterface(LanguageClient.class).setInput(in).setOutput(out).setExecutorService(messages)
				.setExceptionHandler(ServerMain::answer);
		if (trace) {
			builder.traceMessages(new PrintWriter(stderr, true, StandardCharsets.UTF_8));
		}
		Launcher<LanguageClient> launcher = builder.create();
		server.connect(launcher.getRemoteProxy());
		Future<Void> listening = launcher.startListening();
		try {
			listening.get();
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		} catch (ExecutionException e) {
			Logger.getLogger(ServerMain.class).error("the connection failed: " + e.getCause());
		}
		server.stop();
		return server.shutdownRequested() ? 0 : 1;
	}

	/**
	 * The answer to a request that failed: an LSP error whose message names the
	 * failure in one line (Xtext's messages can quote the whole document), logged
	 * as one line; the server goes on.
	 */
	static ResponseError answer(Throwable failure) {
		Throwable t = failure;
		while ((t instanceof CompletionException || t instanceof ExecutionException
				|| t instanceof InvocationTargetException) && t.getCause() != null) {
			t = t.getCause();
		}
		if (t instanceof ResponseErrorException e) {
			return e.getResponseError();
		}
		String detail = t.getMessage() == null ? "" : t.getMessage();
		int quote = detail.indexOf(" text was");
		detail = (quote >= 0 ? detail.substring(0, quote) : detail).replaceAll("\\s+", " ").strip();
		if (detail.length() > 300) {
			detail = detail.substring(0, 300) + "...";
		}
		String message = t.getClass().getSimpleName() + (detail.isEmpty() ? "" : ": " + detail);
		Logger.getLogger(ServerMain.class).warn("a request failed: " + message);
		return new ResponseError(ResponseErrorCode.InternalError, "lockspec-ls: " + message, null);
	}

	/**
	 * log4j (Xtext, EMF) to stderr: warnings and errors, one line each; with
	 * {@code LOCKSPEC_DEBUG=1} everything, with stack traces.
	 */
	static void configureLogging(PrintStream stderr) {
		String debug = System.getenv("LOCKSPEC_DEBUG");
		boolean all = debug != null && !debug.isEmpty() && !"0".equals(debug);
		Logger root = Logger.getRootLogger(); // reads the log4j.properties in Xtext's jar: console, INFO
		root.removeAllAppenders();
		for (var loggers = LogManager.getCurrentLoggers(); loggers.hasMoreElements();) {
			((Logger) loggers.nextElement()).setLevel(null); // every logger as the root says
		}
		root.addAppender(new WriterAppender(new PatternLayout("lockspec-ls: %p: %c{1}: %m%n") {
			@Override
			public boolean ignoresThrowable() {
				return all; // false: this layout has handled the throwable (by leaving it out)
			}
		}, stderr));
		root.setLevel(all ? Level.DEBUG : Level.WARN);
		// a failed request is logged once, by answer(), in one line
		Logger.getLogger("org.eclipse.xtext.ide.server.concurrent").setLevel(all ? Level.DEBUG : Level.FATAL);
	}
}
