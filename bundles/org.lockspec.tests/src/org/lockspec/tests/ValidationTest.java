package org.lockspec.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;

import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.resource.ResourceSet;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.util.ParseHelper;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.eclipse.xtext.validation.Issue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lockspec.model.Lock;
import org.lockspec.model.MemberAccess;
import org.lockspec.model.ModelPackage;
import org.lockspec.model.Spec;
import org.lockspec.validation.IssueCodes;
import org.lockspec.validation.LockspecLinkingDiagnostics;

import com.google.inject.Inject;
import com.google.inject.Provider;

/** One test (at least) per validation rule; each also checks that a good form passes. */
@ExtendWith(InjectionExtension.class)
@InjectWith(LockspecInjectorProvider.class)
class ValidationTest {

	private static final ModelPackage P = ModelPackage.eINSTANCE;

	private static final String DECLS = """
			spec t
			lock m : mutex
			lock s : rwsem
			lock w : rwlock
			lock sp : spinlock
			lock r : raw_spinlock
			gate g
			object PciBus { list devices : PciDev guarded_by s }
			object PciDev { ref bus : PciBus  lock dev_lock : mutex  refcount rc  field cmd : int  gate node  completion done }
			""";

	@Inject
	private ParseHelper<Spec> parser;

	@Inject
	private ValidationTestHelper validator;

	@Inject
	private Provider<ResourceSet> resourceSets;

	private Spec parse(String text) throws Exception {
		return parser.parse(text);
	}

	/** Issues of a spec made of the shared declarations and {@code rest}. */
	private List<Issue> issues(String rest) throws Exception {
		return validator.validate(parse(DECLS + rest));
	}

	private void assertClean(String rest) throws Exception {
		List<Issue> issues = issues(rest);
		assertEquals("", issues.stream().map(Issue::toString).collect(Collectors.joining("\n")));
	}

	private void assertIssue(String rest, EClass on, String code, String messagePart) throws Exception {
		Spec spec = parse(DECLS + rest);
		validator.assertError(spec, on, code, messagePart);
	}

	private void assertWarning(String rest, EClass on, String code, String messagePart) throws Exception {
		validator.assertWarning(parse(DECLS + rest), on, code, messagePart);
	}

	@Test
	void declarationsAloneAreClean() throws Exception {
		assertClean("");
	}

	// --- guards

	/** desc->dev->msi_lock: a guard may name the lock of the object a ref of the guarded object points to. */
	@Test
	void aGuardThroughARef() throws Exception {
		assertClean("""
				object MsiDesc { ref dev : PciDev  field masked : int guarded_by dev.dev_lock }
				op mask(d: MsiDesc) { with d.dev.dev_lock { d.masked = 1 } }
				""");
	}

	@Test
	void aGuardNamesALock() throws Exception {
		assertIssue("object MsiDesc { ref dev : PciDev  field masked : int guarded_by dev.cmd }", P.getGuardMember(),
				IssueCodes.BAD_GUARD, "'cmd' is a field on line");
		assertIssue("object MsiDesc { ref dev : PciDev  field masked : int guarded_by dev }", P.getGuardName(),
				IssueCodes.BAD_GUARD, "(a lock of the object it points to is 'guarded_by dev.LOCK')");
	}

	@Test
	void aGuardsPathIsOfRefsThatNeverChange() throws Exception {
		assertIssue("object MsiDesc { field cmd : int  field masked : int guarded_by cmd.dev_lock }", P.getGuardName(),
				IssueCodes.BAD_GUARD, "only a ref leads to the object whose lock guards");
		assertIssue("object MsiDesc { ref dev : PciDev?  field masked : int guarded_by dev.dev_lock }", P.getGuardName(),
				IssueCodes.BAD_GUARD, "'dev' may be null");
		assertIssue("""
				object MsiDesc { ref dev : PciDev  field masked : int guarded_by dev.dev_lock }
				op rebind(d: MsiDesc, p: PciDev) { d.dev = p }
				""", P.getGuardName(), IssueCodes.BAD_GUARD, "'dev' is assigned (line 11)");
	}

