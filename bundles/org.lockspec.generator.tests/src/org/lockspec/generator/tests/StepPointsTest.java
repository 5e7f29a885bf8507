package org.lockspec.generator.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.xtext.EcoreUtil2;
import org.junit.jupiter.api.Test;
import org.lockspec.analysis.Sites;
import org.lockspec.analysis.semantics.Lowering;
import org.lockspec.analysis.semantics.OpGraph;
import org.lockspec.generator.JavaGenerator;
import org.lockspec.model.Operation;
import org.lockspec.tests.Examples;

/**
 * A replay lines up with the scenario engine only if the generated Java steps
 * where the engine steps. The engine steps at the nodes of the ops' graphs
 * ({@link Lowering}); so every node that can be reached is one
 * {@code Kernel.step} point of the Java at its statement's line, and the Java
 * has no other.
 */
class StepPointsTest {

	private static final Pattern STEP = Pattern.compile("Kernel\\.step(?:ToWrite)?\\((\\d+)");

	@Test
	void theJavaStepsAtEveryReachableStepOfTheGraphs() throws Exception {
		List<Path> files = new ArrayList<>(Examples.all());
		files.add(Examples.root().resolve("bundles/org.lockspec.generator.tests/specs/constructs.lockspec"));
		assertFalse(files.isEmpty());
		for (Path file : files) {
			List<JavaGenerator.Proved> specs = Generated.load(List.of(file));
			JavaGenerator.Output out = Generated.generate(specs, Examples.root());
			Map<Integer, Integer> java = new TreeMap<>();
			for (JavaGenerator.GeneratedFile f : out.main()) {
				for (Matcher m = STEP.matcher(f.content()); m.find();) {
					java.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
				}
			}
			Lowering lowering = new Lowering();
			Map<Integer, Integer> graph = new TreeMap<>();
			for (Operation op : EcoreUtil2.typeSelect(specs.get(0).spec().getMembers(), Operation.class)) {
				for (OpGraph.Node n : reachable(lowering.graph(op))) {
					graph.merge(Sites.line(n.step().at()), 1, Integer::sum);
				}
			}
			assertFalse(graph.isEmpty(), () -> file + " has no step");
			assertEquals(graph, java, () -> file + ": step points by line, the graphs' then the Java's");
		}
	}

	private static List<OpGraph.Node> reachable(OpGraph g) {
		List<OpGraph.Node> out = new ArrayList<>();
		Set<Integer> seen = new HashSet<>();
		Deque<Integer> work = new ArrayDeque<>(List.of(g.start()));
		while (!work.isEmpty()) {
			int id = work.pop();
			if (id == OpGraph.EXIT || !seen.add(id)) {
				continue;
			}
			OpGraph.Node n = g.node(id);
			out.add(n);
			work.push(n.next());
			work.push(n.alt());
			n.branches().forEach(work::push);
		}
		return out;
	}
}
