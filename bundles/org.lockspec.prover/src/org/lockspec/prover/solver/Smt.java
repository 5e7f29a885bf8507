package org.lockspec.prover.solver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.emf.ecore.EObject;
import org.lockspec.analysis.Sym;
import org.lockspec.model.Binary;
import org.lockspec.model.BoolLiteral;
import org.lockspec.model.BuiltinCall;
import org.lockspec.model.Const;
import org.lockspec.model.EnumLiteral;
import org.lockspec.model.Expression;
import org.lockspec.model.Field;
import org.lockspec.model.IntLiteral;
import org.lockspec.model.ListField;
import org.lockspec.model.MemberAccess;
import org.lockspec.model.NullLiteral;
import org.lockspec.model.QuantVar;
import org.lockspec.model.Quantified;
import org.lockspec.model.Ref;
import org.lockspec.model.Refcount;
import org.lockspec.model.Unary;
import org.lockspec.model.VarRef;
import org.lockspec.naming.NameOf;
import org.lockspec.typing.SpecType;
import org.lockspec.typing.SpecTypes;

/**
 * Builds an SMT-LIB 2 script from symbolic path conditions and spec
 * expressions. Objects of every type share one uninterpreted sort {@code Obj}
 * with a {@code null} constant; a field is a function from {@code Obj}; a list
 * is a membership relation {@code linked_l(elem, owner)}; bitwise operators are
 * uninterpreted (an over-approximation: it can only make more paths feasible).
 * Anything it cannot type becomes a fresh constant, never a wrong assertion.
 */
public final class Smt {

	public enum Sort {
		INT("Int"), BOOL("Bool"), OBJ("Obj");

		final String smt;

		Sort(String smt) {
			this.smt = smt;
		}
	}

	private final Map<String, String> decls = new LinkedHashMap<>();
	private final List<String> asserts = new ArrayList<>();
	/** Facts made while translating (what first/next return); the caller takes them with {@link #takeFacts()}. */
	private final List<String> pending = new ArrayList<>();
	private int fresh;

	public Smt() {
		decls.put("Obj", "(declare-sort Obj 0)");
		decls.put("null", "(declare-const null Obj)");
	}

	/** Asserts a symbolic condition; names of variables get {@code scope} as prefix (per thread/edge). */
	public void assertSym(Sym cond, String scope) {
		Term t = sym(cond, scope);
		asserts.add(t.sort == Sort.BOOL ? t.text : freshConst(Sort.BOOL));
	}

	/** Asserts a boolean spec expression (an invariant), closed or over quantified variables. */
	public void assertExpr(Expression e) {
		Term t = expr(e, Map.of());
		if (t.sort == Sort.BOOL) {
			asserts.add(t.text);
		}
	}

	/** Asserts raw SMT-LIB text (with the declarations it needs added through {@link #declareFun}). */
	public void assertRaw(String formula) {
		asserts.add(formula);
	}

	public void declareFun(String name, String signature) {
		decls.putIfAbsent(name, "(declare-fun " + name + " " + signature + ")");
	}

	/** The term of a condition; one that is not boolean becomes a fresh unknown. */
	public String boolTerm(Sym cond, String scope) {
		Term t = sym(cond, scope);
		return t.sort == Sort.BOOL ? t.text : freshConst(Sort.BOOL);
	}

	/** The term of a symbolic value (for building raw assertions). */
	public String term(Sym s, String scope) {
		return sym(s, scope).text;
	}

	public String script() {
		StringBuilder sb = new StringBuilder();
		for (String d : decls.values()) {
			sb.append(d).append('\n');
		}
		for (String a : asserts) {
			sb.append("(assert ").append(a).append(")\n");
		}
		return sb.toString();
	}

	public boolean isEmpty() {
		return asserts.isEmpty();
	}

	/** The declarations made so far, by symbol. */
	public Map<String, String> declarations() {
		return decls;
	}

	/** Declares a constant (if new) and returns its symbol. */
	public String declareConst(String name, Sort sort) {
		return constant(name, sort);
	}

	/** Facts produced by the last translations (e.g. what first() returns is null or linked), then forgets them. */
	public List<String> takeFacts() {
		List<String> out = new ArrayList<>(pending);
		pending.clear();
		return out;
	}

	/** Translates an op's expression with {@code env} giving locals and parameters their terms. */
	public Term exprIn(Expression e, Map<EObject, Term> env) {
		Map<EObject, String> bound = new LinkedHashMap<>();
		envTerms = env;
		try {
			return expr(e, bound);
		} finally {
			envTerms = Map.of();
		}
	}

	private Map<EObject, Term> envTerms = Map.of();

	// ------------------------------------------------------------- terms

	/** An SMT-LIB term and its sort. */
	public record Term(String text, Sort sort) {
	}

