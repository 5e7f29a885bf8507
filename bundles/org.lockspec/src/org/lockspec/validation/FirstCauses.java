package org.lockspec.validation;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.AbstractElement;
import org.eclipse.xtext.AbstractRule;
import org.eclipse.xtext.Action;
import org.eclipse.xtext.Alternatives;
import org.eclipse.xtext.Assignment;
import org.eclipse.xtext.EnumLiteralDeclaration;
import org.eclipse.xtext.GrammarUtil;
import org.eclipse.xtext.Group;
import org.eclipse.xtext.IGrammarAccess;
import org.eclipse.xtext.Keyword;
import org.eclipse.xtext.RuleCall;
import org.eclipse.xtext.diagnostics.Diagnostic;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.ILeafNode;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.parser.IParseResult;
import org.eclipse.xtext.parser.IParser;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.LineAndColumn;
import org.eclipse.xtext.validation.Issue;
import org.lockspec.model.AssignStmt;
import org.lockspec.model.Member;
import org.lockspec.model.VarRef;

import com.google.inject.Inject;
import com.google.inject.Singleton;

/**
 * One typo, one error, at the typo. Of a spec's diagnostics, reports their
 * first causes and not what follows from them:
 * <ul>
 * <li>while a spec does not parse, only its syntax errors, and of those only
 * the first of each top-level declaration (the parser's recovery makes the
 * rest: a {@code missing '='} after a misspelt keyword, the next line's
 * {@code mismatched input}); names and rules are checked once it parses;</li>
 * <li>that first syntax error is moved to the word that caused it when a
 * keyword near that word makes the declaration parse ({@code cal pf} →
 * "'cal' is not a keyword; did you mean 'call'?"), or said as what it is
 * when a statement starts with an unknown word;</li>
 * <li>in a declaration with an unresolved name, only the unresolved names,
 * not the rule checks that trip over them (an {@code unlock} of the lock a
 * misspelt {@code lock} did not take); and a name that cannot resolve because
 * another did not ({@link LockspecLinkingDiagnostics#CASCADE}) only when
 * nothing else is wrong.</li>
 * </ul>
 */
@Singleton
public class FirstCauses {

	private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
	/** Words tried before the error for a misspelt keyword (the error's own token first). */
	private static final int WORDS_BACK = 6;

	@Inject
	private IParser parser;

	private final Set<String> keywords;
	private final List<String> statementKeywords;
	private final Set<String> declarationKeywords;

	@Inject
	public FirstCauses(IGrammarAccess grammar) {
		this.keywords = GrammarUtil.getAllKeywords(grammar.getGrammar()).stream().filter(k -> WORD.matcher(k).matches())
				.collect(Collectors.toCollection(TreeSet::new));
		this.statementKeywords = firstKeywords(grammar, "Statement");
		this.declarationKeywords = new TreeSet<>(firstKeywords(grammar, "Member"));
		this.declarationKeywords.addAll(firstKeywords(grammar, "Spec"));
		this.declarationKeywords.addAll(firstKeywords(grammar, "Import"));
	}

	public List<Issue> of(XtextResource resource, List<Issue> issues) {
		IParseResult parse = resource.getParseResult();
		if (parse == null || parse.getRootNode() == null
				|| issues.stream().noneMatch(i -> i.isSyntaxError() || isUnresolved(i))) {
			return issues;
		}
		List<ILeafNode> tokens = tokens(parse.getRootNode());
		Units units = new Units(parse.getRootNode().getText(), tokens, declarationKeywords);
		List<Issue> syntax = issues.stream().filter(Issue::isSyntaxError).toList();
		return syntax.isEmpty() ? withoutCascades(units, issues) : firstSyntaxErrors(parse, tokens, units, syntax);
	}

	// ------------------------------------------------------------ syntax errors

	private List<Issue> firstSyntaxErrors(IParseResult parse, List<ILeafNode> tokens, Units units, List<Issue> syntax) {
		Map<Integer, Issue> first = new LinkedHashMap<>();
		for (Issue i : syntax.stream().sorted(Comparator.comparingInt(FirstCauses::offset)).toList()) {
			first.putIfAbsent(units.of(offset(i)), i);
		}
		ICompositeNode root = parse.getRootNode();
		int before = syntaxErrors(parse);
		List<Issue> out = new ArrayList<>();
		first.forEach((unit, issue) -> out.add(firstCause(root, tokens, before, units.range(unit), issue)));
		return out;
	}

