package org.lockspec.validation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.emf.common.util.EList;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.naming.QualifiedName;
import org.eclipse.xtext.resource.IResourceDescriptions;
import org.eclipse.xtext.resource.impl.ResourceDescriptionsProvider;
import org.eclipse.xtext.validation.Check;
import org.eclipse.xtext.validation.CheckType;
import org.lockspec.kernel.LockKinds;
import org.lockspec.kernel.WorkKind;
import org.lockspec.kernel.Workqueues;
import org.lockspec.model.AddStmt;
import org.lockspec.model.CompleteStmt;
import org.lockspec.model.Context;
import org.lockspec.model.Completion;
import org.lockspec.model.CancelWorkStmt;
import org.lockspec.model.FlushWorkStmt;
import org.lockspec.model.FlushWorkqueueStmt;
import org.lockspec.model.IrqStmt;
import org.lockspec.model.SynchronizeSrcuStmt;
import org.lockspec.model.QueueWorkStmt;
import org.lockspec.model.Work;
import org.lockspec.model.ReinitCompletionStmt;
import org.lockspec.model.WaitForCompletionStmt;
import org.lockspec.model.AssertStmt;
import org.lockspec.model.AssignStmt;
import org.lockspec.model.Binary;
import org.lockspec.model.Bound;
import org.lockspec.model.BuiltinCall;
import org.lockspec.model.CallStmt;
import org.lockspec.model.Config;
import org.lockspec.model.DrainStmt;
import org.lockspec.model.EnterStmt;
import org.lockspec.model.EnumType;
import org.lockspec.model.ExpectKind;
import org.lockspec.model.Expectation;
import org.lockspec.model.Expression;
import org.lockspec.model.Field;
import org.lockspec.model.Guard;
import org.lockspec.model.GuardMember;
import org.lockspec.model.ForStmt;
import org.lockspec.model.GetStmt;
import org.lockspec.model.IfStmt;
import org.lockspec.model.Import;
import org.lockspec.model.Init;
import org.lockspec.model.Instance;
import org.lockspec.model.Invariant;
import org.lockspec.model.LeaveStmt;
import org.lockspec.model.LetStmt;
import org.lockspec.model.ListField;
import org.lockspec.model.Lock;
import org.lockspec.model.LockKind;
import org.lockspec.model.LockMode;
import org.lockspec.model.LockStmt;
import org.lockspec.model.MemberAccess;
import org.lockspec.model.ModelPackage;
import org.lockspec.model.ObjectType;
import org.lockspec.model.Operation;
import org.lockspec.model.Order;
import org.lockspec.model.Param;
import org.lockspec.model.PmStmt;
import org.lockspec.model.PutStmt;
import org.lockspec.model.QueueStmt;
import org.lockspec.model.Ref;
import org.lockspec.model.Refcount;
import org.lockspec.model.RemoveStmt;
import org.lockspec.model.RuntimePm;
import org.lockspec.model.Scenario;
import org.lockspec.model.ScenarioThread;
import org.lockspec.model.Spec;
import org.lockspec.model.TrylockStmt;
import org.lockspec.model.Unary;
import org.lockspec.model.UnlockStmt;
import org.lockspec.model.VarRef;
import org.lockspec.model.WaitStmt;
import org.lockspec.model.WhileStmt;
import org.lockspec.model.WithStmt;
import org.lockspec.naming.NameOf;
import org.lockspec.typing.SpecType;
import org.lockspec.typing.SpecType.Kind;
import org.lockspec.typing.SpecTypes;
import org.lockspec.typing.Guards;
import org.lockspec.typing.Syntax;
import org.lockspec.typing.RcuDomain;

import com.google.inject.Inject;

/**
 * The rules of the language, one {@code @Check} per rule, each error attached to
 * the feature it is about and coded in {@link IssueCodes}. Unresolved names are
 * reported by the linker ({@link LockspecLinkingDiagnostics}). Deeper properties
 * (lock order, contexts, refcounts) are the analysis' and prover's business, not
 * the editor's: nothing here is slower than linear in the file.
 */
public class LockspecValidator extends AbstractLockspecValidator {

	private static final ModelPackage P = ModelPackage.eINSTANCE;

	@Inject
	private ResourceDescriptionsProvider indexProvider;

	@Inject
	private Keywords keywords;

	// ------------------------------------------------------------------ names

	@Check
	public void uniqueMemberNames(Spec spec) {
		reportDuplicates(spec.getMembers(), "in this spec");
	}

	@Check
	public void uniqueFeatureNames(ObjectType type) {
		reportDuplicates(type.getFeatures(), "in object " + type.getName());
	}

	@Check
	public void uniqueLiterals(EnumType type) {
		reportDuplicates(type.getLiterals(), "in enum " + type.getName());
	}

	@Check
	public void uniqueParameterNames(Operation op) {
		reportDuplicates(op.getParams(), "among the parameters of " + op.getName());
	}

	@Check
	public void uniqueScenarioNames(Scenario scenario) {
		List<EObject> named = new ArrayList<>(scenario.getInstances());
		named.addAll(scenario.getThreads());
		reportDuplicates(named, "in scenario " + scenario.getName());
	}

	@Check
	public void uniqueLetNames(org.lockspec.model.Block block) {
		reportDuplicates(EcoreUtil2.typeSelect(block.getStatements(), LetStmt.class), "in this block");
	}

	private void reportDuplicates(List<? extends EObject> elements, String where) {
		Map<String, EObject> seen = new HashMap<>();
		for (EObject e : elements) {
			String name = NameOf.name(e);
			if (name == null) {
				continue;
			}
			EObject first = seen.putIfAbsent(name, e);
			if (first != null) {
				error("'" + name + "' is declared twice " + where + " (first as " + describe(first) + ")", e,
						e.eClass().getEStructuralFeature("name"), IssueCodes.DUPLICATE_NAME);
			}
		}
	}

	/**
	 * Some keywords may name an object's features, as kernel structs do ({@code desc.lock}): they are read
	 * after a '.'. A global named so could never be read; RCU's name is never read ({@link RcuDomain}).
	 */
	@Check
	public void noGlobalNamedByAKeyword(Spec spec) {
		for (EObject m : spec.getMembers()) {
			String name = NameOf.name(m);
			if (name != null && keywords.featureNames().contains(name) && RcuDomain.of(spec) != m) {
				error("'" + name + "' is a keyword: a global named so could not be read (only the fields, refs, lists, "
						+ "refcounts, locks and gates of an object may be, read as x." + name + ")", m,
						m.eClass().getEStructuralFeature("name"), IssueCodes.KEYWORD_NAME);
			}
		}
	}

	@Check
	public void importNamesASpec(Import imp) {
		String ns = imp.getImportedNamespace();
		if (ns == null || imp.eResource() == null) {
			return;
		}
		String prefix = ns.endsWith(".*") ? ns.substring(0, ns.length() - 2) : ns;
		QualifiedName name = QualifiedName.create(prefix.split("\\."));
		IResourceDescriptions index = indexProvider.getResourceDescriptions(imp.eResource());
		boolean found = false;
		for (var d : index.getExportedObjects()) {
			if (d.getQualifiedName().startsWith(name)) {
				found = true;
				break;
			}
		}
		if (!found) {
			error("no spec declares '" + prefix + "' (is its file among the inputs or in the same directory?)", imp,
					P.getImport_ImportedNamespace(), IssueCodes.UNKNOWN_IMPORT);
		}
	}