	private String freshConst(Sort sort) {
		String n = "|fresh!" + fresh++ + "|";
		decls.put(n, "(declare-const " + n + " " + sort.smt + ")");
		return n;
	}

	private static String q(String s) {
		return "|" + s.replace("|", "/").replace("\\", "/") + "|";
	}

	private String constant(String name, Sort sort) {
		String n = q(name);
		decls.putIfAbsent(n, "(declare-const " + n + " " + sort.smt + ")");
		return n;
	}

	private String function(String name, List<Sort> args, Sort result) {
		String n = q(name);
		StringBuilder sig = new StringBuilder("(");
		for (int i = 0; i < args.size(); i++) {
			sig.append(i == 0 ? "" : " ").append(args.get(i).smt);
		}
		sig.append(") ").append(result.smt);
		decls.putIfAbsent(n, "(declare-fun " + n + " " + sig + ")");
		return n;
	}

	public static Sort sortOfFeature(EObject f) {
		if (f instanceof Ref || f instanceof ListField) {
			return Sort.OBJ;
		}
		if (f instanceof Field field) {
			return SpecTypes.of(field.getType()).kind() == SpecType.Kind.BOOL ? Sort.BOOL : Sort.INT;
		}
		return Sort.INT;
	}

	static String featureName(EObject f) {
		EObject owner = f.eContainer();
		String o = owner instanceof org.lockspec.model.ObjectType t ? t.getName() + "." : "";
		return o + NameOf.name(f);
	}

	private Term sym(Sym s, String scope) {
		switch (s) {
		case Sym.Int i -> {
			return new Term(i.value() < 0 ? "(- " + (-i.value()) + ")" : Long.toString(i.value()), Sort.INT);
		}
		case Sym.Bool b -> {
			return new Term(Boolean.toString(b.value()), Sort.BOOL);
		}
		case Sym.Null n -> {
			return new Term("null", Sort.OBJ);
		}
		case Sym.Var v -> {
			Sort sort = v.type() != null ? Sort.OBJ : v.bool() ? Sort.BOOL : Sort.INT;
			String c = constant(scope + v.name(), sort);
			if (v.type() != null) {
				// an object of type T satisfies the type guard of quantifiers over T (or is null)
				String guard = function("is!" + v.type().getName(), List.of(Sort.OBJ), Sort.BOOL);
				String fact = "(or (= " + c + " null) (" + guard + " " + c + "))";
				if (!asserts.contains(fact)) {
					asserts.add(fact);
				}
			}
			return new Term(c, sort);
		}
		case Sym.New n -> {
			return new Term(constant(scope + n, Sort.OBJ), Sort.OBJ);
		}
		case Sym.Read r -> {
			Sort sort = sortOfFeature(r.field());
			if (r.obj() == null) {
				return new Term(constant("g!" + featureName(r.field()), sort), sort); // shared by every thread
			}
			Term obj = sym(r.obj(), scope);
			String f = function("f!" + featureName(r.field()), List.of(Sort.OBJ), sort);
			return new Term("(" + f + " " + obj.text + ")", sort);
		}
		case Sym.Linked l -> {
			Term e = sym(l.elem(), scope);
			if (l.owner() == null) {
				String f = function("linked!" + featureName(l.list()), List.of(Sort.OBJ), Sort.BOOL);
				return new Term("(" + f + " " + e.text + ")", Sort.BOOL);
			}
			Term o = sym(l.owner(), scope);
			String f = function("linked!" + featureName(l.list()), List.of(Sort.OBJ, Sort.OBJ), Sort.BOOL);
			return new Term("(" + f + " " + e.text + " " + o.text + ")", Sort.BOOL);
		}
		case Sym.Op o -> {
			List<Term> args = new ArrayList<>();
			for (Sym a : o.args()) {
				args.add(sym(a, scope));
			}
			return op(o.op(), args);
		}
		}
	}

