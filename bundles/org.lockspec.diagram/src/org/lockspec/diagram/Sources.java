package org.lockspec.diagram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.emf.ecore.EObject;
import org.lockspec.diagram.model.DiagramFactory;
import org.lockspec.diagram.model.SourceRef;
import org.lockspec.verdict.Location;

/**
 * Source positions for diagrams: files relative to a base directory (so
 * diagrams and reports carry no absolute paths), with the cited line's text.
 */
public final class Sources {

	private final Path base;
	private final Map<String, List<String>> lines = new HashMap<>();
	private final Map<String, String> relative = new HashMap<>();

	public Sources(Path base) {
		this.base = base;
	}

	public Path base() {
		return base;
	}

	public SourceRef ref(EObject e) {
		return e == null ? null : ref(Location.of(e));
	}

	public SourceRef ref(Location at) {
		if (at == null) {
			return null;
		}
		SourceRef r = DiagramFactory.eINSTANCE.createSourceRef();
		r.setFile(relative(at.file()));
		r.setLine(at.line());
		r.setColumn(at.column());
		String text = line(at.file(), at.line());
		r.setText(text == null ? null : text.strip());
		return r;
	}

	/** A key that identifies a position whatever the base: file:line:column. */
	public String key(Location at) {
		return relative(at.file()) + ":" + at.line() + ":" + at.column();
	}

	/** {@code file} relative to the base where it lies below it. */
	public String relative(String file) {
		return relative.computeIfAbsent(file, f -> Location.relative(f, base));
	}

	public static String key(SourceRef r) {
		return r == null ? "" : r.getFile() + ":" + r.getLine() + ":" + r.getColumn();
	}

	/** Line {@code n} (1-based) of {@code file}, or null if it cannot be read. */
	public String line(String file, int n) {
		List<String> l = lines(file);
		return l == null || n < 1 || n > l.size() ? null : l.get(n - 1);
	}

	/** The lines of {@code file}, or null if it cannot be read as UTF-8 text. */
	public List<String> lines(String file) {
		return lines.computeIfAbsent(file, f -> {
			try {
				Path p = Path.of(f);
				if (!p.isAbsolute() && base != null) {
					p = base.resolve(p);
				}
				return Files.readAllLines(p, StandardCharsets.UTF_8);
			} catch (IOException | RuntimeException ex) {
				return null;
			}
		});
	}
}
