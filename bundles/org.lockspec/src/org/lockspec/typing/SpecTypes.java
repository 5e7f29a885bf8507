package org.lockspec.typing;

import java.util.HashSet;
import java.util.Set;

import org.eclipse.emf.ecore.EObject;
import org.lockspec.model.Binary;
import org.lockspec.model.BoolLiteral;
import org.lockspec.model.BuiltinCall;
import org.lockspec.model.Const;
import org.lockspec.model.EnumLiteral;
import org.lockspec.model.EnumType;
import org.lockspec.model.Expression;
import org.lockspec.model.Field;
import org.lockspec.model.ForStmt;
import org.lockspec.model.Completion;
import org.lockspec.model.Work;
import org.lockspec.model.Gate;
import org.lockspec.model.Instance;
import org.lockspec.model.IntLiteral;
import org.lockspec.model.LetStmt;
import org.lockspec.model.ListField;
import org.lockspec.model.Lock;
import org.lockspec.model.MemberAccess;
import org.lockspec.model.NewExpr;
import org.lockspec.model.NullLiteral;
import org.lockspec.model.ObjectType;
import org.lockspec.model.Param;
import org.lockspec.model.QuantVar;
import org.lockspec.model.Quantified;
import org.lockspec.model.Ref;
import org.lockspec.model.Refcount;
import org.lockspec.model.TypeDecl;
import org.lockspec.model.TypeRef;
import org.lockspec.model.Unary;
import org.lockspec.model.VarRef;

/**
 * Computes static types of expressions and declarations. Used by scoping
 * ({@code x.f} looks up {@code f} in the type of {@code x}) and by validation.
 * Never throws: what cannot be typed (unresolved names, cycles) is
 * {@link SpecType#UNKNOWN}, and the linker reports the cause.
 */
public final class SpecTypes {

	private static final ThreadLocal<Set<EObject>> IN_PROGRESS = ThreadLocal.withInitial(HashSet::new);

	private SpecTypes() {
	}

	public static SpecType typeOf(Expression e) {
		if (e == null) {
			return SpecType.UNKNOWN;
		}
		if (e instanceof IntLiteral) {
			return SpecType.INT;
		}
		if (e instanceof BoolLiteral) {
			return SpecType.BOOL;
		}
		if (e instanceof NullLiteral) {
			return SpecType.NULL;
		}
		if (e instanceof NewExpr n) {
			return SpecType.object(n.getType());
		}
		if (e instanceof Quantified) {
			return SpecType.BOOL;
		}
		if (e instanceof Unary u) {
			return "!".equals(u.getOp()) ? SpecType.BOOL : SpecType.INT;
		}
		if (e instanceof Binary b) {
			return switch (b.getOp()) {
			case "+", "-", "*", "/", "%", "|", "&" -> SpecType.INT;
			default -> SpecType.BOOL;
			};
		}
		if (e instanceof BuiltinCall call) {
			return switch (call.getFn()) {
			case FIRST, NEXT -> {
				Expression list = call.getArgs().isEmpty() ? null : call.getArgs().get(call.getArgs().size() - 1);
				SpecType lt = typeOf(list);
				yield lt.kind() == SpecType.Kind.LIST ? SpecType.object(lt.objectType()) : SpecType.UNKNOWN;
			}
			default -> SpecType.BOOL;
			};
		}
		if (e instanceof VarRef v) {
			EObject target = v.getRef();
			return target == null || target.eIsProxy() ? SpecType.UNKNOWN : typeOfDeclaration(target);
		}
		if (e instanceof MemberAccess m) {
			EObject target = m.getMember();
			return target == null || target.eIsProxy() ? SpecType.UNKNOWN : typeOfDeclaration(target);
		}
		return SpecType.UNKNOWN;
	}

	/** The type of a value that names the declaration {@code d}. */
	public static SpecType typeOfDeclaration(EObject d) {
		Set<EObject> busy = IN_PROGRESS.get();
		if (!busy.add(d)) {
			return SpecType.UNKNOWN; // e.g. let x = x.f
		}
		try {
			return compute(d);
		} finally {
			busy.remove(d);
		}
	}

	private static SpecType compute(EObject d) {
		if (d instanceof Param p) {
			return of(p.getType());
		}
		if (d instanceof Field f) {
			return of(f.getType());
		}
		if (d instanceof LetStmt let) {
			return typeOf(let.getValue());
		}
		if (d instanceof ForStmt loop) {
			SpecType lt = typeOf(loop.getList());
			return lt.kind() == SpecType.Kind.LIST ? SpecType.object(lt.objectType()) : SpecType.UNKNOWN;
		}
		if (d instanceof QuantVar q) {
			return SpecType.object(q.getType());
		}
		if (d instanceof Instance i) {
			return SpecType.object(i.getType());
		}
		if (d instanceof Lock l) {
			return SpecType.lock(l);
		}
		if (d instanceof Gate) {
			return SpecType.GATE;
		}
		if (d instanceof Completion c) {
			return SpecType.completion(c);
		}
		if (d instanceof Work w) {
			return SpecType.work(w);
		}
		if (d instanceof org.lockspec.model.RuntimePm pm) {
			return SpecType.runtimePm(pm);
		}
		if (d instanceof ListField l) {
			return SpecType.list(l.getType());
		}
		if (d instanceof Ref r) {
			return SpecType.object(r.getType());
		}
		if (d instanceof Refcount) {
			return SpecType.REFCOUNT;
		}
		if (d instanceof EnumLiteral literal && literal.eContainer() instanceof EnumType en) {
			return SpecType.enumOf(en);
		}
		if (d instanceof Const) {
			return SpecType.INT;
		}
		if (d instanceof ObjectType t) {
			return SpecType.typeName(t);
		}
		return SpecType.UNKNOWN;
	}

	/** The type a {@link TypeRef} denotes. */
	public static SpecType of(TypeRef ref) {
		if (ref == null) {
			return SpecType.UNKNOWN;
		}
		TypeDecl decl = ref.getType();
		if (decl == null) {
			return switch (ref.getPrim()) {
			case INT -> SpecType.INT;
			case BOOL -> SpecType.BOOL;
			};
		}
		if (decl.eIsProxy()) {
			return SpecType.UNKNOWN;
		}
		if (decl instanceof ObjectType t) {
			return SpecType.object(t);
		}
		if (decl instanceof EnumType en) {
			return SpecType.enumOf(en);
		}
		return SpecType.UNKNOWN;
	}
}