	private Term op(String op, List<Term> a) {
		if (a.size() == 1) {
			Term x = a.get(0);
			return switch (op) {
			case "!" -> x.sort == Sort.BOOL ? new Term("(not " + x.text + ")", Sort.BOOL) : fresh(Sort.BOOL);
			case "-" -> x.sort == Sort.INT ? new Term("(- " + x.text + ")", Sort.INT) : fresh(Sort.INT);
			case "~" -> x.sort == Sort.INT ? new Term("(" + bits("bnot") + " " + x.text + ")", Sort.INT) : fresh(Sort.INT);
			default -> fresh(Sort.BOOL);
			};
		}
		Term l = a.get(0);
		Term r = a.get(1);
		switch (op) {
		case "&&", "||", "==>" -> {
			if (l.sort != Sort.BOOL || r.sort != Sort.BOOL) {
				return fresh(Sort.BOOL);
			}
			String f = op.equals("&&") ? "and" : op.equals("||") ? "or" : "=>";
			return new Term("(" + f + " " + l.text + " " + r.text + ")", Sort.BOOL);
		}
		case "==", "!=" -> {
			if (l.sort != r.sort) {
				return fresh(Sort.BOOL);
			}
			String eq = "(= " + l.text + " " + r.text + ")";
			return new Term(op.equals("==") ? eq : "(not " + eq + ")", Sort.BOOL);
		}
		case "<", "<=", ">", ">=" -> {
			if (l.sort != Sort.INT || r.sort != Sort.INT) {
				return fresh(Sort.BOOL);
			}
			return new Term("(" + op + " " + l.text + " " + r.text + ")", Sort.BOOL);
		}
		case "+", "-", "*" -> {
			if (l.sort != Sort.INT || r.sort != Sort.INT) {
				return fresh(Sort.INT);
			}
			return new Term("(" + op + " " + l.text + " " + r.text + ")", Sort.INT);
		}
		default -> {
			if (l.sort != Sort.INT || r.sort != Sort.INT) {
				return fresh(Sort.INT);
			}
			if (op.equals("|") || op.equals("&")) {
				// registers and flag words: exact on 32 bits
				return new Term("(" + bits(op.equals("|") ? "bor" : "band") + " " + l.text + " " + r.text + ")", Sort.INT);
			}
			if (op.equals("/") || op.equals("%")) {
				return new Term("(" + (op.equals("/") ? "div" : "mod") + " " + l.text + " " + r.text + ")", Sort.INT);
			}
			String name = "op!" + op;
			return new Term("(" + function(name, List.of(Sort.INT, Sort.INT), Sort.INT) + " " + l.text + " " + r.text + ")",
					Sort.INT);
		}
		}
	}

	private final java.util.Set<String> approximations = new java.util.TreeSet<>();
	private boolean usesBits;

	/**
	 * Bitwise operators are function symbols: uninterpreted in a fast first query
	 * (an over-approximation, so an unsat answer is a proof), defined exactly on
	 * 32-bit vectors when a satisfiable answer must be confirmed ({@link #exactBits}).
	 */
	private String bits(String name) {
		usesBits = true;
		decls.putIfAbsent(name, name.equals("bnot") ? "(declare-fun bnot (Int) Int)" : "(declare-fun " + name + " (Int Int) Int)");
		return name;
	}

	/** Whether some term uses a bitwise operator. */
	public boolean usesBits() {
		return usesBits;
	}

	/** Replaces the uninterpreted bitwise declarations of a script by their exact 32-bit definitions. */
	public static String exactBits(String script) {
		return script
				.replace("(declare-fun bor (Int Int) Int)",
						"(define-fun bor ((a Int) (b Int)) Int (bv2int (bvor ((_ int2bv 32) a) ((_ int2bv 32) b))))")
				.replace("(declare-fun band (Int Int) Int)",
						"(define-fun band ((a Int) (b Int)) Int (bv2int (bvand ((_ int2bv 32) a) ((_ int2bv 32) b))))")
				.replace("(declare-fun bnot (Int) Int)", "(define-fun bnot ((a Int)) Int (bv2int (bvnot ((_ int2bv 32) a))))");
	}

	/** A term the encoding cannot express exactly: any value of its sort (an over-approximation). */
	private Term fresh(Sort sort) {
		String c = freshConst(sort);
		approximations.add(c);
		return new Term(c, sort);
	}

	/** Whether a script mentions a value the encoding could not express exactly: a model may then be spurious. */
	public boolean approximated(String script) {
		for (String a : approximations) {
			if (script.contains(a)) {
				return true;
			}
		}
		return false;
	}

	// ------------------------------------------------ spec expressions

