package org.lockspec.generator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;
import org.lockspec.analysis.Sites;
import org.lockspec.analysis.SpecFacts;
import org.lockspec.kernel.LockKinds;
import org.lockspec.kernel.WorkKind;
import org.lockspec.kernel.Workqueues;
import org.lockspec.model.*;
import org.lockspec.verdict.Location;
import org.lockspec.verdict.Obligation;
import org.lockspec.verdict.SpecResult;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Trace;
import org.lockspec.verdict.Verdict;
import org.lockspec.typing.SpecType;
import org.lockspec.typing.SpecTypes;
import org.lockspec.typing.Syntax;

/** The Java of one spec (see {@link JavaGenerator}). */
final class SpecWriter {

	/** Members every generated object class inherits (from KObject and Object). */
	private static final Set<String> INHERITED = Set.of("objectName", "isFreed", "markFreed", "checkLive",
			"qualifiedName", "onRead", "onWrite", "onAtomic", "linkedOn", "toString", "hashCode", "equals", "getClass",
			"notify", "notifyAll", "wait", "clone", "finalize");
	private static final Set<String> WORLD_MEMBERS = Set.of("objects", "all", "failingInvariants", "holds");
	/** Default stress runs per scenario: five safe seed scenarios make the 100,000 of the issue. */
	static final int STRESS_ITERATIONS = 20_000;

	/** How expressions read state: through checked accessors (ops), raw (invariants, topology). */
	private enum Mode {
		OP, INVARIANT, TOPOLOGY
	}

	/** Java names of declarations, unique per method (Java forbids shadowing a local). */
	private static final class Scope {
		final Map<EObject, String> names = new HashMap<>();
		final Set<String> used = new HashSet<>();
		final Mode mode;
		final String world;

		Scope(Mode mode, String world, Set<String> reserved) {
			this.mode = mode;
			this.world = world;
			used.addAll(reserved);
		}

		String fresh(String base) {
			String n = base;
			for (int i = 1; used.contains(n) || Names.KEYWORDS.contains(n); i++) {
				n = base + "_" + i;
			}
			used.add(n);
			return n;
		}

		String declare(EObject decl, String base) {
			String n = fresh(base);
			names.put(decl, n);
			return n;
		}
	}

	private final Spec spec;
	private final String pkg;
	private final Path base;
	/** The spec's verdicts: a replay test per counterexample of the scenario engine. */
	private final SpecResult result;
	private final String file;
	private final Set<String> classNames = new HashSet<>();

	SpecWriter(Spec spec, SpecResult result, String basePackage, Path base) {
		this.spec = spec;
		this.base = base;
		this.result = result;
		this.pkg = (basePackage == null ? "" : basePackage + ".") + spec.getName();
		this.file = fileOf(spec);
	}

	String packageName() {
		return pkg;
	}

	String fileOf(EObject e) {
		return Location.relative(Sites.file(e), base);
	}

	String at(EObject e) {
		return file + ":" + Math.max(1, Sites.line(e)) + ":" + Math.max(1, Sites.column(e));
	}

	private String cite(EObject e) {
		return Names.comment(Path.of(file).getFileName() + ":" + Math.max(1, Sites.line(e)));
	}

	private GenerationException error(EObject e, String message) {
		return new GenerationException(at(e) + ": error: " + message);
	}

	// ------------------------------------------------------------------ names

	private void checkName(EObject e, String name, String what) throws GenerationException {
		String p = Names.problem(name);
		if (p != null) {
			throw error(e, "the " + what + " name " + p + "; rename it to generate Java");
		}
	}

	private void checkNames() throws GenerationException {
		for (String seg : spec.getName().split("\\.", -1)) {
			String p = Names.problem(seg);
			if (p != null) {
				throw error(spec, "spec " + spec.getName() + " cannot name a Java package: " + p);
			}
		}
		Set<String> worldNames = new HashSet<>();
		for (Member m : spec.getMembers()) {
			switch (m) {
			case ObjectType t -> {
				String p = Names.typeProblem(t.getName());
				if (p != null) {
					throw error(t, "the object name " + p + "; rename it to generate Java");
				}
				if (Set.of("World", "Ops").contains(t.getName())) {
					throw error(t, "an object may not be named " + t.getName() + ": the generated " + t.getName()
							+ " class of the spec has that name");
				}
				classNames.add(t.getName());
				Set<String> seen = new HashSet<>();
				for (Feature f : t.getFeatures()) {
					String n = featureName(f);
					checkName(f, n, "feature");
					if (INHERITED.contains(n)) {
						throw error(f, "the feature name '" + n + "' clashes with a method every generated object inherits"
								+ " (org.lockspec.runtime.KObject or java.lang.Object); rename it");
					}
					if (!seen.add(n)) {
						throw error(f, "object " + t.getName() + " has two features named '" + n + "'");
					}
				}
			}
			case Operation op -> {
				checkName(op, op.getName(), "op");
				if (INHERITED.contains(op.getName()) || op.getName().equals("queue")) {
					throw error(op, "the op name '" + op.getName() + "' clashes with a method of the generated Ops class");
				}
				for (Param p : op.getParams()) {
					checkName(p, p.getName(), "parameter");
				}
				for (var it = op.eAllContents(); it.hasNext();) {
					EObject e = it.next();
					if (e instanceof LetStmt let) {
						checkName(let, let.getName(), "local");
					} else if (e instanceof ForStmt f) {
						checkName(f, f.getName(), "loop variable");
					} else if (e instanceof QuantVar q) {
						checkName(q, q.getName(), "quantified variable");
					}
				}
			}
			case Scenario s -> {
				checkName(s, s.getName(), "scenario");
				for (Instance i : s.getInstances()) {
					checkName(i, i.getName(), "instance");
				}
			}
			case Invariant inv -> {
				checkName(inv, inv.getName(), "invariant");
				worldName(worldNames, inv, "invariant_" + inv.getName());
			}
			case Const k -> {
				checkName(k, k.getName(), "constant");
				worldName(worldNames, k, k.getName());
			}
			case Lock l -> globalName(worldNames, l, l.getName());
			case Gate g -> globalName(worldNames, g, g.getName());
			case Completion x -> globalName(worldNames, x, x.getName());
			case Work x -> globalName(worldNames, x, x.getName());
			case Field f -> globalName(worldNames, f, f.getName());
			case Ref r -> globalName(worldNames, r, r.getName());
			case ListField l -> globalName(worldNames, l, l.getName());
			case EnumType en -> {
				for (EnumLiteral lit : en.getLiterals()) {
					checkName(lit, lit.getName(), "enum literal");
				}
			}
			default -> {
			}
			}
		}
		for (ObjectType t : types()) {
			worldName(worldNames, t, "new" + t.getName());
		}
	}

	private void globalName(Set<String> names, EObject e, String name) throws GenerationException {
		checkName(e, name, "global");
		if (INHERITED.contains(name) || WORLD_MEMBERS.contains(name)) {
			throw error(e, "the global name '" + name + "' clashes with a method of the generated World class; rename it");
		}
		worldName(names, e, name);
	}

	private void worldName(Set<String> names, EObject e, String name) throws GenerationException {
		if (!names.add(name)) {
			throw error(e, "'" + name + "' would name two members of the generated World class; rename one");
		}
	}

	private static String featureName(Feature f) {
		return switch (f) {
		case Field x -> x.getName();
		case Ref x -> x.getName();
		case ListField x -> x.getName();
		case Refcount x -> x.getName();
		case Lock x -> x.getName();
		case Gate x -> x.getName();
		case Completion x -> x.getName();
		case Work x -> x.getName();
		case RuntimePm x -> x.getName();
		default -> "?";
		};
	}

	private List<ObjectType> types() {
		return EcoreUtil2.typeSelect(spec.getMembers(), ObjectType.class);
	}

	private Spec specOf(EObject e) {
		return EcoreUtil2.getContainerOfType(e, Spec.class);
	}

	private String typeName(ObjectType t, EObject at) throws GenerationException {
		if (t == null || t.eIsProxy()) {
			throw error(at, "unresolved object type");
		}
		if (specOf(t) != spec) {
			throw error(at, "object " + t.getName() + " is declared in spec " + specOf(t).getName()
					+ ", which this spec imports; the generator translates one spec at a time: declare it here");
		}
		return t.getName();
	}

	private String javaType(SpecType type, EObject at) throws GenerationException {
		SpecType t = type.asValue();
		return switch (t.kind()) {
		case INT, ENUM -> "long";
		case BOOL -> "boolean";
		case OBJECT -> typeName(t.objectType(), at);
		default -> throw error(at, "cannot give '" + Names.comment(Sites.text(at)) + "' a Java type (it is "
				+ t.describe() + ")");
		};
	}

	private String header(String what) {
		return "// Generated by Lockspec from " + Names.comment(file) + " (spec " + spec.getName()
				+ "). Do not edit: run 'lockspec generate' again.\n\npackage " + pkg + ";\n\n";
	}

