package org.lockspec.validation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.eclipse.emf.common.util.TreeIterator;
import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.emf.ecore.util.EcoreUtil;
import org.eclipse.xtext.diagnostics.DiagnosticMessage;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.linking.impl.IllegalNodeException;
import org.eclipse.xtext.linking.impl.LinkingDiagnosticMessageProvider;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.util.IResourceScopeCache;
import org.eclipse.xtext.util.Tuples;
import org.lockspec.model.GuardMember;
import org.lockspec.model.Init;
import org.lockspec.model.Instance;
import org.lockspec.model.LockClass;
import org.lockspec.model.MemberAccess;
import org.lockspec.model.ModelPackage;
import org.lockspec.model.NewExpr;
import org.lockspec.model.ObjectType;
import org.lockspec.model.Order;
import org.lockspec.model.Ref;
import org.lockspec.naming.NameOf;
import org.lockspec.typing.Guards;
import org.lockspec.typing.SpecType;
import org.lockspec.typing.SpecTypes;

import com.google.inject.Inject;

/**
 * Unresolved names, said the way a kernel developer reads them, with the
 * nearest declared name ("did you mean 'pci_enable_sriov'?"). The issue's data
 * is the name as written, then {@link #CASCADE} when the name cannot resolve
 * because something it depends on did not, or a rule check says why: a member
 * of a receiver of unknown type, a field of an instance or {@code new} whose
 * type is unknown, {@code order m by r} for a global {@code m}. Those follow
 * from another error, and {@link FirstCauses} leaves them out.
 */
public class LockspecLinkingDiagnostics extends LinkingDiagnosticMessageProvider {

	public static final String UNRESOLVED = IssueCodes.PREFIX + "unresolved_name";
	/** Issue data of an unresolved name that follows from another error. */
	public static final String CASCADE = "cascade";

	private static final ModelPackage P = ModelPackage.eINSTANCE;

	@Inject
	private IResourceScopeCache cache;

	@Override
	public DiagnosticMessage getUnresolvedProxyMessage(ILinkingDiagnosticContext context) {
		String name = linkText(context);
		if (followsFromAnotherError(context.getContext())) {
			return new DiagnosticMessage("unknown " + what(context.getReference().getEReferenceType()) + " '" + name
					+ "' (of an unknown type)", Severity.ERROR, UNRESOLVED, name, CASCADE);
		}
		String message = Suggestions.withSuggestion(describe(context, name), nearestInScope(context, name));
		return new DiagnosticMessage(message, Severity.ERROR, UNRESOLVED, name);
	}

	private static String linkText(ILinkingDiagnosticContext context) {
		try {
			return context.getLinkText();
		} catch (IllegalNodeException e) {
			return e.getNode().getText();
		}
	}

	private static String describe(ILinkingDiagnosticContext context, String name) {
		if (context.getContext() instanceof MemberAccess access) {
			SpecType receiver = SpecTypes.typeOf(access.getReceiver());
			ObjectType owner = receiver.objectType();
			return owner != null
					? "'" + owner.getName() + "' has no field, ref, list, refcount, lock, gate, completion or work named '" + name + "'"
					: "cannot look up '" + name + "': '" + receiverText(access) + "' is " + receiver.describe()
							+ ", not an object";
		}
		if (context.getContext() instanceof GuardMember member && pointsTo(member) != null) {
			return "'" + pointsTo(member).getName() + "' (what '" + Guards.text(member.getReceiver()) + "' points to) has "
					+ "no lock named '" + name + "'";
		}
		if (context.getReference() == P.getGuardName_Feature()) {
			return "unknown lock or ref '" + name + "': a guard names a lock of the object, a global lock, or a ref of the "
					+ "object that leads to one (guarded_by dev.msi_lock)";
		}
		if (context.getReference() == P.getWork_Queue()) {
			return "unknown workqueue '" + name + "': a work runs on a global workqueue, or on one of the object that "
					+ "holds it";
		}
		return "unknown " + what(context.getReference().getEReferenceType()) + " '" + name + "'";
	}

