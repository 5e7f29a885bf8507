package org.lockspec.validation;

import org.antlr.runtime.RecognitionException;
import org.antlr.runtime.TokenStream;
import org.eclipse.xtext.nodemodel.SyntaxErrorMessage;
import org.eclipse.xtext.parser.antlr.SyntaxErrorMessageProvider;

import com.google.inject.Inject;

/**
 * Syntax errors that say why: a keyword where a name is expected ("mismatched
 * input 'lock' expecting RULE_ID") is reported as the keyword it is, with
 * where such a name is allowed ("no viable alternative at input 'op'" after
 * {@code op}, whose name may also be a genirq call).
 */
public class LockspecSyntaxErrors extends SyntaxErrorMessageProvider {

	@Inject
	private Keywords keywords;

	@Override
	public SyntaxErrorMessage getSyntaxErrorMessage(IParserErrorContext context) {
		SyntaxErrorMessage message = super.getSyntaxErrorMessage(context);
		RecognitionException e = context.getRecognitionException();
		String token = e == null || e.token == null ? null : e.token.getText();
		if (message.getMessage() == null || !keywords.isWordKeyword(token)
				|| !message.getMessage().contains("RULE_ID") && !afterOp(e)) {
			return message;
		}
		String where = keywords.featureNames().contains(token)
				? " (an object's field, ref, list, refcount, lock, gate, completion or work may be named '" + token + "', read as x." + token
						+ ")"
				: "";
		return new SyntaxErrorMessage("'" + token + "' is a keyword of Lockspec and cannot be a name here; rename it"
				+ where, message.getIssueCode(), message.getIssueData());
	}

	/**
	 * Whether the token stands where an op's name goes, right after 'op': a name that may also be a genirq
	 * call ({@code op disable_irq(...)}), so the parser says "no viable alternative" rather than "expecting
	 * RULE_ID".
	 */
	private static boolean afterOp(RecognitionException e) {
		if (!(e.input instanceof TokenStream tokens) || e.token == null) {
			return false;
		}
		for (int i = e.token.getTokenIndex() - 1; i >= 0; i--) {
			String before = tokens.get(i).getText();
			if (before != null && !before.isBlank() && !before.startsWith("//") && !before.startsWith("/*")) {
				return "op".equals(before); // the first token that is no blank or comment
			}
		}
		return false;
	}
}