	private String path(String cls) {
		return pkg.replace('.', '/') + "/" + cls + ".java";
	}

	// ---------------------------------------------------------------- writing

	void write(List<JavaGenerator.GeneratedFile> main, List<JavaGenerator.GeneratedFile> test)
			throws GenerationException {
		checkNames();
		for (ObjectType t : types()) {
			main.add(new JavaGenerator.GeneratedFile(path(t.getName()), objectClass(t)));
		}
		main.add(new JavaGenerator.GeneratedFile(path("World"), world()));
		main.add(new JavaGenerator.GeneratedFile(path("Ops"), ops()));
		for (Scenario s : EcoreUtil2.typeSelect(spec.getMembers(), Scenario.class)) {
			String cls = Names.camel(s.getName()) + "Test";
			String p = Names.typeProblem(cls);
			if (p != null || classNames.contains(cls) || cls.equals("World") || cls.equals("Ops")) {
				throw error(s, "scenario " + s.getName() + " would make the test class " + cls
						+ ", which clashes with another generated class; rename it");
			}
			classNames.add(cls);
			String text = scenarioTest(s, cls);
			if (text != null) {
				test.add(new JavaGenerator.GeneratedFile(path(cls), text));
			}
		}
	}

	// ---------------------------------------------------------- object classes

	private String lockType(Lock l) {
		return switch (l.getKind()) {
		case MUTEX -> "Mutex";
		case RWSEM -> "RwSem";
		case RWLOCK -> "RwLock";
		case SPINLOCK, RAW_SPINLOCK -> "SpinLock";
		case SRCU -> "Srcu";
		case RCU -> "Rcu";
		case WORKQUEUE, ORDERED_WORKQUEUE -> "Workqueue";
		};
	}

	private String newLock(Lock l, String cls, String nameExpr) {
		String extra = l.getKind() == LockKind.SPINLOCK || l.getKind() == LockKind.WORKQUEUE ? ", false"
				: l.getKind() == LockKind.RAW_SPINLOCK || l.getKind() == LockKind.ORDERED_WORKQUEUE ? ", true" : "";
		return "new " + lockType(l) + "(" + Names.string(cls) + ", " + nameExpr + extra + ")";
	}

	/** Declarations, constructor lines and accessors of features (of an object, or of the world). */
	private void features(List<? extends EObject> features, String owner, boolean world, Code decl, Code ctor,
			Code access, Set<String> imports) throws GenerationException {
		for (EObject f : features) {
			String cite = cite(f);
			String doc = "/** {@code " + Names.comment(Sites.text(f)).replace("{", "(").replace("}", ")") + "} (" + cite
					+ "). */";
			String nameExpr = world ? Names.string(featureName((Feature) f)) : "name + " + Names.string("." + featureName((Feature) f));
			switch (f) {
			case Field x -> {
				String t = javaType(SpecTypes.of(x.getType()), x);
				decl.line(doc);
				decl.line((x.isAtomic() ? "volatile " : "") + t + " " + x.getName() + ";");
				String hook = x.isAtomic() ? "onAtomic()" : "onRead(" + Names.string(x.getName()) + ")";
				String whook = x.isAtomic() ? "onAtomic()" : "onWrite(" + Names.string(x.getName()) + ")";
				access.line("/** Reads {@code " + x.getName() + "}" + (x.isAtomic() ? " (atomic)" : "")
						+ ": the object must be alive" + (x.isAtomic() ? "" : "; checked for races") + ". */");
				access.open("public " + t + " " + x.getName() + "() {").line(hook + ";").line("return " + x.getName() + ";")
						.close();
				access.line("/** Writes {@code " + x.getName() + "}. */");
				access.open("public void " + x.getName() + "(" + t + " value) {").line(whook + ";")
						.line(x.getName() + " = value;").close();
			}
			case Ref x -> {
				String t = typeName(x.getType(), x);
				decl.line(doc);
				decl.line(t + " " + x.getName() + ";");
				access.line("/** Reads the pointer {@code " + x.getName() + "}. */");
				access.open("public " + t + " " + x.getName() + "() {").line("onRead(" + Names.string(x.getName()) + ");")
						.line("return " + x.getName() + ";").close();
				access.line("/** Writes the pointer {@code " + x.getName() + "}. */");
				access.open("public void " + x.getName() + "(" + t + " value) {")
						.line("onWrite(" + Names.string(x.getName()) + ");").line(x.getName() + " = value;").close();
			}
			case ListField x -> {
				String t = "KList<" + typeName(x.getType(), x) + ">";
				imports.add("KList");
				decl.line(doc);
				decl.line("final " + t + " " + x.getName() + ";");
				ctor.line(x.getName() + " = new KList<>(this, " + Names.string(x.getName()) + ");");
				member(access, t, x.getName(), "list");
			}
			case Refcount x -> {
				imports.add("Kref");
				decl.line(doc);
				decl.line("final Kref " + x.getName() + ";");
				ctor.line(x.getName() + " = new Kref(this);");
				member(access, "Kref", x.getName(), "refcount");
			}
			case Lock x -> {
				imports.add(lockType(x));
				decl.line(doc);
				decl.line("final " + lockType(x) + " " + x.getName() + ";");
				ctor.line(x.getName() + " = " + newLock(x, (world ? "" : owner + ".") + x.getName(), nameExpr) + ";");
				member(access, lockType(x), x.getName(), "lock");
			}
			case Gate x -> waitable("Gate", "gate", x.getName(), world ? "" : owner + ".", nameExpr, doc, decl, ctor, access,
					imports);
			case Completion x -> waitable("Completion", "completion", x.getName(), world ? "" : owner + ".", nameExpr, doc,
					decl, ctor, access, imports);
			case Work x -> waitable(runtimeType(WorkKind.of(x)), WorkKind.of(x).noun, x.getName(),
					world ? "" : owner + ".", nameExpr, doc, decl, ctor, access, imports);
			// disabled until a scenario's topology enables it; the calls bind its callbacks (ops) to the device
			case RuntimePm x -> waitable("RuntimePm", "runtime PM", x.getName(), owner + ".", nameExpr, doc, decl, ctor,
					access, imports);
			default -> {
			}
			}
		}
	}

	/**
	 * A gate, completion or work: a final member of runtime class {@code type}, made with its class name
	 * ({@code owner} + name) and its instance's name.
	 */
	/** The runtime library's counterpart of a work, kthread, threaded irq or timer. */
	private static String runtimeType(WorkKind kind) {
		return switch (kind) {
		case THREADED_IRQ -> "Irq";
		case TIMER -> "Timer";
		case WORK, KTHREAD -> "Work";
		};
	}

	private static void waitable(String type, String what, String name, String owner, String nameExpr, String doc,
			Code decl, Code ctor, Code access, Set<String> imports) {
		imports.add(type);
		decl.line(doc);
		decl.line("final " + type + " " + name + ";");
		ctor.line(name + " = new " + type + "(" + Names.string(owner + name) + ", " + nameExpr + ");");
		member(access, type, name, what);
	}

	private static void member(Code access, String type, String name, String what) {
		access.line("/** The " + what + " {@code " + name + "}: the object must be alive. */");
		access.open("public " + type + " " + name + "() {").line("checkLive();").line("return " + name + ";").close();
	}

	private static String imports(Set<String> runtime, String... others) {
		Set<String> all = new TreeSet<>();
		for (String r : runtime) {
			all.add("org.lockspec.runtime." + r);
		}
		for (String o : others) {
			all.add(o);
		}
		StringBuilder b = new StringBuilder();
		for (String i : all) {
			b.append("import ").append(i).append(";\n");
		}
		return b.append('\n').toString();
	}

	private String objectClass(ObjectType t) throws GenerationException {
		Code decl = new Code();
		Code ctor = new Code();
		Code access = new Code();
		Set<String> imports = new TreeSet<>(Set.of("KObject"));
		features(t.getFeatures(), t.getName(), false, decl, ctor, access, imports);
		Code c = new Code();
		c.line("/**");
		c.line(" * {@code object " + t.getName() + "} (" + cite(t) + "): its fields, locks, lists and refcount. Fields");
		c.line(" * are read and written through the accessors, which fail on a freed object and");
		c.line(" * report races; the fields themselves are for topologies and invariants.");
		c.line(" */");
		c.open("public final class " + t.getName() + " extends KObject {");
		c.line();
		indent(c, decl);
		c.line();
		c.line("/** A new " + t.getName() + " named {@code name} in messages. */");
		c.open("public " + t.getName() + "(String name) {");
		c.line("super(name);");
		indent(c, ctor);
		c.close();
		c.line();
		indent(c, access);
		c.close();
		return header("object") + imports(imports) + c;
	}

	/** Appends already indented-at-zero code one level in. */
	private static void indent(Code into, Code block) {
		for (String l : block.toString().split("\n", -1)) {
			if (!l.isEmpty()) {
				into.line(l);
			}
		}
	}

