package org.lockspec.analysis;

import java.util.List;

import org.eclipse.emf.ecore.EObject;
import org.lockspec.model.ObjectType;

/**
 * A symbolic value on a path: an object's identity, an int or bool, or a
 * condition. Equal terms denote the same value on every run; different terms may
 * or may not (the prover decides with a solver where it matters).
 */
public sealed interface Sym {

	/** An integer constant. */
	record Int(long value) implements Sym {
		@Override
		public String toString() {
			return Long.toString(value);
		}
	}

	/** A boolean constant. */
	record Bool(boolean value) implements Sym {
		@Override
		public String toString() {
			return Boolean.toString(value);
		}
	}

	/** The null pointer. */
	record Null() implements Sym {
		@Override
		public String toString() {
			return "null";
		}
	}

	/**
	 * A named value fixed for the whole run: a parameter of the entry op, a
	 * scenario instance, or a fresh unknown. {@code type} is the object type, or
	 * null for ints and bools ({@code bool} says which).
	 */
	record Var(String name, ObjectType type, boolean bool) implements Sym {
		/** The name as the spec writes it: a loop's element {@code dev#1} is {@code dev} in reports. */
		@Override
		public String toString() {
			int hash = name.indexOf('#');
			return hash > 0 ? name.substring(0, hash) : name;
		}
	}

	/**
	 * The value of a field that no op ever writes (configuration and topology):
	 * {@code obj.field}, or a global when {@code obj} is null. Stable for the run.
	 */
	record Read(Sym obj, EObject field) implements Sym {
		@Override
		public String toString() {
			String f = org.lockspec.naming.NameOf.name(field);
			return obj == null ? f : obj + "." + f;
		}
	}

	/** An object created by {@code new} at a site, the n-th time on this path. */
	record New(EObject site, ObjectType type, int n) implements Sym {
		@Override
		public String toString() {
			return "new " + type.getName() + "@" + Sites.line(site) + (n > 1 ? "#" + n : "");
		}
	}

	/** An operation on values: arithmetic, comparison, logic. */
	record Op(String op, List<Sym> args) implements Sym {
		@Override
		public String toString() {
			return args.size() == 1 ? op + args.get(0) : "(" + args.get(0) + " " + op + " " + args.get(1) + ")";
		}
	}

	/** {@code linked(elem, owner.list)}. */
	record Linked(Sym elem, Sym owner, EObject list) implements Sym {
		@Override
		public String toString() {
			return "linked(" + elem + ", " + (owner == null ? "" : owner + ".") + org.lockspec.naming.NameOf.name(list) + ")";
		}
	}

	Sym TRUE = new Bool(true);
	Sym FALSE = new Bool(false);
	Sym NULL = new Null();

	/** The object type of an object-valued term, or null. */
	static ObjectType typeOf(Sym s) {
		return switch (s) {
		case Var v -> v.type();
		case New n -> n.type();
		case Read r -> r.field() instanceof org.lockspec.model.Ref ref ? ref.getType() : null;
		default -> null;
		};
	}
}