	@Check
	public void configOnce(Config config) {
		Spec spec = EcoreUtil2.getContainerOfType(config, Spec.class);
		for (Config other : EcoreUtil2.typeSelect(spec.getMembers(), Config.class)) {
			if (other == config) {
				return;
			}
			if (other.getOption() == config.getOption()) {
				warning("'config " + config.getOption().getLiteral() + "' is already given", config,
						P.getConfig_Option(), IssueCodes.DUPLICATE_CONFIG);
				return;
			}
		}
	}

	// ------------------------------------------------------------ declarations

	@Check
	public void fieldType(Field field) {
		SpecType t = SpecTypes.of(field.getType());
		if (t.kind() == Kind.OBJECT) {
			error("a field holds an int, a bool or an enum; a pointer to " + t.describe() + " is a 'ref "
					+ field.getName() + " : " + t.describe() + "'", field, P.getField_Type(), IssueCodes.BAD_FIELD_TYPE);
		}
	}

	@Check
	public void orderByParent(Order order) {
		if (!order.isByParent() || order.getFirst() == null) {
			return;
		}
		ObjectType owner = order.getFirst().getOwner();
		if (owner == null) {
			error("'order L by parent' needs a per-object lock, written 'Type.lock'", order, P.getOrder_First(),
					IssueCodes.ORDER_BY_PARENT);
			return;
		}
		Ref via = order.getVia();
		if (via != null && !via.eIsProxy() && via.getType() != owner && !owner.eIsProxy()) {
			error("'" + via.getName() + "' leads to " + nameOf(via.getType()) + ", not to a parent "
					+ owner.getName(), order, P.getOrder_Via(), IssueCodes.ORDER_BY_PARENT);
		}
	}

	// ------------------------------------------------------------------- locks

	@Check
	public void lockOperand(LockStmt s) {
		lockTarget(s.getLock(), P.getLockStmt_Lock(), s);
	}

	@Check
	public void unlockOperand(UnlockStmt s) {
		lockTarget(s.getLock(), P.getUnlockStmt_Lock(), s);
	}

	@Check
	public void trylockOperand(TrylockStmt s) {
		lockTarget(s.getLock(), P.getTrylockStmt_Lock(), s);
	}

	@Check
	public void withOperand(WithStmt s) {
		lockTarget(s.getLock(), P.getWithStmt_Lock(), s);
	}

	@Check
	public void declaredLocks(Operation op) {
		for (int i = 0; i < op.getAcquires().size(); i++) {
			lockTarget(op.getAcquires().get(i), P.getOperation_Acquires(), op, i);
		}
		for (int i = 0; i < op.getReleases().size(); i++) {
			lockTarget(op.getReleases().get(i), P.getOperation_Releases(), op, i);
		}
	}

	private Lock lockTarget(Expression e, EStructuralFeature feature, EObject owner) {
		return lockTarget(e, feature, owner, INSIGNIFICANT_INDEX);
	}

	private Lock lockTarget(Expression e, EStructuralFeature feature, EObject owner, int index) {
		SpecType t = SpecTypes.typeOf(e);
		if (t.isUnknown()) {
			return null;
		}
		if (t.kind() != Kind.LOCK) {
			error("'" + text(e) + "' is " + a(t) + ", not a lock", owner, feature, index, IssueCodes.NOT_A_LOCK);
			return null;
		}
		return (Lock) t.decl();
	}

	@Check
	public void modeOfLock(LockStmt s) {
		checkMode(s, s.getLock(), P.getLockStmt_Mode());
	}

	@Check
	public void modeOfTrylock(TrylockStmt s) {
		checkMode(s, s.getLock(), P.getTrylockStmt_Mode());
	}

	@Check
	public void modeOfWith(WithStmt s) {
		checkMode(s, s.getLock(), P.getWithStmt_Mode());
	}

	private void checkMode(EObject stmt, Expression lockExpr, EStructuralFeature modeFeature) {
		SpecType t = SpecTypes.typeOf(lockExpr);
		if (t.kind() != Kind.LOCK) {
			return;
		}
		Lock lock = (Lock) t.decl();
		if (LockKinds.readersOnly(lock.getKind()) || Workqueues.isWorkqueue(lock.getKind())
				|| stmt instanceof LockStmt l && (l.isSrcu() || l.isRcu())) {
			return; // an srcu's statements have no mode, a workqueue's are not lock statements ({@link #readersUse})
		}
		LockMode mode = Syntax.mode(stmt);
		boolean hasModes = LockKinds.hasReadSide(lock.getKind());
		if (mode != null && !hasModes) {
			error("a " + lock.getKind().getLiteral() + " has no read or write side; write 'lock " + text(lockExpr) + "'",
					stmt, modeFeature, IssueCodes.MODE_NOT_SUPPORTED);
		} else if (mode == null && hasModes) {
			error("say which side of the " + lock.getKind().getLiteral() + " '" + lock.getName()
					+ "' is taken: 'read' or 'write'", stmt, stmt.eClass().getEStructuralFeature("lock"), IssueCodes.MODE_MISSING);
		}
	}

	@Check
	public void srcuOfLock(LockStmt s) {
		if (s.isRcu()) {
			rcuDeclared(s, P.getLockStmt_Rcu(), "rcu_read_lock");
		} else {
			readersUse(s.getLock(), s.isSrcu() ? LockKind.SRCU : null, s, P.getLockStmt_Lock(),
					s.isSrcu() ? "srcu_read_lock" : "lock");
		}
	}

	@Check
	public void srcuOfUnlock(UnlockStmt s) {
		if (s.isRcu()) {
			rcuDeclared(s, P.getUnlockStmt_Rcu(), "rcu_read_unlock");
		} else {
			readersUse(s.getLock(), s.isSrcu() ? LockKind.SRCU : null, s, P.getUnlockStmt_Lock(),
					s.isSrcu() ? "srcu_read_unlock" : "unlock");
		}
	}

	@Check
	public void srcuOfWith(WithStmt s) {
		readersUse(s.getLock(), null, s, P.getWithStmt_Lock(), "with");
	}

	@Check
	public void srcuOfTrylock(TrylockStmt s) {
		readersUse(s.getLock(), null, s, P.getTrylockStmt_Lock(), "trylock");
	}

	@Check
	public void srcuOfSynchronize(SynchronizeSrcuStmt s) {
		if (s.isRcu()) {
			rcuDeclared(s, P.getSynchronizeSrcuStmt_Rcu(), "synchronize_rcu");
			return;
		}
		Lock lock = lockTarget(s.getSrcu(), P.getSynchronizeSrcuStmt_Srcu(), s);
		if (lock != null) {
			readersUse(s.getSrcu(), LockKind.SRCU, s, P.getSynchronizeSrcuStmt_Srcu(), "synchronize_srcu");
		}
	}

	/** rcu_read_lock, rcu_read_unlock and synchronize_rcu name RCU, which the spec declares ({@link RcuDomain}). */
	private void rcuDeclared(EObject s, EStructuralFeature feature, String statement) {
		if (RcuDomain.of(s) == null) {
			error("'" + statement + "' needs RCU declared: add 'lock rcu : rcu' at the top level of the spec", s, feature,
					IssueCodes.RCU_DOMAIN);
		}
	}

