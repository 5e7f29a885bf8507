package org.lockspec.z3.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.microsoft.z3.Native;

/**
 * The com.microsoft.z3 bundle also works on a plain classpath, without OSGi: a child JVM runs
 * {@link Z3Smoke#main} with only this bundle's and the Z3 bundle's locations on -cp (how a solver
 * worker process will run, so that a crash inside libz3 cannot take the caller down).
 */
public class PlainClasspathTest {

	private static Path location(Class<?> c) throws URISyntaxException {
		CodeSource cs = c.getProtectionDomain().getCodeSource();
		return Paths.get(cs.getLocation().toURI());
	}

	@Test
	public void workerOnPlainClasspath() throws Exception {
		String cp = location(Native.class) + File.pathSeparator + location(Z3Smoke.class);
		String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
		List<String> cmd = List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", cp, Z3Smoke.class.getName());
		System.out.println("[z3] plain classpath: " + String.join(" ", cmd));
		Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
		p.getOutputStream().close();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
		out.lines().forEach(l -> System.out.println("[z3]   | " + l));
		assertEquals(0, p.exitValue(), out);
		assertTrue(out.contains("AppClassLoader"), "Z3 not loaded by the application class loader:\n" + out);
		assertTrue(out.lines().anyMatch("OK"::equals), out);
	}
}