	// ------------------------------------------------------------------- world

	private String world() throws GenerationException {
		List<EObject> globals = new ArrayList<>();
		for (Member m : spec.getMembers()) {
			if (m instanceof Lock || m instanceof Gate || m instanceof Completion || m instanceof Work || m instanceof Field
					|| m instanceof Ref || m instanceof ListField) {
				globals.add(m);
			}
		}
		Code decl = new Code();
		Code ctor = new Code();
		Code access = new Code();
		Set<String> imports = new TreeSet<>(Set.of("KObject"));
		features(globals, "", true, decl, ctor, access, imports);
		Code c = new Code();
		c.line("/**");
		c.line(" * The state of one run of spec {@code " + spec.getName() + "} (" + cite(spec) + "): its global locks,");
		c.line(" * lists and fields, its constants and invariants, and every object made in the run.");
		c.line(" */");
		c.open("public final class World extends KObject {");
		c.line();
		for (Const k : EcoreUtil2.typeSelect(spec.getMembers(), Const.class)) {
			c.line("/** {@code " + Names.comment(Sites.text(k)) + "} (" + cite(k) + "). */");
			c.line("public static final long " + k.getName() + " = " + k.getValue() + "L;");
		}
		c.line("/** The objects made in this run (threads make objects concurrently: guarded by this). */");
		c.line("private final List<KObject> objects = new ArrayList<>();");
		indent(c, decl);
		c.line();
		c.line("/** A fresh state: globals as declared, no objects. */");
		c.open("public World() {");
		c.line("super(\"\");");
		indent(c, ctor);
		c.close();
		c.line();
		indent(c, access);
		for (ObjectType t : types()) {
			c.line("/** A new {@code " + t.getName() + "} of the topology, named {@code name}. */");
			c.open("public synchronized " + t.getName() + " new" + t.getName() + "(String name) {");
			c.line(t.getName() + " o = new " + t.getName() + "(name);");
			c.line("objects.add(o);");
			c.line("return o;");
			c.close();
			c.line("/** {@code new " + t.getName() + "} in an op: named as the prover names it. */");
			c.open("public synchronized " + t.getName() + " new" + t.getName() + "() {");
			c.line("return new" + t.getName() + "(" + Names.string(t.getName().toLowerCase(java.util.Locale.ROOT) + "#")
					+ " + (objects.size() + 1));");
			c.close();
		}
		c.line("/** Every object of {@code type} made in this run, freed or not, in the order they were made. */");
		c.open("public synchronized <T extends KObject> List<T> all(Class<T> type) {");
		c.line("List<T> out = new ArrayList<>();");
		c.open("for (KObject o : objects) {");
		c.open("if (type.isInstance(o)) {").line("out.add(type.cast(o));").close();
		c.close();
		c.line("return out;");
		c.close();
		List<Invariant> invariants = EcoreUtil2.typeSelect(spec.getMembers(), Invariant.class);
		for (Invariant inv : invariants) {
			Scope s = new Scope(Mode.INVARIANT, "this", Set.of());
			c.line("/** {@code invariant " + inv.getName() + "} (" + cite(inv) + "). */");
			c.open("public boolean invariant_" + inv.getName() + "() {");
			c.line("return " + expr(inv.getExpr(), s) + ";");
			c.close();
		}
		c.line("/** The invariants that do not hold now (one that cannot be evaluated does not hold). */");
		c.open("public List<String> failingInvariants() {");
		c.line("List<String> out = new ArrayList<>();");
		for (Invariant inv : invariants) {
			c.open("if (!holds(this::invariant_" + inv.getName() + ")) {").line("out.add(" + Names.string(inv.getName()) + ");")
					.close();
		}
		c.line("return out;");
		c.close();
		c.line();
		c.open("private static boolean holds(BooleanSupplier invariant) {");
		c.open("try {").line("return invariant.getAsBoolean();");
		c.mid("} catch (RuntimeException e) {").line("return false;").close();
		c.close();
		c.close();
		imports.add("Kernel");
		return header("world") + imports(imports, "java.util.ArrayList", "java.util.List",
				"java.util.function.BooleanSupplier") + c;
	}

	// -------------------------------------------------------------- expressions

	private static String paren(String s) {
		return s.startsWith("(") && s.endsWith(")") && balanced(s) ? s : "(" + s + ")";
	}