	/**
	 * A member of a receiver whose type is unknown, a field of an instance or
	 * {@code new} of an unknown type, the ref of {@code order L by r} when
	 * {@code L} is no object's lock (the rule check says so).
	 */
	private static boolean followsFromAnotherError(EObject context) {
		if (context instanceof Order order) {
			LockClass first = order.getFirst();
			return first == null || first.getOwner() == null || first.getOwner().eIsProxy();
		}
		if (context instanceof MemberAccess access) {
			return SpecTypes.typeOf(access.getReceiver()).isUnknown();
		}
		if (context instanceof Init init) {
			ObjectType type = typeOf(init);
			return type == null || type.eIsProxy();
		}
		if (context instanceof GuardMember member) {
			return pointsTo(member) == null; // the validator says why the name before is no ref
		}
		return false;
	}

	/** The type of the object the name before {@code member} points to, or null if that name is no ref. */
	private static ObjectType pointsTo(GuardMember member) {
		return Guards.last(member.getReceiver()) instanceof Ref r && r.getType() != null && !r.getType().eIsProxy()
				? r.getType() : null;
	}

	/**
	 * The declared name nearest to {@code name}: a member of the receiver's or
	 * instance's type, else a name of the kind the reference takes that this
	 * spec, or a spec loaded with it, declares. (Not the scope's names: Xtext's
	 * scopes, cached while linking, log each listing of all their names.)
	 */
	private Optional<String> nearestInScope(ILinkingDiagnosticContext context, String name) {
		EObject at = context.getContext();
		Collection<String> names;
		if (at instanceof MemberAccess access) {
			names = featureNames(SpecTypes.typeOf(access.getReceiver()).objectType());
		} else if (at instanceof GuardMember member) {
			names = featureNames(pointsTo(member));
		} else if (at instanceof Init init) {
			names = featureNames(typeOf(init));
		} else if (at.eResource() != null) {
			EClass kind = context.getReference().getEReferenceType();
			names = cache.get(Tuples.create("lockspec.declared", kind), at.eResource(),
					() -> declaredNames(at.eResource(), kind));
		} else {
			return Optional.empty();
		}
		String simple = name.substring(name.lastIndexOf('.') + 1);
		return Suggestions.nearest(simple, names);
	}

	private static Collection<String> featureNames(ObjectType type) {
		Set<String> names = new LinkedHashSet<>();
		if (type != null && !type.eIsProxy()) {
			type.getFeatures().forEach(f -> names.add(NameOf.name(f)));
		}
		names.remove(null);
		return names;
	}

	/**
	 * The names of the elements of {@code kind} in {@code resource} and the
	 * resources loaded with it; for a type, {@code int} and {@code bool} too.
	 */
	private static Collection<String> declaredNames(Resource resource, EClass kind) {
		List<Resource> resources = resource.getResourceSet() == null ? List.of(resource)
				: new ArrayList<>(resource.getResourceSet().getResources());
		Set<String> names = new LinkedHashSet<>();
		for (Resource r : resources) {
			for (TreeIterator<EObject> it = EcoreUtil.getAllContents(r, false); it.hasNext();) {
				EObject e = it.next();
				String n = kind.isInstance(e) ? NameOf.name(e) : null;
				if (n != null) {
					names.add(n);
				}
			}
		}
		if (kind == P.getTypeDecl()) {
			P.getPrimitive().getELiterals().forEach(l -> names.add(l.getLiteral()));
		}
		return names;
	}

	private static ObjectType typeOf(Init init) {
		EObject owner = init.eContainer();
		return owner instanceof Instance i ? i.getType() : owner instanceof NewExpr n ? n.getType() : null;
	}

	private static String receiverText(MemberAccess access) {
		var node = NodeModelUtils.findActualNodeFor(access.getReceiver());
		return node == null ? "the receiver" : node.getText().trim();
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