	@Test
	void anUnknownNameInAGuard() throws Exception {
		assertIssue("object MsiDesc { ref dev : PciDev  field masked : int guarded_by dev.msi_lock }", P.getGuardMember(),
				LockspecLinkingDiagnostics.UNRESOLVED, "'PciDev' (what 'dev' points to) has no lock named 'msi_lock'");
		assertIssue("object MsiDesc { field masked : int guarded_by nosuch }", P.getGuardName(),
				LockspecLinkingDiagnostics.UNRESOLVED, "unknown lock or ref 'nosuch'");
	}

	@Test
	void anSrcuOrAWorkqueueGuardsNothing() throws Exception {
		assertIssue("srcu ss\nfield x : int guarded_by ss", P.getGuardName(), IssueCodes.NOT_AN_SRCU, "guards no field");
		assertIssue("workqueue wq\nfield x : int guarded_by wq", P.getGuardName(), IssueCodes.NOT_A_WORKQUEUE,
				"a workqueue guards no field");
	}

	// --- unresolved and duplicate names

	@Test
	void unknownLock() throws Exception {
		assertIssue("op f() { lock nosuch }", P.getVarRef(), LockspecLinkingDiagnostics.UNRESOLVED, "unknown name 'nosuch'");
	}

	@Test
	void unknownFeature() throws Exception {
		assertIssue("op f(d: PciDev) { lock d.nosuch }", P.getMemberAccess(), LockspecLinkingDiagnostics.UNRESOLVED,
				"'PciDev' has no field, ref, list, refcount, lock, gate, completion or work named 'nosuch'");
	}

	@Test
	void unknownTypeAndOp() throws Exception {
		assertIssue("op f(d: NoType) { }", P.getTypeRef(), LockspecLinkingDiagnostics.UNRESOLVED, "unknown type 'NoType'");
		assertIssue("op f() { call nosuch() }", P.getCallStmt(), LockspecLinkingDiagnostics.UNRESOLVED, "unknown op 'nosuch'");
	}

	/** Kernel structs name their members lock, list, next, ref: an object's features may be named so. */
	@Test
	void keywordsNameAnObjectsFeatures() throws Exception {
		String desc = """
				object IrqDesc { lock lock : raw_spinlock  field state : int guarded_by lock  list list : IrqDesc
				  ref next : IrqDesc?  refcount ref  gate wait }
				order IrqDesc.lock before m
				op handle(d: IrqDesc) in hardirq {
				  lock d.lock  d.state = 1  unlock d.lock
				  let n = d.next  get d.ref  put d.ref  enter d.wait  leave d.wait
				  for x in d.list { assert x.next != d }
				}
				scenario two { a : IrqDesc { state = 0, next = null }  thread t0 : handle(a)  thread t1 : handle(a)  expect safe }
				""";
		assertClean(desc);
		MemberAccess first = EcoreUtil2.getAllContentsOfType(parse(DECLS + desc), MemberAccess.class).get(0);
		assertEquals("lock", ((Lock) first.getMember()).getName());
	}

	@Test
	void aGlobalCannotBeNamedByAKeyword() throws Exception {
		assertIssue("lock lock : mutex", P.getLock(), IssueCodes.KEYWORD_NAME, "'lock' is a keyword: a global named so could not be read");
	}

	/** A keyword where a name belongs says it is a keyword, and where such a name is allowed. */
	@Test
	void aKeywordAsANameIsReportedAsAKeyword() throws Exception {
		Spec spec = parse(DECLS + "op f() { let lock = 1 }");
		String errors = spec.eResource().getErrors().stream().map(e -> e.getMessage()).collect(Collectors.joining("\n"));
		assertTrue(errors.startsWith("'lock' is a keyword of Lockspec and cannot be a name here; rename it (an object's "
				+ "field, ref, list, refcount, lock, gate, completion or work may be named 'lock', read as x.lock)"), errors);
		Spec op = parse(DECLS + "op op() { }");
		String opErrors = op.eResource().getErrors().stream().map(e -> e.getMessage()).collect(Collectors.joining("\n"));
		assertTrue(opErrors.startsWith("'op' is a keyword of Lockspec and cannot be a name here; rename it"), opErrors);
	}

	@Test
	void featuresAreNotGlobalNames() throws Exception {
		assertIssue("op f() { lock dev_lock }", P.getVarRef(), LockspecLinkingDiagnostics.UNRESOLVED, "'dev_lock'");
	}

