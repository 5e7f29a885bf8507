package org.lockspec.diagram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockspec.diagram.Diagrams;
import org.lockspec.diagram.HtmlReport;
import org.lockspec.diagram.model.LockClass;
import org.lockspec.diagram.model.LockGraph;
import org.w3c.dom.Document;

/**
 * A lock graph above the drawing limits is reduced: every class on a cycle,
 * the verdict's cycle in red, and the longest chain, with a summary of the whole.
 */
class LargeGraphTest {

	@Test
	void reducedToCyclesAndTheLongestChain(@TempDir Path dir) throws Exception {
		// c0 -> c1 -> ... -> c59, and c10 -> c5 closes a cycle through c5..c10
		StringBuilder sb = new StringBuilder("spec t.large\n");
		for (int i = 0; i < 60; i++) {
			sb.append("lock c").append(i).append(" : mutex\n");
		}
		for (int i = 0; i < 59; i++) {
			sb.append("op o").append(i).append("() in process { lock c").append(i).append("  lock c").append(i + 1)
					.append("  unlock c").append(i + 1).append("  unlock c").append(i).append(" }\n");
		}
		sb.append("op back() in process { lock c10  lock c5  unlock c5  unlock c10 }\nexpect deadlock\n");
		Path f = Files.writeString(dir.resolve("large.lockspec"), sb.toString());
		HtmlReport.Entry e = Seeds.proved(f);
		LockGraph g = Diagrams.lockGraph(e.spec(), e.result().verdicts(), null,
				Diagrams.Options.defaults().withBase(dir).withLimits(20, 40));
		assertTrue(g.isReduced());
		assertEquals(60, g.getTotalClasses());
		assertEquals(60, g.getTotalDependencies());
		assertTrue(g.getClasses().size() <= 20, () -> "drawn " + g.getClasses().size());
		Set<String> drawn = g.getClasses().stream().map(LockClass::getId).collect(Collectors.toSet());
		for (int i = 5; i <= 10; i++) {
			assertTrue(drawn.contains("c" + i), "every class on the cycle is drawn: c" + i);
		}
		assertTrue(g.getClasses().stream().filter(c -> c.getComponent() >= 0).count() == 6, "one component of six classes");
		assertEquals(1, g.getCycles().size(), "the verdict's cycle");
		assertTrue(g.getCycles().get(0).getClasses().stream().allMatch(c -> drawn.contains(c.getId())));
		assertTrue(drawn.containsAll(List.of("c11", "c12", "c13")), "the longest chain leaves the cycle through c11: " + drawn);
		assertTrue(g.getNotes().get(0).startsWith("60 lock classes and 60 dependencies: too many to draw whole"), g.getNotes().get(0));
		assertTrue(g.getNotes().get(1).contains("6 classes on cycles in 1 strongly connected components"), g.getNotes().get(1));
		assertTrue(g.getNotes().get(1).contains("the longest chain of dependencies, 50 classes"), g.getNotes().get(1));
		Document svg = Svgs.parse(Diagrams.svg(g));
		assertEquals(g.getClasses().size(), Svgs.groups(svg, "node", "lock-class").size());
		assertEquals(g.getDependencies().size(), Svgs.groups(svg, "edge", "dependency").size());
		assertTrue(Svgs.groups(svg, "edge", "in-cycle").size() >= 2);
	}
}
