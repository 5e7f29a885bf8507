package org.lockspec.ui.build;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.core.filebuffers.FileBuffers;
import org.eclipse.core.filebuffers.ITextFileBuffer;
import org.eclipse.core.filebuffers.ITextFileBufferManager;
import org.eclipse.core.filebuffers.LocationKind;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.ui.IMarkerResolution;
import org.eclipse.ui.IMarkerResolutionGenerator2;
import org.lockspec.ui.LockspecUi;
import org.lockspec.validation.IssueCodes;
import org.lockspec.validation.LockspecLinkingDiagnostics;

/**
 * Quick fixes (Ctrl+1 in the editor, or from the Problems view) for the
 * common mistakes, found by the validator's issue codes:
 * <ul>
 * <li>{@link IssueCodes#MODE_NOT_SUPPORTED}: remove the mode a mutex or spinlock does not have;</li>
 * <li>{@link IssueCodes#MODE_MISSING}: take the rwsem's or rwlock's {@code read} or {@code write} side;</li>
 * <li>an unknown lock at {@code lock}/{@code unlock}/{@code with}: declare it ({@code lock x : mutex}, or a spinlock);</li>
 * <li>{@link IssueCodes#UNLOCK_NOT_TAKEN}: say the op {@code releases} the lock, or drop the unlock;</li>
 * <li>{@link IssueCodes#IRQSAVE_ON_SLEEPING_LOCK}: drop {@code irqsave};</li>
 * <li>the prover's lock hygiene finding "a lock is still held when the op
 * returns": unlock it at the end of the op, or declare {@code acquires}.</li>
 * </ul>
 */
public class QuickFixes implements IMarkerResolutionGenerator2 {

	/** The prover's lock hygiene obligation (a lock left held, a stray unlock, a double lock). */
	private static final String HYGIENE = "lock_hygiene";
	private static final Pattern STILL_HELD = Pattern
			.compile("'([A-Za-z_][A-Za-z0-9_.]*)' \\(taken at line \\d+\\) is still held when (\\w+) returns");
	private static final Pattern LOCKING_LINE = Pattern.compile("^\\s*(?:if\\s+)?(?:lock|unlock|with|trylock)\\b");

	@Override
	public boolean hasResolutions(IMarker marker) {
		return getResolutions(marker).length > 0;
	}

