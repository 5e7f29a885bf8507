package org.lockspec.ui.editor;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.jface.text.rules.EndOfLineRule;
import org.eclipse.jface.text.rules.IRule;
import org.eclipse.jface.text.rules.IToken;
import org.eclipse.jface.text.rules.IWordDetector;
import org.eclipse.jface.text.rules.MultiLineRule;
import org.eclipse.jface.text.rules.NumberRule;
import org.eclipse.jface.text.rules.RuleBasedScanner;
import org.eclipse.jface.text.rules.Token;
import org.eclipse.jface.text.rules.WordRule;
import org.eclipse.xtext.GrammarUtil;
import org.eclipse.xtext.IGrammarAccess;
import org.lockspec.ide.highlighting.LockspecHighlighting;
import org.lockspec.model.LockKind;
import org.lockspec.ui.LockspecUi;

/**
 * Highlighting that needs no parse, so it is there at once: the grammar's
 * keywords (lock kinds apart), comments and numbers. The semantic highlighting
 * of names comes on top once the reconciler has loaded the spec.
 */
public final class LexicalScanner extends RuleBasedScanner {

	/** The grammar's keywords that are words ({@code lock}, {@code op}, {@code mutex}, ...). */
	public static Set<String> keywords() {
		IGrammarAccess grammar = LockspecUi.injector().getInstance(IGrammarAccess.class);
		Set<String> words = new TreeSet<>();
		for (String k : GrammarUtil.getAllKeywords(grammar.getGrammar())) {
			if (!k.isEmpty() && Character.isLetter(k.charAt(0))) {
				words.add(k);
			}
		}
		return words;
	}

	public LexicalScanner() {
		IToken keyword = new Token(Styles.attribute(LockspecHighlighting.KEYWORD));
		IToken lockKind = new Token(Styles.attribute(Styles.LOCK_KIND));
		IToken comment = new Token(Styles.attribute(LockspecHighlighting.COMMENT));
		IToken number = new Token(Styles.attribute(LockspecHighlighting.NUMBER));
		List<IRule> rules = new ArrayList<>();
		rules.add(new EndOfLineRule("//", comment));
		rules.add(new MultiLineRule("/*", "*/", comment, (char) 0, true));
		WordRule words = new WordRule(new IWordDetector() {
			@Override
			public boolean isWordStart(char c) {
				return Character.isLetter(c) || c == '_';
			}

			@Override
			public boolean isWordPart(char c) {
				return Character.isLetterOrDigit(c) || c == '_';
			}
		}, Token.UNDEFINED);
		for (String k : keywords()) {
			words.addWord(k, keyword);
		}
		for (LockKind kind : LockKind.VALUES) {
			words.addWord(kind.getLiteral(), lockKind);
		}
		rules.add(words);
		rules.add(new NumberRule(number));
		setRules(rules.toArray(IRule[]::new));
	}
}
