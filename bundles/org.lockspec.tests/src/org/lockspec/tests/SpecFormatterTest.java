package org.lockspec.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.util.ParseHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lockspec.formatting.SpecFormatter;
import org.lockspec.model.Spec;
import org.lockspec.workspace.TextChange;

import com.google.inject.Inject;

/**
 * The formatter: a badly laid out spec becomes the golden
 * {@code formatting/formatted.lockspec} ({@code -Dlockspec.golden.update=true}
 * rewrites it; review the diff), formatting twice changes nothing more, and
 * every spec of the project is laid out already.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(LockspecInjectorProvider.class)
class SpecFormatterTest {

	@Inject
	private ParseHelper<Spec> parser;

	static Path dir() {
		return Examples.root().resolve("bundles/org.lockspec.tests/formatting");
	}

	private String format(String text) throws Exception {
		return TextChange.apply(text, changes(text));
	}

	private List<TextChange> changes(String text) throws Exception {
		XtextResource resource = (XtextResource) parser.parse(text).eResource();
		return SpecFormatter.changes(resource.getParseResult().getRootNode());
	}

	@Test
	void aBadlyLaidOutSpecBecomesTheGolden() throws Exception {
		String formatted = format(Files.readString(dir().resolve("messy.lockspec")));
		Path golden = dir().resolve("formatted.lockspec");
		if (Boolean.getBoolean("lockspec.golden.update")) {
			Files.writeString(golden, formatted);
		}
		assertEquals(Files.readString(golden), formatted);
	}

	@Test
	void formattingTwiceChangesNothingMore() throws Exception {
		String once = format(Files.readString(dir().resolve("messy.lockspec")));
		assertEquals(List.of(), changes(once));
	}

	@Test
	void everySpecOfTheProjectIsLaidOutAlready() throws Exception {
		List<Path> specs = new ArrayList<>(Examples.all());
		try (Stream<Path> s = Files.list(Examples.root().resolve("bundles/org.lockspec.prover.tests/selftests"))) {
			s.filter(p -> p.toString().endsWith(".lockspec")).sorted().forEach(specs::add);
		}
		assertTrue(specs.size() > 50, "specs found: " + specs.size());
		List<String> changed = new ArrayList<>();
		for (Path p : specs) {
			List<TextChange> cs = changes(Files.readString(p));
			if (!cs.isEmpty()) {
				changed.add(p + ": " + cs);
			}
		}
		assertEquals(List.of(), changed);
	}

	@Test
	void aMissingNewlineIsAddedAndBlankLinesAtTheEndsGo() throws Exception {
		assertEquals("spec t\n", format("spec t"));
		assertEquals("spec t\n", format("\n\nspec t  \n\n\n"));
	}
}