	@Override
	public IMarkerResolution[] getResolutions(IMarker marker) {
		String code = marker.getAttribute(Markers.CODE, "");
		List<IMarkerResolution> out = new ArrayList<>();
		if (IssueCodes.MODE_NOT_SUPPORTED.equals(code)) {
			out.add(new Fix("Remove the mode (this kind of lock has no read or write side)", marker, (doc, start, end) -> {
				int from = start;
				while (from > 0 && doc.getChar(from - 1) == ' ') {
					from--;
				}
				doc.replace(from, end - from, "");
			}));
		} else if (IssueCodes.MODE_MISSING.equals(code)) {
			for (String mode : new String[] { "read", "write" }) {
				out.add(new Fix("Take the lock's " + mode + " side ('" + mode + "')", marker,
						(doc, start, end) -> doc.replace(pathEnd(doc, start), 0, " " + mode)));
			}
		} else if (IssueCodes.IRQSAVE_ON_SLEEPING_LOCK.equals(code)) {
			out.add(new Fix("Remove 'irqsave' (a sleeping lock cannot be taken with interrupts off)", marker,
					(doc, start, end) -> {
						int line = doc.getLineOfOffset(start);
						int ls = doc.getLineOffset(line);
						String text = doc.get(ls, doc.getLineLength(line));
						Matcher m = Pattern.compile("\\s+irqsave\\b").matcher(text);
						if (m.find()) {
							doc.replace(ls + m.start(), m.end() - m.start(), "");
						}
					}));
		} else if (IssueCodes.UNLOCK_NOT_TAKEN.equals(code)) {
			out.add(new Fix("Declare that the op releases the lock ('releases')", marker, (doc, start, end) -> {
				String lock = doc.get(start, pathEnd(doc, start) - start);
				int brace = opBodyBrace(doc, start);
				if (brace >= 0) {
					int at = brace;
					while (at > 0 && doc.getChar(at - 1) == ' ') {
						at--;
					}
					doc.replace(at, brace - at, " releases " + lock + " ");
				}
			}));
			out.add(new Fix("Remove this unlock", marker, (doc, start, end) -> {
				int line = doc.getLineOfOffset(start);
				doc.replace(doc.getLineOffset(line), doc.getLineLength(line), "");
			}));
		} else if (HYGIENE.equals(code)) {
			Matcher held = STILL_HELD.matcher(marker.getAttribute(IMarker.MESSAGE, ""));
			if (held.find()) {
				String lock = held.group(1);
				String op = held.group(2);
				out.add(new Fix("Unlock '" + lock + "' before '" + op + "' returns", marker,
						(doc, start, end) -> {
							int close = opBodyEnd(doc, op);
							if (close >= 0) {
								int line = doc.getLineOfOffset(close);
								int ls = doc.getLineOffset(line);
								String indent = doc.get(ls, close - ls).isBlank() ? doc.get(ls, close - ls) : "";
								doc.replace(ls, 0, indent + "  unlock " + lock + "\n");
							}
						}));
				out.add(new Fix("Declare that '" + op + "' returns with '" + lock + "' held ('acquires')", marker,
						(doc, start, end) -> {
							int open = opBodyStart(doc, op);
							if (open >= 0) {
								int at = open;
								while (at > 0 && doc.getChar(at - 1) == ' ') {
									at--;
								}
								doc.replace(at, open - at, " acquires " + lock + " ");
							}
						}));
			}
		} else if (LockspecLinkingDiagnostics.UNRESOLVED.equals(code)) {
			String name = unknownName(marker.getAttribute(IMarker.MESSAGE, ""));
			if (name != null && lockingLine(marker)) {
				for (String kind : new String[] { "mutex", "spinlock" }) {
					out.add(new Fix("Declare the lock: 'lock " + name + " : " + kind + "'", marker,
							(doc, start, end) -> doc.replace(declarationPoint(doc), 0, "lock " + name + " : " + kind + "\n")));
				}
			}
		}
		return out.toArray(IMarkerResolution[]::new);
	}

	private static String unknownName(String message) {
		Matcher m = Pattern.compile("^unknown [a-z ]+ '([A-Za-z_][A-Za-z0-9_]*)'$").matcher(message);
		return m.matches() ? m.group(1) : null;
	}

	private static boolean lockingLine(IMarker marker) {
		return withDocument(marker, doc -> {
			int start = marker.getAttribute(IMarker.CHAR_START, -1);
			if (start < 0 || start > doc.getLength()) {
				return false;
			}
			int line = doc.getLineOfOffset(start);
			return LOCKING_LINE.matcher(doc.get(doc.getLineOffset(line), doc.getLineLength(line))).find();
		});
	}

	/** The end of the lock path at {@code start} ({@code pf.dev_lock}). */
	static int pathEnd(IDocument doc, int start) throws BadLocationException {
		int i = start;
		while (i < doc.getLength() && (Character.isLetterOrDigit(doc.getChar(i)) || doc.getChar(i) == '_'
				|| doc.getChar(i) == '.')) {
			i++;
		}
		return i;
	}

	/** The offset of the '{' that opens the body of the op around {@code offset}, or -1. */
	static int opBodyBrace(IDocument doc, int offset) throws BadLocationException {
		String text = doc.get(0, offset);
		Matcher m = Pattern.compile("(?m)^\\s*op\\s+\\w+").matcher(text);
		int op = -1;
		while (m.find()) {
			op = m.start();
		}
		if (op < 0) {
			return -1;
		}
		return bodyOpen(doc, op, offset);
	}

