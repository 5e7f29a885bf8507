package org.lockspec.typing;

import org.eclipse.emf.common.notify.Adapter;
import org.eclipse.emf.common.notify.impl.AdapterImpl;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;
import org.lockspec.model.Expression;
import org.lockspec.model.Lock;
import org.lockspec.model.LockKind;
import org.lockspec.model.ModelFactory;
import org.lockspec.model.Spec;
import org.lockspec.model.VarRef;

/**
 * RCU itself: one domain for the whole kernel, which {@code rcu_read_lock}, {@code rcu_read_unlock} and
 * {@code synchronize_rcu} name without an operand. A spec that uses them declares it once, at the top level, as
 * a lock of kind rcu ({@code lock rcu : rcu}, lockdep's {@code rcu_read_lock} map); to every engine the statements
 * then read as {@code srcu_read_lock}, {@code srcu_read_unlock} and {@code synchronize_srcu} of that lock.
 */
public final class RcuDomain {

	private RcuDomain() {
	}

	/** The spec's RCU domain: its first top-level lock of kind rcu, or null if it declares none. */
	public static Lock of(EObject anywhere) {
		Spec spec = EcoreUtil2.getContainerOfType(anywhere, Spec.class);
		if (spec == null) {
			return null;
		}
		for (EObject m : spec.getMembers()) {
			if (m instanceof Lock l && l.getKind() == LockKind.RCU) {
				return l;
			}
		}
		return null;
	}

	/**
	 * The operand an RCU statement reads as: a name of the domain, made once per domain and contained nowhere
	 * (the statement has no operand in the text), or null if the spec declares no domain.
	 */
	public static Expression operand(EObject statement) {
		Lock domain = of(statement);
		if (domain == null) {
			return null;
		}
		for (Adapter a : domain.eAdapters()) {
			if (a instanceof Operand o) {
				return o.name;
			}
		}
		VarRef name = ModelFactory.eINSTANCE.createVarRef();
		name.setRef(domain);
		domain.eAdapters().add(new Operand(name));
		return name;
	}

	/** Keeps a domain's operand with the domain. */
	private static final class Operand extends AdapterImpl {
		final VarRef name;

		Operand(VarRef name) {
			this.name = name;
		}
	}
}
