package org.lockspec.maven;

import java.util.OptionalInt;

import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/**
 * The Java release a project's main sources compile at, as maven-compiler-plugin
 * reads its configuration: {@code release}, else {@code source}, from the
 * {@code default-compile} execution, the plugin, its plugin management, then
 * the properties {@code maven.compiler.release} and {@code maven.compiler.source};
 * when nothing is set, the plugin's own default (Java 8 or older).
 */
final class JavaRelease {

	/** The oldest release the generated Java compiles at: it uses switch expressions (Java 14). */
	static final int NEEDED = 14;
	/** What maven-compiler-plugin compiles at when told nothing (3.11 and later: 8; before: older). */
	static final int DEFAULT = 8;
	private static final String COMPILER = "org.apache.maven.plugins:maven-compiler-plugin";

	private JavaRelease() {
	}

	/** The release the project compiles at, and where that was found. */
	record Setting(int release, String where) {
		boolean tooOld() {
			return release < NEEDED;
		}
	}

	static Setting of(MavenProject project) {
		Plugin compiler = project.getBuild() == null ? null : project.getBuild().getPluginsAsMap().get(COMPILER);
		Setting s = compiler == null ? null : fromPlugin(compiler, "maven-compiler-plugin's configuration");
		if (s == null && project.getBuild() != null && project.getBuild().getPluginManagement() != null) {
			Plugin managed = project.getBuild().getPluginManagement().getPluginsAsMap().get(COMPILER);
			s = managed == null ? null : fromPlugin(managed, "maven-compiler-plugin's plugin management");
		}
		if (s == null) {
			s = fromProperty(project, "maven.compiler.release");
		}
		if (s == null) {
			s = fromProperty(project, "maven.compiler.source");
		}
		return s != null ? s : new Setting(DEFAULT, "maven-compiler-plugin's default: nothing sets a release or source");
	}

	private static Setting fromPlugin(Plugin plugin, String where) {
		for (PluginExecution e : plugin.getExecutions()) {
			if ("default-compile".equals(e.getId())) {
				Setting s = fromConfiguration(e.getConfiguration(), where + " (execution default-compile)");
				if (s != null) {
					return s;
				}
			}
		}
		return fromConfiguration(plugin.getConfiguration(), where);
	}

	private static Setting fromConfiguration(Object configuration, String where) {
		if (!(configuration instanceof Xpp3Dom dom)) {
			return null;
		}
		for (String name : new String[] { "release", "source" }) {
			Xpp3Dom child = dom.getChild(name);
			OptionalInt v = child == null ? OptionalInt.empty() : parse(child.getValue());
			if (v.isPresent()) {
				return new Setting(v.getAsInt(), where + ": <" + name + ">" + child.getValue().strip() + "</" + name + ">");
			}
		}
		return null;
	}

	private static Setting fromProperty(MavenProject project, String name) {
		String value = project.getProperties().getProperty(name);
		OptionalInt v = parse(value);
		return v.isPresent() ? new Setting(v.getAsInt(), "property " + name + " = " + value.strip()) : null;
	}

	/** {@code 21}, {@code 1.8} (8); anything else (an unresolved expression) is no setting. */
	static OptionalInt parse(String value) {
		if (value == null) {
			return OptionalInt.empty();
		}
		String v = value.strip();
		if (v.startsWith("1.")) {
			v = v.substring(2);
		}
		try {
			return OptionalInt.of(Integer.parseInt(v));
		} catch (NumberFormatException e) {
			return OptionalInt.empty();
		}
	}
}