	/** RCU is one domain for the whole kernel: declared once, at the top level. */
	@Check
	public void rcuDomain(Lock l) {
		if (l.getKind() != LockKind.RCU) {
			return;
		}
		if (!(l.eContainer() instanceof Spec)) {
			error("RCU is one domain for the whole kernel, not an object's: declare it once, at the top level ('lock "
					+ l.getName() + " : rcu')", l, P.getLock_Kind(), IssueCodes.RCU_DOMAIN);
		} else if (RcuDomain.of(l) != l) {
			error("a spec declares RCU once; '" + RcuDomain.of(l).getName() + "' is it already", l, P.getLock_Name(),
					IssueCodes.RCU_DOMAIN);
		}
	}

	/**
	 * An srcu and RCU have readers only: srcu_read_lock and srcu_read_unlock (rcu_read_lock and rcu_read_unlock)
	 * open and close their read sections and synchronize_srcu (synchronize_rcu) waits for them; no other lock
	 * statement takes them, and they take no other lock. {@code wanted}: the kind the statement needs (null for
	 * the other lock statements).
	 */
	private void readersUse(Expression e, LockKind wanted, EObject s, EStructuralFeature feature, String statement) {
		SpecType t = SpecTypes.typeOf(e);
		if (t.kind() != Kind.LOCK) {
			return; // the lock checks say what it is
		}
		Lock lock = (Lock) t.decl();
		boolean readersOnly = LockKinds.readersOnly(lock.getKind());
		if (wanted != null && lock.getKind() != wanted) {
			error("'" + statement + "' needs an srcu" + (readersOnly ? "; '" + text(e) + "' is "
					+ LockKinds.readersOnlyNoun(lock.getKind()) + ": use '" + statement.replace("srcu", "rcu") + "'"
					: " ('srcu " + lock.getName() + "'); '" + text(e) + "' is a " + lock.getKind().getLiteral()),
					s, feature, IssueCodes.NOT_AN_SRCU);
		} else if (wanted == null && lock.getKind() == LockKind.RCU) {
			error("'" + text(e) + "' is RCU, which has readers only: 'rcu_read_lock' and 'rcu_read_unlock' open and close "
					+ "a read section, 'synchronize_rcu' waits for the readers; '" + statement + "' does not apply", s,
					feature, IssueCodes.NOT_AN_SRCU);
		} else if (Workqueues.isWorkqueue(lock.getKind())) {
			error("'" + text(e) + "' is a workqueue: works run on it ('work w : op on " + lock.getName() + "'), "
					+ "'flush_workqueue', 'drain_workqueue' and 'destroy_workqueue' wait for them; '" + statement
					+ "' does not apply", s, feature, IssueCodes.NOT_A_WORKQUEUE);
		} else if (wanted == null && readersOnly) {
			error("'" + text(e) + "' is an srcu, which has readers only: 'srcu_read_lock " + text(e)
					+ "' and 'srcu_read_unlock " + text(e) + "' open and close a read section, 'synchronize_srcu "
					+ text(e) + "' waits for the readers; '" + statement + "' does not apply", s, feature,
					IssueCodes.NOT_AN_SRCU);
		}
	}

	/**
	 * A guard names a lock that every access can take: its last name is a lock (an srcu or a workqueue guards
	 * nothing), and the names before it are refs that lead to the lock's owner, never null and assigned by no
	 * op, so that every access and every lock statement reach the same lock ({@link Guards}).
	 */
	@Check
	public void guardsOf(Field f) {
		f.getGuards().forEach(this::guard);
	}

	@Check
	public void guardsOf(Ref r) {
		r.getGuards().forEach(this::guard);
	}

	@Check
	public void guardsOf(ListField l) {
		l.getGuards().forEach(this::guard);
	}

	private void guard(Guard guard) {
		List<EObject> names = Guards.names(guard);
		for (int i = 0; i < names.size() - 1; i++) {
			if (!pathStep(names.get(i), guardPart(guard, names.size() - 1 - i))) {
				return;
			}
		}
		EObject last = names.get(names.size() - 1);
		if (last == null || last.eIsProxy()) {
			return; // the linker says so
		}
		if (!(last instanceof Lock g)) {
			guardError("'" + NameOf.name(last) + "' is " + describe(last) + ", not a lock: a guard names the lock every "
					+ "access holds" + (last instanceof Ref ? " (a lock of the object it points to is 'guarded_by "
					+ NameOf.name(last) + ".LOCK')" : ""), guard, IssueCodes.BAD_GUARD);
		} else if (Workqueues.isWorkqueue(g.getKind())) {
			guardError("a workqueue guards no field: nobody holds it but the kworkers of its works; guard the field "
					+ "with a lock", guard, IssueCodes.NOT_A_WORKQUEUE);
		} else if (LockKinds.readersOnly(g.getKind())) {
			guardError(LockKinds.readersOnlyNoun(g.getKind()) + " guards no field: its readers hold it for read only, "
					+ "and a write under it is no write side; guard the field with the lock its writers take", guard,
					IssueCodes.NOT_AN_SRCU);
		}
	}

	/** Whether {@code name}, a name before a guard's last, is a ref that every access reads the same; if not, says why. */
	private boolean pathStep(EObject name, Guard at) {
		if (name == null || name.eIsProxy()) {
			return false;
		}
		if (!(name instanceof Ref ref)) {
			guardError("'" + NameOf.name(name) + "' is " + describe(name) + ": only a ref leads to the object whose "
					+ "lock guards (desc->dev->msi_lock is 'guarded_by dev.msi_lock')", at, IssueCodes.BAD_GUARD);
			return false;
		}
		if (ref.isNullable()) {
			guardError("'" + ref.getName() + "' may be null ('?'): a guard is reached through refs that always point "
					+ "to an object", at, IssueCodes.BAD_GUARD);
			return false;
		}
		for (AssignStmt a : EcoreUtil2.getAllContentsOfType(EcoreUtil2.getRootContainer(ref), AssignStmt.class)) {
			if (Syntax.declaration(a.getTarget()) == ref) {
				guardError("'" + ref.getName() + "' is assigned (line " + org.eclipse.xtext.nodemodel.util.NodeModelUtils.getNode(a).getStartLine()
						+ "): a guard is reached through refs that keep their object for life, as desc->dev, so that "
						+ "every access and every lock statement reach the same lock", at, IssueCodes.BAD_GUARD);
				return false;
			}
		}
		return true;
	}

	/** The part of {@code guard} that ends {@code up} names before its last (0: the whole guard). */
	private static Guard guardPart(Guard guard, int up) {
		Guard g = guard;
		for (int i = 0; i < up && g instanceof GuardMember m; i++) {
			g = m.getReceiver();
		}
		return g;
	}

	/** An error at the last name of {@code part} (a guard, or the part of one that ends at the name). */
	private void guardError(String message, Guard part, String code) {
		if (part instanceof GuardMember m) {
			error(message, m, P.getGuardMember_Member(), code);
		} else {
			error(message, part, P.getGuardName_Feature(), code);
		}
	}

	@Check
	public void irqsaveOfLock(LockStmt s) {
		checkIrqsave(s, s.getLock(), s.isIrqsave(), P.getLockStmt_Irqsave());
	}

	@Check
	public void irqsaveOfTrylock(TrylockStmt s) {
		checkIrqsave(s, s.getLock(), s.isIrqsave(), P.getTrylockStmt_Irqsave());
	}

	@Check
	public void irqsaveOfWith(WithStmt s) {
		checkIrqsave(s, s.getLock(), s.isIrqsave(), P.getWithStmt_Irqsave());
	}