	/** The syntax error said at the word that caused it, if one is found; else as the parser said it. */
	private Issue firstCause(ICompositeNode root, List<ILeafNode> tokens, int before, int[] unit, Issue error) {
		int at = tokenAt(tokens, offset(error));
		for (int k = at; k >= 0 && k > at - WORDS_BACK && tokens.get(k).getOffset() >= unit[0]; k--) {
			ILeafNode word = tokens.get(k);
			Optional<String> keyword = keywordThatParses(root.getText(), word, unit, before);
			if (keyword.isPresent()) {
				return moved(root, error, word, "'" + word.getText() + "' is not a keyword; did you mean '" + keyword.get() + "'?");
			}
		}
		VarRef unknown = unknownStatementStart(error, root);
		if (unknown != null) {
			INode node = NodeModelUtils.getNode(unknown);
			String w = NodeModelUtils.getTokenText(node);
			return moved(root, error, node, "'" + w + "' is not a statement: a statement is an assignment (x.f = e) or starts with "
					+ String.join(", ", statementKeywords));
		}
		return error;
	}

	/**
	 * The keyword near {@code word} that, written instead of it, leaves the
	 * declaration without a syntax error (and the spec with fewer of them).
	 */
	private Optional<String> keywordThatParses(String text, ILeafNode word, int[] unit, int before) {
		if (!WORD.matcher(word.getText()).matches() || keywords.contains(word.getText())) {
			return Optional.empty();
		}
		for (String k : near(word.getText(), keywords)) {
			String fixed = text.substring(0, word.getOffset()) + k + text.substring(word.getEndOffset());
			int delta = k.length() - word.getLength();
			IParseResult reparsed = parser.parse(new StringReader(fixed));
			if (syntaxErrors(reparsed) < before && noErrorIn(reparsed, unit[0], unit[1] + delta)) {
				return Optional.of(k);
			}
		}
		return Optional.empty();
	}

	/** The keywords near {@code word}, nearest first. */
	private static List<String> near(String word, Collection<String> keywords) {
		int allowed = Suggestions.allowedEdits(word);
		return keywords.stream().filter(k -> Suggestions.distance(word, k) <= allowed)
				.sorted(Comparator.comparingInt(k -> Suggestions.distance(word, k))).toList();
	}

	/** A statement read as an assignment to an unknown plain name: the name is a statement's first word. */
	private static VarRef unknownStatementStart(Issue error, ICompositeNode root) {
		ILeafNode leaf = NodeModelUtils.findLeafNodeAtOffset(root, offset(error));
		EObject at = leaf == null ? null : NodeModelUtils.findActualSemanticObjectFor(leaf);
		if (!error.getMessage().contains("'='")) {
			return null;
		}
		for (EObject e = at; e != null && !(e instanceof Member); e = e.eContainer()) {
			if (e instanceof AssignStmt assign && assign.getTarget() instanceof VarRef ref && ref.getRef() != null
					&& ref.getRef().eIsProxy()) {
				return ref;
			}
		}
		return null;
	}

	private static Issue moved(ICompositeNode root, Issue error, INode to, String message) {
		Issue.IssueImpl i = new Issue.IssueImpl();
		i.setCode(error.getCode() == null ? Diagnostic.SYNTAX_DIAGNOSTIC : error.getCode());
		i.setSeverity(error.getSeverity());
		i.setType(error.getType());
		i.setUriToProblem(error.getUriToProblem());
		i.setSyntaxError(true);
		i.setMessage(message);
		int start = to.getOffset();
		int end = to.getEndOffset();
		LineAndColumn from = NodeModelUtils.getLineAndColumn(root, start);
		LineAndColumn until = NodeModelUtils.getLineAndColumn(root, end);
		i.setOffset(start);
		i.setLength(end - start);
		i.setLineNumber(from.getLine());
		i.setColumn(from.getColumn());
		i.setLineNumberEnd(until.getLine());
		i.setColumnEnd(until.getColumn());
		return i;
	}

	private static int syntaxErrors(IParseResult r) {
		int n = 0;
		for (INode ignored : r.getSyntaxErrors()) {
			n++;
		}
		return n;
	}

	private static boolean noErrorIn(IParseResult r, int from, int to) {
		for (INode e : r.getSyntaxErrors()) {
			if (e.getOffset() >= from && e.getOffset() < to) {
				return false;
			}
		}
		return true;
	}

	private static List<ILeafNode> tokens(ICompositeNode root) {
		List<ILeafNode> tokens = new ArrayList<>();
		for (ILeafNode l : root.getLeafNodes()) {
			if (!l.isHidden() && l.getLength() > 0) {
				tokens.add(l);
			}
		}
		return tokens;
	}

	/** The index of the token at or after {@code offset} (the last one past the end). */
	private static int tokenAt(List<ILeafNode> tokens, int offset) {
		for (int k = 0; k < tokens.size(); k++) {
			if (tokens.get(k).getEndOffset() > offset) {
				return k;
			}
		}
		return tokens.size() - 1;
	}