	@Test
	void letIsVisibleOnlyAfterItsDeclaration() throws Exception {
		assertIssue("op f(d: PciDev) { d.cmd = later.cmd  let later = d }", P.getVarRef(),
				LockspecLinkingDiagnostics.UNRESOLVED, "'later'");
		assertClean("op f(d: PciDev) { let earlier = d  earlier.cmd = 1 }");
	}

	@Test
	void duplicateNames() throws Exception {
		assertIssue("lock m : spinlock", P.getLock(), IssueCodes.DUPLICATE_NAME, "'m' is declared twice");
		assertIssue("object X { field a : int  field a : bool }", P.getField(), IssueCodes.DUPLICATE_NAME, "in object X");
		assertIssue("op f(a: int, a: int) { }", P.getParam(), IssueCodes.DUPLICATE_NAME, "parameters");
		assertIssue("op f() { } op g() { } scenario x { b : PciBus  b : PciBus  thread t1 : f()  thread t2 : g()  expect safe }",
				P.getInstance(), IssueCodes.DUPLICATE_NAME, "in scenario x");
		assertIssue("op f() { let a = 1  let a = 2 }", P.getLetStmt(), IssueCodes.DUPLICATE_NAME, "in this block");
		assertIssue("enum E { A, A }", P.getEnumLiteral(), IssueCodes.DUPLICATE_NAME, "in enum E");
	}

	@Test
	void importsResolveAcrossFiles() throws Exception {
		ResourceSet rs = resourceSets.get();
		parser.parse("spec pci.core\nlock pci_bus_sem : rwsem\nobject PciDev { lock dev_lock : mutex }", rs);
		Spec user = parser.parse("spec pci.user\nimport pci.core.*\nop f(d: PciDev) { lock pci_bus_sem read  lock d.dev_lock  unlock d.dev_lock  unlock pci_bus_sem }", rs);
		validator.assertNoIssues(user);
	}

	@Test
	void unknownImport() throws Exception {
		validator.assertError(parse("spec a\nimport pci.nowhere.*\n"), P.getImport(), IssueCodes.UNKNOWN_IMPORT,
				"no spec declares 'pci.nowhere'");
	}

	// --- lock modes and irqsave

	@Test
	void modeOnLockWithoutModes() throws Exception {
		assertIssue("op f() { lock m read }", P.getLockStmt(), IssueCodes.MODE_NOT_SUPPORTED, "a mutex has no read or write side");
		assertIssue("op f() { if trylock sp write { unlock sp } }", P.getTrylockStmt(), IssueCodes.MODE_NOT_SUPPORTED, "spinlock");
		assertIssue("op f() { with r read { } }", P.getWithStmt(), IssueCodes.MODE_NOT_SUPPORTED, "raw_spinlock");
	}

	@Test
	void rwLocksNeedAMode() throws Exception {
		assertIssue("op f() { lock s  unlock s }", P.getLockStmt(), IssueCodes.MODE_MISSING, "'read' or 'write'");
		assertIssue("op f() { with w { } }", P.getWithStmt(), IssueCodes.MODE_MISSING, "rwlock");
		assertClean("op f() { lock s read  unlock s  with w write { } }");
	}

	@Test
	void irqsaveOnSleepingLock() throws Exception {
		assertIssue("op f() { lock m irqsave  unlock m }", P.getLockStmt(), IssueCodes.IRQSAVE_ON_SLEEPING_LOCK, "may sleep");
		assertIssue("op f() { with s write irqsave { } }", P.getWithStmt(), IssueCodes.IRQSAVE_ON_SLEEPING_LOCK, "rwsem");
		assertClean("op f() { lock sp irqsave  unlock sp  with r irqsave { }  if trylock w read irqsave { unlock w } }");
	}

	@Test
	void lockOfSomethingElse() throws Exception {
		assertIssue("op f(d: PciDev) { lock d.cmd }", P.getLockStmt(), IssueCodes.NOT_A_LOCK, "'d.cmd' is an int, not a lock");
		assertIssue("op f(d: PciDev) acquires d { }", P.getOperation(), IssueCodes.NOT_A_LOCK, "not a lock");
	}