	private void checkIrqsave(EObject stmt, Expression lockExpr, boolean irqsave, EStructuralFeature feature) {
		if (!irqsave) {
			return;
		}
		SpecType t = SpecTypes.typeOf(lockExpr);
		if (t.kind() == Kind.LOCK) {
			Lock lock = (Lock) t.decl();
			if (LockKinds.alwaysSleeps(lock.getKind())) {
				error("'irqsave' on a " + lock.getKind().getLiteral() + ": a " + lock.getKind().getLiteral()
						+ " may sleep, and sleeping with interrupts disabled is a bug", stmt, feature,
						IssueCodes.IRQSAVE_ON_SLEEPING_LOCK);
			}
		}
	}

	@Check
	public void unlockOfLockTaken(UnlockStmt s) {
		SpecType t = SpecTypes.typeOf(Syntax.lockOperand(s));
		Operation op = EcoreUtil2.getContainerOfType(s, Operation.class);
		if (t.kind() != Kind.LOCK || op == null) {
			return;
		}
		Lock lock = (Lock) t.decl();
		if (!takenOrReleased(op, lock)) {
			error("'" + op.getName() + "' unlocks " + lock.getName() + " but never locks it; an op that is entered with "
					+ lock.getName() + " held says so with 'releases " + lock.getName() + "'", s,
					s.isRcu() ? P.getUnlockStmt_Rcu() : P.getUnlockStmt_Lock(), IssueCodes.UNLOCK_NOT_TAKEN);
		}
	}

	private static boolean takenOrReleased(Operation op, Lock lock) {
		for (Expression e : op.getReleases()) {
			if (SpecTypes.typeOf(e).decl() == lock) {
				return true;
			}
		}
		for (EObject o : (Iterable<EObject>) () -> op.eAllContents()) {
			Expression taken = o instanceof LockStmt || o instanceof TrylockStmt || o instanceof WithStmt
					? Syntax.lockOperand(o) : null;
			if (taken != null && SpecTypes.typeOf(taken).decl() == lock) {
				return true;
			}
			if (o instanceof CallStmt call && call.getOp() != null && !call.getOp().eIsProxy()) {
				for (Expression e : call.getOp().getAcquires()) {
					if (SpecTypes.typeOf(e).decl() == lock) {
						return true;
					}
				}
			}
		}
		return false;
	}

	// ------------------------------------------------------ refcounts and gates

	@Check
	public void getOfRefcount(GetStmt s) {
		expectKind(s.getRefcount(), Kind.REFCOUNT, "a refcount", s, P.getGetStmt_Refcount(), IssueCodes.NOT_A_REFCOUNT,
				"'get'");
	}

	@Check
	public void putOfRefcount(PutStmt s) {
		expectKind(s.getRefcount(), Kind.REFCOUNT, "a refcount", s, P.getPutStmt_Refcount(), IssueCodes.NOT_A_REFCOUNT,
				"'put'");
	}

	/**
	 * {@code put r release op [under l]}: op takes the object (kref_put's release gets the kref, whose owner
	 * it frees); {@code under l} names a lock the kernel's last put can take (kref_put_mutex, kref_put_lock),
	 * and op releases it, as the kernel's release functions do.
	 */
	@Check
	public void putRelease(PutStmt s) {
		Operation op = s.getRelease();
		if (op == null || op.eIsProxy() || !(s.getRefcount() instanceof MemberAccess rc)) {
			return;
		}
		if (!(rc.getReceiver() instanceof VarRef)) {
			error("'put … release' needs the object by name (a parameter or a 'let'), as kref_put takes &obj->kref of "
					+ "a pointer it holds: the release op gets it, and it is freed after", s, P.getPutStmt_Refcount(),
					IssueCodes.BAD_RELEASE_OP);
			return;
		}
		SpecType object = SpecTypes.typeOf(rc.getReceiver());
		if (op.getParams().size() != 1 || !SpecTypes.of(op.getParams().get(0).getType()).accepts(object)) {
			error("the release op '" + op.getName() + "' must take one parameter, the object whose last reference "
					+ "goes (" + a(object) + "), as kref_put's release gets its kref; it takes (" + signature(op) + ")",
					s, P.getPutStmt_Release(), IssueCodes.BAD_RELEASE_OP);
			return;
		}
		Lock lock = s.getLock() == null ? null : SpecTypes.typeOf(s.getLock()).decl() instanceof Lock l ? l : null;
		if (s.getLock() != null && lock == null) {
			expectKind(s.getLock(), Kind.LOCK, "a lock", s, P.getPutStmt_Lock(), IssueCodes.NOT_A_LOCK, "'put … under'");
			return;
		}
		if (lock != null && LockKinds.refPutUnderCall(lock.getKind()) == null) {
			error("the kernel's last put takes a mutex (kref_put_mutex), a spinlock (kref_put_lock) or a raw spinlock "
					+ "(refcount_dec_and_raw_lock), not " + a(SpecTypes.typeOf(s.getLock())), s, P.getPutStmt_Lock(),
					IssueCodes.BAD_RELEASE_OP);
			return;
		}
		boolean releasesIt = lock != null && op.getReleases().stream().anyMatch(e -> SpecTypes.typeOf(e).decl() == lock);
		if (lock != null && !releasesIt) {
			error("'" + op.getName() + "' runs with " + lock.getName() + " held (" + LockKinds.refPutUnderCall(lock.getKind())
					+ ") and must unlock it: declare it 'releases " + lock.getName() + "'", s, P.getPutStmt_Release(),
					IssueCodes.BAD_RELEASE_OP);
		} else if (lock == null && !op.getReleases().isEmpty()) {
			error("'" + op.getName() + "' releases a lock its caller holds, but a plain 'put … release' holds none; "
					+ "name it with 'under'", s, P.getPutStmt_Release(), IssueCodes.BAD_RELEASE_OP);
		}
	}

	@Check
	public void enterOfGate(EnterStmt s) {
		expectKind(s.getGate(), Kind.GATE, "a gate", s, P.getEnterStmt_Gate(), IssueCodes.NOT_A_GATE, "'enter'");
	}

	@Check
	public void leaveOfGate(LeaveStmt s) {
		expectKind(s.getGate(), Kind.GATE, "a gate", s, P.getLeaveStmt_Gate(), IssueCodes.NOT_A_GATE, "'leave'");
	}

	@Check
	public void drainOfGate(DrainStmt s) {
		expectKind(s.getGate(), Kind.GATE, "a gate", s, P.getDrainStmt_Gate(), IssueCodes.NOT_A_GATE, "'drain'");
	}

	@Check
	public void completeOfCompletion(CompleteStmt s) {
		expectKind(s.getCompletion(), Kind.COMPLETION, "a completion", s, P.getCompleteStmt_Completion(),
				IssueCodes.NOT_A_COMPLETION, s.isAll() ? "'complete_all'" : "'complete'");
	}

	@Check
	public void reinitOfCompletion(ReinitCompletionStmt s) {
		expectKind(s.getCompletion(), Kind.COMPLETION, "a completion", s, P.getReinitCompletionStmt_Completion(),
				IssueCodes.NOT_A_COMPLETION, "'reinit_completion'");
	}

	/** A wait needs a completion, and one that some statement of the spec completes (else it never returns). */
	@Check
	public void waitOfCompletion(WaitForCompletionStmt s) {
		expectKind(s.getCompletion(), Kind.COMPLETION, "a completion", s, P.getWaitForCompletionStmt_Completion(),
				IssueCodes.NOT_A_COMPLETION, "'wait_for_completion'");
		if (SpecTypes.typeOf(s.getCompletion()).decl() instanceof Completion c && !s.isMayGiveUp() && !completedSomewhere(c, s)) {
			warning("nothing in this spec completes '" + c.getName() + "' (no 'complete' or 'complete_all' of it): "
					+ "this wait never returns", s, P.getWaitForCompletionStmt_Completion(), IssueCodes.NEVER_COMPLETED);
		}
	}

