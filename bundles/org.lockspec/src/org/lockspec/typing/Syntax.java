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
import org.lockspec.model.SynchronizeSrcuStmt;
import org.lockspec.model.TrylockStmt;
import org.lockspec.model.UnlockStmt;
import org.lockspec.model.VarRef;
import org.lockspec.model.WithStmt;

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
		if (lockStatement instanceof LockStmt l && (l.isSrcu() || l.isRcu())) {
			return LockMode.READ; // srcu_read_lock, rcu_read_lock
		}
		EStructuralFeature f = lockStatement.eClass().getEStructuralFeature("mode");
		return f != null && isWritten(lockStatement, f) ? (LockMode) lockStatement.eGet(f) : null;
	}

	/**
	 * The lock a lock, unlock, with, trylock or synchronize statement names; for {@code rcu_read_lock},
	 * {@code rcu_read_unlock} and {@code synchronize_rcu}, which name none, the spec's RCU domain
	 * ({@link RcuDomain#operand}); null for any other statement, or without a domain.
	 */
	public static Expression lockOperand(EObject statement) {
		return switch (statement) {
		case LockStmt l -> l.isRcu() ? RcuDomain.operand(l) : l.getLock();
		case UnlockStmt u -> u.isRcu() ? RcuDomain.operand(u) : u.getLock();
		case SynchronizeSrcuStmt y -> y.isRcu() ? RcuDomain.operand(y) : y.getSrcu();
		case WithStmt w -> w.getLock();
		case TrylockStmt t -> t.getLock();
		default -> null;
		};
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
