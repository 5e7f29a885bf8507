package org.lockspec.typing;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.emf.ecore.EObject;
import org.lockspec.model.Guard;
import org.lockspec.model.GuardMember;
import org.lockspec.model.GuardName;
import org.lockspec.model.Lock;
import org.lockspec.model.Ref;
import org.lockspec.naming.NameOf;

/**
 * What a {@code guarded_by} entry names: a lock, and the refs that lead from the guarded object to the lock's
 * owner ({@code guarded_by dev.msi_lock} in an msi_desc: its {@code dev} ref, then that device's
 * {@code msi_lock}, as the kernel's {@code desc->dev->msi_lock}). An empty path names a lock of the guarded
 * object itself, or a global lock. The validator makes sure every name but the last is a ref that is never null
 * and that no op assigns, and the last a lock; the other methods answer for any guard, valid or not.
 */
public final class Guards {

	private Guards() {
	}

	/** The lock the guard names, or null if its last name is no lock (or does not resolve). */
	public static Lock lock(Guard guard) {
		return last(guard) instanceof Lock l && !l.eIsProxy() ? l : null;
	}

	/** The refs from the guarded object to the lock's owner, outermost first; empty for an own or a global lock. */
	public static List<Ref> path(Guard guard) {
		List<EObject> names = names(guard);
		List<Ref> refs = new ArrayList<>();
		for (EObject e : names.subList(0, names.size() - 1)) {
			if (e instanceof Ref r && !r.eIsProxy()) {
				refs.add(r);
			}
		}
		return refs;
	}

	/** Every name of the guard in order, the lock last (an unresolved one as a proxy, a missing one as null). */
	public static List<EObject> names(Guard guard) {
		List<EObject> names = new ArrayList<>();
		Guard g = guard;
		while (g instanceof GuardMember m) {
			names.add(0, m.getMember());
			g = m.getReceiver();
		}
		names.add(0, g instanceof GuardName n ? n.getFeature() : null);
		return names;
	}

	/** The guard as the spec writes it: {@code dev.msi_lock}. */
	public static String text(Guard guard) {
		List<String> parts = new ArrayList<>();
		for (EObject e : names(guard)) {
			String n = e == null || e.eIsProxy() ? null : NameOf.name(e);
			parts.add(n == null ? "?" : n);
		}
		return String.join(".", parts);
	}

	/** What the guard (or a part of one, up to a name) names last: a lock in a valid guard; a proxy or null if unresolved. */
	public static EObject last(Guard guard) {
		List<EObject> names = names(guard);
		return names.get(names.size() - 1);
	}
}