	// --- refcounts, gates, lists

	@Test
	void getPutOnNonRefcount() throws Exception {
		assertIssue("op f(d: PciDev) { get d.cmd }", P.getGetStmt(), IssueCodes.NOT_A_REFCOUNT, "'get' needs a refcount");
		assertIssue("op f(d: PciDev) { put d }", P.getPutStmt(), IssueCodes.NOT_A_REFCOUNT, "'put' needs a refcount");
		assertClean("op f(d: PciDev) { get d.rc  put d.rc }");
	}

	@Test
	void aReleaseOpTakesTheObjectAndReleasesTheLockItIsEnteredWith() throws Exception {
		assertClean("op rel(d: PciDev) { }  op f(d: PciDev) { put d.rc release rel }");
		assertClean("op rel(d: PciDev) releases d.dev_lock { unlock d.dev_lock }"
				+ "  op f(d: PciDev) { put d.rc release rel under d.dev_lock }");
		assertClean("op rel(d: PciDev) releases sp { unlock sp }  op f(d: PciDev) { put d.rc release rel under sp }");
		assertIssue("op rel() { }  op f(d: PciDev) { put d.rc release rel }", P.getPutStmt(), IssueCodes.BAD_RELEASE_OP,
				"must take one parameter, the object whose last reference goes");
		assertIssue("op rel(b: PciBus) { }  op f(d: PciDev) { put d.rc release rel }", P.getPutStmt(),
				IssueCodes.BAD_RELEASE_OP, "must take one parameter");
		assertIssue("op rel(d: PciDev) { }  op f(d: PciDev) { put d.rc release rel under d.dev_lock }", P.getPutStmt(),
				IssueCodes.BAD_RELEASE_OP, "declare it 'releases dev_lock'");
		assertIssue("op rel(d: PciDev) releases s { unlock s }  op f(d: PciDev) { put d.rc release rel under s }",
				P.getPutStmt(), IssueCodes.BAD_RELEASE_OP, "takes a mutex (kref_put_mutex)");
		assertIssue("op rel(d: PciDev) releases m { unlock m }  op f(d: PciDev) { put d.rc release rel }", P.getPutStmt(),
				IssueCodes.BAD_RELEASE_OP, "name it with 'under'");
		assertIssue("op rel(d: PciDev) { }  op f(b: PciBus) { put first(b.devices).rc release rel }", P.getPutStmt(),
				IssueCodes.BAD_RELEASE_OP, "needs the object by name");
		assertIssue("op rel(d: PciDev) { put d.rc release rel }", P.getPutStmt(), IssueCodes.RECURSION, "recursion: rel -> rel");
	}

	@Test
	void gateStatementsOnNonGate() throws Exception {
		assertIssue("op f(d: PciDev) { enter d.rc }", P.getEnterStmt(), IssueCodes.NOT_A_GATE, "'enter' needs a gate");
		assertIssue("op f() { leave m }", P.getLeaveStmt(), IssueCodes.NOT_A_GATE, "'leave' needs a gate");
		assertIssue("op f(d: PciDev) { drain d.dev_lock }", P.getDrainStmt(), IssueCodes.NOT_A_GATE, "'drain' needs a gate");
		assertClean("op f(d: PciDev) { enter g  leave g  drain d.node }");
	}

	@Test
	void completionStatementsOnNonCompletion() throws Exception {
		assertIssue("op f(d: PciDev) { complete d.node }", P.getCompleteStmt(), IssueCodes.NOT_A_COMPLETION,
				"'complete' needs a completion, but 'd.node' is a gate");
		assertIssue("op f() { complete_all m }", P.getCompleteStmt(), IssueCodes.NOT_A_COMPLETION, "'complete_all' needs a completion");
		assertIssue("op f(d: PciDev) { wait_for_completion d.rc }", P.getWaitForCompletionStmt(), IssueCodes.NOT_A_COMPLETION,
				"'wait_for_completion' needs a completion");
		assertIssue("op f(d: PciDev) { reinit_completion d }", P.getReinitCompletionStmt(), IssueCodes.NOT_A_COMPLETION,
				"'reinit_completion' needs a completion");
		assertClean("op f(d: PciDev) { complete d.done  wait_for_completion d.done  complete_all d.done  "
				+ "wait_for_completion_timeout d.done  reinit_completion d.done }");
	}

