package org.lockspec.validation;

import org.antlr.runtime.RecognitionException;
import org.eclipse.xtext.nodemodel.SyntaxErrorMessage;
import org.eclipse.xtext.parser.antlr.SyntaxErrorMessageProvider;

import com.google.inject.Inject;

/**
 * Syntax errors that say why: a keyword where a name is expected ("mismatched
 * input 'lock' expecting RULE_ID") is reported as the keyword it is, with
 * where such a name is allowed.
 */
public class LockspecSyntaxErrors extends SyntaxErrorMessageProvider {

	@Inject
	private Keywords keywords;

	@Override
	public SyntaxErrorMessage getSyntaxErrorMessage(IParserErrorContext context) {
		SyntaxErrorMessage message = super.getSyntaxErrorMessage(context);
		RecognitionException e = context.getRecognitionException();
		String token = e == null || e.token == null ? null : e.token.getText();
		if (message.getMessage() == null || !message.getMessage().contains("RULE_ID") || !keywords.isWordKeyword(token)) {
			return message;
		}
		String where = keywords.featureNames().contains(token)
				? " (an object's field, ref, list, refcount, lock, gate, completion or work may be named '" + token + "', read as x." + token
						+ ")"
				: "";
		return new SyntaxErrorMessage("'" + token + "' is a keyword of Lockspec and cannot be a name here; rename it"
				+ where, message.getIssueCode(), message.getIssueData());
	}
}
