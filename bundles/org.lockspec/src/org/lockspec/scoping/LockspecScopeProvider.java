package org.lockspec.scoping;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.resource.IEObjectDescription;
import org.eclipse.xtext.scoping.IScope;
import org.eclipse.xtext.scoping.Scopes;
import org.eclipse.xtext.scoping.impl.FilteringScope;
import org.eclipse.xtext.util.IResourceScopeCache;
import org.eclipse.xtext.util.Tuples;

import com.google.inject.Inject;
import org.lockspec.model.Block;
import org.lockspec.model.Expectation;
import org.lockspec.model.Feature;
import org.lockspec.model.ForStmt;
import org.lockspec.model.GuardMember;
import org.lockspec.model.Init;
import org.lockspec.model.Instance;
import org.lockspec.model.LetStmt;
import org.lockspec.model.Lock;
import org.lockspec.model.LockClass;
import org.lockspec.model.MemberAccess;
import org.lockspec.model.ModelPackage;
import org.lockspec.model.NewExpr;
import org.lockspec.model.ObjectType;
import org.lockspec.model.Operation;
import org.lockspec.model.Order;
import org.lockspec.model.Quantified;
import org.lockspec.model.Ref;
import org.lockspec.model.Scenario;
import org.lockspec.model.Statement;
import org.lockspec.typing.Guards;
import org.lockspec.typing.SpecTypes;

/**
 * Name resolution of a spec:
 * <ul>
 * <li>a plain name ({@code pf}, {@code pci_bus_sem}) is, innermost first, a
 * quantified variable, a {@code for} variable, a {@code let} declared before the
 * statement in an enclosing block, a parameter of the op, an instance of the
 * scenario, and last a global declaration of this spec or an imported one;</li>
 * <li>{@code x.f} is a feature of the object type of {@code x}
 * ({@code dev.bus.devices}, {@code pf.dev_lock});</li>
 * <li>{@code guarded_by L} is a lock of the same object or a global lock;</li>
 * <li>{@code order T.l ...} is a lock of {@code T}, {@code by r} a ref of
 * {@code T}.</li>
 * </ul>
 */
public class LockspecScopeProvider extends AbstractLockspecScopeProvider {

	private static final ModelPackage P = ModelPackage.eINSTANCE;

	@Inject
	private IResourceScopeCache cache;

	/** Global declarations a plain name may denote in an expression. */
	private static final Set<EClass> VALUE_DECLARATIONS = Set.of(P.getLock(), P.getGate(), P.getCompletion(), P.getWork(), P.getField(),
			P.getListField(), P.getRef(), P.getEnumLiteral(), P.getConst());

	@Override
	public IScope getScope(EObject context, EReference reference) {
		if (reference == P.getVarRef_Ref()) {
			return variables(context, reference);
		}
		if (reference == P.getMemberAccess_Member()) {
			return context instanceof MemberAccess access ? features(SpecTypes.typeOf(access.getReceiver()).objectType())
					: IScope.NULLSCOPE;
		}
		if (reference == P.getInit_Feature()) {
			Instance instance = EcoreUtil2.getContainerOfType(context, Instance.class);
			NewExpr created = EcoreUtil2.getContainerOfType(context, NewExpr.class);
			ObjectType type = created != null ? created.getType() : instance != null ? instance.getType() : null;
			return features(type);
		}
		if (reference == P.getGuardName_Feature()) {
			// a guard's first name: a lock or ref of the guarded object, or a global one
			ObjectType owner = EcoreUtil2.getContainerOfType(context, ObjectType.class);
			IScope globals = super.getScope(context, reference);
			return owner == null ? globals : Scopes.scopeFor(owner.getFeatures(), globals);
		}
		if (reference == P.getGuardMember_Member()) {
			// after a ref: the features of the object it points to
			return context instanceof GuardMember m && Guards.last(m.getReceiver()) instanceof Ref r ? features(r.getType())
					: IScope.NULLSCOPE;
		}
		if (reference == P.getWork_Queue()) {
			ObjectType owner = EcoreUtil2.getContainerOfType(context, ObjectType.class);
			IScope globals = super.getScope(context, reference);
			return owner == null ? globals : Scopes.scopeFor(locksOf(owner), globals);
		}
		if (reference == P.getInvariant_Under()) {
			// every lock by its plain name, so that naming an object's lock gets the validator's explanation
			List<Lock> all = EcoreUtil2.getAllContentsOfType(EcoreUtil2.getRootContainer(context), Lock.class);
			return Scopes.scopeFor(all, super.getScope(context, reference));
		}
		if (reference == P.getLockClass_Lock() && context instanceof LockClass lockClass && lockClass.getOwner() != null) {
			return Scopes.scopeFor(locksOf(lockClass.getOwner()));
		}
		if (reference == P.getOrder_Via() && context instanceof Order order && order.getFirst() != null
				&& order.getFirst().getOwner() != null && !order.getFirst().getOwner().eIsProxy()) {
			return Scopes.scopeFor(EcoreUtil2.typeSelect(order.getFirst().getOwner().getFeatures(), Ref.class));
		}
		return super.getScope(context, reference);
	}

