package org.lockspec.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lockspec.model.Expectation;
import org.lockspec.model.Scenario;
import org.lockspec.model.Spec;
import org.lockspec.workspace.Problem;
import org.lockspec.workspace.SpecSet;

/**
 * Golden test over {@code spec-examples/}: every example parses, links and
 * validates without a diagnostic, and states what the prover must find.
 */
class ExamplesTest {

	static Stream<Path> examples() {
		return Examples.all().stream();
	}

	@Test
	void examplesExist() {
		List<Path> all = Examples.all();
		assertTrue(all.size() >= 10, "expected the five seeds, buggy and fixed, found " + all);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("examples")
	void validatesClean(Path file) {
		SpecSet set = SpecSet.load(List.of(file), Examples.all());
		SpecSet.FileResult r = set.results().get(0);
		assertFalse(r.unreadable(), () -> file + " is unreadable");
		assertEquals("", r.problems().stream().map(Problem::format).collect(Collectors.joining("\n")),
				() -> file + " has diagnostics");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("examples")
	void statesExpectations(Path file) {
		SpecSet set = SpecSet.load(List.of(file), Examples.all());
		Spec spec = set.results().get(0).spec();
		assertNotNull(spec);
		long expects = spec.eAllContents().hasNext()
				? org.eclipse.xtext.EcoreUtil2.getAllContentsOfType(spec, Expectation.class).size()
				: 0;
		boolean library = org.eclipse.xtext.EcoreUtil2.typeSelect(spec.getMembers(), Scenario.class).isEmpty()
				&& org.eclipse.xtext.EcoreUtil2.typeSelect(spec.getMembers(), org.lockspec.model.Operation.class).isEmpty();
		assertTrue(library || expects > 0, () -> file + " states no 'expect': its verdict cannot be checked");
	}
}
