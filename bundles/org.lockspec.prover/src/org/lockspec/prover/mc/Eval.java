package org.lockspec.prover.mc;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;
import org.lockspec.model.*;
import org.lockspec.prover.mc.Machine.Ptr;

/**
 * Expressions compiled once per engine into closures over a step's context,
 * with the same meaning as walking the syntax tree: the search evaluates the
 * same few expressions (conditions, invariants) hundreds of thousands of
 * times, and walking EMF objects and dispatching on their types each time was
 * most of the search's cost. Quantified variables live in slots of the
 * context instead of the thread's variables, so a quantifier leaves nothing
 * behind in the state.
 */
final class Eval {

	/** A compiled expression. */
	@FunctionalInterface
	interface Ev {
		Object eval(Engine.Ctx c);
	}

	/** A compiled list expression: evaluates to the index of the object that owns the list. */
	@FunctionalInterface
	interface Owner {
		int owner(Engine.Ctx c, boolean write);
	}

	private final Map<EObject, Ev> compiled = new IdentityHashMap<>();
	private final Map<EObject, Integer> quantSlots = new IdentityHashMap<>();
	private final Map<EObject, Integer> instanceIds;
	private final Engine engine;
	/** Whether {@link #membersOnly} may stand in for the plain loop (off: the differential test's reference). */
	private final boolean shortcuts;

	Eval(Engine engine, Map<EObject, Integer> instanceIds, boolean shortcuts) {
		this.engine = engine;
		this.instanceIds = instanceIds;
		this.shortcuts = shortcuts;
	}

	/** How many quantified variables the compiled expressions bind: the size of a context's slots. */
	int slots() {
		return quantSlots.size();
	}

	Ev of(Expression e) {
		Ev ev = compiled.get(e);
		if (ev == null) {
			ev = compile(e);
			compiled.put(e, ev);
		}
		return ev;
	}

	static boolean truth(Object v) {
		return v instanceof Boolean b && b;
	}

	static long integer(Object v) {
		return v instanceof Long l ? l : v instanceof Boolean b ? (b ? 1 : 0) : 0;
	}

	private Ev compile(Expression e) {
		switch (e) {
		case IntLiteral i -> {
			Long v = i.getValue();
			return c -> v;
		}
		case BoolLiteral b -> {
			Boolean v = b.isValue();
			return c -> v;
		}
		case NullLiteral n -> {
			return c -> Ptr.NULL;
		}
		case Unary u -> {
			Ev v = of(u.getOperand());
			return switch (u.getOp()) {
			case "!" -> c -> !truth(v.eval(c));
			case "-" -> c -> -integer(v.eval(c));
			default -> c -> ~integer(v.eval(c));
			};
		}
		case Binary b -> {
			return binary(b.getOp(), of(b.getLeft()), of(b.getRight()));
		}
		case Quantified q -> {
			return quantified(q);
		}
		case BuiltinCall call -> {
			return builtin(call);
		}
		case VarRef v -> {
			return varRef(v.getRef());
		}
		case MemberAccess m -> {
			Ev receiver = of(m.getReceiver());
			EObject f = m.getMember();
			int slot = engine.slot(f);
			if (f instanceof Refcount) {
				return c -> {
					int obj = c.deref(receiver.eval(c), m);
					return (long) c.heap.get(obj).refcounts[slot];
				};
			}
			return c -> {
				int obj = c.deref(receiver.eval(c), m);
				c.access(obj, f, false);
				return c.heap.get(obj).fields[slot];
			};
		}
		default -> {
			return c -> Ptr.NULL;
		}
		}
	}

	private static Ev binary(String op, Ev l, Ev r) {
		return switch (op) {
		case "&&" -> c -> truth(l.eval(c)) && truth(r.eval(c));
		case "||" -> c -> truth(l.eval(c)) || truth(r.eval(c));
		case "==>" -> c -> !truth(l.eval(c)) || truth(r.eval(c));
		case "==" -> c -> l.eval(c).equals(r.eval(c));
		case "!=" -> c -> !l.eval(c).equals(r.eval(c));
		case "<" -> c -> integer(l.eval(c)) < integer(r.eval(c));
		case "<=" -> c -> integer(l.eval(c)) <= integer(r.eval(c));
		case ">" -> c -> integer(l.eval(c)) > integer(r.eval(c));
		case ">=" -> c -> integer(l.eval(c)) >= integer(r.eval(c));
		case "+" -> c -> integer(l.eval(c)) + integer(r.eval(c));
		case "-" -> c -> integer(l.eval(c)) - integer(r.eval(c));
		case "*" -> c -> integer(l.eval(c)) * integer(r.eval(c));
		case "/" -> c -> {
			long a = integer(l.eval(c));
			long d = integer(r.eval(c));
			return d == 0 ? 0L : a / d;
		};
		case "%" -> c -> {
			long a = integer(l.eval(c));
			long d = integer(r.eval(c));
			return d == 0 ? 0L : a % d;
		};
		case "|" -> c -> integer(l.eval(c)) | integer(r.eval(c));
		case "&" -> c -> integer(l.eval(c)) & integer(r.eval(c));
		default -> c -> {
			l.eval(c);
			r.eval(c);
			return Boolean.FALSE;
		};
		};
	}

