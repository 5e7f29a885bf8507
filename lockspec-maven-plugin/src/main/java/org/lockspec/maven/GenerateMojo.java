package org.lockspec.maven;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * {@code lockspec:generate}: the specs below {@code specDirectory} become Java
 * (a class per object, the ops statement by statement) in {@code
 * outputDirectory} and JUnit 5 tests (a stress test per scenario that expects
 * safe, a replay per counterexample) in {@code testOutputDirectory}; both are
 * added to the project's compile and test-compile source roots. It maps its
 * parameters onto {@code lockspec generate} and nothing else. The project needs
 * {@code org.lockspec:org.lockspec.runtime} and JUnit 5, and must compile at
 * Java 14 or newer: a project that compiles at an older release (maven-compiler-plugin's
 * default, 8, when nothing is set) is stopped here, with what to set, rather
 * than by javac's "switch rules are not supported in -source 8".
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class GenerateMojo extends AbstractMojo {

	@Parameter(defaultValue = "${project}", readonly = true, required = true)
	private MavenProject project;

	/** Where the {@code .lockspec} files are (searched recursively). */
	@Parameter(property = "lockspec.specDirectory", defaultValue = "${project.basedir}/src/main/lockspec")
	private File specDirectory;

	/** Where the generated main sources go (emptied first: it belongs to this plugin). */
	@Parameter(property = "lockspec.outputDirectory", defaultValue = "${project.build.directory}/generated-sources/lockspec")
	private File outputDirectory;

	/** Where the generated tests go (emptied first). */
	@Parameter(property = "lockspec.testOutputDirectory",
			defaultValue = "${project.build.directory}/generated-test-sources/lockspec")
	private File testOutputDirectory;

	/** A package prefix: each spec's package is {@code packageName.<spec name>}. */
	@Parameter(property = "lockspec.package")
	private String packageName;

	@Parameter(property = "lockspec.skip", defaultValue = "false")
	private boolean skip;

	@Override
	public void execute() throws MojoExecutionException, MojoFailureException {
		if (skip) {
			getLog().info("lockspec: skipped");
			return;
		}
		if (!specDirectory.isDirectory()) {
			getLog().info("lockspec: no specs: " + specDirectory + " is not a directory");
			return;
		}
		JavaRelease.Setting release = JavaRelease.of(project);
		if (release.tooOld()) {
			throw new MojoFailureException("lockspec: the generated Java needs Java " + JavaRelease.NEEDED
					+ " or newer (switch expressions), but this project compiles at Java " + release.release() + " ("
					+ release.where() + "); set <maven.compiler.release>21</maven.compiler.release> in the pom's <properties>");
		}
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		int code;
		try {
			Launcher.deleteTree(outputDirectory.toPath());
			Launcher.deleteTree(testOutputDirectory.toPath());
			List<String> args = Launcher.arguments(specDirectory, outputDirectory, testOutputDirectory,
					project.getBasedir(), packageName);
			getLog().debug("lockspec " + String.join(" ", args));
			Path lib = Launcher.libraries();
			code = Launcher.run(lib, args, new PrintWriter(out), new PrintWriter(err));
		} catch (Exception e) {
			throw new MojoExecutionException("lockspec generate could not run: " + e, e);
		}
		out.toString().lines().forEach(l -> getLog().info("lockspec: " + l));
		if (code != 0) {
			err.toString().lines().forEach(l -> getLog().error(l));
			throw new MojoFailureException("lockspec generate failed (exit " + code + "): " + err.toString().strip());
		}
		err.toString().lines().forEach(l -> getLog().warn(l));
		project.addCompileSourceRoot(outputDirectory.getPath());
		project.addTestCompileSourceRoot(testOutputDirectory.getPath());
	}
}
