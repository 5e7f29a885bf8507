package org.lockspec.boot;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The launcher of {@code lockspec-ls.jar}: one file that runs with
 * {@code java -jar} ({@link Main}, the jar's entry point, hands over to it on a
 * JVM 21 or newer). The jar carries the bundle jars of the update site under
 * {@code lib/}, unchanged; they are unpacked once into a cache directory named by
 * their checksums ({@code $LOCKSPEC_CACHE}, else {@code $XDG_CACHE_HOME/lockspec},
 * else {@code ~/.cache/lockspec}), and the server runs on them in a JVM of its
 * own, on a plain class path, as {@code ./lockspec} runs the plugins folder, with
 * stdin, stdout and stderr handed over as they are. That JVM gets the options a
 * language server wants, which {@code java -jar} cannot set: C1 only and the
 * serial collector (on two busy cores this halves the time to the first
 * diagnostics, and the prover's runs in an editor are short), no warnings about
 * Guice's use of {@code sun.misc.Unsafe}. {@code LOCKSPEC_LS_JAVA_OPTS} adds
 * options after these (and so overrides them).
 *
 * <p>Writes nothing to stdout: that is the protocol channel.
 */
public final class Boot {

	static final String MAIN = "org.lockspec.ls.ServerMain";
	private static final String LIB = "lib/";
	private static final String COMPLETE = ".complete";

	private Boot() {
	}

	public static void main(String[] args) throws InterruptedException {
		List<Path> jars;
		try {
			jars = unpack(self(), cacheRoot());
		} catch (IOException | RuntimeException e) {
			System.err.println("lockspec-ls: cannot unpack the server's jars: " + e);
			System.exit(70);
			return;
		}
		Process server;
		try {
			server = new ProcessBuilder(command(jars, args)).inheritIO().start();
		} catch (IOException e) {
			System.err.println("lockspec-ls: cannot start the server's JVM: " + e);
			System.exit(70);
			return;
		}
		Thread stop = new Thread(server::destroy, "lockspec-ls-stop");
		Runtime.getRuntime().addShutdownHook(stop); // the editor stops this process: the server goes too
		int code = server.waitFor();
		Runtime.getRuntime().removeShutdownHook(stop);
		System.exit(code);
	}

	/** The server's command line: this JDK's java, the options, the unpacked jars, the server's main class. */
	static List<String> command(List<Path> jars, String[] args) {
		String javaCommand = ProcessHandle.current().info().command()
				.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		List<String> cmd = new ArrayList<>();
		cmd.add(javaCommand);
		cmd.add("-XX:TieredStopAtLevel=1");
		cmd.add("-XX:+UseSerialGC");
		int feature = Runtime.version().feature();
		if (feature >= 23) {
			cmd.add("--sun-misc-unsafe-memory-access=allow");
		}
		if (feature >= 22) {
			cmd.add("--enable-native-access=ALL-UNNAMED");
		}
		String extra = System.getenv("LOCKSPEC_LS_JAVA_OPTS");
		if (extra != null && !extra.isBlank()) {
			cmd.addAll(List.of(extra.trim().split("\\s+")));
		}
		cmd.add("-cp");
		cmd.add(String.join(File.pathSeparator, jars.stream().map(Path::toString).toList()));
		cmd.add(MAIN);
		cmd.addAll(List.of(args));
		return cmd;
	}

	/** This jar. */
	static Path self() {
		try {
			return Path.of(Boot.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		} catch (URISyntaxException | RuntimeException e) {
			throw new IllegalStateException("cannot locate lockspec-ls.jar: " + e, e);
		}
	}

	/** Where unpacked jars live: {@code $LOCKSPEC_CACHE}, {@code $XDG_CACHE_HOME/lockspec}, {@code ~/.cache/lockspec}. */
	static Path cacheRoot() {
		String explicit = System.getenv("LOCKSPEC_CACHE");
		if (explicit != null && !explicit.isBlank()) {
			return Path.of(explicit);
		}
		String xdg = System.getenv("XDG_CACHE_HOME");
		if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
			return Path.of(xdg, "lockspec");
		}
		return Path.of(System.getProperty("user.home"), ".cache", "lockspec");
	}

	/**
	 * The jars under {@code lib/} of {@code jar}, as files below {@code root}:
	 * unpacked on first use into {@code ls-<checksum>}, reused after. Two servers
	 * starting at once each unpack into a private directory and one rename wins.
	 */
	static List<Path> unpack(Path jar, Path root) throws IOException {
		try (ZipFile zip = new ZipFile(jar.toFile())) {
			List<ZipEntry> entries = new ArrayList<>();
			MessageDigest digest = sha256();
			zip.stream().filter(e -> !e.isDirectory() && e.getName().startsWith(LIB) && e.getName().endsWith(".jar")
					&& e.getName().indexOf('/', LIB.length()) < 0).sorted(Comparator.comparing(ZipEntry::getName))
					.forEach(e -> {
						entries.add(e);
						digest.update((e.getName() + ' ' + e.getSize() + ' ' + e.getCrc() + '\n')
								.getBytes(StandardCharsets.UTF_8));
					});
			if (entries.isEmpty()) {
				throw new IOException(jar + " holds no lib/*.jar: it was built without the update site's plugins");
			}
			Path dir = root.resolve("ls-" + HexFormat.of().formatHex(digest.digest(), 0, 8));
			if (!Files.exists(dir.resolve(COMPLETE))) {
				Files.createDirectories(root);
				Path tmp = Files.createTempDirectory(root, "ls-unpacking-");
				try {
					for (ZipEntry e : entries) {
						try (InputStream in = zip.getInputStream(e)) {
							Files.copy(in, tmp.resolve(e.getName().substring(LIB.length())));
						}
					}
					Files.writeString(tmp.resolve(COMPLETE), jar + "\n");
					try {
						Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
					} catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
						// another server unpacked the same jars first (or a half-made one is in the way)
						if (!Files.exists(dir.resolve(COMPLETE))) {
							deleteTree(dir);
							Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
						}
					} catch (IOException e) {
						if (!Files.exists(dir.resolve(COMPLETE))) {
							throw e;
						}
					}
				} finally {
					deleteTree(tmp);
				}
			}
			List<Path> jars = new ArrayList<>();
			for (ZipEntry e : entries) {
				jars.add(dir.resolve(e.getName().substring(LIB.length())));
			}
			return jars;
		}
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	private static void deleteTree(Path dir) {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> s = Files.walk(dir)) {
			s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		} catch (IOException | RuntimeException e) {
			// best effort
		}
	}
}