	private IScope features(ObjectType type) {
		if (type == null || type.eIsProxy()) {
			return IScope.NULLSCOPE;
		}
		return Scopes.scopeFor(type.getFeatures());
	}

	private static List<Lock> locksOf(ObjectType type) {
		return type == null || type.eIsProxy() ? List.of() : EcoreUtil2.typeSelect(type.getFeatures(), Lock.class);
	}

	private IScope variables(EObject context, EReference reference) {
		boolean typesToo = EcoreUtil2.getContainerOfType(context, Expectation.class) != null;
		IScope scope = globals(context, reference, typesToo);
		List<List<? extends EObject>> levels = new ArrayList<>();
		EObject previous = context;
		for (EObject current = context; current != null; previous = current, current = current.eContainer()) {
			if (current instanceof Block block) {
				int end = previous == current ? block.getStatements().size() : block.getStatements().indexOf(previous);
				List<LetStmt> lets = new ArrayList<>();
				for (int i = 0; i < (end < 0 ? 0 : end); i++) {
					Statement s = block.getStatements().get(i);
					if (s instanceof LetStmt let) {
						lets.add(let);
					}
				}
				levels.add(lets);
			} else if (current instanceof ForStmt loop && previous == loop.getBody()) {
				levels.add(List.of(loop));
			} else if (current instanceof Quantified q && previous == q.getBody() && q.getVariable() != null) {
				levels.add(List.of(q.getVariable()));
			} else if (current instanceof Operation op) {
				levels.add(op.getParams());
			} else if (current instanceof Scenario scenario) {
				levels.add(scenario.getInstances());
			}
		}
		for (int i = levels.size() - 1; i >= 0; i--) {
			// a later let of the same name shadows an earlier one: scopeFor keeps the first it sees
			List<? extends EObject> level = new ArrayList<>(levels.get(i));
			java.util.Collections.reverse(level);
			scope = Scopes.scopeFor(level, scope);
		}
		return scope;
	}

	/**
	 * The global part of a plain name's scope depends only on the resource: it is
	 * computed once per resource (and per kind), not once per reference.
	 */
	private IScope globals(EObject context, EReference reference, boolean typesToo) {
		EObject root = EcoreUtil2.getRootContainer(context);
		if (context.eResource() == null) {
			return globalsOf(root, reference, typesToo);
		}
		return cache.get(Tuples.create("lockspec.globals", reference, typesToo), context.eResource(),
				() -> globalsOf(root, reference, typesToo));
	}

	private IScope globalsOf(EObject root, EReference reference, boolean typesToo) {
		return new FilteringScope(super.getScope(root, reference),
				d -> isGlobalValue(d) || typesToo && d.getEClass() == P.getObjectType());
	}

	private static boolean isGlobalValue(IEObjectDescription d) {
		return VALUE_DECLARATIONS.contains(d.getEClass());
	}

	/** Features of an object type by name; used by validation too. */
	public static Feature feature(ObjectType type, String name) {
		if (type == null || type.eIsProxy()) {
			return null;
		}
		for (Feature f : type.getFeatures()) {
			if (name.equals(org.lockspec.naming.NameOf.name(f))) {
				return f;
			}
		}
		return null;
	}
}
