package org.lockspec.ui.editor;

import org.eclipse.jface.resource.ColorRegistry;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.text.TextAttribute;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.RGB;
import org.lockspec.ide.highlighting.LockspecHighlighting;

/**
 * The colours of Lockspec text, lexical and semantic: keywords, lock kinds
 * ({@code mutex}, {@code rwsem}, ...), comments and numbers; object types,
 * ops, locks and fields, parameters, values and spec names (the token types of
 * {@link LockspecHighlighting}).
 */
public final class Styles {

	public static final String LOCK_KIND = "lockKind";

	private Styles() {
	}

	private static final ColorRegistry COLORS = JFaceResources.getColorRegistry();

	static {
		put(LockspecHighlighting.KEYWORD, new RGB(127, 0, 85));
		put(LOCK_KIND, new RGB(0, 128, 128));
		put(LockspecHighlighting.COMMENT, new RGB(63, 127, 95));
		put(LockspecHighlighting.NUMBER, new RGB(0, 0, 192));
		put(LockspecHighlighting.STRING, new RGB(42, 0, 255));
		put(LockspecHighlighting.TYPE, new RGB(38, 85, 153));
		put(LockspecHighlighting.FUNCTION, new RGB(170, 85, 0));
		put(LockspecHighlighting.VARIABLE, new RGB(0, 0, 192));
		put(LockspecHighlighting.PROPERTY, new RGB(0, 100, 200));
		put(LockspecHighlighting.PARAMETER, new RGB(110, 80, 20));
		put(LockspecHighlighting.ENUM_MEMBER, new RGB(0, 0, 192));
		put(LockspecHighlighting.NAMESPACE, new RGB(100, 100, 100));
	}

	private static void put(String id, RGB rgb) {
		String key = "org.lockspec.ui.color." + id;
		if (!COLORS.hasValueFor(key)) {
			COLORS.put(key, rgb);
		}
	}

	/** The text attribute of a style id (a token type or {@link #LOCK_KIND}); null for none. */
	public static TextAttribute attribute(String id) {
		String key = "org.lockspec.ui.color." + id;
		if (!COLORS.hasValueFor(key)) {
			return null;
		}
		int style = switch (id) {
		case LockspecHighlighting.KEYWORD, LOCK_KIND, LockspecHighlighting.TYPE -> SWT.BOLD;
		case LockspecHighlighting.FUNCTION, LockspecHighlighting.ENUM_MEMBER -> SWT.ITALIC;
		default -> SWT.NORMAL;
		};
		return new TextAttribute(COLORS.get(key), null, style);
	}
}
