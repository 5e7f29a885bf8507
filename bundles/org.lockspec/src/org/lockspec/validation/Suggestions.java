package org.lockspec.validation;

import java.util.Collection;
import java.util.Optional;

/**
 * "Did you mean": the candidate nearest to a misspelt word, by edit distance
 * (Levenshtein's, with a swap of two neighbouring letters as one edit, so
 * {@code lokc} is one edit from {@code lock}). A candidate is offered only when
 * it is close for the word's length: one edit for up to 5 characters, two up
 * to 8, three beyond; on a tie, the first in the candidates' order wins.
 */
public final class Suggestions {

	private Suggestions() {
	}

	/** The candidate nearest to {@code word}, if one is near enough. */
	public static Optional<String> nearest(String word, Collection<String> candidates) {
		String best = null;
		int bestDistance = Integer.MAX_VALUE;
		int allowed = allowedEdits(word);
		for (String c : candidates) {
			if (c.equals(word) || Math.abs(c.length() - word.length()) > allowed) {
				continue;
			}
			int d = distance(word, c);
			if (d <= allowed && d < bestDistance) {
				best = c;
				bestDistance = d;
			}
		}
		return Optional.ofNullable(best);
	}

	/** How far a word may be from what it is taken to mean. */
	static int allowedEdits(String word) {
		return word.length() <= 5 ? 1 : word.length() <= 8 ? 2 : 3;
	}

	/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
	static int distance(String a, String b) {
		int[][] d = new int[a.length() + 1][b.length() + 1];
		for (int i = 0; i <= a.length(); i++) {
			d[i][0] = i;
		}
		for (int j = 0; j <= b.length(); j++) {
			d[0][j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			for (int j = 1; j <= b.length(); j++) {
				int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
				d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
				if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
					d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
				}
			}
		}
		return d[a.length()][b.length()];
	}

	/** {@code message} with {@code ; did you mean 'x'?} when there is an {@code x}. */
	public static String withSuggestion(String message, Optional<String> suggestion) {
		return suggestion.map(s -> message + "; did you mean '" + s + "'?").orElse(message);
	}
}
