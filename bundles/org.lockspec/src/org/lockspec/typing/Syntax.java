package org.lockspec.typing;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.lockspec.model.Context;
import org.lockspec.model.Expression;
import org.lockspec.model.LockMode;
import org.lockspec.model.LockStmt;
import org.lockspec.model.MemberAccess;
import org.lockspec.model.ModelPackage;
import org.lockspec.model.Operation;
import org.lockspec.model.VarRef;

/**
 * What the author wrote, as opposed to EMF defaults: an enum attribute reads as
 * its first literal when absent, so {@code lock m} and {@code lock m write} look
 * alike in the model. The node model tells them apart.
 */
public final class Syntax {

	private static final ModelPackage P = ModelPackage.eINSTANCE;

	private Syntax() {
	}

	public static boolean isWritten(EObject obj, EStructuralFeature feature) {
		if (obj.eIsSet(feature)) {
			return true;
		}
		return NodeModelUtils.getNode(obj) != null && !NodeModelUtils.findNodesForFeature(obj, feature).isEmpty();
	}

	/** The mode written after a lock statement ({@code srcu_read_lock}: read), or null if none was written. */
	public static LockMode mode(EObject lockStatement) {
		if (lockStatement instanceof LockStmt l && l.isSrcu()) {
			return LockMode.READ; // srcu_read_lock
		}
		EStructuralFeature f = lockStatement.eClass().getEStructuralFeature("mode");
		return f != null && isWritten(lockStatement, f) ? (LockMode) lockStatement.eGet(f) : null;
	}

	/** The context an op declares ({@code in process} ...), or null if it inherits its caller's. */
	public static Context declaredContext(Operation op) {
		return isWritten(op, P.getOperation_Context()) ? op.getContext() : null;
	}

	/** The declaration a name ({@code pci_bus_sem}) or a member access ({@code pf.dev_lock}) denotes, or null. */
	public static EObject declaration(Expression e) {
		return e instanceof MemberAccess m ? m.getMember() : e instanceof VarRef v ? v.getRef() : null;
	}
}