	private static boolean balanced(String s) {
		int d = 0;
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			if (c == '(') {
				d++;
			} else if (c == ')') {
				d--;
				if (d == 0 && i < s.length() - 1) {
					return false;
				}
			}
		}
		return true;
	}

	private String expr(Expression e, Scope s) throws GenerationException {
		switch (e) {
		case IntLiteral i -> {
			return i.getValue() + "L";
		}
		case BoolLiteral b -> {
			return b.isValue() ? "true" : "false";
		}
		case NullLiteral n -> {
			return "null";
		}
		case Unary u -> {
			return u.getOp() + paren(expr(u.getOperand(), s));
		}
		case Binary b -> {
			String l = expr(b.getLeft(), s);
			String r = expr(b.getRight(), s);
			return switch (b.getOp()) {
			case "==>" -> "(!" + paren(l) + " || " + r + ")";
			case "/" -> "Kernel.div(" + l + ", " + r + ")";
			case "%" -> "Kernel.mod(" + l + ", " + r + ")";
			default -> "(" + l + " " + b.getOp() + " " + r + ")";
			};
		}
		case Quantified q -> {
			if (s.mode != Mode.INVARIANT) {
				throw error(q, "the generator translates quantifiers in invariants only, not in ops");
			}
			String t = typeName(q.getVariable().getType(), q);
			String v = s.declare(q.getVariable(), q.getVariable().getName());
			String body = expr(q.getBody(), s);
			return s.world + ".all(" + t + ".class).stream()."
					+ (q.getQuantifier() == Quantifier.FORALL ? "allMatch" : "anyMatch") + "(" + v + " -> " + body + ")";
		}
		case BuiltinCall c -> {
			return builtin(c, s);
		}
		case VarRef v -> {
			return varRef(v, s);
		}
		case MemberAccess m -> {
			String recv = expr(m.getReceiver(), s);
			EObject f = m.getMember();
			String name = featureName((Feature) f);
			if (s.mode != Mode.OP) {
				return recv + "." + name + (f instanceof Refcount ? ".count()" : "");
			}
			return recv + "." + name + "()" + (f instanceof Refcount ? ".read()" : "");
		}
		default -> throw error(e, "cannot translate '" + Names.comment(Sites.text(e)) + "'");
		}
	}

	private String varRef(VarRef v, Scope s) throws GenerationException {
		EObject d = v.getRef();
		if (d instanceof Const k) {
			if (specOf(k) != spec) {
				throw error(v, "constant " + k.getName() + " comes from an imported spec; declare it here to generate Java");
			}
			return s.world.equals("this") ? k.getName() : "World." + k.getName();
		}
		if (d instanceof EnumLiteral lit) {
			return ((EnumType) lit.eContainer()).getLiterals().indexOf(lit) + "L";
		}
		String local = s.names.get(d);
		if (local != null) {
			return local;
		}
		if (d instanceof Field || d instanceof Ref || d instanceof Lock || d instanceof Gate || d instanceof Completion
				|| d instanceof Work || d instanceof ListField) {
			if (specOf(d) != spec) {
				throw error(v, "'" + NameOfText(d) + "' is a global of an imported spec; declare it here to generate Java");
			}
			String name = featureName((Feature) d);
			boolean value = d instanceof Field || d instanceof Ref;
			return s.world + "." + name + (value && s.mode == Mode.OP ? "()" : "");
		}
		throw error(v, "cannot translate '" + Names.comment(Sites.text(v)) + "' here");
	}

	private static String NameOfText(EObject d) {
		return org.lockspec.naming.NameOf.name(d);
	}

	/** A list expression as the KList it denotes. */
	private String list(Expression e, Scope s) throws GenerationException {
		return expr(e, s);
	}

	private String builtin(BuiltinCall c, Scope s) throws GenerationException {
		List<Expression> a = c.getArgs();
		boolean raw = s.mode != Mode.OP;
		switch (c.getFn()) {
		case FIRST -> {
			String l = list(a.get(0), s);
			return raw ? "Kernel.first(" + l + ".members())" : l + ".first()";
		}
		case NEXT -> {
			String x = expr(a.get(0), s);
			String l = list(a.get(1), s);
			return raw ? "Kernel.next(" + l + ".members(), " + x + ")" : l + ".next(" + x + ")";
		}
		case LINKED -> {
			String x = expr(a.get(0), s);
			String l = list(a.get(1), s);
			return raw ? l + ".members().contains(" + x + ")" : l + ".contains(" + x + ")";
		}
		case EMPTY -> {
			String l = list(a.get(0), s);
			return raw ? l + ".members().isEmpty()" : l + ".isEmpty()";
		}
		case FREED -> {
			return "Kernel.freed(" + expr(a.get(0), s) + ")";
		}
		case HELD -> {
			return raw ? "false" : expr(a.get(0), s) + ".held()";
		}
		case KTHREAD_SHOULD_STOP -> {
			return expr(a.get(0), s) + ".shouldStop()";
		}
		}
		throw error(c, "cannot translate '" + Names.comment(Sites.text(c)) + "'");
	}

	// --------------------------------------------------------------------- ops

	private String ops() throws GenerationException {
		Code c = new Code();
		boolean queues = false;
		boolean works = false;
		boolean irqs = false;
		boolean synchronizes = false;
		boolean flushesQueues = false;
		boolean pmCalls = false;
		for (var it = spec.eAllContents(); it.hasNext();) {
			EObject o = it.next();
			synchronizes |= o instanceof SynchronizeSrcuStmt;
			pmCalls |= o instanceof PmStmt;
			flushesQueues |= o instanceof FlushWorkqueueStmt;
			queues |= o instanceof QueueStmt || o instanceof QueueWorkStmt;
			works |= o instanceof Work w && !w.isIrq();
			irqs |= o instanceof Work w && w.isIrq();
		}
		c.line("/**");
		c.line(" * The ops of spec {@code " + spec.getName() + "} (" + cite(spec) + "), statement by statement:");
		c.line(" * each {@code Kernel.step(line)} is one atomic step of the prover's scenario machine");
		c.line(" * at that spec line, where a replay takes turns and a stress run yields.");
		c.line(" */");
		c.open("public final class Ops {");
		c.line();
		c.line("private final World world;");
		c.line("private final ScenarioRun run;");
		c.line();
		c.line("/** The ops on {@code world}; {@code run} (may be null) runs queued work. */");
		c.open("public Ops(World world, ScenarioRun run) {");
		c.line("this.world = world;");
		c.line("this.run = run;");
		c.close();
		c.line();
		c.line("/** The ops on {@code world}, outside a scenario run (queued work runs at once). */");
		c.open("public Ops(World world) {");
		c.line("this(world, null);");
		c.close();
		if (queues) {
			c.line();
			c.line("/** {@code queue op(...)}: on a worker thread of the run, or at once outside a run. */");
			c.open("private void queue(String op, Runnable work) {");
			c.open("if (run != null) {").line("run.queue(op, work);");
			c.mid("} else {").line("work.run();").close();
			c.close();
			if (works) {
				c.line();
				c.line("/** {@code queue_work}, {@code mod_timer}: run {@code n} of {@code work} (0: it was pending, a no-op) on a thread of its own, or at once outside a run; {@code line} declares the work. */");
				c.open("private void queueWork(Work work, int n, int line, Runnable function) {");
				c.open("if (n > 0 && run != null) {").line("run.runWork(work, () -> work.run(n, line, function));");
				c.mid("} else if (n > 0) {").line("work.run(n, line, function);").close();
				c.close();
			}
		} else {
			c.line();
			c.line("/** The run these ops belong to (null outside a run). */");
			c.open("public ScenarioRun run() {").line("return run;").close();
		}
		if (irqs) {
			c.line();
			c.line("/** {@code request_threaded_irq}: the line may fire; in a run, the first request starts the action's thread; {@code line} declares the irq. */");
			c.open("private void requestIrq(Irq irq, String name, int line, Runnable function) {");
			c.open("if (irq.request() && run != null) {").line("run.irqThread(name, () -> irq.thread(line, function));").close();
			c.close();
		}
		for (Operation op : EcoreUtil2.typeSelect(spec.getMembers(), Operation.class)) {
			if (op.getBody() == null) {
				continue;
			}
			c.line();
			Scope s = new Scope(Mode.OP, "world", Set.of("world", "run"));
			List<String> params = new ArrayList<>();
			List<String> specParams = new ArrayList<>();
			for (Param p : op.getParams()) {
				String t = javaType(SpecTypes.of(p.getType()), p);
				params.add(t + " " + s.declare(p, p.getName()));
				specParams.add(Names.comment(Sites.text(p)));
			}
			c.line("/**");
			c.line(" * {@code op " + op.getName() + "(" + String.join(", ", specParams) + ")"
					+ (op.getContext() != null && Syntax.declaredContext(op) != null ? " in " + op.getContext().getLiteral() : "")
					+ "} (" + cite(op) + ").");
			c.line(" */");
			c.open("public void " + op.getName() + "(" + String.join(", ", params) + ") {");
			block(op.getBody().getStatements(), c, s, new ArrayList<>());
			c.close();
		}
		c.close();
		Set<String> imports = new TreeSet<>(Set.of("Kernel", "KList", "Mode", "ScenarioRun"));
		if (works) {
			imports.add("Work");
		}
		if (irqs) {
			imports.add("Irq");
		}
		if (synchronizes) {
			imports.add("Srcu");
		}
		if (flushesQueues) {
			imports.add("Workqueue");
		}
		if (pmCalls) {
			imports.add("RuntimePm");
		}
		return header("ops") + imports(imports) + c;
	}

	/** Emits statements; false if the last one cannot complete (the rest would be unreachable Java). */
	private boolean block(List<Statement> statements, Code c, Scope s, List<String> withs) throws GenerationException {
		for (int i = 0; i < statements.size(); i++) {
			if (!stmt(statements.get(i), c, s, withs)) {
				if (i + 1 < statements.size()) {
					c.line("// not reached: " + Names.comment(Sites.text(statements.get(i + 1))));
				}
				return false;
			}
		}
		return true;
	}

	private static String headerText(Statement st) {
		return switch (st) {
		case IfStmt i -> "if " + Sites.text(i.getCond());
		case TrylockStmt t -> "if trylock " + Sites.text(t.getLock()) + mode(t);
		case WhileStmt w -> "while " + Sites.text(w.getCond());
		case ForStmt f -> "for " + f.getName() + " in " + Sites.text(f.getList());
		case WithStmt w -> "with " + Sites.text(w.getLock()) + mode(w);
		case ChooseStmt ch -> "choose";
		default -> Sites.text(st);
		};
	}

	private static String mode(EObject st) {
		LockMode m = Syntax.mode(st);
		boolean irq = st instanceof TrylockStmt t ? t.isIrqsave() : st instanceof WithStmt w && w.isIrqsave();
		return (m == LockMode.READ ? " read" : "") + (irq ? " irqsave" : "");
	}

	private Lock lockDecl(Expression e) throws GenerationException {
		EObject d = e instanceof MemberAccess m ? m.getMember() : e instanceof VarRef v ? v.getRef() : null;
		if (d instanceof Lock l) {
			return l;
		}
		throw error(e, "'" + Names.comment(Sites.text(e)) + "' is not a lock");
	}

	/**
	 * The step point of a lock statement. At the write side of an rwsem or rwlock it says which lock the
	 * thread stands at ({@code Kernel.stepToWrite}): there it holds up new readers of a lock others hold,
	 * as the prover's engine has it. The lock is named lazily (its owner, a variable, is read now).
	 */
	private String lockStep(Expression lock, LockMode mode, int line, String step, Code c, Scope s)
			throws GenerationException {
		Lock decl = lockDecl(lock);
		if (!LockKinds.hasReadSide(decl.getKind()) || LockKinds.shared(decl.getKind(), mode)) {
			return step;
		}
		String comment = step.substring(step.indexOf("//"));
		if (lock instanceof VarRef) {
			return "Kernel.stepToWrite(" + line + ", () -> " + expr(lock, s) + "); " + comment;
		}
		if (lock instanceof MemberAccess m && m.getReceiver() instanceof VarRef) {
			String receiver = expr(m.getReceiver(), s);
			String full = expr(lock, s);
			String owner = s.fresh("write_lock_owner");
			c.line("var " + owner + " = " + receiver + ";");
			return "Kernel.stepToWrite(" + line + ", () -> " + owner + full.substring(receiver.length()) + "); " + comment;
		}
		return step;
	}

	private String lockCall(Lock l, LockMode mode, boolean irq) {
		boolean shared = LockKinds.shared(l.getKind(), mode);
		if (!shared) {
			return irq ? ".lockIrqsave()" : ".lock()";
		}
		return ".lock(Mode.READ, " + irq + ")";
	}

	private String tryCall(Lock l, LockMode mode, boolean irq) {
		boolean shared = LockKinds.shared(l.getKind(), mode);
		return ".trylock(Mode." + (shared ? "READ" : "WRITE") + ", " + irq + ")";
	}

	private static void releaseWiths(Code c, List<String> withs) {
		for (int i = withs.size() - 1; i >= 0; i--) {
			c.line(withs.get(i) + ".unlock();");
		}
	}

	/**
	 * {@code put r release op [under l]}: the last put calls op, then frees the object; with {@code under l}
	 * (kref_put_mutex) only the last put takes l, and op unlocks it. A step point at each of the lowering's steps.
	 */
	private void putReleasing(PutStmt p, Code c, Scope s, String step) throws GenerationException {
		Operation op = p.getRelease();
		if (specOf(op) != spec) {
			throw error(p, "op " + op.getName() + " comes from an imported spec; declare it here to generate Java");
		}
		String rc = refcount(p.getRefcount(), s);
		String release = op.getName() + "(" + expr(((MemberAccess) p.getRefcount()).getReceiver(), s) + ");";
		c.line(step);
		if (p.getLock() != null) {
			String lock = expr(p.getLock(), s);
			c.open("if (!" + rc + ".putUnlessLast()) {");
			c.line(step);
			c.line(lock + ".lock();");
			c.line(step);
		}
		c.open("if (" + rc + ".putReleasing()) {");
		c.line(step);
		c.line(release);
		c.line(step);
		c.line(rc + ".free();");
		if (p.getLock() != null) {
			c.mid("} else {");
			c.line(step);
			c.line(expr(p.getLock(), s) + ".unlock();");
			c.close();
		}
		c.close();
	}

	/** Emits one statement; false if it cannot complete normally. */
	private boolean stmt(Statement st, Code c, Scope s, List<String> withs) throws GenerationException {
		int line = Sites.line(st);
		String text = headerText(st);
		if (text.length() > 100) {
			text = text.substring(0, 97) + "...";
		}
		String step = "Kernel.step(" + line + "); // " + Names.comment(text);
		switch (st) {
		case LockStmt l -> {
			Expression lock = Syntax.lockOperand(l);
			c.line(lockStep(lock, Syntax.mode(st), line, step, c, s));
			c.line(expr(lock, s) + lockCall(lockDecl(lock), Syntax.mode(st), l.isIrqsave()) + ";");
			return true;
		}
		case UnlockStmt u -> {
			c.line(step);
			c.line(expr(Syntax.lockOperand(u), s) + ".unlock();");
			return true;
		}
		case WithStmt w -> {
			c.line(lockStep(w.getLock(), Syntax.mode(st), line, step, c, s));
			String v = s.fresh("with_" + featureName((Feature) lockDecl(w.getLock())));
			c.line("var " + v + " = " + expr(w.getLock(), s) + ";");
			c.line(v + lockCall(lockDecl(w.getLock()), Syntax.mode(st), w.isIrqsave()) + ";");
			c.open("{");
			List<String> inner = new ArrayList<>(withs);
			inner.add(v);
			boolean completes = block(w.getBody().getStatements(), c, s, inner);
			c.close();
			if (completes) {
				c.line("Kernel.step(" + line + "); // end of with: unlock " + Names.comment(Sites.text(w.getLock())));
				c.line(v + ".unlock();");
			}
			return completes;
		}
		case TrylockStmt t -> {
			c.line(step);
			c.open("if (" + expr(t.getLock(), s) + tryCall(lockDecl(t.getLock()), Syntax.mode(st), t.isIrqsave()) + ") {");
			return branches(t.getThen(), t.getElseIf(), t.getOtherwise(), c, s, withs);
		}
		case IfStmt i -> {
			c.line(step);
			c.open("if " + paren(expr(i.getCond(), s)) + " {");
			return branches(i.getThen(), i.getElseIf(), i.getOtherwise(), c, s, withs);
		}
		case LetStmt let -> {
			c.line(step);
			if (let.getValue() instanceof NewExpr n) {
				String t = typeName(n.getType(), n);
				List<String> inits = new ArrayList<>();
				for (Init in : n.getInits()) {
					inits.add(init(in, s));
				}
				String v = s.declare(let, let.getName());
				c.line(t + " " + v + " = world.new" + t + "();");
				for (int k = 0; k < inits.size(); k++) {
					c.line(v + "." + featureName(n.getInits().get(k).getFeature()) + " = " + inits.get(k) + ";");
				}
				return true;
			}
			SpecType type = SpecTypes.typeOf(let.getValue());
			if (type.kind() == SpecType.Kind.NULL) {
				throw error(let, "cannot tell the Java type of '" + let.getName() + "' from 'null'");
			}
			String t = javaType(type, let);
			String value = expr(let.getValue(), s);
			c.line(t + " " + s.declare(let, let.getName()) + " = " + value + ";");
			return true;
		}
		case AssignStmt a -> {
			c.line(step);
			String value = expr(a.getValue(), s);
			Expression target = a.getTarget();
			if (target instanceof VarRef v && s.names.containsKey(v.getRef())) {
				c.line(s.names.get(v.getRef()) + " = " + value + ";");
			} else if (target instanceof VarRef v && (v.getRef() instanceof Field || v.getRef() instanceof Ref)) {
				c.line("world." + featureName((Feature) v.getRef()) + "(" + value + ");");
			} else if (target instanceof MemberAccess m && (m.getMember() instanceof Field || m.getMember() instanceof Ref)) {
				c.line(expr(m.getReceiver(), s) + "." + featureName(m.getMember()) + "(" + value + ");");
			} else {
				throw error(a, "cannot assign to '" + Names.comment(Sites.text(target)) + "'");
			}
			return true;
		}
		case AddStmt a -> {
			c.line(step);
			c.line(list(a.getList(), s) + ".add(" + expr(a.getElem(), s) + ");");
			return true;
		}
		case RemoveStmt r -> {
			c.line(step);
			c.line(list(r.getList(), s) + ".remove(" + expr(r.getElem(), s) + ");");
			return true;
		}
		case ForStmt f -> {
			c.line(step);
			SpecType lt = SpecTypes.typeOf(f.getList());
			if (lt.kind() != SpecType.Kind.LIST) {
				throw error(f, "'" + Names.comment(Sites.text(f.getList())) + "' is not a list");
			}
			String t = typeName(lt.objectType(), f);
			String lv = s.fresh(f.getName() + "_list");
			c.line("KList<" + t + "> " + lv + " = " + list(f.getList(), s) + ";");
			String x = s.declare(f, f.getName());
			c.open("for (" + t + " " + x + " = " + lv + ".first(); " + x + " != null;) {");
			if (block(f.getBody().getStatements(), c, s, withs)) {
				c.line("Kernel.step(" + line + "); // next " + f.getName());
				c.line(x + " = " + lv + ".next(" + x + ");");
			}
			c.close();
			return true;
		}
		case WhileStmt w -> {
			c.open("while (true) {");
			c.line(step);
			c.open("if (!" + paren(expr(w.getCond(), s)) + ") {").line("break;").close();
			block(w.getBody().getStatements(), c, s, withs);
			c.close();
			return true;
		}
		case ChooseStmt ch -> {
			c.line(step);
			int n = ch.getBranches().size();
			c.open("switch (Kernel.choose(" + n + ")) {");
			boolean any = false;
			for (int b = 0; b < n; b++) {
				c.open((b == n - 1 ? "default" : "case " + b) + " -> {");
				any |= block(ch.getBranches().get(b).getStatements(), c, s, withs);
				c.close();
			}
			c.close();
			return any;
		}
		case GetStmt g -> {
			c.line(step);
			c.line(refcount(g.getRefcount(), s) + ".get();");
			return true;
		}
		case PutStmt p when p.getRelease() != null -> {
			putReleasing(p, c, s, step);
			return true;
		}
		case PutStmt p -> {
			c.line(step);
			c.line(refcount(p.getRefcount(), s) + ".put();");
			return true;
		}
		case EnterStmt e -> {
			c.line(step);
			c.open("if (!" + expr(e.getGate(), s) + ".enter()) {");
			c.line("// the gate is closed: the op returns (-ENODEV)");
			releaseWiths(c, withs);
			c.line("return;");
			c.close();
			return true;
		}
		case CompleteStmt done -> {
			c.line(step);
			c.line(expr(done.getCompletion(), s) + (done.isAll() ? ".completeAll();" : ".complete();"));
			return true;
		}
		case WaitForCompletionStmt w -> {
			c.line(step);
			c.line(expr(w.getCompletion(), s) + (w.isMayGiveUp() ? ".waitForCompletionOrGiveUp();" : ".waitForCompletion();"));
			return true;
		}
		case ReinitCompletionStmt r -> {
			c.line(step);
			c.line(expr(r.getCompletion(), s) + ".reinit();");
			return true;
		}
		case LeaveStmt l -> {
			c.line(step);
			c.line(expr(l.getGate(), s) + ".leave();");
			return true;
		}
		case DrainStmt d -> {
			c.line(step);
			String g = s.fresh("drained");
			c.line("var " + g + " = " + expr(d.getGate(), s) + ";");
			c.line(g + ".close();");
			c.line("Kernel.step(" + line + "); // drained: wait until nobody is inside");
			c.line(g + ".awaitDrained();");
			return true;
		}
		case MightSleepStmt m -> {
			c.line(step);
			c.line("Kernel.mightSleep();");
			return true;
		}
		case WaitStmt w -> {
			c.line(step);
			Map<EObject, String> saved = snapshot(w.getCond(), c, s);
			String cond = expr(w.getCond(), s);
			s.names.putAll(saved);
			c.line("Kernel.waitUntil(() -> " + cond + ");");
			return true;
		}
		case CallStmt call -> {
			c.line(step);
			Operation op = call.getOp();
			if (specOf(op) != spec) {
				throw error(call, "op " + op.getName() + " comes from an imported spec; declare it here to generate Java");
			}
			List<String> args = new ArrayList<>();
			for (Expression a : call.getArgs()) {
				args.add(expr(a, s));
			}
			c.line(op.getName() + "(" + String.join(", ", args) + ");");
			return true;
		}
		case QueueStmt q -> {
			c.line(step);
			Operation op = q.getOp();
			if (specOf(op) != spec) {
				throw error(q, "op " + op.getName() + " comes from an imported spec; declare it here to generate Java");
			}
			List<String> args = new ArrayList<>();
			for (Expression a : q.getArgs()) {
				String v = s.fresh("queued");
				c.line("final var " + v + " = " + expr(a, s) + ";");
				args.add(v);
			}
			c.line("queue(" + Names.string(op.getName()) + ", () -> " + op.getName() + "(" + String.join(", ", args) + "));");
			return true;
		}
		case QueueWorkStmt q -> {
			c.line(step);
			Work w = work(q.getWork(), q);
			String work = s.fresh("work");
			c.line("final Work " + work + " = " + expr(q.getWork(), s) + ";");
			String arg = "";
			if (q.getWork() instanceof MemberAccess m) {
				arg = s.fresh("owner");
				c.line("final var " + arg + " = " + expr(m.getReceiver(), s) + ";");
			}
			String queue = w.getQueue() == null ? "" : queueOf(w, arg, q, s);
			c.line("queueWork(" + work + ", " + work + (q.getCall() == QueueCall.KTHREAD_RUN ? ".kthreadRun(), " : ".queue(" + queue + "), ")
					+ Sites.line(w) + ", () -> " + w.getOp().getName() + "(" + arg + "));");
			return true;
		}
		case FlushWorkStmt f -> {
			c.line(step);
			String work = s.fresh("work");
			String run = s.fresh("run");
			c.line("final Work " + work + " = " + expr(f.getWork(), s) + ";");
			boolean cancel = WorkKind.cancels(f.getCall());
			c.line("final int " + run + " = " + work + (WorkKind.stops(f.getCall()) ? ".stopStart();"
					: cancel ? ".cancelSyncStart();" : ".flushStart();"));
			c.line("Kernel.step(" + line + "); // " + f.getCall().getLiteral() + " returns once that run has ended");
			c.line(work + (cancel ? ".cancelSyncEnd(" : ".awaitEnd(") + run + ");");
			return true;
		}
		case FlushWorkqueueStmt f -> {
			c.line(step);
			String queue = s.fresh("queue");
			String flush = s.fresh("flush");
			boolean drains = Workqueues.drains(f.getCall());
			c.line("final Workqueue " + queue + " = " + expr(f.getQueue(), s) + ";");
			c.line("final Workqueue.Flush " + flush + " = " + queue + (drains ? ".drainStart();" : ".flushStart();"));
			c.line("Kernel.step(" + line + "); // " + f.getCall().getLiteral() + " returns once "
					+ (drains ? "the workqueue is empty" : "the runs queued on it have ended"));
			c.line(queue + (drains ? ".drainEnd(" + flush + ", " + (f.getCall() == WorkqueueCall.DESTROY_WORKQUEUE) + ");"
					: ".flushEnd(" + flush + ");"));
			return true;
		}
		case CancelWorkStmt x -> {
			c.line(step);
			c.line(expr(x.getWork(), s) + ".cancel();");
			return true;
		}
		case IrqStmt i -> {
			irq(i, c, s, step, line);
			return true;
		}
		case PmStmt p -> {
			pm(p, c, s, step, line);
			return true;
		}
		case SynchronizeSrcuStmt y -> {
			c.line(step);
			String srcu = s.fresh("srcu");
			c.line("final Srcu " + srcu + " = " + expr(Syntax.lockOperand(y), s) + ";");
			c.line(srcu + ".syncStart();");
			c.line("Kernel.step(" + line + "); // " + (y.isRcu() ? "synchronize_rcu" : "synchronize_srcu")
					+ " returns once the readers inside have left");
			c.line(srcu + ".awaitGracePeriod();");
			return true;
		}
		case AssertStmt a -> {
			c.line(step);
			String msg = a.getMessage() != null ? a.getMessage() : Sites.text(a.getCond());
			c.line("Kernel.check(" + expr(a.getCond(), s) + ", " + Names.string(msg) + ");");
			return true;
		}
		case ReturnStmt r -> {
			c.line(step);
			releaseWiths(c, withs);
			c.line("return;");
			return false;
		}
		default -> throw error(st, "cannot translate '" + Names.comment(text) + "'");
		}
	}

	/** A genirq call: one step point, and a second one where {@code synchronize_irq}, {@code disable_irq} and {@code free_irq} wait. */
	private void irq(IrqStmt i, Code c, Scope s, String step, int line) throws GenerationException {
		c.line(step);
		String irq = s.fresh("irq");
		c.line("final Irq " + irq + " = " + expr(i.getIrq(), s) + ";");
		switch (i.getCall()) {
		case REQUEST -> {
			Work w = work(i.getIrq(), i);
			String arg = "";
			if (i.getIrq() instanceof MemberAccess m) {
				arg = s.fresh("owner");
				c.line("final var " + arg + " = " + expr(m.getReceiver(), s) + ";");
			}
			c.line("requestIrq(" + irq + ", " + Names.string(w.getName()) + ", " + Sites.line(w) + ", () -> "
					+ w.getOp().getName() + "(" + arg + "));");
		}
		case FREE -> c.line(irq + ".freeStart();");
		case SYNCHRONIZE -> c.line(irq + ".syncStart();");
		case DISABLE -> c.line(irq + ".disable(true);");
		case DISABLE_NOSYNC -> c.line(irq + ".disable(false);");
		case ENABLE -> c.line(irq + ".enable();");
		}
		if (i.getCall() == IrqCall.FREE || i.getCall() == IrqCall.SYNCHRONIZE || i.getCall() == IrqCall.DISABLE) {
			c.line("Kernel.step(" + line + "); // " + i.getCall().getLiteral() + " returns once the IRQ thread "
					+ (i.getCall() == IrqCall.FREE ? "has exited" : "is idle"));
			c.line(irq + (i.getCall() == IrqCall.FREE ? ".awaitExit();" : ".awaitIdle();"));
		}
	}

	/**
	 * A runtime PM call: one step point, then the callback it may run itself (the driver's op, on the device), and
	 * only after one a second step point, where the device becomes active (after a resume) or suspended.
	 */
	private void pm(PmStmt p, Code c, Scope s, String step, int line) throws GenerationException {
		c.line(step);
		if (!(p.getPm() instanceof MemberAccess m) || !(m.getMember() instanceof RuntimePm decl)) {
			throw error(p, "'" + Names.comment(Sites.text(p.getPm())) + "' is not a runtime PM");
		}
		String owner = s.fresh("device");
		c.line("final var " + owner + " = " + expr(m.getReceiver(), s) + ";");
		String pm = s.fresh("pm");
		c.line("final RuntimePm " + pm + " = " + owner + "." + decl.getName() + "();");
		c.open("if (" + pm + ".call(RuntimePm.Call." + p.getCall().name() + ", () -> " + callback(decl.getSuspend(), p)
				+ "(" + owner + "), () -> " + callback(decl.getResume(), p) + "(" + owner + "))) {");
		c.line("Kernel.step(" + line + "); // " + p.getCall().getLiteral() + " returns: the callback it ran has returned");
		c.line(pm + ".settle();");
		c.close();
	}

	/** The name of a runtime PM callback, an op that must come from this spec. */
	private String callback(Operation op, EObject at) throws GenerationException {
		if (op == null || op.eIsProxy()) {
			throw error(at, "a runtime PM callback is unresolved");
		}
		if (specOf(op) != spec) {
			throw error(at, "op " + op.getName() + " comes from an imported spec; declare it here to generate Java");
		}
		return op.getName();
	}

	/**
	 * The workqueue {@code queue_work} queues {@code w} on: a global one, or the one of the object that holds the
	 * work ({@code owner}, the receiver's variable).
	 */
	private String queueOf(Work w, String owner, Statement at, Scope s) throws GenerationException {
		Lock queue = w.getQueue();
		if (Workqueues.perObject(queue)) {
			return owner + "." + featureName(queue) + "()";
		}
		if (specOf(queue) != spec) {
			throw error(at, "'" + queue.getName() + "' is a global of an imported spec; declare it here to generate Java");
		}
		return s.world + "." + featureName(queue);
	}

	/** The work a {@code queue_work} names, whose function must come from this spec. */
	private Work work(Expression e, Statement at) throws GenerationException {
		if (!(Syntax.declaration(e) instanceof Work w) || w.getOp() == null) {
			throw error(at, "'" + Names.comment(Sites.text(e)) + "' is not a work");
		}
		if (specOf(w.getOp()) != spec) {
			throw error(at, "op " + w.getOp().getName() + " comes from an imported spec; declare it here to generate Java");
		}
		return w;
	}

	/** Copies the locals a lambda reads into effectively final variables; returns the names to restore. */
	private Map<EObject, String> snapshot(Expression e, Code c, Scope s) {
		Map<EObject, String> saved = new LinkedHashMap<>();
		Set<EObject> decls = new LinkedHashSet<>();
		for (VarRef v : EcoreUtil2.eAllOfType(e, VarRef.class)) {
			if (s.names.containsKey(v.getRef())) {
				decls.add(v.getRef());
			}
		}
		if (e instanceof VarRef v && s.names.containsKey(v.getRef())) {
			decls.add(v.getRef());
		}
		for (EObject d : decls) {
			String old = s.names.get(d);
			String copy = s.fresh(old + "_now");
			c.line("final var " + copy + " = " + old + ";");
			saved.put(d, old);
			s.names.put(d, copy);
		}
		return saved;
	}

	private String refcount(Expression e, Scope s) throws GenerationException {
		if (e instanceof MemberAccess m && m.getMember() instanceof Refcount rc) {
			return expr(m.getReceiver(), s) + "." + rc.getName() + "()";
		}
		throw error(e, "'" + Names.comment(Sites.text(e)) + "' is not a refcount");
	}

	private boolean branches(Block then, Statement elseIf, Block otherwise, Code c, Scope s, List<String> withs)
			throws GenerationException {
		boolean a = block(then.getStatements(), c, s, withs);
		if (elseIf == null && otherwise == null) {
			c.close();
			return true;
		}
		c.mid("} else {");
		boolean b = elseIf != null ? stmt(elseIf, c, s, withs) : block(otherwise.getStatements(), c, s, withs);
		c.close();
		return a || b;
	}

	private String init(Init in, Scope s) throws GenerationException {
		if (!(in.getFeature() instanceof Field) && !(in.getFeature() instanceof Ref)) {
			throw error(in, "only fields and pointers can be initialised in generated Java");
		}
		return expr(in.getValue(), s);
	}

	// --------------------------------------------------------------- scenarios

	/**
	 * The spec-level violations (lock order, wait context): a scenario replay
	 * whose interleaving shows one at run time asserts it too.
	 */
	private List<Verdict> statics() {
		List<Verdict> statics = new ArrayList<>();
		for (Verdict v : result.verdicts()) {
			if (v.status() == Status.VIOLATED
					&& (v.obligation() == Obligation.LOCK_ORDER || v.obligation() == Obligation.WAIT_CONTEXT)) {
				statics.add(v);
			}
		}
		return statics;
	}

	/**
	 * The lock-order cycles the spec expects ({@code expect deadlock} at its top, with the lock order violated, or
	 * {@code expect lockdep_splat}, with a cycle that cannot deadlock), as the validator names them: a safe
	 * scenario's stress run may show them at run time.
	 */
	private List<String> expectedCycles() {
		List<Expectation> expects = EcoreUtil2.typeSelect(spec.getMembers(), Expectation.class);
		boolean deadlock = expects.stream().anyMatch(x -> x.getKind() == ExpectKind.DEADLOCK);
		boolean splat = expects.stream().anyMatch(x -> x.getKind() == ExpectKind.LOCKDEP_SPLAT);
		List<String> out = new ArrayList<>();
		for (Verdict st : result.verdicts()) {
			boolean expected = st.obligation() == Obligation.LOCK_ORDER ? deadlock
					: st.obligation() == Obligation.LOCKDEP_ONLY && splat;
			if (expected && st.status() == Status.VIOLATED && cycleOf(st) != null) {
				out.add(cycleOf(st));
			}
			if (expected && st.obligation() == Obligation.LOCKDEP_ONLY && st.status() == Status.VIOLATED) {
				for (String detail : st.details()) {
					String named = cycleIn(detail);
					if (detail.startsWith("lockdep may report") && named != null && !out.contains(named)) {
						out.add(named);
					}
				}
			}
		}
		return out;
	}

	/** The cycle a lock-order verdict names, as the validator names it ({@link #cycle}); null if it names none. */
	private static String cycleOf(Verdict lockOrder) {
		return cycleIn(lockOrder.message());
	}

	/** The first cycle a text names in parentheses ({@code (a -> b -> a)}), as the validator names it; or null. */
	private static String cycleIn(String text) {
		java.util.regex.Matcher m = CYCLE.matcher(text);
		return m.find() ? cycle(m.group(1)) : null;
	}

	private static final java.util.regex.Pattern CYCLE = java.util.regex.Pattern.compile("\\(([^()]+ -> [^()]+)\\)");

	/** The scenario engine's counterexamples in {@code sc}: each becomes a replay test. */
	private List<Verdict> counterexamples(Scenario sc) {
		List<Verdict> out = new ArrayList<>();
		for (Verdict v : result.verdicts()) {
			if (sc.getName().equals(v.scenario()) && Verdict.EXPLICIT_STATE.equals(v.engine()) && v.status() == Status.VIOLATED
					&& v.trace() != null && !v.trace().events().isEmpty()) {
				out.add(v);
			}
		}
		return out;
	}

	private String context(Operation op) {
		return "Context." + SpecFacts.entryContext(op).getLiteral().toUpperCase(java.util.Locale.ROOT);
	}

	private String scenarioTest(Scenario sc, String cls) throws GenerationException {
		boolean safe = false;
		for (Expectation x : sc.getExpects()) {
			safe |= x.getKind() == ExpectKind.SAFE;
		}
		List<Verdict> violations = counterexamples(sc);
		if (!safe && violations.isEmpty()) {
			return null;
		}
		Code c = new Code();
		List<String> expects = new ArrayList<>();
		for (Expectation x : sc.getExpects()) {
			expects.add(Names.comment(Sites.text(x)));
		}
		c.line("/**");
		c.line(" * {@code scenario " + sc.getName() + "} (" + cite(sc) + ")" + (expects.isEmpty() ? "" : ": "
				+ String.join(", ", expects)) + ".");
		c.line(" * " + (safe ? "A stress test of its threads, and a" : "A") + " replay of every counterexample the prover"
				+ " finds in it.");
		c.line(" */");
		c.open("class " + cls + " {");
		c.line();
		topology(sc, c);
		if (safe) {
			c.line();
			List<String> cycles = expectedCycles();
			c.line("/** Many runs with random yields, the validator on: no report" + (cycles.isEmpty() ? ""
					: " (but of the lock-order cycle the spec expects, which these instances never close)")
					+ ", invariants hold, references balanced. */");
			c.line("@Test");
			c.open("void stress() {");
			StringBuilder expected = new StringBuilder();
			cycles.forEach(x -> expected.append(", ").append(Names.string(x)));
			c.line("Stress.Result result = Stress.run(Stress.iterations(" + String.format("%,d", STRESS_ITERATIONS).replace(',', '_')
					+ "), " + (sc.getName().hashCode() & 0xffffL) + "L, " + cls + "::topology" + expected + ");");
			c.line("assertTrue(result.clean(), result::describe);");
			c.close();
		}
		Set<String> methods = new HashSet<>(Set.of("topology", "stress"));
		String prefix = Verdict.scenarioPrefix(sc.getName());
		for (Verdict v : violations) {
			String id = v.id().startsWith(prefix) ? v.id().substring(prefix.length()) : v.id();
			String m = Names.method(id);
			for (int i = 2; !methods.add(m); i++) {
				m = Names.method(id) + "_" + i;
			}
			replay(c, cls, m, v);
		}
		for (Verdict v : violations) {
			for (Verdict st : statics()) {
				// a deadlock whose threads wait for each other's locks shows a lock-order cycle at run time
				if (v.obligation() == Obligation.SCENARIO_DEADLOCK && "locks".equals(v.proof().get("waitCycle"))
						&& st.obligation() == Obligation.LOCK_ORDER) {
					if (cycleOf(st) != null && methods.add(Names.method(st.id()))) {
						replay(c, cls, Names.method(st.id()), v,
								"result.has(Report.Kind.INVERSION, " + Names.string(cycleOf(st)) + ")", st);
					}
				} else if (v.obligation() == Obligation.SCENARIO_SLEEP && st.obligation() == Obligation.WAIT_CONTEXT) {
					String check = sleepShown(v, st);
					if (check != null && methods.add(Names.method(st.id()))) {
						replay(c, cls, Names.method(st.id()), v, check, st);
					}
				}
			}
		}
		c.close();
		Set<String> rt = new TreeSet<>(Set.of("Context", "ScenarioRun"));
		if (safe) {
			rt.add("Stress");
		}
		if (!violations.isEmpty()) {
			rt.add("Replay");
			rt.add("Report");
		}
		return header("test") + "import static org.junit.jupiter.api.Assertions.assertTrue;\n\n"
				+ imports(rt, "java.util.List", "java.util.function.Supplier", "org.junit.jupiter.api.Test") + c;
	}

	private void topology(Scenario sc, Code c) throws GenerationException {
		c.line("/** Builds the scenario's topology afresh and adds its threads to {@code run}; returns the invariant check. */");
		c.open("static Supplier<List<String>> topology(ScenarioRun run) {");
		Scope s = new Scope(Mode.TOPOLOGY, "world", Set.of("run", "world", "ops"));
		c.line("World world = new World();");
		for (Instance i : sc.getInstances()) {
			String t = typeName(i.getType(), i);
			c.line(t + " " + s.declare(i, i.getName()) + " = world.new" + t + "(" + Names.string(i.getName()) + ");");
		}
		for (Instance i : sc.getInstances()) {
			String v = s.names.get(i);
			for (Init in : i.getInits()) {
				c.line(v + "." + featureName(in.getFeature()) + " = " + init(in, s) + ";");
			}
			for (Expression l : i.getLists()) {
				c.line(expr(l, s) + ".link(" + v + ");");
			}
		}
		for (Config cfg : EcoreUtil2.typeSelect(spec.getMembers(), Config.class)) {
			if (cfg.getOption() == ConfigOption.PREEMPT_RT) {
				c.line("run.preemptRt(true);");
			}
		}
		c.line("Ops ops = new Ops(world, run);");
		for (ScenarioThread t : sc.getThreads()) {
			Operation op = t.getOp();
			if (specOf(op) != spec) {
				throw error(t, "op " + op.getName() + " comes from an imported spec; declare it here to generate Java");
			}
			List<String> args = new ArrayList<>();
			for (Expression a : t.getArgs()) {
				String value = expr(a, s);
				if (a instanceof VarRef v && v.getRef() instanceof Instance) {
					args.add(value);
				} else {
					String arg = s.fresh(t.getName() + "_arg" + args.size());
					c.line("var " + arg + " = " + value + ";");
					args.add(arg);
				}
			}
			c.line("run.thread(" + Names.string(t.getName()) + ", " + context(op) + ", () -> ops." + op.getName() + "("
					+ String.join(", ", args) + "));");
		}
		pmWorkers(sc, c, s);
		c.line("return world::failingInvariants;");
		c.close();
	}

	/**
	 * The runtime PM of each instance, in the order of the instances and of their features: enabled (as the PCI
	 * core does for its devices), with the PM workqueue's kworker standing by to suspend it, a thread after the
	 * scenario's, as the prover numbers them.
	 */
	private void pmWorkers(Scenario sc, Code c, Scope s) throws GenerationException {
		for (Instance i : sc.getInstances()) {
			String v = s.names.get(i);
			for (RuntimePm pm : EcoreUtil2.typeSelect(i.getType().getFeatures(), RuntimePm.class)) {
				c.line(v + "." + pm.getName() + ".enable();");
				c.line("run.pmWorker(() -> " + v + "." + pm.getName() + ".worker(" + Sites.line(pm) + ", () -> ops."
						+ callback(pm.getSuspend(), i) + "(" + v + ")));");
			}
		}
	}

	private void replay(Code c, String cls, String method, Verdict v) {
		replay(c, cls, method, v, check(v), null);
	}

	/** A replay of {@code v}'s interleaving asserting {@code check}; {@code also} (may be null) says what else it shows. */
	private void replay(Code c, String cls, String method, Verdict v, String check, Verdict also) {
		Trace trace = v.trace();
		c.line();
		c.line("/**");
		if (also != null) {
			c.line(" * The prover's {@code " + Names.comment(also.id()) + "} counterexample (" + cite(also) + "):");
			c.line(" * " + Names.comment(also.message()) + ";");
			c.line(" * the lock validator sees it at run time in the interleaving of {@code " + Names.comment(v.id()) + "}.");
		} else {
			c.line(" * Replays the prover's counterexample of {@code " + Names.comment(v.id()) + "} (" + cite(v) + "):");
			c.line(" * " + Names.comment(v.message()) + ".");
		}
		c.line(" */");
		c.line("@Test");
		c.open("void " + method + "() {");
		c.line("Replay.Result result = Replay.run(List.of(");
		List<Trace.Event> events = trace.events();
		for (int i = 0; i < events.size(); i++) {
			Trace.Event e = events.get(i);
			String call = switch (e.kind()) {
			case RETURN -> "Replay.returns(" + e.lane() + ")";
			// an IRQ thread's run ends, and it is woken again or not (the engine's two outcomes)
			case RUN_ENDS, RUN_ENDS_WOKEN -> "Replay.chooses(" + e.lane() + ", -1, "
					+ (e.kind() == Trace.Kind.RUN_ENDS_WOKEN ? 1 : 0) + ")";
			case CHOICE -> "Replay.chooses(" + e.lane() + ", " + e.at().line() + ", " + e.choice() + ")";
			case STEP -> e.waits() ? "Replay.waits(" + e.lane() + ", " + e.at().line() + ")"
					: "Replay.at(" + e.lane() + ", " + e.at().line() + ")";
			};
			String lane = e.lane() < trace.lanes().size() ? trace.lanes().get(e.lane()).cpu() : "thread " + e.lane();
			c.line("\t\t" + call + (i + 1 < events.size() ? "," : "), " + cls + "::topology);") + " // "
					+ Names.comment(lane + ": " + e.text()));
		}
		c.line("assertTrue(result.completed(), result::describe);");
		c.line("assertTrue(" + check + ", result::describe);");
		c.close();
	}

	private String cite(Verdict v) {
		return Names.comment(Path.of(v.location().relativeFile(base)).getFileName() + ":" + v.location().line());
	}

	/**
	 * Whether the scenario's sleep {@code v} shows the spec-level one {@code st} at run time, and what to
	 * assert then: the same statement, or a sleep on the same global lock (the runtime names it as the spec does).
	 */
	private static String sleepShown(Verdict v, Verdict st) {
		if (st.location().equals(v.location())) {
			return "result.has(Report.Kind.SLEEP_IN_ATOMIC)";
		}
		java.util.regex.Matcher quoted = java.util.regex.Pattern.compile("'([^']+)'").matcher(st.message());
		List<Trace.Event> events = v.trace().events();
		String step = events.get(events.size() - 1).text();
		if (quoted.find() && quoted.group(1).matches("\\w+") && step.matches("lock " + quoted.group(1) + "\\b.*")) {
			return "result.has(Report.Kind.SLEEP_IN_ATOMIC, " + Names.string(quoted.group(1)) + ")";
		}
		return null;
	}

	/** What a replay of {@code v} asserts: the failure the prover found. */
	private static String check(Verdict v) {
		return switch (v.obligation()) {
		case SCENARIO_DEADLOCK -> "result.has(Report.Kind.DEADLOCK)";
		case SCENARIO_MEMORY -> "result.has(Report.Kind."
				+ (v.message().startsWith("NULL") ? "NULL_DEREFERENCE"
						: v.message().startsWith("list") ? "LIST_CORRUPTION" : "USE_AFTER_FREE")
				+ ")";
		case SCENARIO_REFCOUNT -> "result.has(Report.Kind.REFCOUNT)";
		case SCENARIO_RACE -> "result.has(Report.Kind.RACE, " + Names.string(v.subject().split(",")[0]) + ")";
		case SCENARIO_INVARIANT -> v.subject() != null && v.subject().startsWith("assert@")
				? "result.has(Report.Kind.ASSERTION)"
				: "result.failingInvariants().contains(" + Names.string(v.subject()) + ")";
		case SCENARIO_SLEEP -> "result.has(Report.Kind.SLEEP_IN_ATOMIC)";
		default -> "result.has(Report.Kind.LOCK_MISUSE)";
		};
	}

	/** A lock cycle {@code A -> B -> A} starting at its smallest class, as the validator names it. */
	static String cycle(String text) {
		List<String> classes = new ArrayList<>(List.of(text.split(" -> ")));
		if (classes.size() > 1 && classes.get(0).equals(classes.get(classes.size() - 1))) {
			classes.remove(classes.size() - 1);
		}
		int min = 0;
		for (int i = 1; i < classes.size(); i++) {
			if (classes.get(i).compareTo(classes.get(min)) < 0) {
				min = i;
			}
		}
		List<String> out = new ArrayList<>(classes.subList(min, classes.size()));
		out.addAll(classes.subList(0, min));
		out.add(out.get(0));
		return String.join(" -> ", out);
	}
}