	@Test
	void waitForWhatNothingCompletes() throws Exception {
		assertWarning("op f(d: PciDev) { wait_for_completion d.done }", P.getWaitForCompletionStmt(),
				IssueCodes.NEVER_COMPLETED, "nothing in this spec completes 'done'");
		// a wait that may give up returns anyway
		assertClean("op f(d: PciDev) { wait_for_completion_interruptible d.done }");
	}

	@Test
	void flushOfAWorkqueueNothingRunsOn() throws Exception {
		assertWarning("workqueue wq\nop f() { flush_workqueue wq }", P.getFlushWorkqueueStmt(),
				IssueCodes.NO_WORK_ON_QUEUE, "no work runs on 'wq'");
		assertClean("workqueue wq\nwork j : job on wq\nop job() { }\nop f() { flush_workqueue wq  drain_workqueue wq }");
		assertIssue("op f() { flush_workqueue m }", P.getFlushWorkqueueStmt(), IssueCodes.NOT_A_WORKQUEUE,
				"'flush_workqueue' needs a workqueue");
	}

	@Test
	void runtimePmCallsAndCallbacks() throws Exception {
		String dev = "object Dev { lock m : mutex\n runtime_pm pm : dsus, dres }\nop dsus(d: Dev) { }\nop dres(d: Dev) { }\n";
		assertClean(dev + "op f(d: Dev) { pm_runtime_get_sync d.pm  pm_runtime_put_sync d.pm  pm_runtime_barrier d.pm }");
		assertIssue(dev + "op f(d: Dev) { pm_runtime_get_sync d.m }", P.getPmStmt(), IssueCodes.NOT_A_RUNTIME_PM,
				"'pm_runtime_get_sync' needs a runtime PM");
		assertIssue("object Dev { runtime_pm pm : dsus, dres }\nop dsus() { }\nop dres(d: Dev) { }", P.getRuntimePm(),
				IssueCodes.BAD_RUNTIME_PM_CALLBACK, "the runtime_suspend callback of 'pm' must take one parameter of type Dev");
		assertIssue("object Dev { runtime_pm pm : dsus, dres }\nop dsus(d: Dev) { }\nop dres(d: Dev) in softirq { }", P.getRuntimePm(),
				IssueCodes.BAD_RUNTIME_PM_CALLBACK, "runs in process context, not in softirq");
		// the PM workqueue's kworker is a second thread of a scenario with runtime PM
		assertClean(dev + "op f(d: Dev) { pm_runtime_get_sync d.pm }\nscenario x { dv : Dev  thread a : f(dv)  expect safe }");
	}

	@Test
	void completionIsNoValue() throws Exception {
		assertIssue("op f(d: PciDev) { if d.done { } }", P.getIfStmt(), IssueCodes.NOT_BOOLEAN, "is a completion");
	}

	@Test
	void listStatements() throws Exception {
		assertIssue("op f(d: PciDev) { add d to d.cmd }", P.getAddStmt(), IssueCodes.NOT_A_LIST, "not a list");
		assertIssue("op f(b: PciBus) { add b to b.devices }", P.getAddStmt(), IssueCodes.TYPE_MISMATCH, "holds PciDev objects");
		assertIssue("op f(d: PciDev) { for x in d { } }", P.getForStmt(), IssueCodes.NOT_A_LIST, "'for' walks a list");
		assertIssue("op f(d: PciDev) { assert linked(d) }", P.getBuiltinCall(), IssueCodes.BUILTIN_ARITY, "takes 2 arguments");
	}

	// --- unlock hygiene

	@Test
	void unlockOfALockNeverTaken() throws Exception {
		assertIssue("op f() { unlock m }", P.getUnlockStmt(), IssueCodes.UNLOCK_NOT_TAKEN, "never locks it");
		assertClean("op f() releases m { unlock m }");
		assertClean("op take() acquires m { lock m }  op f() { call take()  unlock m }");
	}

	// --- calls

