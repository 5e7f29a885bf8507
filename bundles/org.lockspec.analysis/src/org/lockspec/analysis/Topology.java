package org.lockspec.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.emf.ecore.EObject;
import org.lockspec.model.Expression;
import org.lockspec.model.Init;
import org.lockspec.model.Instance;
import org.lockspec.model.MemberAccess;
import org.lockspec.model.Scenario;
import org.lockspec.model.VarRef;

/**
 * The objects of a scenario and their initial state: each instance is a
 * {@link Sym.Var} named after it; field values and list members come from its
 * initialiser and its {@code in} clauses.
 */
public final class Topology {

	private final Map<Instance, Sym.Var> instances = new LinkedHashMap<>();
	private final Map<Sym, Map<EObject, Expression>> inits = new HashMap<>();
	private final Map<Sym, Map<EObject, List<Sym>>> members = new HashMap<>();

	public Topology(Scenario scenario) {
		for (Instance i : scenario.getInstances()) {
			instances.put(i, new Sym.Var(i.getName(), i.getType(), false));
		}
		for (Instance i : scenario.getInstances()) {
			Sym self = instances.get(i);
			for (Init init : i.getInits()) {
				inits.computeIfAbsent(self, k -> new HashMap<>()).put(init.getFeature(), init.getValue());
			}
			for (Expression list : i.getLists()) {
				if (list instanceof MemberAccess m && m.getReceiver() instanceof VarRef owner
						&& owner.getRef() instanceof Instance o && instances.containsKey(o)) {
					members.computeIfAbsent(instances.get(o), k -> new HashMap<>())
							.computeIfAbsent(m.getMember(), k -> new ArrayList<>()).add(self);
				}
			}
		}
	}

	public Sym.Var instance(Instance i) {
		return instances.get(i);
	}

	public Map<Instance, Sym.Var> instances() {
		return instances;
	}

	/** The initialiser of {@code obj.field} in the scenario, or null. */
	public Expression init(Sym obj, EObject field) {
		Map<EObject, Expression> m = inits.get(obj);
		return m == null ? null : m.get(field);
	}

	/** The initial members of {@code owner.list}, in order (empty if none). */
	public List<Sym> members(Sym owner, EObject list) {
		Map<EObject, List<Sym>> m = members.get(owner);
		List<Sym> l = m == null ? null : m.get(list);
		return l == null ? List.of() : l;
	}

	public boolean isInstance(Sym s) {
		return s instanceof Sym.Var v && instances.containsValue(v);
	}
}