	private Ev quantified(Quantified q) {
		Ev plain = plain(q);
		Ev members = shortcuts && q.getQuantifier() == Quantifier.FORALL ? membersOnly(q) : null;
		if (members == null) {
			return plain;
		}
		// exact: the shortcut decides only "true"; false or a fault is left to the plain loop, whose
		// order decides which comes first (and the shortcut's accesses are taken back)
		return c -> {
			int mark = c.accessCount();
			try {
				if (members.eval(c) == Boolean.TRUE) {
					return Boolean.TRUE;
				}
			} catch (Engine.Fault f) {
				// the plain loop reports it, or what comes before it
			}
			c.forgetAccesses(mark);
			return plain.eval(c);
		};
	}

	private Ev plain(Quantified q) {
		boolean forall = q.getQuantifier() == Quantifier.FORALL;
		int slot = slot(q.getVariable());
		ObjectType type = q.getVariable().getType();
		Ev body = of(q.getBody());
		return c -> {
			List<Heap.Obj> objects = c.heap.objects;
			Object[] bound = c.bound();
			for (int i = 1; i < objects.size(); i++) {
				if (objects.get(i).type != type) {
					continue;
				}
				bound[slot] = Ptr.of(i);
				boolean v = truth(body.eval(c));
				if (v != forall) {
					return v;
				}
			}
			return forall;
		};
	}

	private int slot(EObject quantVar) {
		return quantSlots.computeIfAbsent(quantVar, k -> quantSlots.size());
	}

	/**
	 * {@code forall x1 ... xn . linked(xi, L) ==> B} with {@code L} free of
	 * {@code xi} (the shape of "every PE on a child list has ..."): an {@code xi}
	 * off the list makes the implication true, so only the list's members are
	 * tried, O(n + members) instead of O(n^2) for two variables. Null if the
	 * expression has another shape.
	 */
	private Ev membersOnly(Quantified q) {
		List<QuantVar> vars = new ArrayList<>();
		Expression body = q;
		while (body instanceof Quantified inner && inner.getQuantifier() == Quantifier.FORALL) {
			vars.add(inner.getVariable());
			body = inner.getBody();
		}
		if (!(body instanceof Binary b && b.getOp().equals("==>") && b.getLeft() instanceof BuiltinCall call
				&& call.getFn() == Builtin.LINKED && call.getArgs().size() == 2
				&& call.getArgs().get(0) instanceof VarRef v && v.getRef() instanceof QuantVar member
				&& vars.contains(member))) {
			return null;
		}
		Expression list = call.getArgs().get(1);
		if (list instanceof VarRef r && r.getRef() == member
				|| EcoreUtil2.eAllOfType(list, VarRef.class).stream().anyMatch(r -> r.getRef() == member)) {
			return null;
		}
		List<QuantVar> others = new ArrayList<>(vars);
		others.remove(member);
		int memberSlot = slot(member);
		ObjectType memberType = member.getType();
		int[] otherSlots = others.stream().mapToInt(this::slot).toArray();
		ObjectType[] otherTypes = others.stream().map(QuantVar::getType).toArray(ObjectType[]::new);
		Owner owner = owner(list);
		int listSlot = engine.slot(feature(list));
		Ev then = of(b.getRight());
		class Members {
			boolean all(Engine.Ctx c, Object[] bound, int k) {
				List<Heap.Obj> objects = c.heap.objects;
				if (k == otherSlots.length) {
					for (int m : objects.get(owner.owner(c, false)).lists[listSlot]) {
						if (m < 1 || objects.get(m).type != memberType) {
							continue;
						}
						bound[memberSlot] = Ptr.of(m);
						if (!truth(then.eval(c))) {
							return false;
						}
					}
					return true;
				}
				for (int i = 1; i < objects.size(); i++) {
					if (objects.get(i).type == otherTypes[k]) {
						bound[otherSlots[k]] = Ptr.of(i);
						if (!all(c, bound, k + 1)) {
							return false;
						}
					}
				}
				return true;
			}
		}
		Members loop = new Members();
		return c -> loop.all(c, c.bound(), 0);
	}