	private static int offset(Issue i) {
		return i.getOffset() == null ? 0 : i.getOffset();
	}

	// ------------------------------------------------ names that did not resolve

	/**
	 * Unresolved names, but not the rule checks of their declarations; names
	 * that follow from another error only when there is no other error.
	 */
	private static List<Issue> withoutCascades(Units units, List<Issue> issues) {
		Set<Integer> unresolvedIn = issues.stream().filter(i -> isUnresolved(i) && !isCascade(i))
				.map(i -> units.of(offset(i))).collect(Collectors.toSet());
		boolean otherErrors = issues.stream()
				.anyMatch(i -> i.getSeverity() == org.eclipse.xtext.diagnostics.Severity.ERROR && !isCascade(i));
		return issues.stream().filter(i -> isCascade(i) ? !otherErrors
				: isUnresolved(i) || !unresolvedIn.contains(units.of(offset(i)))).toList();
	}

	private static boolean isUnresolved(Issue i) {
		return LockspecLinkingDiagnostics.UNRESOLVED.equals(i.getCode()) || Diagnostic.LINKING_DIAGNOSTIC.equals(i.getCode());
	}

	private static boolean isCascade(Issue i) {
		String[] data = i.getData();
		return data != null && data.length > 1 && LockspecLinkingDiagnostics.CASCADE.equals(data[1]);
	}

	// ------------------------------------------------------------------ grammar

	/**
	 * The first keyword of each alternative of grammar rule {@code rule}, in the
	 * grammar's order: of Statement {@code lock}, {@code unlock}, {@code if}, ...;
	 * of Member {@code lock}, {@code gate}, ..., {@code op}, {@code scenario}, {@code expect}.
	 */
	private static List<String> firstKeywords(IGrammarAccess grammar, String rule) {
		AbstractRule r = GrammarUtil.findRuleForName(grammar.getGrammar(), rule);
		List<String> out = new ArrayList<>();
		if (r == null) {
			return out;
		}
		List<AbstractElement> alternatives = r.getAlternatives() instanceof Alternatives a ? a.getElements()
				: List.of(r.getAlternatives());
		for (AbstractElement e : alternatives) {
			String k = firstKeyword(e);
			if (k != null && !out.contains(k)) {
				out.add(k);
			}
		}
		return out;
	}

	private static String firstKeyword(AbstractElement e) {
		if (e instanceof Keyword k) {
			return k.getValue();
		}
		if (e instanceof RuleCall call && call.getRule() != null) {
			return firstKeyword(call.getRule().getAlternatives());
		}
		if (e instanceof Assignment a) {
			return firstKeyword(a.getTerminal()); // call=QueueCall: the enum's first literal
		}
		if (e instanceof EnumLiteralDeclaration literal) {
			return literal.getLiteral().getValue();
		}
		if (e instanceof Alternatives a) {
			return a.getElements().isEmpty() ? null : firstKeyword(a.getElements().get(0));
		}
		if (e instanceof Group g) {
			for (AbstractElement x : g.getElements()) {
				if (!(x instanceof Action)) {
					return firstKeyword(x);
				}
			}
		}
		return null;
	}

	/**
	 * The top-level declarations of a spec, by text range: a declaration starts
	 * at a keyword that starts one ({@code object}, {@code op}, ...) outside every
	 * brace and lasts until the next. Taken from the tokens, not from the model,
	 * which the parser's recovery may cut up differently; an error's unit is the
	 * declaration it lies in (0: the header before the first).
	 */
	private static final class Units {
		private final List<Integer> starts = new ArrayList<>();
		private final int end;

		/** ({@code text} is the whole text: a leaf's own getText walks up to the root, deep nesting makes that slow.) */
		Units(String text, List<ILeafNode> tokens, Set<String> declarationKeywords) {
			this.end = text.length();
			starts.add(0);
			int depth = 0;
			for (ILeafNode t : tokens) {
				String token = text.substring(t.getOffset(), t.getEndOffset());
				if ("{".equals(token)) {
					depth++;
				} else if ("}".equals(token)) {
					depth = Math.max(0, depth - 1);
				} else if (depth == 0 && t.getGrammarElement() instanceof Keyword && declarationKeywords.contains(token)) {
					starts.add(t.getOffset());
				}
			}
		}

		/** The index of the declaration that holds {@code offset}. */
		int of(int offset) {
			int unit = 0;
			for (int k = 1; k < starts.size() && starts.get(k) <= offset; k++) {
				unit = k;
			}
			return unit;
		}

		/** The text range of a unit. */
		int[] range(int unit) {
			return new int[] { starts.get(unit), unit + 1 < starts.size() ? starts.get(unit + 1) : end };
		}
	}
}