	/** Translates an expression of an invariant; {@code bound} maps quantified variables to SMT names. */
	public Term expr(Expression e, Map<EObject, String> bound) {
		switch (e) {
		case IntLiteral i -> {
			return sym(new Sym.Int(i.getValue()), "");
		}
		case BoolLiteral b -> {
			return new Term(Boolean.toString(b.isValue()), Sort.BOOL);
		}
		case NullLiteral n -> {
			return new Term("null", Sort.OBJ);
		}
		case Unary u -> {
			return op(u.getOp(), List.of(expr(u.getOperand(), bound)));
		}
		case Binary b -> {
			return op(b.getOp(), List.of(expr(b.getLeft(), bound), expr(b.getRight(), bound)));
		}
		case Quantified qu -> {
			QuantVar v = qu.getVariable();
			String name = q("q!" + v.getName() + "!" + fresh++);
			Map<EObject, String> inner = new LinkedHashMap<>(bound);
			inner.put(v, name);
			Term body = expr(qu.getBody(), inner);
			if (body.sort != Sort.BOOL) {
				return fresh(Sort.BOOL);
			}
			String typeGuard = "(" + function("is!" + v.getType().getName(), List.of(Sort.OBJ), Sort.BOOL) + " " + name + ")";
			return switch (qu.getQuantifier()) {
			case FORALL -> new Term("(forall ((" + name + " Obj)) (=> " + typeGuard + " " + body.text + "))", Sort.BOOL);
			case EXISTS -> new Term("(exists ((" + name + " Obj)) (and " + typeGuard + " " + body.text + "))", Sort.BOOL);
			};
		}
		case VarRef v -> {
			EObject d = v.getRef();
			if (bound.containsKey(d)) {
				return new Term(bound.get(d), Sort.OBJ);
			}
			if (envTerms.containsKey(d)) {
				return envTerms.get(d);
			}
			if (d instanceof Const c) {
				return sym(new Sym.Int(c.getValue()), "");
			}
			if (d instanceof EnumLiteral lit) {
				return sym(new Sym.Int(((org.lockspec.model.EnumType) lit.eContainer()).getLiterals().indexOf(lit)), "");
			}
			if (d instanceof Field || d instanceof Ref) {
				Sort sort = sortOfFeature(d);
				return new Term(constant("g!" + featureName(d), sort), sort);
			}
			return fresh(Sort.INT);
		}
		case MemberAccess m -> {
			Term obj = expr(m.getReceiver(), bound);
			EObject f = m.getMember();
			if (obj.sort != Sort.OBJ) {
				return fresh(Sort.INT);
			}
			if (f instanceof Refcount) {
				String fn = function("rc!" + featureName(f), List.of(Sort.OBJ), Sort.INT);
				return new Term("(" + fn + " " + obj.text + ")", Sort.INT);
			}
			if (f instanceof Field || f instanceof Ref) {
				Sort sort = sortOfFeature(f);
				String fn = function("f!" + featureName(f), List.of(Sort.OBJ), sort);
				return new Term("(" + fn + " " + obj.text + ")", sort);
			}
			return fresh(Sort.INT);
		}
		case BuiltinCall c -> {
			switch (c.getFn()) {
			case LINKED -> {
				Term elem = expr(c.getArgs().get(0), bound);
				Expression list = c.getArgs().get(1);
				if (list instanceof MemberAccess lm) {
					Term owner = expr(lm.getReceiver(), bound);
					String fn = function("linked!" + featureName(lm.getMember()), List.of(Sort.OBJ, Sort.OBJ), Sort.BOOL);
					return new Term("(" + fn + " " + elem.text + " " + owner.text + ")", Sort.BOOL);
				}
				if (list instanceof VarRef lv) {
					String fn = function("linked!" + featureName(lv.getRef()), List.of(Sort.OBJ), Sort.BOOL);
					return new Term("(" + fn + " " + elem.text + ")", Sort.BOOL);
				}
				return fresh(Sort.BOOL);
			}
			case FREED -> {
				Term obj = expr(c.getArgs().get(0), bound);
				String fn = function("freed!", List.of(Sort.OBJ), Sort.BOOL);
				return new Term("(" + fn + " " + obj.text + ")", Sort.BOOL);
			}
			case FIRST, NEXT -> {
				Expression list = c.getArgs().get(c.getArgs().size() - 1);
				if (c.getFn() == org.lockspec.model.Builtin.NEXT) {
					expr(c.getArgs().get(0), bound);
				}
				Term y = new Term(freshConst(Sort.OBJ), Sort.OBJ);
				if (list instanceof MemberAccess lm) {
					Term owner = expr(lm.getReceiver(), bound);
					String fn = function("linked!" + featureName(lm.getMember()), List.of(Sort.OBJ, Sort.OBJ), Sort.BOOL);
					pending.add("(or (= " + y.text + " null) (" + fn + " " + y.text + " " + owner.text + "))");
					ListField lf = (ListField) lm.getMember();
					String guard = function("is!" + lf.getType().getName(), List.of(Sort.OBJ), Sort.BOOL);
					pending.add("(or (= " + y.text + " null) (" + guard + " " + y.text + "))");
				}
				return y;
			}
			case EMPTY -> {
				Expression list = c.getArgs().get(0);
				if (list instanceof MemberAccess lm) {
					Term owner = expr(lm.getReceiver(), bound);
					String fn = function("linked!" + featureName(lm.getMember()), List.of(Sort.OBJ, Sort.OBJ), Sort.BOOL);
					String x = q("e!" + fresh++);
					return new Term("(forall ((" + x + " Obj)) (not (" + fn + " " + x + " " + owner.text + ")))", Sort.BOOL);
				}
				return fresh(Sort.BOOL);
			}
			default -> {
				return fresh(Sort.BOOL);
			}
			}
		}
		default -> {
			return fresh(Sort.BOOL);
		}
		}
	}
}