	private Ev varRef(EObject d) {
		if (d instanceof Const k) {
			Long v = k.getValue();
			return c -> v;
		}
		if (d instanceof EnumLiteral lit) {
			Long v = (long) ((EnumType) lit.eContainer()).getLiterals().indexOf(lit);
			return c -> v;
		}
		if (d instanceof Instance i) {
			Integer id = instanceIds.get(i);
			Ptr p = id == null ? Ptr.NULL : Ptr.of(id);
			return c -> p;
		}
		if (d instanceof QuantVar) {
			int slot = slot(d);
			return c -> {
				Object v = c.bound()[slot];
				return v == null ? Ptr.NULL : v;
			};
		}
		if (d instanceof Field || d instanceof Ref) {
			int slot = engine.slot(d);
			return c -> {
				c.access(0, d, false);
				return c.heap.get(0).fields[slot];
			};
		}
		// a variable: a parameter, a let, a for loop's element
		return c -> {
			Object v = c.local(d);
			return v == null ? Ptr.NULL : v;
		};
	}

	private final Map<EObject, Owner> owners = new IdentityHashMap<>();

	/** A list expression's owner (the object whose list it is), reporting the access; compiled once. */
	Owner owner(Expression e) {
		Owner o = owners.get(e);
		if (o == null) {
			o = compileOwner(e);
			owners.put(e, o);
		}
		return o;
	}

	private Owner compileOwner(Expression e) {
		if (e instanceof MemberAccess m) {
			Ev receiver = of(m.getReceiver());
			EObject f = m.getMember();
			return (c, write) -> {
				int owner = c.deref(receiver.eval(c), m);
				c.access(owner, f, write);
				return owner;
			};
		}
		EObject f = feature(e);
		return (c, write) -> {
			c.access(0, f, write);
			return 0;
		};
	}

	static EObject feature(Expression e) {
		return e instanceof MemberAccess m ? m.getMember() : ((VarRef) e).getRef();
	}

	private Ev builtin(BuiltinCall call) {
		List<Expression> a = call.getArgs();
		switch (call.getFn()) {
		case FIRST -> {
			Owner list = owner(a.get(0));
			int slot = engine.slot(feature(a.get(0)));
			return c -> {
				int[] members = c.heap.get(list.owner(c, false)).lists[slot];
				return members.length == 0 ? Ptr.NULL : Ptr.of(members[0]);
			};
		}
		case NEXT -> {
			Ev cur = of(a.get(0));
			Owner list = owner(a.get(1));
			EObject f = feature(a.get(1));
			return c -> {
				Object v = cur.eval(c);
				int owner = list.owner(c, false);
				if (!(v instanceof Ptr r) || r.isNull()) {
					return Ptr.NULL;
				}
				return c.next(r, owner, f, call);
			};
		}
		case LINKED -> {
			Ev elem = of(a.get(0));
			Owner list = owner(a.get(1));
			int slot = engine.slot(feature(a.get(1)));
			return c -> {
				Object v = elem.eval(c);
				int owner = list.owner(c, false);
				return v instanceof Ptr r && !r.isNull() && c.heap.get(owner).contains(slot, r.id());
			};
		}
		case EMPTY -> {
			Owner list = owner(a.get(0));
			int slot = engine.slot(feature(a.get(0)));
			return c -> c.heap.get(list.owner(c, false)).lists[slot].length == 0;
		}
		case FREED -> {
			Ev v = of(a.get(0));
			return c -> v.eval(c) instanceof Ptr r && !r.isNull() && c.heap.get(r.id()).freed;
		}
		case HELD -> {
			Expression lock = a.get(0);
			return c -> c.holds(c.key(lock));
		}
		case KTHREAD_SHOULD_STOP -> {
			Expression kthread = a.get(0);
			return c -> c.workState(c.key(kthread)).stopping();
		}
		default -> {
			return c -> Boolean.FALSE;
		}
		}
	}
}