	@Check
	public void queueOfWork(QueueWorkStmt s) {
		workOperand(s.getWork(), WorkKind.startedBy(s.getCall()), s, P.getQueueWorkStmt_Work(),
				"'" + s.getCall().getLiteral() + "'");
	}

	@Check
	public void flushOfWork(FlushWorkStmt s) {
		workOperand(s.getWork(), WorkKind.awaitedBy(s.getCall()), s, P.getFlushWorkStmt_Work(),
				"'" + s.getCall().getLiteral() + "'");
	}

	@Check
	public void cancelOfWork(CancelWorkStmt s) {
		workOperand(s.getWork(), WorkKind.cancelledBy(s.getCall()), s, P.getCancelWorkStmt_Work(),
				"'" + s.getCall().getLiteral() + "'");
	}

	@Check
	public void flushOfWorkqueue(FlushWorkqueueStmt s) {
		expectKind(s.getQueue(), Kind.LOCK, "a workqueue", s, P.getFlushWorkqueueStmt_Queue(), IssueCodes.NOT_A_WORKQUEUE,
				"'" + s.getCall().getLiteral() + "'");
		if (SpecTypes.typeOf(s.getQueue()).decl() instanceof Lock l && !Workqueues.isWorkqueue(l.getKind())) {
			error("'" + s.getCall().getLiteral() + "' needs a workqueue ('workqueue " + l.getName() + "'); '"
					+ text(s.getQueue()) + "' is a " + l.getKind().getLiteral(), s, P.getFlushWorkqueueStmt_Queue(),
					IssueCodes.NOT_A_WORKQUEUE);
		} else if (SpecTypes.typeOf(s.getQueue()).decl() instanceof Lock l && !hasWorks(l)) {
			warning("no work runs on '" + l.getName() + "' (no 'work w : op on " + l.getName() + "'): this "
					+ s.getCall().getLiteral() + " waits for nothing", s, P.getFlushWorkqueueStmt_Queue(),
					IssueCodes.NO_WORK_ON_QUEUE);
		}
	}

	private static boolean hasWorks(Lock queue) {
		return EcoreUtil2.getAllContentsOfType(EcoreUtil2.getRootContainer(queue), Work.class).stream()
				.anyMatch(w -> w.getQueue() == queue);
	}

	/**
	 * A work runs on a workqueue ('on': a global one, or one of the object that holds the work, as the scope
	 * has it); kthreads, IRQ threads and timers run on no workqueue.
	 */
	@Check
	public void workQueue(Work w) {
		Lock queue = w.getQueue();
		if (queue == null || queue.eIsProxy()) {
			return;
		}
		if (WorkKind.of(w) != WorkKind.WORK) {
			error(WorkKind.of(w).what() + " runs on no workqueue; only a work is queued on one ('work " + w.getName()
					+ " : ... on " + queue.getName() + "')", w, P.getWork_Queue(), IssueCodes.NOT_A_WORKQUEUE);
		} else if (!Workqueues.isWorkqueue(queue.getKind())) {
			error("a work runs on a workqueue ('workqueue " + queue.getName() + "'); '" + queue.getName() + "' is a "
					+ queue.getKind().getLiteral(), w, P.getWork_Queue(), IssueCodes.NOT_A_WORKQUEUE);
		}
	}

	@Check
	public void callOfIrq(IrqStmt s) {
		workOperand(s.getIrq(), WorkKind.THREADED_IRQ, s, P.getIrqStmt_Irq(), "'" + s.getCall().getLiteral() + "'");
	}

	/** A work statement needs a work, a kthread statement a kthread, an irq call a threaded irq: each is declared as what the code uses it as. */
	private void workOperand(Expression e, WorkKind kind, EObject s, EStructuralFeature feature, String statement) {
		expectKind(e, Kind.WORK, kind.what(), s, feature, IssueCodes.NOT_A_WORK, statement);
		if (SpecTypes.typeOf(e).decl() instanceof Work w && WorkKind.of(w) != kind) {
			error(statement + " needs " + kind.what() + "; '" + text(e) + "' is declared as " + WorkKind.of(w).what() + " ('"
					+ WorkKind.of(w).keyword + " " + w.getName() + " : ...')", s, feature, IssueCodes.NOT_A_WORK);
		}
	}

	/**
	 * A work's op is its work function: it gets the object that holds the work (container_of), or nothing for
	 * a global work (DECLARE_WORK).
	 */
	@Check
	public void workFunction(Work w) {
		Operation op = w.getOp();
		if (op == null || op.eIsProxy()) {
			return;
		}
		ObjectType owner = w.eContainer() instanceof ObjectType t ? t : null;
		boolean fits = owner == null ? op.getParams().isEmpty()
				: op.getParams().size() == 1 && SpecTypes.of(op.getParams().get(0).getType()).objectType() == owner;
		if (!fits) {
			error("the " + WorkKind.of(w).function + " of '" + w.getName() + "' must take " + (owner == null
					? "no parameters (a global " + WorkKind.of(w).noun + ")"
					: "one parameter of type " + owner.getName() + " (the object that holds the " + WorkKind.of(w).noun
							+ ")")
					+ "; " + signature(op) + " does not", w, P.getWork_Op(), IssueCodes.BAD_WORK_FUNCTION);
		}
		Context declared = Syntax.declaredContext(op);
		Context runs = WorkKind.of(w).context;
		if (runs != Context.PROCESS && declared != runs && declared != Context.ANY) {
			error("the " + WorkKind.of(w).function + " of '" + w.getName() + "' runs in " + runs.getLiteral()
					+ " context: declare it 'op " + op.getName() + "(...) in " + runs.getLiteral() + "'" + (declared == null
							? "" : ", not in " + declared.getLiteral()), w, P.getWork_Op(), IssueCodes.BAD_WORK_FUNCTION);
		}
	}

	@Check
	public void callOfRuntimePm(PmStmt s) {
		expectKind(s.getPm(), Kind.RUNTIME_PM, "a runtime PM ('runtime_pm pm : suspend_op, resume_op')", s,
				P.getPmStmt_Pm(), IssueCodes.NOT_A_RUNTIME_PM, "'" + s.getCall().getLiteral() + "'");
	}

	/**
	 * A runtime PM's callbacks get the device (the object that holds the runtime PM) and run in process context,
	 * called by the PM core or by the pm_runtime_* call itself.
	 */
	@Check
	public void runtimePmCallbacks(RuntimePm pm) {
		ObjectType owner = (ObjectType) pm.eContainer();
		runtimePmCallback(pm.getSuspend(), "runtime_suspend", owner, pm, P.getRuntimePm_Suspend());
		runtimePmCallback(pm.getResume(), "runtime_resume", owner, pm, P.getRuntimePm_Resume());
	}

	private void runtimePmCallback(Operation op, String role, ObjectType owner, RuntimePm pm,
			EStructuralFeature feature) {
		if (op == null || op.eIsProxy()) {
			return;
		}
		if (op.getParams().size() != 1 || SpecTypes.of(op.getParams().get(0).getType()).objectType() != owner) {
			error("the " + role + " callback of '" + pm.getName() + "' must take one parameter of type "
					+ owner.getName() + " (the device); " + signature(op) + " does not", pm, feature,
					IssueCodes.BAD_RUNTIME_PM_CALLBACK);
		}
		Context declared = Syntax.declaredContext(op);
		if (declared != null && declared != Context.PROCESS && declared != Context.ANY) {
			error("the " + role + " callback of '" + pm.getName() + "' runs in process context, not in "
					+ declared.getLiteral(), pm, feature, IssueCodes.BAD_RUNTIME_PM_CALLBACK);
		}
	}

