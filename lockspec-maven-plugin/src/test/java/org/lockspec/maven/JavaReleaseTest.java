package org.lockspec.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;

import org.apache.maven.model.Build;
import org.apache.maven.model.Model;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.model.PluginManagement;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3DomBuilder;
import org.junit.jupiter.api.Test;

/** The release a project compiles at, as maven-compiler-plugin reads it, and whether generated Java compiles there. */
class JavaReleaseTest {

	private static MavenProject project() {
		Model model = new Model();
		model.setBuild(new Build());
		return new MavenProject(model);
	}

	private static Plugin compiler(String configuration) throws Exception {
		Plugin p = new Plugin();
		p.setGroupId("org.apache.maven.plugins");
		p.setArtifactId("maven-compiler-plugin");
		if (configuration != null) {
			p.setConfiguration(Xpp3DomBuilder.build(new StringReader("<configuration>" + configuration + "</configuration>")));
		}
		return p;
	}

	@Test
	void nothingSetIsTheCompilerPluginsDefaultWhichIsTooOld() {
		JavaRelease.Setting s = JavaRelease.of(project());
		assertEquals(8, s.release());
		assertTrue(s.tooOld());
		assertTrue(s.where().contains("default"), s.where());
	}

	@Test
	void propertiesReleaseBeforeSource() {
		MavenProject p = project();
		p.getProperties().setProperty("maven.compiler.source", "1.8");
		assertEquals(8, JavaRelease.of(p).release());
		p.getProperties().setProperty("maven.compiler.release", "21");
		assertEquals(21, JavaRelease.of(p).release());
		assertFalse(JavaRelease.of(p).tooOld());
	}

	@Test
	void thePluginsConfigurationBeforeProperties() throws Exception {
		MavenProject p = project();
		p.getProperties().setProperty("maven.compiler.release", "21");
		p.getBuild().addPlugin(compiler("<release>11</release>"));
		JavaRelease.Setting s = JavaRelease.of(p);
		assertEquals(11, s.release());
		assertEquals("maven-compiler-plugin's configuration: <release>11</release>", s.where());
		assertTrue(s.tooOld());
	}

	@Test
	void theCompileExecutionBeforeThePlugin() throws Exception {
		MavenProject p = project();
		Plugin c = compiler("<release>21</release>");
		PluginExecution e = new PluginExecution();
		e.setId("default-compile");
		e.setConfiguration(Xpp3DomBuilder.build(new StringReader("<configuration><source>1.8</source></configuration>")));
		c.addExecution(e);
		p.getBuild().addPlugin(c);
		assertEquals(8, JavaRelease.of(p).release());
	}

	@Test
	void pluginManagementCountsToo() throws Exception {
		MavenProject p = project();
		PluginManagement pm = new PluginManagement();
		pm.addPlugin(compiler("<release>17</release>"));
		p.getBuild().setPluginManagement(pm);
		assertEquals(17, JavaRelease.of(p).release());
		assertFalse(JavaRelease.of(p).tooOld());
	}

	@Test
	void anUnresolvedValueIsNoSetting() throws Exception {
		MavenProject p = project();
		p.getBuild().addPlugin(compiler("<release>${jdk.level}</release>"));
		p.getProperties().setProperty("maven.compiler.release", "17");
		assertEquals(17, JavaRelease.of(p).release());
	}
}
