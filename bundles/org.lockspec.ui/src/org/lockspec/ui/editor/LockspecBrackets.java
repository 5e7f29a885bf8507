package org.lockspec.ui.editor;

import org.eclipse.jface.text.source.DefaultCharacterPairMatcher;

/** Bracket matching for {@code {}} and {@code ()}. */
public class LockspecBrackets extends DefaultCharacterPairMatcher {
	public LockspecBrackets() {
		super(new char[] { '{', '}', '(', ')' });
	}
}
