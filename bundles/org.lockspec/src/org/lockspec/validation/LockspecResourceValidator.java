package org.lockspec.validation;

import java.util.List;

import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.Issue;
import org.eclipse.xtext.validation.ResourceValidatorImpl;

import com.google.inject.Inject;

/**
 * Xtext's validation of a resource (syntax, linking, the {@code @Check} rules),
 * reporting {@link FirstCauses first causes} only. Every front door validates
 * through it: the command line and the Eclipse editor ({@code SpecSet}), the
 * language server, the tests' {@code ValidationTestHelper}.
 */
public class LockspecResourceValidator extends ResourceValidatorImpl {

	@Inject
	private FirstCauses firstCauses;

	@Override
	public List<Issue> validate(Resource resource, CheckMode mode, CancelIndicator indicator) {
		List<Issue> issues = super.validate(resource, mode, indicator);
		return resource instanceof XtextResource xtext ? firstCauses.of(xtext, issues) : issues;
	}
}
