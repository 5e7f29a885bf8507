package org.lockspec.validation;

import org.eclipse.emf.ecore.EClass;
import org.eclipse.xtext.diagnostics.DiagnosticMessage;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.linking.impl.IllegalNodeException;
import org.eclipse.xtext.linking.impl.LinkingDiagnosticMessageProvider;
import org.lockspec.model.MemberAccess;
import org.lockspec.model.ModelPackage;
import org.lockspec.model.ObjectType;
import org.lockspec.typing.SpecType;
import org.lockspec.typing.SpecTypes;

/** Unresolved names, said the way a kernel developer reads them. */
public class LockspecLinkingDiagnostics extends LinkingDiagnosticMessageProvider {

	public static final String UNRESOLVED = IssueCodes.PREFIX + "unresolved_name";

	private static final ModelPackage P = ModelPackage.eINSTANCE;

	@Override
	public DiagnosticMessage getUnresolvedProxyMessage(ILinkingDiagnosticContext context) {
		String name;
		try {
			name = context.getLinkText();
		} catch (IllegalNodeException e) {
			name = e.getNode().getText();
		}
		EClass type = context.getReference().getEReferenceType();
		String message;
		if (context.getContext() instanceof MemberAccess access) {
			SpecType receiver = SpecTypes.typeOf(access.getReceiver());
			ObjectType owner = receiver.objectType();
			message = owner != null
					? "'" + owner.getName() + "' has no field, ref, list, refcount, lock or gate named '" + name + "'"
					: "cannot look up '" + name + "': '" + receiverText(access) + "' is " + article(receiver) + ", not an object";
		} else {
			message = "unknown " + what(type) + " '" + name + "'";
		}
		return new DiagnosticMessage(message, Severity.ERROR, UNRESOLVED);
	}

	private static String receiverText(MemberAccess access) {
		var node = org.eclipse.xtext.nodemodel.util.NodeModelUtils.findActualNodeFor(access.getReceiver());
		return node == null ? "the receiver" : node.getText().trim();
	}

	private static String article(SpecType t) {
		return t.isUnknown() ? "of unknown type" : t.describe();
	}

	private static String what(EClass type) {
		if (type == P.getLock()) {
			return "lock";
		}
		if (type == P.getObjectType()) {
			return "object type";
		}
		if (type == P.getTypeDecl()) {
			return "type";
		}
		if (type == P.getOperation()) {
			return "op";
		}
		if (type == P.getInvariant()) {
			return "invariant";
		}
		if (type == P.getRef()) {
			return "ref";
		}
		if (type == P.getFeature()) {
			return "field";
		}
		return "name";
	}
}
