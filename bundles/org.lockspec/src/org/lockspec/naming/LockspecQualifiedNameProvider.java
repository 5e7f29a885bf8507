package org.lockspec.naming;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.naming.IQualifiedNameConverter;
import org.eclipse.xtext.naming.IQualifiedNameProvider;
import org.eclipse.xtext.naming.QualifiedName;
import org.eclipse.xtext.util.IResourceScopeCache;
import org.eclipse.xtext.util.Tuples;
import org.lockspec.model.EnumLiteral;
import org.lockspec.model.Member;
import org.lockspec.model.Spec;

import com.google.inject.Inject;

/**
 * Only what a spec declares at its top level is visible to other specs:
 * {@code spec.name}. Enum literals are spec-level names too, as in C. Features of
 * objects, parameters and locals are found by the scope provider, never by name
 * through the index.
 */
public class LockspecQualifiedNameProvider extends IQualifiedNameProvider.AbstractImpl {

	@Inject
	private IQualifiedNameConverter converter;

	@Inject
	private IResourceScopeCache cache;

	/** Cheap for every object but the spec, whose name is parsed once per resource. */
	@Override
	public QualifiedName getFullyQualifiedName(EObject obj) {
		if (obj instanceof Spec spec) {
			if (spec.getName() == null) {
				return null;
			}
			return spec.eResource() == null ? converter.toQualifiedName(spec.getName())
					: cache.get(Tuples.pair(spec, "fqn"), spec.eResource(), () -> converter.toQualifiedName(spec.getName()));
		}
		EObject container = obj.eContainer();
		if (obj instanceof EnumLiteral literal && container != null) {
			container = container.eContainer();
			return append(container, literal.getName());
		}
		if (obj instanceof Member && container instanceof Spec) {
			String name = NameOf.name(obj);
			return append(container, name);
		}
		return null;
	}

	private QualifiedName append(EObject spec, String name) {
		if (!(spec instanceof Spec) || name == null) {
			return null;
		}
		QualifiedName prefix = getFullyQualifiedName(spec);
		return prefix == null ? null : prefix.append(name);
	}
}
