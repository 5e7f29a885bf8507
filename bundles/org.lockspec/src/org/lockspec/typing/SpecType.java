package org.lockspec.typing;

import java.util.Objects;

import org.eclipse.emf.ecore.EObject;
import org.lockspec.model.Completion;
import org.lockspec.model.EnumType;
import org.lockspec.model.Lock;
import org.lockspec.model.ObjectType;
import org.lockspec.model.Work;

/**
 * The static type of an expression in a spec. {@code decl} is the object type of
 * an {@link Kind#OBJECT} or the element type of a {@link Kind#LIST}, the enum of an
 * {@link Kind#ENUM}, the lock declaration of a {@link Kind#LOCK}, the completion of a
 * {@link Kind#COMPLETION}, the work of a {@link Kind#WORK}, the runtime PM of a {@link Kind#RUNTIME_PM}.
 */
public record SpecType(Kind kind, EObject decl) {

	public enum Kind {
		INT, BOOL, ENUM, OBJECT, LIST, LOCK, GATE, COMPLETION, WORK, RUNTIME_PM, REFCOUNT, NULL, TYPE, UNKNOWN
	}

	public static final SpecType INT = new SpecType(Kind.INT, null);
	public static final SpecType BOOL = new SpecType(Kind.BOOL, null);
	public static final SpecType GATE = new SpecType(Kind.GATE, null);
	public static final SpecType REFCOUNT = new SpecType(Kind.REFCOUNT, null);
	public static final SpecType NULL = new SpecType(Kind.NULL, null);
	public static final SpecType UNKNOWN = new SpecType(Kind.UNKNOWN, null);

	public static SpecType object(ObjectType type) {
		return type == null || type.eIsProxy() ? UNKNOWN : new SpecType(Kind.OBJECT, type);
	}

	public static SpecType list(ObjectType element) {
		return element == null || element.eIsProxy() ? UNKNOWN : new SpecType(Kind.LIST, element);
	}

	public static SpecType enumOf(EnumType type) {
		return type == null || type.eIsProxy() ? UNKNOWN : new SpecType(Kind.ENUM, type);
	}

	public static SpecType lock(Lock lock) {
		return lock == null || lock.eIsProxy() ? UNKNOWN : new SpecType(Kind.LOCK, lock);
	}

	public static SpecType completion(Completion completion) {
		return new SpecType(Kind.COMPLETION, completion);
	}

	public static SpecType work(Work work) {
		return new SpecType(Kind.WORK, work);
	}

	public static SpecType runtimePm(org.lockspec.model.RuntimePm pm) {
		return new SpecType(Kind.RUNTIME_PM, pm);
	}

	public static SpecType typeName(ObjectType type) {
		return new SpecType(Kind.TYPE, type);
	}

	public boolean isUnknown() {
		return kind == Kind.UNKNOWN;
	}

	public ObjectType objectType() {
		return (kind == Kind.OBJECT || kind == Kind.LIST || kind == Kind.TYPE) && decl instanceof ObjectType t ? t : null;
	}

	/**
	 * The type of this as a value read in an expression: a refcount reads as its
	 * count ({@code p.rc >= 1}), everything else as itself.
	 */
	public SpecType asValue() {
		return kind == Kind.REFCOUNT ? INT : this;
	}

	/** Whether a value of type {@code value} may be stored where this type is expected. */
	public boolean accepts(SpecType value) {
		if (isUnknown() || value.isUnknown()) {
			return true;
		}
		if (value.kind == Kind.NULL) {
			return kind == Kind.OBJECT;
		}
		return kind == value.kind && Objects.equals(decl, value.decl);
	}

	/** How a kernel developer would name the type in a message. */
	public String describe() {
		return switch (kind) {
		case INT -> "int";
		case BOOL -> "bool";
		case ENUM -> "enum " + ((EnumType) decl).getName();
		case OBJECT -> ((ObjectType) decl).getName();
		case LIST -> "list of " + ((ObjectType) decl).getName();
		case LOCK -> ((Lock) decl).getKind().getLiteral() + " " + ((Lock) decl).getName();
		case GATE -> "gate";
		case COMPLETION -> "completion";
		case WORK -> "work";
		case RUNTIME_PM -> "runtime PM";
		case REFCOUNT -> "refcount";
		case NULL -> "null";
		case TYPE -> "the type " + ((ObjectType) decl).getName();
		case UNKNOWN -> "unknown";
		};
	}
}
