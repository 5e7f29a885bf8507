package org.lockspec.boot;

/**
 * The entry point of {@code lockspec-ls.jar}. It is compiled for Java 8 (the
 * rest of the jar for 21), so that any JVM can run it and say what is wrong: on
 * a JVM older than 21 it writes one line to stderr, answers an LSP client's
 * {@code initialize} with that message as an error (the editor shows it
 * instead of waiting for a server that never starts), and exits with 2. On 21
 * or newer it hands over to {@link Boot}.
 *
 * <p>Java 8 only in this class and {@link InitializeError}.
 */
public final class Main {

	/** The Java version the server needs: the Eclipse platform bundles require JavaSE-21. */
	static final int NEEDED = 21;
	/** The exit code on a JVM too old: a usage error, as {@code lockspec}'s 2. */
	static final int TOO_OLD = 2;

	private Main() {
	}

	public static void main(String[] args) throws InterruptedException {
		String version = System.getProperty("java.specification.version", "0");
		if (feature(version) >= NEEDED) {
			Boot.main(args);
			return;
		}
		String message = tooOld(version, System.getProperty("java.home", "?"));
		System.err.println(message);
		InitializeError.answer(message);
		System.exit(TOO_OLD);
	}

	/** What is said on a JVM that is too old, on one line. */
	static String tooOld(String version, String javaHome) {
		return "lockspec-ls needs Java " + NEEDED + " or newer; found " + version + " (" + javaHome + "). "
				+ "Start it with the launcher beside the jar (lockspec-ls), which finds a JDK " + NEEDED
				+ "+, or with a JDK " + NEEDED + "+'s java.";
	}

	/** The feature release of a {@code java.specification.version}: 8 for "1.8", 17 for "17"; 0 if unreadable. */
	static int feature(String specificationVersion) {
		String v = specificationVersion.startsWith("1.") ? specificationVersion.substring(2) : specificationVersion;
		int end = 0;
		while (end < v.length() && Character.isDigit(v.charAt(end))) {
			end++;
		}
		return end == 0 ? 0 : Integer.parseInt(v.substring(0, end));
	}
}