	@Test
	void callArity() throws Exception {
		assertIssue("op g(d: PciDev) { }  op f(d: PciDev) { call g(d, d) }", P.getCallStmt(), IssueCodes.WRONG_ARGUMENT_COUNT,
				"takes 1 argument");
		assertIssue("op g(d: PciDev) { }  op f() { queue g() }", P.getQueueStmt(), IssueCodes.WRONG_ARGUMENT_COUNT, "not 0");
	}

	@Test
	void callArgumentTypes() throws Exception {
		assertIssue("op g(d: PciDev) { }  op f(b: PciBus) { call g(b) }", P.getCallStmt(), IssueCodes.WRONG_ARGUMENT_TYPE,
				"is a PciDev, but 'b' is a PciBus");
		assertIssue("op g(n: int) { }  op f() { call g(true) }", P.getCallStmt(), IssueCodes.WRONG_ARGUMENT_TYPE, "an int");
	}

	@Test
	void recursion() throws Exception {
		assertIssue("op a() { call b() }  op b() { call c() }  op c() { call a() }", P.getCallStmt(), IssueCodes.RECURSION,
				"recursion: a -> b -> c -> a");
		assertIssue("op a() { call a() }", P.getCallStmt(), IssueCodes.RECURSION, "a -> a");
		assertClean("op a() { queue a() }");
	}

	// --- scenarios and expectations

	@Test
	void threadArgumentsAreInstancesOfTheRightType() throws Exception {
		String ops = "op probe(d: PciDev) { }  op rec(b: PciBus) { }\n";
		assertIssue(ops + "scenario x { b0 : PciBus  thread c0 : probe(b0)  thread c1 : rec(b0)  expect safe }",
				P.getScenarioThread(), IssueCodes.THREAD_ARGUMENT_NOT_INSTANCE, "is a PciDev, but 'b0' is a PciBus");
		assertIssue(ops + "scenario x { b0 : PciBus  thread c0 : probe(null)  thread c1 : rec(b0)  expect safe }",
				P.getScenarioThread(), IssueCodes.THREAD_ARGUMENT_NOT_INSTANCE, "must name an instance of PciDev");
		assertClean(ops + "scenario x { b0 : PciBus  d : PciDev { bus = b0 } in b0.devices  thread c0 : probe(d)  thread c1 : rec(b0)  expect safe }");
	}

	@Test
	void raceOnSomethingThatIsNotAField() throws Exception {
		String ops = "op probe(d: PciDev) { }\n";
		assertIssue(ops + "scenario x { d : PciDev  thread c0 : probe(d)  thread c1 : probe(d)  expect race on d.nosuch }",
				P.getMemberAccess(), LockspecLinkingDiagnostics.UNRESOLVED, "has no field");
		assertIssue(ops + "scenario x { d : PciDev  thread c0 : probe(d)  thread c1 : probe(d)  expect race on d.dev_lock }",
				P.getExpectation(), IssueCodes.RACE_TARGET_NOT_FIELD, "names a field");
		assertIssue(ops + "expect race on d.cmd", P.getVarRef(), LockspecLinkingDiagnostics.UNRESOLVED, "'d'");
		assertClean(ops + "expect race on PciDev.cmd\nscenario x { d : PciDev  thread c0 : probe(d)  thread c1 : probe(d)  expect race on d.cmd }");
	}

	@Test
	void lockInvariantsNameAGlobalLock() throws Exception {
		assertClean("invariant i under sp: true  expect inductive i");
		assertIssue("invariant i under dev_lock: true", P.getInvariant(), IssueCodes.INVARIANT_UNDER_OBJECT_LOCK,
				"'under' names a global lock");
		assertIssue("invariant i: true  op f() { } scenario x { thread a : f()  thread b : f()  expect inductive i }",
				P.getExpectation(), IssueCodes.EXPECT_NOT_HERE, "for any number of objects");
	}

	@Test
	void expectationsInTheRightPlace() throws Exception {
		assertIssue("expect safe", P.getExpectation(), IssueCodes.EXPECT_NOT_HERE, "state it in a scenario");
		assertIssue("op f() { } scenario x { thread a : f()  thread b : f()  expect proved }", P.getExpectation(),
				IssueCodes.EXPECT_NOT_HERE, "state it at the top level");
		assertIssue("op f() { } scenario x { thread a : f()  thread b : f()  expect lockdep_splat }", P.getExpectation(),
				IssueCodes.EXPECT_NOT_HERE, "state it at the top level");
		assertClean("expect lockdep_splat");
	}