	/** The first '{' outside parentheses from {@code from} (an op's header) up to {@code to}, or -1. */
	private static int bodyOpen(IDocument doc, int from, int to) throws BadLocationException {
		int depth = 0;
		for (int i = from; i < to; i++) {
			char c = doc.getChar(i);
			if (c == '(') {
				depth++;
			} else if (c == ')') {
				depth--;
			} else if (c == '{' && depth == 0) {
				return i;
			}
		}
		return -1;
	}

	/** The '{' that opens the body of op {@code name}, or -1. */
	static int opBodyStart(IDocument doc, String name) throws BadLocationException {
		Matcher m = Pattern.compile("(?m)^\\s*op\\s+" + Pattern.quote(name) + "\\s*\\(").matcher(doc.get());
		if (!m.find()) {
			return -1;
		}
		return bodyOpen(doc, m.start(), doc.getLength());
	}

	/** The '}' that closes the body of op {@code name}, or -1 (comments are not skipped: braces in them are rare). */
	static int opBodyEnd(IDocument doc, String name) throws BadLocationException {
		int open = opBodyStart(doc, name);
		if (open < 0) {
			return -1;
		}
		int depth = 0;
		for (int i = open; i < doc.getLength(); i++) {
			char c = doc.getChar(i);
			if (c == '{') {
				depth++;
			} else if (c == '}' && --depth == 0) {
				return i;
			}
		}
		return -1;
	}

	/** Where a new top-level declaration goes: after the spec line and the imports. */
	static int declarationPoint(IDocument doc) throws BadLocationException {
		int after = 0;
		for (int l = 0; l < doc.getNumberOfLines(); l++) {
			String line = doc.get(doc.getLineOffset(l), doc.getLineLength(l)).strip();
			if (line.startsWith("spec ") || line.startsWith("import ")) {
				after = l + 1;
			} else if (after > 0 && !line.isEmpty() && !line.startsWith("//")) {
				break;
			}
		}
		if (after >= doc.getNumberOfLines()) {
			doc.replace(doc.getLength(), 0, "\n");
		}
		return doc.getLineOffset(Math.min(after, doc.getNumberOfLines() - 1));
	}

	interface Edit {
		void apply(IDocument doc, int start, int end) throws BadLocationException;
	}

	interface DocFunction<T> {
		T apply(IDocument doc) throws BadLocationException;
	}

	/** Runs {@code f} on the marker's file's shared document (an open editor's, if any); saves it unless it had unsaved changes. */
	static <T> T withDocument(IMarker marker, DocFunction<T> f) {
		if (!(marker.getResource() instanceof IFile file)) {
			return null;
		}
		ITextFileBufferManager manager = FileBuffers.getTextFileBufferManager();
		try {
			manager.connect(file.getFullPath(), LocationKind.IFILE, null);
			try {
				ITextFileBuffer buffer = manager.getTextFileBuffer(file.getFullPath(), LocationKind.IFILE);
				boolean dirty = buffer.isDirty();
				T result = f.apply(buffer.getDocument());
				if (!dirty && buffer.isDirty()) {
					buffer.commit(null, true);
				}
				return result;
			} finally {
				manager.disconnect(file.getFullPath(), LocationKind.IFILE, null);
			}
		} catch (CoreException | BadLocationException e) {
			LockspecUi.log("quick fix on " + file + " failed", e);
			return null;
		}
	}

	private static final class Fix implements IMarkerResolution {
		private final String label;
		private final IMarker marker;
		private final Edit edit;

		Fix(String label, IMarker marker, Edit edit) {
			this.label = label;
			this.marker = marker;
			this.edit = edit;
		}

		@Override
		public String getLabel() {
			return label;
		}

		@Override
		public void run(IMarker m) {
			IMarker target = m != null ? m : marker;
			int start = target.getAttribute(IMarker.CHAR_START, -1);
			int end = target.getAttribute(IMarker.CHAR_END, start);
			if (start < 0) {
				return;
			}
			withDocument(target, doc -> {
				if (end <= doc.getLength()) {
					edit.apply(doc, start, end);
				}
				return null;
			});
		}
	}
}
