package org.lockspec;

import org.eclipse.xtext.conversion.IValueConverterService;
import org.eclipse.xtext.linking.impl.LinkingDiagnosticMessageProvider;
import org.eclipse.xtext.naming.IQualifiedNameProvider;
import org.eclipse.xtext.parser.antlr.ISyntaxErrorMessageProvider;
import org.eclipse.xtext.validation.IResourceValidator;
import org.lockspec.conversion.LockspecValueConverters;
import org.lockspec.naming.LockspecQualifiedNameProvider;
import org.lockspec.validation.LockspecLinkingDiagnostics;
import org.lockspec.validation.LockspecResourceValidator;
import org.lockspec.validation.LockspecSyntaxErrors;

/**
 * Guice bindings of the language runtime. Generated defaults live in
 * {@code AbstractLockspecRuntimeModule} (src-gen); customisation goes here.
 */
public class LockspecRuntimeModule extends AbstractLockspecRuntimeModule {

	@Override
	public Class<? extends IQualifiedNameProvider> bindIQualifiedNameProvider() {
		return LockspecQualifiedNameProvider.class;
	}

	@Override
	public Class<? extends IValueConverterService> bindIValueConverterService() {
		return LockspecValueConverters.class;
	}

	public Class<? extends LinkingDiagnosticMessageProvider> bindLinkingDiagnosticMessageProvider() {
		return LockspecLinkingDiagnostics.class;
	}

	/** A keyword where a name belongs is reported as a keyword. */
	public Class<? extends ISyntaxErrorMessageProvider> bindISyntaxErrorMessageProvider() {
		return LockspecSyntaxErrors.class;
	}

	/** A typo gives one error, at the typo: syntax and linking cascades are left out. */
	public Class<? extends IResourceValidator> bindIResourceValidator() {
		return LockspecResourceValidator.class;
	}
}
