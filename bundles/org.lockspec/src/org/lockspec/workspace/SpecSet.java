package org.lockspec.workspace;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.emf.ecore.util.EcoreUtil;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.Issue;
import org.lockspec.LockspecStandaloneSetup;
import org.lockspec.model.Spec;

import com.google.inject.Injector;

/**
 * A set of spec files loaded together, so that imports between them link, and
 * validated. The one loading service of every front door (CLI, Maven plugin,
 * tests). Never throws on user input: what cannot be read or parsed becomes a
 * {@link Problem} with a position.
 */
public final class SpecSet {

	/** Code of a file that is not UTF-8 text (binary garbage, another encoding). */
	public static final String NOT_TEXT = "org.lockspec.not_text";
	/** Code of a file that could not be read from disk. */
	public static final String UNREADABLE = "org.lockspec.unreadable";
	/** Code of a file nested so deeply that the parser gave up. */
	public static final String TOO_DEEP = "org.lockspec.too_deep";
	/** Code of a failure of Lockspec itself while checking a file. */
	public static final String INTERNAL = "org.lockspec.internal_error";
	/** Problems kept per file; the rest are counted. */
	public static final int MAX_PROBLEMS_PER_FILE = 1000;

	private static final long PARSER_STACK_BYTES = 1L << 30;
	private static volatile Injector injector;

	/** What loading one file gave. */
	public record FileResult(Path path, String displayPath, Resource resource, List<Problem> problems,
			boolean unreadable, int omitted) {

		public boolean hasErrors() {
			return problems.stream().anyMatch(p -> p.severity() == Problem.Severity.ERROR);
		}

		public Spec spec() {
			return resource != null && !resource.getContents().isEmpty()
					&& resource.getContents().get(0) instanceof Spec s ? s : null;
		}
	}

	private final XtextResourceSet resourceSet;
	private final Map<Path, String> texts;
	private final Map<Path, FileResult> results = new LinkedHashMap<>();

	private SpecSet(XtextResourceSet resourceSet, Map<Path, String> texts) {
		this.resourceSet = resourceSet;
		this.texts = texts;
	}

	/** The language's injector, created once per process. */
	public static Injector injector() {
		Injector i = injector;
		if (i == null) {
			synchronized (SpecSet.class) {
				i = injector;
				if (i == null) {
					i = new LockspecStandaloneSetup().createInjectorAndDoEMFRegistration();
					injector = i;
				}
			}
		}
		return i;
	}

	/**
	 * Loads and validates {@code files}; {@code context} files are loaded too, so
	 * that imports resolve, but not reported. Runs on a thread with a large stack,
	 * so that deeply nested input gives a diagnostic instead of a crash.
	 */
	public static SpecSet load(List<Path> files, List<Path> context) {
		return load(files, context, Map.of(), injector());
	}

	/**
	 * Like {@link #load(List, List)}, for a front door that holds unsaved text and
	 * has its own injector (the language server): {@code texts} gives the contents
	 * of files an editor holds (read from disk if absent), and {@code languageInjector}
	 * is the injector of the language as that front door registered it.
	 */
	public static SpecSet load(List<Path> files, List<Path> context, Map<Path, String> texts,
			Injector languageInjector) {
		Map<Path, String> normalized = new LinkedHashMap<>();
		texts.forEach((path, text) -> normalized.put(path.toAbsolutePath().normalize(), text));
		return onBigStack(() -> loadHere(files, context, normalized, languageInjector));
	}

	/**
	 * Runs {@code work} on a thread with a large stack (1 GiB reserved, used only
	 * as needed), so that deeply nested input gives a diagnostic instead of a
	 * crash; exceptions and errors are rethrown to the caller.
	 */
	public static <T> T onBigStack(java.util.function.Supplier<T> work) {
		AtomicReference<T> result = new AtomicReference<>();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		Thread worker = new Thread(null, () -> {
			try {
				result.set(work.get());
			} catch (Throwable t) {
				failure.set(t);
			}
		}, "lockspec-worker", PARSER_STACK_BYTES);
		worker.start();
		try {
			worker.join();
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", e);
		}
		if (failure.get() instanceof RuntimeException re) {
			throw re;
		}
		if (failure.get() instanceof Error err) {
			throw err;
		}
		return result.get();
	}

	private static SpecSet loadHere(List<Path> files, List<Path> context, Map<Path, String> texts,
			Injector languageInjector) {
		SpecSet set = new SpecSet(languageInjector.getInstance(XtextResourceSet.class), texts);
		set.resourceSet.addLoadOption(XtextResource.OPTION_RESOLVE_ALL, Boolean.FALSE);
		List<Path> reported = files.stream().map(p -> p.toAbsolutePath().normalize()).toList();
		Map<Path, String> display = new LinkedHashMap<>();
		for (Path p : files) {
			display.putIfAbsent(p.toAbsolutePath().normalize(), p.toString());
		}
		for (Path p : reported) {
			set.results.put(p, set.read(p, display.get(p)));
		}
		for (Path p : context) {
			Path abs = p.toAbsolutePath().normalize();
			if (!set.results.containsKey(abs)) {
				FileResult r = set.read(abs, p.toString());
				if (r.resource() == null) {
					continue; // context files that cannot be read are not the user's question
				}
			}
		}
		for (Map.Entry<Path, FileResult> e : set.results.entrySet()) {
			FileResult r = e.getValue();
			if (r.resource() != null) {
				e.setValue(set.validate(r));
			}
		}
		return set;
	}

	private static final java.util.regex.Pattern LONE_CR = java.util.regex.Pattern.compile("\r(?!\n)");

