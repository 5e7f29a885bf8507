package org.lockspec.generator.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.engine.JupiterTestEngine;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.lockspec.generator.GenerationException;
import org.lockspec.generator.JavaGenerator;
import org.lockspec.generator.OutputTree;
import org.lockspec.workspace.Problem;
import org.lockspec.prover.Proofs;
import org.lockspec.workspace.SpecSet;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/** Loads specs, generates their Java, compiles it with javac and runs its tests with the JUnit platform. */
final class Generated {

	private Generated() {
	}

	/** Loads and proves the specs, as {@code lockspec generate} does before it generates. */
	static List<JavaGenerator.Proved> load(List<Path> files) {
		SpecSet set = SpecSet.load(files, files);
		List<JavaGenerator.Proved> specs = new ArrayList<>();
		try (Proofs proofs = Proofs.open(Proofs.options())) {
			for (SpecSet.FileResult r : set.results()) {
				for (Problem p : r.problems()) {
					assertFalse(p.severity() == Problem.Severity.ERROR, p::format);
				}
				specs.add(new JavaGenerator.Proved(r.spec(), proofs.prove(r.spec())));
			}
		}
		return specs;
	}

	static JavaGenerator.Output generate(List<JavaGenerator.Proved> specs, Path base) throws GenerationException {
		try {
			return SpecSet.onBigStack(() -> {
				try {
					return JavaGenerator.generate(specs, new JavaGenerator.Options(null, base));
				} catch (GenerationException e) {
					throw new IllegalStateException(e);
				}
			});
		} catch (IllegalStateException e) {
			if (e.getCause() instanceof GenerationException g) {
				throw g;
			}
			throw e;
		}
	}

	/** Where the classes of {@code c} are, as a classpath entry (a jar, or a bundle's classes folder). */
	static Path classpathOf(Class<?> c) {
		try {
			var cs = c.getProtectionDomain().getCodeSource();
			if (cs != null && cs.getLocation() != null && "file".equals(cs.getLocation().getProtocol())) {
				return entry(Path.of(cs.getLocation().toURI()), c);
			}
		} catch (Exception e) {
			// fall back to the bundle's location
		}
		Bundle b = FrameworkUtil.getBundle(c);
		String loc = b.getLocation();
		loc = loc.replaceFirst("^reference:", "").replaceFirst("^initial@", "").replaceFirst("^reference:", "");
		if (loc.startsWith("file:")) {
			loc = loc.substring("file:".length());
		}
		return entry(Path.of(loc).toAbsolutePath(), c);
	}

	private static Path entry(Path p, Class<?> c) {
		if (Files.isDirectory(p)) {
			String file = c.getName().replace('.', '/') + ".class";
			for (Path cand : List.of(p, p.resolve("target/classes"), p.resolve("bin"))) {
				if (Files.exists(cand.resolve(file))) {
					return cand;
				}
			}
		}
		return p;
	}

	/** The classpath generated code compiles against: the runtime and JUnit 5's API. */
	static List<Path> classpath() {
		List<Path> cp = new ArrayList<>();
		for (Class<?> c : List.of(org.lockspec.runtime.Kernel.class, org.junit.jupiter.api.Test.class,
				org.opentest4j.AssertionFailedError.class, org.apiguardian.api.API.class,
				org.junit.platform.commons.annotation.Testable.class)) {
			Path p = classpathOf(c);
			if (!cp.contains(p)) {
				cp.add(p);
			}
		}
		return cp;
	}

