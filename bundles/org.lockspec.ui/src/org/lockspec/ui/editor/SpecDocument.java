package org.lockspec.ui.editor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

import org.eclipse.jface.text.IDocument;
import org.eclipse.xtext.ide.editor.syntaxcoloring.ISemanticHighlightingCalculator;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.CancelIndicator;
import org.lockspec.ui.LockspecUi;
import org.lockspec.ui.Specs;
import org.lockspec.workspace.SpecSet;

/**
 * The language's view of one open spec document: the text last loaded, its
 * {@link SpecSet.FileResult} (resource and diagnostics, loaded by the same
 * service as the CLI), and the semantic highlighting computed from it. Every
 * editor service (content assist, hover, hyperlinks, outline, highlighting,
 * annotations) reads the resource through {@link #read}, which reloads it when
 * the text changed; readers are serialised, so lazy linking never races.
 */
public final class SpecDocument {

	/** A highlighted range and the highlighting styles of {@code LockspecHighlighting}. */
	public record Styled(int offset, int length, String[] styles) {
	}

	/** What one load of the text gave. */
	public record Snapshot(String text, SpecSet.FileResult result, List<Styled> highlighting) {
		public XtextResource resource() {
			return result.resource() instanceof XtextResource r ? r : null;
		}
	}

	private static final Map<IDocument, SpecDocument> DOCUMENTS = Collections.synchronizedMap(new WeakHashMap<>());

	private final IDocument document;
	private final Path path;
	private Snapshot snapshot;
	private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();

	private SpecDocument(IDocument document, Path path) {
		this.document = document;
		this.path = path;
	}

	/** The spec behind a document of a spec file on disk, or null for any other document. */
	public static SpecDocument of(IDocument document) {
		if (document == null) {
			return null;
		}
		synchronized (DOCUMENTS) {
			SpecDocument d = DOCUMENTS.get(document);
			if (d == null) {
				Path path = Specs.pathOf(document);
				if (path == null) {
					return null;
				}
				d = new SpecDocument(document, path);
				DOCUMENTS.put(document, d);
			}
			return d;
		}
	}

	public Path path() {
		return path;
	}

	public IDocument document() {
		return document;
	}

	/** Called with every new snapshot (on the thread that loaded it). */
	public void addListener(Consumer<Snapshot> l) {
		listeners.add(l);
	}

	public void removeListener(Consumer<Snapshot> l) {
		listeners.remove(l);
	}

	/** The last snapshot, whatever text it was made from (null before the first load). */
	public synchronized Snapshot last() {
		return snapshot;
	}

	/** The snapshot of the document's current text, loading it if the text changed. */
	public Snapshot current() {
		return current(document.get());
	}

	private Snapshot current(String text) {
		Snapshot s;
		boolean fresh = false;
		synchronized (this) {
			s = snapshot;
			if (s == null || !s.text().equals(text)) {
				s = load(text);
				snapshot = s;
				fresh = true;
			}
		}
		if (fresh) {
			for (Consumer<Snapshot> l : listeners) {
				l.accept(s);
			}
		}
		return s;
	}

	/** Runs {@code reader} on the resource of the current text (null if it could not be read). */
	public <T> T read(Function<Snapshot, T> reader) {
		Snapshot s = current();
		synchronized (this) {
			return reader.apply(s);
		}
	}

	private Snapshot load(String text) {
		SpecSet.FileResult result;
		try {
			result = Specs.load(path, text);
		} catch (RuntimeException | StackOverflowError e) {
			LockspecUi.log("loading " + path + " failed", e);
			result = new SpecSet.FileResult(path, path.toString(), null, List.of(), true, 0);
		}
		List<Styled> styled = new ArrayList<>();
		if (result.resource() instanceof XtextResource r) {
			try {
				ISemanticHighlightingCalculator calc = LockspecUi.injector()
						.getInstance(ISemanticHighlightingCalculator.class);
				SpecSet.onBigStack(() -> {
					calc.provideHighlightingFor(r, (offset, length, ids) -> styled.add(new Styled(offset, length, ids)),
							CancelIndicator.NullImpl);
					return null;
				});
			} catch (RuntimeException | StackOverflowError e) {
				styled.clear();
			}
		}
		return new Snapshot(text, result, List.copyOf(styled));
	}
}
