package org.lockspec.maven;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Runs the Lockspec command line in a class loader of its own, on the bundle
 * jars this plugin carries under {@code lib/} (the update site's plugins, as
 * in lockspec-ls.jar). From the plugin jar they are unpacked once into a cache
 * directory ({@code $LOCKSPEC_CACHE}, else {@code $XDG_CACHE_HOME/lockspec},
 * else {@code ~/.cache/lockspec}); from a classes folder they are used in place.
 */
final class Launcher {

	private Launcher() {
	}

	/** The arguments of {@code lockspec generate} for a Maven project. */
	static List<String> arguments(File specs, File out, File testOut, File base, String packageName) {
		List<String> args = new ArrayList<>(List.of("generate", specs.getPath(), "--out", out.getPath(), "--test-out",
				testOut.getPath(), "--relative-to", base.getPath()));
		if (packageName != null && !packageName.isBlank()) {
			args.add("--package");
			args.add(packageName.strip());
		}
		return args;
	}

	static Path cacheRoot() {
		String env = System.getenv("LOCKSPEC_CACHE");
		if (env != null && !env.isBlank()) {
			return Path.of(env);
		}
		String xdg = System.getenv("XDG_CACHE_HOME");
		return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache"))
				.resolve("lockspec");
	}

	/** The folder of bundle jars: {@code lib/} beside the classes, or unpacked from the plugin jar. */
	static Path libraries() throws IOException {
		Path here;
		try {
			here = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		} catch (Exception e) {
			throw new IOException("cannot tell where lockspec-maven-plugin is: " + e, e);
		}
		if (Files.isDirectory(here)) {
			return here.resolve("lib");
		}
		String key = "maven-plugin-" + here.getFileName().toString().replaceAll("\\.jar$", "") + "-"
				+ Long.toHexString(Files.size(here) * 31 + Files.getLastModifiedTime(here).toMillis());
		Path dir = cacheRoot().resolve(key);
		if (Files.isDirectory(dir)) {
			return dir;
		}
		Files.createDirectories(dir.getParent());
		Path tmp = Files.createTempDirectory(dir.getParent(), key + ".tmp");
		try (JarFile jar = new JarFile(here.toFile())) {
			for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
				JarEntry entry = e.nextElement();
				String name = entry.getName();
				if (name.startsWith("lib/") && name.endsWith(".jar") && name.indexOf('/', 4) < 0) {
					try (InputStream in = jar.getInputStream(entry)) {
						Files.copy(in, tmp.resolve(name.substring(4)));
					}
				}
			}
			try {
				Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
			} catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
				// another build unpacked it at the same time
			} catch (IOException e) {
				if (!Files.isDirectory(dir)) {
					throw e;
				}
			}
		} finally {
			deleteTree(tmp);
		}
		return dir;
	}

	/** Runs {@code org.lockspec.cli.Main.run(out, err, args)} on the jars in {@code lib}; returns its exit code. */
	static int run(Path lib, List<String> args, PrintWriter out, PrintWriter err) throws Exception {
		List<URL> urls = new ArrayList<>();
		try (Stream<Path> s = Files.list(lib)) {
			for (Path p : s.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
				urls.add(p.toUri().toURL());
			}
		}
		if (urls.isEmpty()) {
			throw new IOException("no Lockspec bundles in " + lib);
		}
		ClassLoader before = Thread.currentThread().getContextClassLoader();
		try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
			Thread.currentThread().setContextClassLoader(loader);
			Class<?> main = loader.loadClass("org.lockspec.cli.Main");
			Method run = main.getMethod("run", PrintWriter.class, PrintWriter.class, String[].class);
			return (Integer) run.invoke(null, out, err, args.toArray(String[]::new));
		} finally {
			Thread.currentThread().setContextClassLoader(before);
		}
	}

	static void deleteTree(Path dir) throws IOException {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> s = Files.walk(dir)) {
			for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(p);
			}
		}
	}
}