	private static boolean completedSomewhere(Completion c, EObject anywhere) {
		for (CompleteStmt done : EcoreUtil2.getAllContentsOfType(EcoreUtil2.getRootContainer(anywhere),
				CompleteStmt.class)) {
			if (SpecTypes.typeOf(done.getCompletion()).decl() == c) {
				return true;
			}
		}
		return false;
	}

	private void expectKind(Expression e, Kind kind, String what, EObject owner, EStructuralFeature feature,
			String code, String statement) {
		SpecType t = SpecTypes.typeOf(e);
		if (!t.isUnknown() && t.kind() != kind) {
			error(statement + " needs " + what + ", but '" + text(e) + "' is " + a(t), owner, feature, code);
		}
	}

	// ------------------------------------------------------------------- lists

	@Check
	public void addToList(AddStmt s) {
		listMembership(s.getElem(), s.getList(), s, P.getAddStmt_List(), P.getAddStmt_Elem());
	}

	@Check
	public void removeFromList(RemoveStmt s) {
		listMembership(s.getElem(), s.getList(), s, P.getRemoveStmt_List(), P.getRemoveStmt_Elem());
	}

	@Check
	public void forOverList(ForStmt s) {
		SpecType t = SpecTypes.typeOf(s.getList());
		if (!t.isUnknown() && t.kind() != Kind.LIST) {
			error("'for' walks a list, but '" + text(s.getList()) + "' is " + a(t), s, P.getForStmt_List(),
					IssueCodes.NOT_A_LIST);
		}
	}

	private void listMembership(Expression elem, Expression list, EObject s, EStructuralFeature listFeature,
			EStructuralFeature elemFeature) {
		SpecType lt = SpecTypes.typeOf(list);
		if (lt.isUnknown()) {
			return;
		}
		if (lt.kind() != Kind.LIST) {
			error("'" + text(list) + "' is " + a(lt) + ", not a list", s, listFeature, IssueCodes.NOT_A_LIST);
			return;
		}
		SpecType et = SpecTypes.typeOf(elem);
		if (!et.isUnknown() && !(et.kind() == Kind.OBJECT && et.decl() == lt.decl())) {
			error("'" + text(list) + "' holds " + nameOf(lt.objectType()) + " objects, but '" + text(elem) + "' is "
					+ a(et), s, elemFeature, IssueCodes.TYPE_MISMATCH);
		}
	}

	@Check
	public void builtinArguments(BuiltinCall call) {
		int expected = switch (call.getFn()) {
		case NEXT, LINKED -> 2;
		default -> 1;
		};
		if (call.getArgs().size() != expected) {
			error(call.getFn().getLiteral() + "() takes " + expected + " argument" + (expected == 1 ? "" : "s")
					+ ", not " + call.getArgs().size(), call, P.getBuiltinCall_Fn(), IssueCodes.BUILTIN_ARITY);
			return;
		}
		Expression first = call.getArgs().get(0);
		switch (call.getFn()) {
		case FIRST, EMPTY -> expectKind(first, Kind.LIST, "a list", call, P.getBuiltinCall_Args(),
				IssueCodes.NOT_A_LIST, call.getFn().getLiteral() + "()");
		case NEXT, LINKED -> expectKind(call.getArgs().get(1), Kind.LIST, "a list as its second argument", call,
				P.getBuiltinCall_Args(), IssueCodes.NOT_A_LIST, call.getFn().getLiteral() + "()");
		case HELD -> expectKind(first, Kind.LOCK, "a lock", call, P.getBuiltinCall_Args(), IssueCodes.NOT_A_LOCK,
				"held()");
		case FREED -> expectKind(first, Kind.OBJECT, "an object", call, P.getBuiltinCall_Args(),
				IssueCodes.TYPE_MISMATCH, "freed()");
		case KTHREAD_SHOULD_STOP -> workOperand(first, WorkKind.KTHREAD, call, P.getBuiltinCall_Args(), "kthread_should_stop()");
		}
	}

	// ------------------------------------------------------ values and types

	@Check
	public void conditionIsBoolean(IfStmt s) {
		bool(s.getCond(), s, P.getIfStmt_Cond(), "'if'");
	}

	@Check
	public void whileConditionIsBoolean(WhileStmt s) {
		bool(s.getCond(), s, P.getWhileStmt_Cond(), "'while'");
	}

	@Check
	public void waitConditionIsBoolean(WaitStmt s) {
		bool(s.getCond(), s, P.getWaitStmt_Cond(), "'wait until'");
	}

	@Check
	public void assertionIsBoolean(AssertStmt s) {
		bool(s.getCond(), s, P.getAssertStmt_Cond(), "'assert'");
	}

	@Check
	public void invariantUnderGlobalLock(Invariant inv) {
		Lock l = inv.getUnder();
		if (l != null && !l.eIsProxy() && !(l.eContainer() instanceof Spec)) {
			error("'under' names a global lock: the invariant holds whenever nobody holds it, and a lock of an object "
					+ "has one instance per object", inv, P.getInvariant_Under(), IssueCodes.INVARIANT_UNDER_OBJECT_LOCK);
		}
	}

	@Check
	public void invariantIsBoolean(Invariant inv) {
		bool(inv.getExpr(), inv, P.getInvariant_Expr(), "an invariant");
	}

	private void bool(Expression e, EObject owner, EStructuralFeature feature, String what) {
		SpecType t = SpecTypes.typeOf(e);
		if (!t.isUnknown() && t.kind() != Kind.BOOL) {
			error(what + " needs a condition, but '" + text(e) + "' is " + a(t), owner, feature, IssueCodes.NOT_BOOLEAN);
		}
	}

	@Check
	public void operandTypes(Binary b) {
		SpecType l = SpecTypes.typeOf(b.getLeft()).asValue();
		SpecType r = SpecTypes.typeOf(b.getRight()).asValue();
		switch (b.getOp()) {
		case "&&", "||", "==>" -> {
			operand(l, Kind.BOOL, b, P.getBinary_Left(), b.getOp());
			operand(r, Kind.BOOL, b, P.getBinary_Right(), b.getOp());
		}
		case "==", "!=" -> {
			if (!l.accepts(r) && !r.accepts(l)) {
				error("cannot compare " + a(l) + " with " + a(r), b, P.getBinary_Op(), IssueCodes.TYPE_MISMATCH);
			}
		}
		default -> {
			operand(l, Kind.INT, b, P.getBinary_Left(), b.getOp());
			operand(r, Kind.INT, b, P.getBinary_Right(), b.getOp());
		}
		}
	}

	@Check
	public void unaryOperand(Unary u) {
		operand(SpecTypes.typeOf(u.getOperand()).asValue(), "!".equals(u.getOp()) ? Kind.BOOL : Kind.INT, u,
				P.getUnary_Operand(), u.getOp());
	}

	private void operand(SpecType t, Kind expected, EObject owner, EStructuralFeature feature, String op) {
		if (!t.isUnknown() && t.kind() != expected) {
			error("'" + op + "' works on " + (expected == Kind.BOOL ? "conditions" : "ints") + ", not on " + a(t),
					owner, feature, IssueCodes.TYPE_MISMATCH);
		}
	}