	private FileResult read(Path path, String shown) {
		String text = texts.get(path.toAbsolutePath().normalize());
		if (text == null) {
			byte[] bytes;
			try {
				bytes = Files.readAllBytes(path);
			} catch (IOException | OutOfMemoryError e) {
				return unreadable(path, shown, UNREADABLE, "cannot read this file: " + describe(e));
			}
			text = utf8(bytes);
			if (text == null) {
				int bad = firstMalformedByte(bytes);
				String valid = new String(bytes, 0, bad, StandardCharsets.UTF_8);
				int[] pos = position(valid, valid.length());
				return new FileResult(path, shown, null, List.of(new Problem(shown, pos[0], pos[1], Problem.Severity.ERROR,
						NOT_TEXT, "this is not a UTF-8 text file (byte 0x" + String.format("%02x", bytes[bad] & 0xff)
								+ " here is no UTF-8); a spec must be text")), true, 0);
			}
		}
		// a lone CR ends a line, as in old Mac files; Xtext counts it so but fails on some (positions at the end
		// of a CR-only file), so it is read as the LF it stands for: every line and column stays where it was
		text = LONE_CR.matcher(text).replaceAll("\n");
		int nul = text.indexOf('\0');
		if (nul >= 0) {
			int[] pos = position(text, nul);
			return new FileResult(path, shown, null, List.of(new Problem(shown, pos[0], pos[1],
					Problem.Severity.ERROR, NOT_TEXT, "this is not a text file (a NUL byte)")), true, 0);
		}
		URI uri = URI.createFileURI(path.toString());
		Resource resource = resourceSet.createResource(uri);
		try {
			resource.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
					Map.of(XtextResource.OPTION_ENCODING, "UTF-8"));
		} catch (StackOverflowError e) {
			resourceSet.getResources().remove(resource);
			return unreadable(path, shown, TOO_DEEP, "this file nests expressions or blocks too deeply to be read");
		} catch (IOException | RuntimeException e) {
			resourceSet.getResources().remove(resource);
			return unreadable(path, shown, INTERNAL, "Lockspec failed while parsing this file: " + describe(e));
		}
		return new FileResult(path, shown, resource, List.of(), false, 0);
	}

	private FileResult validate(FileResult r) {
		List<Problem> problems = new ArrayList<>();
		try {
			EcoreUtil.resolveAll(r.resource());
			List<Issue> issues = ((XtextResource) r.resource()).getResourceServiceProvider().getResourceValidator()
					.validate(r.resource(), CheckMode.ALL, CancelIndicator.NullImpl);
			for (Issue issue : issues) {
				problems.add(new Problem(r.displayPath(), issue.getLineNumber() == null ? 1 : issue.getLineNumber(),
						issue.getColumn() == null ? 1 : issue.getColumn(), severity(issue), issue.getCode(),
						issue.getMessage()));
			}
		} catch (StackOverflowError e) {
			problems.add(new Problem(r.displayPath(), 1, 1, Problem.Severity.ERROR, TOO_DEEP,
					"this file nests expressions or blocks too deeply to be checked"));
		} catch (RuntimeException e) {
			problems.add(new Problem(r.displayPath(), 1, 1, Problem.Severity.ERROR, INTERNAL,
					"Lockspec failed while checking this file: " + describe(e)));
		}
		Collections.sort(problems);
		int omitted = Math.max(0, problems.size() - MAX_PROBLEMS_PER_FILE);
		List<Problem> kept = omitted == 0 ? problems : new ArrayList<>(problems.subList(0, MAX_PROBLEMS_PER_FILE));
		return new FileResult(r.path(), r.displayPath(), r.resource(), List.copyOf(kept), false, omitted);
	}

	private static Problem.Severity severity(Issue issue) {
		return switch (issue.getSeverity()) {
		case ERROR -> Problem.Severity.ERROR;
		case WARNING -> Problem.Severity.WARNING;
		default -> Problem.Severity.INFO;
		};
	}

	/** The bytes as UTF-8 text, or null if they are not. */
	private static String utf8(byte[] bytes) {
		try {
			return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
					.onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
		} catch (CharacterCodingException e) {
			return null;
		}
	}

	/** Where the first byte that is not UTF-8 is. */
	private static int firstMalformedByte(byte[] bytes) {
		ByteBuffer in = ByteBuffer.wrap(bytes);
		java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
		StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT).decode(in, out, true);
		return Math.min(in.position(), bytes.length - 1);
	}

	private static FileResult unreadable(Path path, String shown, String code, String message) {
		return new FileResult(path, shown, null, List.of(new Problem(shown, 1, 1, Problem.Severity.ERROR, code, message)),
				true, 0);
	}

	private static String describe(Throwable t) {
		String m = t.getMessage();
		return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
	}

	private static int[] position(String text, int offset) {
		int line = 1;
		int col = 1;
		for (int i = 0; i < offset; i++) {
			char c = text.charAt(i);
			// a line ends at \n, \r\n or a lone \r, as the parser counts lines
			if (c == '\n' || c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n')) {
				line++;
				col = 1;
			} else if (c != '\r') {
				col++;
			}
		}
		return new int[] { line, col };
	}

	/** The results of the files that were asked for, in the order asked. */
	public List<FileResult> results() {
		return List.copyOf(results.values());
	}

	public XtextResourceSet resourceSet() {
		return resourceSet;
	}

	public boolean hasErrors() {
		return results.values().stream().anyMatch(FileResult::hasErrors);
	}

	public boolean hasUnreadable() {
		return results.values().stream().anyMatch(FileResult::unreadable);
	}
}
