package org.lockspec.validation;

import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.xtext.GrammarUtil;
import org.eclipse.xtext.Keyword;
import org.lockspec.services.LockspecGrammarAccess;

import com.google.inject.Inject;
import com.google.inject.Singleton;

/** The language's keywords, read from the grammar: all of them, and those that may name an object's feature. */
@Singleton
public class Keywords {

	private final Set<String> all;
	private final Set<String> featureNames;

	@Inject
	public Keywords(LockspecGrammarAccess grammar) {
		all = GrammarUtil.getAllKeywords(grammar.getGrammar());
		featureNames = GrammarUtil.containedKeywords(grammar.getFeatureNameRule()).stream().map(Keyword::getValue)
				.collect(Collectors.toUnmodifiableSet());
	}

	/** Whether {@code word} is a keyword that reads like a name (not punctuation). */
	public boolean isWordKeyword(String word) {
		return word != null && word.matches("[A-Za-z_][A-Za-z_0-9]*") && all.contains(word);
	}

	/** The keywords that may name an object's field, ref, list, refcount, lock, gate, completion or work ({@code desc.lock}). */
	public Set<String> featureNames() {
		return featureNames;
	}
}