	@Check
	public void namesAValue(VarRef ref) {
		if (ref.getRef() instanceof ObjectType t && !ref.getRef().eIsProxy()
				&& !(ref.eContainer() instanceof MemberAccess && ref.eContainer().eContainer() instanceof Expectation)) {
			error("'" + t.getName() + "' is a type, not a value", ref, P.getVarRef_Ref(), IssueCodes.NOT_A_VALUE);
		}
	}

	@Check
	public void assignment(AssignStmt s) {
		Expression target = s.getTarget();
		EObject decl = target instanceof VarRef v ? v.getRef() : target instanceof MemberAccess m ? m.getMember() : null;
		if (decl == null || decl.eIsProxy()) {
			return;
		}
		if (!(decl instanceof Field || decl instanceof Ref || decl instanceof LetStmt)) {
			error("cannot assign to '" + text(target) + "': only fields, refs and let variables take new values"
					+ (decl instanceof ListField ? " (lists change with 'add' and 'remove')"
							: decl instanceof Refcount ? " (refcounts change with 'get' and 'put')" : ""),
					s, P.getAssignStmt_Target(), IssueCodes.NOT_ASSIGNABLE);
			return;
		}
		valueFits(SpecTypes.typeOfDeclaration(decl), s.getValue(), s, P.getAssignStmt_Value(), text(target));
	}

	@Check
	public void initialiser(Init init) {
		if (init.getFeature() == null || init.getFeature().eIsProxy()) {
			return;
		}
		EObject f = init.getFeature();
		if (!(f instanceof Field || f instanceof Ref)) {
			error("only fields and refs take initial values; '" + NameOf.name(f) + "' is " + describe(f), init,
					P.getInit_Feature(), IssueCodes.NOT_ASSIGNABLE);
			return;
		}
		valueFits(SpecTypes.typeOfDeclaration(f), init.getValue(), init, P.getInit_Value(), NameOf.name(f));
	}

	private void valueFits(SpecType expected, Expression value, EObject owner, EStructuralFeature feature,
			String target) {
		SpecType actual = SpecTypes.typeOf(value);
		if (!expected.accepts(actual)) {
			error("'" + target + "' is " + a(expected) + ", but the value is " + a(actual), owner, feature,
					IssueCodes.TYPE_MISMATCH);
		}
	}

	// ------------------------------------------------------------------- calls

	@Check
	public void callArguments(CallStmt call) {
		arguments(call.getOp(), call.getArgs(), call, P.getCallStmt_Args(), P.getCallStmt_Op(), false);
	}

	@Check
	public void queueArguments(QueueStmt call) {
		arguments(call.getOp(), call.getArgs(), call, P.getQueueStmt_Args(), P.getQueueStmt_Op(), false);
	}

	@Check
	public void threadArguments(ScenarioThread thread) {
		arguments(thread.getOp(), thread.getArgs(), thread, P.getScenarioThread_Args(), P.getScenarioThread_Op(), true);
	}

	private void arguments(Operation op, EList<Expression> args, EObject owner, EReference argsFeature,
			EReference opFeature, boolean scenario) {
		if (op == null || op.eIsProxy()) {
			return;
		}
		int n = op.getParams().size();
		if (args.size() != n) {
			error("'" + op.getName() + "' takes " + n + " argument" + (n == 1 ? "" : "s") + " (" + signature(op)
					+ "), not " + args.size(), owner, opFeature, IssueCodes.WRONG_ARGUMENT_COUNT);
			return;
		}
		for (int i = 0; i < n; i++) {
			Param p = op.getParams().get(i);
			SpecType expected = SpecTypes.of(p.getType());
			Expression arg = args.get(i);
			SpecType actual = SpecTypes.typeOf(arg);
			if (scenario && expected.kind() == Kind.OBJECT && !(arg instanceof VarRef v && v.getRef() instanceof Instance)) {
				error("a thread runs on the scenario's objects: argument " + (i + 1) + " of '" + op.getName()
						+ "' must name an instance of " + expected.describe() + " declared in this scenario", owner,
						argsFeature, i, IssueCodes.THREAD_ARGUMENT_NOT_INSTANCE);
			} else if (!expected.accepts(actual)) {
				error("argument " + (i + 1) + " of '" + op.getName() + "' ('" + p.getName() + "') is " + a(expected)
						+ ", but '" + text(arg) + "' is " + a(actual), owner, argsFeature, i,
						scenario ? IssueCodes.THREAD_ARGUMENT_NOT_INSTANCE : IssueCodes.WRONG_ARGUMENT_TYPE);
			}
		}
	}

	/** Recursion between ops: the analysis inlines calls, so a call cycle has no meaning. */
	@Check(CheckType.NORMAL)
	public void noRecursion(Spec spec) {
		Map<Operation, List<EObject>> calls = new LinkedHashMap<>();
		for (Operation op : EcoreUtil2.typeSelect(spec.getMembers(), Operation.class)) {
			List<EObject> sites = new ArrayList<>(EcoreUtil2.getAllContentsOfType(op, CallStmt.class));
			sites.addAll(EcoreUtil2.getAllContentsOfType(op, PutStmt.class).stream().filter(p -> p.getRelease() != null).toList());
			calls.put(op, sites);
		}
		Set<Operation> reported = new HashSet<>();
		for (Operation start : calls.keySet()) {
			// depth-first search for a path back to start; iterative, so a long chain cannot overflow the stack
			Map<Operation, EObject> via = new HashMap<>();
			Deque<Operation> todo = new ArrayDeque<>();
			todo.push(start);
			Set<Operation> seen = new HashSet<>();
			while (!todo.isEmpty()) {
				Operation current = todo.pop();
				for (EObject call : calls.getOrDefault(current, List.of())) {
					Operation target = callee(call);
					if (target == null || target.eIsProxy()) {
						continue;
					}
					if (target == start) {
						if (reported.add(start)) {
							List<String> cycle = new ArrayList<>();
							cycle.add(start.getName());
							for (Operation o = current; o != start && o != null; o = via.containsKey(o)
									? (Operation) EcoreUtil2.getContainerOfType(via.get(o), Operation.class) : null) {
								cycle.add(1, o.getName());
							}
							cycle.add(start.getName());
							EObject first = current == start ? call : firstCallOnPath(start, via, current);
							error("recursion: " + String.join(" -> ", cycle)
									+ "; ops are inlined by the analysis, so calls must not form a cycle", first,
									first instanceof PutStmt ? P.getPutStmt_Release() : P.getCallStmt_Op(),
									IssueCodes.RECURSION);
						}
						continue;
					}
					if (seen.add(target)) {
						via.put(target, call);
						todo.push(target);
					}
				}
			}
		}
	}

	/** The op a call site enters: a call's op, or the release op of a put (its last put calls it). */
	private static Operation callee(EObject site) {
		return site instanceof CallStmt c ? c.getOp() : ((PutStmt) site).getRelease();
	}

	private static EObject firstCallOnPath(Operation start, Map<Operation, EObject> via, Operation last) {
		EObject call = via.get(last);
		Operation o = last;
		while (call != null) {
			Operation caller = EcoreUtil2.getContainerOfType(call, Operation.class);
			if (caller == start) {
				return call;
			}
			o = caller;
			call = via.get(o);
		}
		return null;
	}

	// --------------------------------------------------------------- scenarios

