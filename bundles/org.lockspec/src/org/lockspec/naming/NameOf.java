package org.lockspec.naming;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;

/** The {@code name} attribute of any named element of the spec model, or null. */
public final class NameOf {

	private NameOf() {
	}

	public static String name(EObject obj) {
		if (obj == null) {
			return null;
		}
		EStructuralFeature feature = obj.eClass().getEStructuralFeature("name");
		if (feature == null || feature.isMany()) {
			return null;
		}
		Object value = obj.eGet(feature);
		return value instanceof String s ? s : null;
	}
}