	@Test
	void scenarioShape() throws Exception {
		assertIssue("scenario x { expect safe }", P.getScenario(), IssueCodes.SCENARIO_THREADS, "runs no thread");
		assertWarning("op f() { } scenario x { thread a : f()  expect safe }", P.getScenario(), IssueCodes.SCENARIO_THREADS,
				"single thread");
		assertWarning("op f() { } scenario x { thread a : f()  thread b : f() }", P.getScenario(), IssueCodes.SCENARIO_NO_EXPECT,
				"states no 'expect'");
		assertIssue("op f() { } scenario x { thread a : f()  thread b : f()  bound steps 0  expect safe }", P.getBound(),
				IssueCodes.BAD_BOUND, "at least 1");
	}

	// --- types

	@Test
	void conditionsAreBooleans() throws Exception {
		assertIssue("op f(d: PciDev) { if d.cmd { } }", P.getIfStmt(), IssueCodes.NOT_BOOLEAN, "needs a condition");
		assertIssue("op f(d: PciDev) { wait until d }", P.getWaitStmt(), IssueCodes.NOT_BOOLEAN, "'wait until'");
		assertIssue("invariant i: 1", P.getInvariant(), IssueCodes.NOT_BOOLEAN, "an invariant");
	}

	@Test
	void assignments() throws Exception {
		assertIssue("op f(d: PciDev) { d.cmd = true }", P.getAssignStmt(), IssueCodes.TYPE_MISMATCH, "'d.cmd' is an int");
		assertIssue("op f(d: PciDev) { d.dev_lock = 1 }", P.getAssignStmt(), IssueCodes.NOT_ASSIGNABLE, "cannot assign");
		assertIssue("op f(b: PciBus) { b.devices = null }", P.getAssignStmt(), IssueCodes.NOT_ASSIGNABLE, "'add' and 'remove'");
		assertIssue("op f(d: PciDev) { let x = new PciDev { cmd = d } }", P.getInit(), IssueCodes.TYPE_MISMATCH, "'cmd' is an int");
		assertIssue("op f(d: PciDev) { d.cmd = 1 + true }", P.getBinary(), IssueCodes.TYPE_MISMATCH, "works on ints");
	}

	@Test
	void refcountsReadAsCounts() throws Exception {
		assertClean("invariant counted: forall d: PciDev . d.rc >= 1 && d.rc + 1 > d.rc");
		assertIssue("op f(d: PciDev) { d.rc = 2 }", P.getAssignStmt(), IssueCodes.NOT_ASSIGNABLE, "'get' and 'put'");
	}

	@Test
	void fieldsHoldValuesNotObjects() throws Exception {
		assertIssue("object X { field p : PciDev }", P.getField(), IssueCodes.BAD_FIELD_TYPE, "is a 'ref p : PciDev'");
	}

	@Test
	void orderByParent() throws Exception {
		assertIssue("object N { ref up : PciBus  lock l : mutex }  order N.l by up", P.getOrder(), IssueCodes.ORDER_BY_PARENT,
				"not to a parent N");
		assertIssue("order m by bus", P.getOrder(), IssueCodes.ORDER_BY_PARENT, "needs a per-object lock");
		assertClean("object N { ref parent : N?  lock l : mutex }  order N.l by parent  order m before N.l");
	}

	@Test
	void typeIsNotAValue() throws Exception {
		assertIssue("op f() { lock PciDev }", P.getVarRef(), LockspecLinkingDiagnostics.UNRESOLVED, "'PciDev'");
	}

	@Test
	void diagnosticsCarryPositions() throws Exception {
		List<Issue> issues = issues("op f() {\n  lock m read\n}");
		Issue issue = issues.stream().filter(i -> IssueCodes.MODE_NOT_SUPPORTED.equals(i.getCode())).findFirst().orElseThrow();
		assertEquals(Severity.ERROR, issue.getSeverity());
		assertEquals(11, issue.getLineNumber(), "DECLS has nine lines, then 'op f() {'");
		assertEquals(10, issue.getColumn(), "1-based column of 'read' in '  lock m read'");
	}
}