	@Check
	public void threadsOfScenario(Scenario s) {
		if (s.getThreads().isEmpty()) {
			error("scenario '" + s.getName() + "' runs no thread; add 'thread cpu0 : op(args)' lines", s,
					P.getScenario_Name(), IssueCodes.SCENARIO_THREADS);
		} else if (s.getThreads().size() == 1 && !startsThreads(s.getThreads().get(0).getOp(), new HashSet<>())
				&& !hasRuntimePm(s)) {
			warning("scenario '" + s.getName() + "' runs a single thread, which starts no other (no queue, queue_work, "
					+ "kthread_run, mod_timer or request_threaded_irq): it checks what that thread does alone (a lock "
					+ "taken twice, a use after free, refcounts, invariants), but races with no other thread; add a "
					+ "second 'thread' line for that", s, P.getScenario_Name(), IssueCodes.SCENARIO_THREADS);
		}
	}

	/** Whether an instance of the scenario has runtime PM: the PM workqueue's kworker is a thread of the scenario. */
	private static boolean hasRuntimePm(Scenario s) {
		return s.getInstances().stream().anyMatch(i -> i.getType() != null && !i.getType().eIsProxy()
				&& !EcoreUtil2.typeSelect(i.getType().getFeatures(), RuntimePm.class).isEmpty());
	}

	/** Whether {@code op}, or an op it calls, starts a thread: a queued op, a work's run, a timer, an IRQ thread. */
	private static boolean startsThreads(Operation op, Set<Operation> seen) {
		if (op == null || op.eIsProxy() || op.getBody() == null || !seen.add(op)) {
			return false;
		}
		for (EObject o : EcoreUtil2.eAllContents(op.getBody())) {
			if (o instanceof QueueStmt || o instanceof QueueWorkStmt
					|| o instanceof IrqStmt i && i.getCall() == org.lockspec.model.IrqCall.REQUEST
					|| o instanceof CallStmt c && startsThreads(c.getOp(), seen)) {
				return true;
			}
		}
		return false;
	}

	@Check
	public void expectationOfScenario(Scenario s) {
		if (s.getExpects().isEmpty()) {
			warning("scenario '" + s.getName() + "' states no 'expect': its verdict cannot be checked against anything",
					s, P.getScenario_Name(), IssueCodes.SCENARIO_NO_EXPECT);
		}
	}

	@Check
	public void boundIsPositive(Bound b) {
		if (b.getValue() <= 0 && b.getKind() == org.lockspec.model.BoundKind.STEPS) {
			error("'bound steps' must be at least 1", b, P.getBound_Value(), IssueCodes.BAD_BOUND);
		}
	}

	@Check
	public void expectationHere(Expectation e) {
		boolean inScenario = e.eContainer() instanceof Scenario;
		ExpectKind k = e.getKind();
		if (inScenario && (k == ExpectKind.PROVED || k == ExpectKind.IRQ_INVERSION || k == ExpectKind.INDUCTIVE
				|| k == ExpectKind.LOCKDEP_SPLAT)) {
			error("'expect " + k.getLiteral() + "' is about all ops of a spec; state it at the top level"
					+ (k == ExpectKind.PROVED ? " (a scenario expects 'safe')"
							: k == ExpectKind.INDUCTIVE ? " (it holds for any number of objects, not one topology)" : ""),
					e, P.getExpectation_Kind(),
					IssueCodes.EXPECT_NOT_HERE);
		} else if (!inScenario && (k == ExpectKind.SAFE || k == ExpectKind.USE_AFTER_FREE)) {
			error("'expect " + k.getLiteral() + "' is about one interleaving of objects; state it in a scenario"
					+ (k == ExpectKind.SAFE ? " (for all ops, expect 'proved')" : ""), e, P.getExpectation_Kind(),
					IssueCodes.EXPECT_NOT_HERE);
		}
	}

	@Check
	public void raceTarget(Expectation e) {
		if (e.getKind() != ExpectKind.RACE || e.getTarget() == null) {
			return;
		}
		Expression target = e.getTarget();
		EObject decl = target instanceof MemberAccess m ? m.getMember()
				: target instanceof VarRef v ? v.getRef() : null;
		if (decl == null || decl.eIsProxy()) {
			return;
		}
		if (!(decl instanceof Field || decl instanceof Ref || decl instanceof ListField)) {
			error("'expect race on' names a field, a ref or a list; '" + text(target) + "' is " + describe(decl), e,
					P.getExpectation_Target(), IssueCodes.RACE_TARGET_NOT_FIELD);
			return;
		}
		if (target instanceof MemberAccess m) {
			Expression receiver = m.getReceiver();
			EObject base = receiver instanceof VarRef v ? v.getRef() : null;
			boolean inScenario = e.eContainer() instanceof Scenario;
			if (inScenario && !(base instanceof Instance) || !inScenario && !(base instanceof ObjectType)) {
				error(inScenario ? "in a scenario, 'expect race on x.f' names an instance x of this scenario"
						: "at the top level, 'expect race on T.f' names an object type T", e, P.getExpectation_Target(),
						IssueCodes.RACE_TARGET_NOT_FIELD);
			}
		}
	}

	// ----------------------------------------------------------------- helpers

	private static String signature(Operation op) {
		List<String> ps = new ArrayList<>();
		for (Param p : op.getParams()) {
			ps.add(p.getName() + ": " + SpecTypes.of(p.getType()).describe());
		}
		return op.getName() + "(" + String.join(", ", ps) + ")";
	}

	private static String nameOf(ObjectType t) {
		return t == null ? "?" : t.getName();
	}

	private static String a(SpecType t) {
		return switch (t.kind()) {
		case INT -> "an int";
		case OBJECT, ENUM -> "a " + t.describe();
		case LIST -> "a " + t.describe();
		case LOCK -> "the " + t.describe();
		case GATE -> "a gate";
		case COMPLETION -> "a completion";
		case WORK -> "a work";
		case RUNTIME_PM -> "a runtime PM";
		case REFCOUNT -> "a refcount";
		case NULL -> "null";
		case TYPE -> t.describe();
		case BOOL -> "a bool";
		case UNKNOWN -> "of unknown type";
		};
	}

	private static String describe(EObject e) {
		String kind = e.eClass().getName();
		String article = switch (kind) {
		case "Lock" -> "a lock";
		case "Gate" -> "a gate";
		case "Completion" -> "a completion";
		case "Work" -> "a work";
		case "Field" -> "a field";
		case "Ref" -> "a ref";
		case "ListField" -> "a list";
		case "Refcount" -> "a refcount";
		case "ObjectType" -> "an object type";
		case "EnumType" -> "an enum";
		case "Operation" -> "an op";
		case "Scenario" -> "a scenario";
		case "Invariant" -> "an invariant";
		case "Const" -> "a const";
		case "Instance" -> "an instance";
		case "ScenarioThread" -> "a thread";
		case "Param" -> "a parameter";
		case "LetStmt" -> "a let";
		default -> "a " + kind.toLowerCase(java.util.Locale.ROOT);
		};
		int line = org.eclipse.xtext.nodemodel.util.NodeModelUtils.getNode(e) == null ? 0
				: org.eclipse.xtext.nodemodel.util.NodeModelUtils.getNode(e).getStartLine();
		return article + (line > 0 ? " on line " + line : "");
	}

	private static String text(EObject e) {
		var node = e == null ? null : org.eclipse.xtext.nodemodel.util.NodeModelUtils.findActualNodeFor(e);
		return node == null ? "?" : org.eclipse.xtext.nodemodel.util.NodeModelUtils.getTokenText(node);
	}
}
