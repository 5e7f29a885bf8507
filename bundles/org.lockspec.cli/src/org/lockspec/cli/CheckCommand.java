package org.lockspec.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import org.lockspec.workspace.Problem;
import org.lockspec.workspace.SpecFiles;
import org.lockspec.workspace.SpecSet;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lockspec check FILE|DIR...}: parse, link and validate. */
@Command(name = "check", mixinStandardHelpOptions = true,
		description = "Parse, link and validate every .lockspec file found. Files in the same directory as a "
				+ "named file, and in --import-path, are loaded too, so that imports resolve.")
final class CheckCommand implements Callable<Integer> {

	enum Format {
		text, json
	}

	@Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "spec files, or directories searched for *.lockspec")
	List<Path> inputs = new ArrayList<>();

	@Option(names = "--format", defaultValue = "text", description = "text (default) or json (a versioned document)")
	Format format;

	@Option(names = { "-I", "--import-path" }, paramLabel = "DIR",
			description = "directories whose specs may be imported (not reported)")
	List<Path> importPath = new ArrayList<>();

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		SpecSet set;
		try {
			List<Path> files = SpecFiles.collect(inputs);
			set = SpecSet.load(files, context(files, importPath));
		} catch (SpecFiles.MissingInputException e) {
			spec.commandLine().getErr().println("lockspec: " + e.getMessage());
			return Main.USAGE;
		}
		List<SpecSet.FileResult> results = set.results();
		if (format == Format.json) {
			spec.commandLine().getOut().println(Reports.checkJson(results));
		} else {
			Reports.checkText(results, spec.commandLine().getOut());
		}
		return set.hasUnreadable() ? Main.USAGE : set.hasErrors() ? Main.FINDINGS : Main.OK;
	}

	/** Other specs that imports may name: the named files' directories and --import-path. */
	static List<Path> context(List<Path> files, List<Path> importPath) {
		if (!anyImports(files)) {
			return List.of(); // nothing to resolve: do not load the neighbours
		}
		Set<Path> dirs = new LinkedHashSet<>();
		for (Path f : files) {
			Path dir = f.toAbsolutePath().getParent();
			if (dir != null) {
				dirs.add(dir);
			}
		}
		dirs.addAll(importPath);
		List<Path> context = new ArrayList<>();
		for (Path dir : dirs) {
			try (var s = java.nio.file.Files.list(dir)) {
				s.filter(p -> p.toString().endsWith(SpecFiles.EXTENSION)).sorted().forEach(context::add);
			} catch (java.io.IOException | RuntimeException e) {
				// an unreadable directory adds nothing to resolve imports against
			}
		}
		return context;
	}

	private static final java.util.regex.Pattern IMPORT = java.util.regex.Pattern.compile("(?m)^\\s*import\\s");

	private static boolean anyImports(List<Path> files) {
		for (Path f : files) {
			try {
				if (IMPORT.matcher(java.nio.file.Files.readString(f)).find()) {
					return true;
				}
			} catch (java.io.IOException | RuntimeException e) {
				return true; // unreadable here: let the loader report it, with its neighbours as usual
			}
		}
		return false;
	}

	static int errors(List<SpecSet.FileResult> results, Problem.Severity severity) {
		int n = 0;
		for (SpecSet.FileResult r : results) {
			n += (int) r.problems().stream().filter(p -> p.severity() == severity).count();
		}
		return n;
	}
}