	/** Compiles every .java below {@code src} into {@code classes} with -Xlint:all -Werror; returns javac's diagnostics. */
	static List<String> compile(Path src, Path classes) throws IOException {
		JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
		assertTrue(javac != null, "no system Java compiler (a JDK is needed, not a JRE)");
		List<Path> sources;
		try (Stream<Path> s = Files.walk(src)) {
			sources = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
		}
		assertFalse(sources.isEmpty(), "nothing generated below " + src);
		Files.createDirectories(classes);
		DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
		try (StandardJavaFileManager fm = javac.getStandardFileManager(diags, Locale.ROOT, null)) {
			List<String> options = new ArrayList<>(List.of("-Xlint:all", "-Werror", "-proc:none", "--release", "21",
					"-d", classes.toString(), "-classpath",
					String.join(java.io.File.pathSeparator, classpath().stream().map(Path::toString).toList())));
			StringWriter out = new StringWriter();
			boolean ok = javac.getTask(out, fm, diags, options, null, fm.getJavaFileObjectsFromPaths(sources)).call();
			List<String> messages = new ArrayList<>();
			for (Diagnostic<? extends JavaFileObject> d : diags.getDiagnostics()) {
				messages.add(d.getKind() + " " + (d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber())
						+ ": " + d.getMessage(Locale.ROOT));
			}
			if (!out.toString().isBlank()) {
				messages.add(out.toString());
			}
			if (!ok && messages.isEmpty()) {
				messages.add("javac failed");
			}
			return messages;
		}
	}

	/** One test's outcome. */
	record Outcome(String test, boolean passed, String failure) {
	}

	/**
	 * Writes {@code out} under {@code dir} (src/, test/), compiles it into dir/classes with javac
	 * -Xlint:all -Werror (no diagnostic allowed) and returns the test classes' names.
	 */
	static List<String> writeAndCompile(JavaGenerator.Output out, Path dir) throws IOException, GenerationException {
		OutputTree.write(out, dir.resolve("src"), dir.resolve("test"));
		List<String> diagnostics = compile(dir, dir.resolve("classes"));
		assertTrue(diagnostics.isEmpty(), () -> "javac -Xlint:all -Werror:\n" + String.join("\n", diagnostics));
		List<String> classes = new ArrayList<>();
		for (JavaGenerator.GeneratedFile f : out.test()) {
			classes.add(f.path().replace('/', '.').replaceFirst("\\.java$", ""));
		}
		return classes;
	}

	/** Runs the test classes {@code names} from {@code classes} with the JUnit platform; outcomes by class#method. */
	static Map<String, Outcome> run(Path classes, List<String> names) throws Exception {
		Map<String, Outcome> outcomes = new LinkedHashMap<>();
		ClassLoader before = Thread.currentThread().getContextClassLoader();
		try (URLClassLoader loader = new URLClassLoader(new URL[] { classes.toUri().toURL() },
				Generated.class.getClassLoader())) {
			Thread.currentThread().setContextClassLoader(loader);
			List<org.junit.platform.engine.DiscoverySelector> selectors = new ArrayList<>();
			for (String n : names) {
				selectors.add(DiscoverySelectors.selectClass(loader.loadClass(n)));
			}
			LauncherConfig config = LauncherConfig.builder().enableTestEngineAutoRegistration(false)
					.enableLauncherSessionListenerAutoRegistration(false)
					.enableLauncherDiscoveryListenerAutoRegistration(false)
					.enablePostDiscoveryFilterAutoRegistration(false).enableTestExecutionListenerAutoRegistration(false)
					.addTestEngines(new JupiterTestEngine()).build();
			Launcher launcher = LauncherFactory.create(config);
			LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectors).build();
			launcher.execute(request, new TestExecutionListener() {
				@Override
				public void executionFinished(TestIdentifier id, TestExecutionResult result) {
					if (!id.isTest()) {
						if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
							outcomes.put(id.getUniqueId(), new Outcome(id.getUniqueId(), false,
									String.valueOf(result.getThrowable().orElse(null))));
						}
						return;
					}
					String name = id.getSource().map(s -> s instanceof org.junit.platform.engine.support.descriptor.MethodSource m
							? m.getClassName() + "#" + m.getMethodName() : s.toString()).orElse(id.getDisplayName());
					outcomes.put(name, new Outcome(name, result.getStatus() == TestExecutionResult.Status.SUCCESSFUL,
							result.getThrowable().map(Throwable::toString).orElse(null)));
				}
			});
		} finally {
			Thread.currentThread().setContextClassLoader(before);
		}
		return outcomes;
	}
}
