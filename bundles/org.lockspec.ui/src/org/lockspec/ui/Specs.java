package org.lockspec.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.core.filebuffers.FileBuffers;
import org.eclipse.core.filebuffers.ITextFileBuffer;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.IPath;
import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.lockspec.workspace.SpecFiles;
import org.lockspec.workspace.SpecSet;

/** Where specs live and how they are loaded: the same {@link SpecSet} service as the CLI and the language server. */
public final class Specs {

	private Specs() {
	}

	public static boolean isSpec(IFile file) {
		return file != null && file.getName().endsWith(SpecFiles.EXTENSION);
	}

	/** The file system path of a file buffer's document, or null if it is not a spec on disk. */
	public static Path pathOf(IDocument document) {
		ITextFileBuffer buffer = FileBuffers.getTextFileBufferManager().getTextFileBuffer(document);
		if (buffer == null) {
			return null;
		}
		IPath location = buffer.getLocation();
		if (location == null || !location.toString().endsWith(SpecFiles.EXTENSION)) {
			return null;
		}
		IFile file = fileOf(location);
		if (file != null && file.getLocation() != null) {
			return file.getLocation().toPath().toAbsolutePath().normalize();
		}
		IPath fs = buffer.getFileStore() == null ? null : IPath.fromOSString(buffer.getFileStore().toURI().getPath());
		return fs == null ? null : fs.toPath().toAbsolutePath().normalize();
	}

	/** The workspace file at a buffer location (a workspace path), or null. */
	public static IFile fileOf(IPath location) {
		if (location == null || location.segmentCount() < 2) {
			return null;
		}
		try {
			IFile f = ResourcesPlugin.getWorkspace().getRoot().getFile(location);
			return f.exists() ? f : null;
		} catch (IllegalArgumentException e) {
			return null;
		}
	}

	/** The workspace file of a spec on disk, or null. */
	public static IFile fileAt(Path path) {
		IFile[] files = ResourcesPlugin.getWorkspace().getRoot().findFilesForLocationURI(path.toUri());
		for (IFile f : files) {
			if (f.exists()) {
				return f;
			}
		}
		return null;
	}

	/**
	 * Loads and validates one spec with the given text; the specs beside it are
	 * loaded too when it imports (as {@code lockspec check FILE} does).
	 */
	public static SpecSet.FileResult load(Path path, String text) {
		List<Path> context = text.contains("import") ? siblings(path) : List.of();
		SpecSet set = SpecSet.load(List.of(path), context, Map.of(path, text), LockspecUi.injector());
		return set.results().get(0);
	}

	public static List<Path> siblings(Path path) {
		Path dir = path.getParent();
		if (dir == null) {
			return List.of();
		}
		try (var s = Files.list(dir)) {
			return s.filter(p -> p.toString().endsWith(SpecFiles.EXTENSION) && !p.equals(path)).sorted().toList();
		} catch (IOException | RuntimeException e) {
			return List.of();
		}
	}

	/** The 0-based offset of a 1-based line and column in {@code document}, clamped to the document. */
	public static int offset(IDocument document, int line, int column) {
		try {
			int l = Math.max(0, Math.min(line - 1, document.getNumberOfLines() - 1));
			int start = document.getLineOffset(l);
			int len = document.getLineLength(l);
			return start + Math.max(0, Math.min(column - 1, len));
		} catch (BadLocationException e) {
			return 0;
		}
	}

	/** The 0-based offset of a 1-based line and column in {@code text}. */
	public static int offset(String text, int line, int column) {
		int l = 1;
		int i = 0;
		while (l < line && i < text.length()) {
			if (text.charAt(i++) == '\n') {
				l++;
			}
		}
		int end = text.indexOf('\n', i);
		if (end < 0) {
			end = text.length();
		}
		return Math.min(end, i + Math.max(0, column - 1));
	}

	/** The length of the token at {@code offset}: a name or number, else one character (zero at the end). */
	public static int tokenLength(String text, int offset) {
		int i = offset;
		while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
			i++;
		}
		if (i == offset) {
			return offset < text.length() && text.charAt(offset) != '\n' ? 1 : 0;
		}
		return i - offset;
	}
}
