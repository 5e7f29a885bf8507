package org.lockspec.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.util.ParseHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lockspec.model.*;
import org.lockspec.typing.Guards;
import org.lockspec.typing.Syntax;

import com.google.inject.Inject;

/** Every construct of LANGUAGE.md parses into the model it means. */
@ExtendWith(InjectionExtension.class)
@InjectWith(LockspecInjectorProvider.class)
class ParserTest {

	@Inject
	private ParseHelper<Spec> parser;

	private Spec parse(String text) throws Exception {
		Spec spec = parser.parse(text);
		assertNotNull(spec, "no model");
		assertEquals(List.of(), spec.eResource().getErrors().stream().map(e -> e.getLine() + ": " + e.getMessage()).toList());
		return spec;
	}

	private <T extends org.eclipse.emf.ecore.EObject> T only(Spec spec, Class<T> type) {
		List<T> all = EcoreUtil2.getAllContentsOfType(spec, type);
		assertEquals(1, all.size(), () -> "expected one " + type.getSimpleName() + ", found " + all.size());
		return all.get(0);
	}

	private Operation op(String body) throws Exception {
		Spec spec = parse("""
				spec t
				lock m : mutex
				lock s : rwsem
				lock r : raw_spinlock
				gate g
				object O { refcount rc  list l : O  field x : int  ref p : O?  lock ol : spinlock }
				op other(o: O) { }
				op f(o: O, n: int, b: bool) {
				""" + body + "\n}\n");
		return EcoreUtil2.typeSelect(spec.getMembers(), Operation.class).get(1);
	}

	@Test
	void specNameAndImports() throws Exception {
		Spec spec = parse("spec pci.aer_sriov\nimport pci.core.*\nimport pci.other.Thing\n");
		assertEquals("pci.aer_sriov", spec.getName());
		assertEquals(List.of("pci.core.*", "pci.other.Thing"),
				spec.getImports().stream().map(Import::getImportedNamespace).toList());
	}

	@Test
	void globalLocksOfEveryKind() throws Exception {
		Spec spec = parse("spec t\nlock a : mutex\nlock b : rwsem\nlock c : spinlock\nlock d : raw_spinlock\nlock e : rwlock\n");
		assertEquals(List.of(LockKind.MUTEX, LockKind.RWSEM, LockKind.SPINLOCK, LockKind.RAW_SPINLOCK, LockKind.RWLOCK),
				EcoreUtil2.typeSelect(spec.getMembers(), Lock.class).stream().map(Lock::getKind).toList());
	}

	@Test
	void guardThroughRefs() throws Exception {
		Spec spec = parse("""
				spec t
				object Device { lock msi_lock : raw_spinlock }
				object MsiDesc {
				  ref dev : Device
				  field masked : int guarded_by dev.msi_lock
				}
				""");
		ObjectType desc = EcoreUtil2.typeSelect(spec.getMembers(), ObjectType.class).get(1);
		Guard guard = ((Field) desc.getFeatures().get(1)).getGuards().get(0);
		assertEquals("msi_lock", Guards.lock(guard).getName());
		assertEquals(List.of(desc.getFeatures().get(0)), Guards.path(guard));
		assertEquals("dev.msi_lock", Guards.text(guard));
	}

	@Test
	void objectWithEveryFeature() throws Exception {
		Spec spec = parse("""
				spec t
				lock pci_bus_sem : rwsem
				enum State { ISOLATED, RECOVERING }
				object PciBus { list devices : PciDev guarded_by pci_bus_sem }
				object PciDev {
				  ref bus : PciBus
				  ref parent : PciDev? guarded_by dev_lock
				  lock dev_lock : mutex
				  field enabled : bool guarded_by dev_lock, pci_bus_sem
				  field enable_cnt : int atomic
				  field state : State
				  refcount rc
				  gate remove_node
				}
				""");
		ObjectType dev = EcoreUtil2.typeSelect(spec.getMembers(), ObjectType.class).get(1);
		assertEquals(8, dev.getFeatures().size());
		Ref parent = (Ref) dev.getFeatures().get(1);
		assertTrue(parent.isNullable());
		assertEquals("dev_lock", Guards.lock(parent.getGuards().get(0)).getName());
		Field enabled = (Field) dev.getFeatures().get(3);
		assertEquals(2, enabled.getGuards().size());
		assertEquals("pci_bus_sem", Guards.lock(enabled.getGuards().get(1)).getName());
		assertTrue(Guards.path(enabled.getGuards().get(1)).isEmpty());
		assertTrue(((Field) dev.getFeatures().get(4)).isAtomic());
		assertInstanceOf(EnumType.class, ((Field) dev.getFeatures().get(5)).getType().getType());
		assertInstanceOf(Refcount.class, dev.getFeatures().get(6));
		assertInstanceOf(Gate.class, dev.getFeatures().get(7));
	}

	@Test
	void globalStateConstsOrdersInvariantsConfig() throws Exception {
		Spec spec = parse("""
				spec t
				config preempt_rt
				const PCI_COMMAND_MASTER = 0x4
				const LIMIT = 10
				field block_cfg_access : bool
				gate active
				object P { ref parent : P?  lock l : mutex  list kids : P  refcount rc }
				list roots : P
				lock a : mutex
				lock b : spinlock
				order a before b
				order a before P.l
				order P.l by parent
				invariant linked_has_ref: forall p: P . forall q: P . linked(p, q.kids) ==> p.rc >= 1
				""");
		assertEquals(ConfigOption.PREEMPT_RT, only(spec, Config.class).getOption());
		List<Const> consts = EcoreUtil2.typeSelect(spec.getMembers(), Const.class);
		assertEquals(4L, consts.get(0).getValue());
		assertEquals(10L, consts.get(1).getValue());
		List<Order> orders = EcoreUtil2.typeSelect(spec.getMembers(), Order.class);
		assertEquals("b", orders.get(0).getSecond().getLock().getName());
		assertEquals("P", orders.get(1).getSecond().getOwner().getName());
		assertTrue(orders.get(2).isByParent());
		assertEquals("parent", orders.get(2).getVia().getName());
		Invariant inv = only(spec, Invariant.class);
		Quantified q = assertInstanceOf(Quantified.class, inv.getExpr());
		assertEquals(Quantifier.FORALL, q.getQuantifier());
		Quantified inner = assertInstanceOf(Quantified.class, q.getBody());
		Binary implies = assertInstanceOf(Binary.class, inner.getBody());
		assertEquals("==>", implies.getOp());
	}

	@Test
	void operationHeader() throws Exception {
		Spec spec = parse("""
				spec t
				lock l : spinlock
				object O { lock ol : mutex }
				op a(o: O) in hardirq acquires l { lock l }
				op b(o: O) in any releases l, o.ol { unlock l unlock o.ol }
				op c() in softirq { }
				op d() in process { }
				op e() { }
				""");
		List<Operation> ops = EcoreUtil2.typeSelect(spec.getMembers(), Operation.class);
		assertEquals(Context.HARDIRQ, Syntax.declaredContext(ops.get(0)));
		assertEquals(1, ops.get(0).getAcquires().size());
		assertEquals(Context.ANY, Syntax.declaredContext(ops.get(1)));
		assertEquals(2, ops.get(1).getReleases().size());
		assertEquals(Context.SOFTIRQ, Syntax.declaredContext(ops.get(2)));
		assertEquals(Context.PROCESS, Syntax.declaredContext(ops.get(3)));
		assertNull(Syntax.declaredContext(ops.get(4)), "no context written: inherits the caller's");
	}

	@Test
	void lockStatements() throws Exception {
		Operation f = op("lock m\nlock s read\nlock s write\nlock r irqsave\nlock o.ol\nunlock o.ol\nunlock r\nunlock s\nunlock s\nunlock m");
		List<LockStmt> locks = EcoreUtil2.getAllContentsOfType(f, LockStmt.class);
		assertEquals(5, locks.size());
		assertNull(Syntax.mode(locks.get(0)));
		assertEquals(LockMode.READ, Syntax.mode(locks.get(1)));
		assertEquals(LockMode.WRITE, Syntax.mode(locks.get(2)));
		assertTrue(locks.get(3).isIrqsave());
		assertInstanceOf(MemberAccess.class, locks.get(4).getLock());
		assertEquals(5, EcoreUtil2.getAllContentsOfType(f, UnlockStmt.class).size());
	}

	@Test
	void trylockAndWith() throws Exception {
		Operation f = op("if trylock m { unlock m } else { return }\nwith s read { }\nwith r irqsave { }\n"
				+ "if trylock s write { unlock s } else if b { } else { }");
		List<TrylockStmt> tries = EcoreUtil2.getAllContentsOfType(f, TrylockStmt.class);
		assertEquals(2, tries.size());
		assertNotNull(tries.get(0).getOtherwise());
		assertInstanceOf(ReturnStmt.class, tries.get(0).getOtherwise().getStatements().get(0));
		assertEquals(LockMode.WRITE, Syntax.mode(tries.get(1)));
		assertInstanceOf(IfStmt.class, tries.get(1).getElseIf());
		List<WithStmt> withs = EcoreUtil2.getAllContentsOfType(f, WithStmt.class);
		assertEquals(LockMode.READ, Syntax.mode(withs.get(0)));
		assertTrue(withs.get(1).isIrqsave());
	}

	@Test
	void dataStatements() throws Exception {
		Operation f = op("""
				let x = new O { x = 1, p = o }
				let y = o.p
				y = o
				o.x = o.x | 0x2 & ~1
				add x to o.l
				remove x from o.l
				for c in o.l { c.x = -c.x + 2 * 3 / 1 % 4 - 5 }
				while n > 0 && !b || n <= 3 { n = n - 1 }
				if o.x == 1 { } else if o.x != 2 { } else { }
				choose { o.x = 1 } or { o.x = 2 } or { }
				""");
		LetStmt let = EcoreUtil2.getAllContentsOfType(f, LetStmt.class).get(0);
		NewExpr created = assertInstanceOf(NewExpr.class, let.getValue());
		assertEquals(2, created.getInits().size());
		assertEquals(3, EcoreUtil2.getAllContentsOfType(f, ChooseStmt.class).get(0).getBranches().size());
		assertEquals(1, EcoreUtil2.getAllContentsOfType(f, AddStmt.class).size());
		assertEquals(1, EcoreUtil2.getAllContentsOfType(f, RemoveStmt.class).size());
		assertEquals(1, EcoreUtil2.getAllContentsOfType(f, ForStmt.class).size());
		assertEquals(1, EcoreUtil2.getAllContentsOfType(f, WhileStmt.class).size());
		AssignStmt bits = EcoreUtil2.getAllContentsOfType(f, AssignStmt.class).get(1);
		Binary or = assertInstanceOf(Binary.class, bits.getValue());
		assertEquals("|", or.getOp(), "| binds looser than &");
		assertEquals("&", ((Binary) or.getRight()).getOp());
	}

	@Test
	void precedence() throws Exception {
		Operation f = op("assert n + 1 * 2 == 3 && b || !b ==> n < 1");
		Binary implies = (Binary) EcoreUtil2.getAllContentsOfType(f, AssertStmt.class).get(0).getCond();
		assertEquals("==>", implies.getOp());
		Binary or = (Binary) implies.getLeft();
		assertEquals("||", or.getOp());
		Binary and = (Binary) or.getLeft();
		assertEquals("&&", and.getOp());
		Binary eq = (Binary) and.getLeft();
		assertEquals("==", eq.getOp());
		Binary plus = (Binary) eq.getLeft();
		assertEquals("+", plus.getOp());
		assertEquals("*", ((Binary) plus.getRight()).getOp());
	}

	@Test
	void refcountsGatesWaitsCallsQueues() throws Exception {
		Operation f = op("""
				get o.rc
				put o.rc
				enter g
				leave g
				drain g
				wait until o.x == 0
				call other(o)
				queue other(o)
				assert linked(o, o.l) && !freed(o) && held(m) && empty(o.l) : "consistent"
				let h = first(o.l)
				let k = next(h, o.l)
				return
				""");
		assertEquals(1, EcoreUtil2.getAllContentsOfType(f, GetStmt.class).size());
		assertEquals(1, EcoreUtil2.getAllContentsOfType(f, PutStmt.class).size());
		assertEquals(1, EcoreUtil2.getAllContentsOfType(f, EnterStmt.class).size());
		assertEquals(1, EcoreUtil2.getAllContentsOfType(f, LeaveStmt.class).size());
		assertEquals(1, EcoreUtil2.getAllContentsOfType(f, DrainStmt.class).size());
		assertEquals(1, EcoreUtil2.getAllContentsOfType(f, WaitStmt.class).size());
		assertEquals("other", EcoreUtil2.getAllContentsOfType(f, CallStmt.class).get(0).getOp().getName());
		assertEquals("other", EcoreUtil2.getAllContentsOfType(f, QueueStmt.class).get(0).getOp().getName());
		AssertStmt a = EcoreUtil2.getAllContentsOfType(f, AssertStmt.class).get(0);
		assertEquals("consistent", a.getMessage());
		assertEquals(List.of(Builtin.LINKED, Builtin.FREED, Builtin.HELD, Builtin.EMPTY, Builtin.FIRST, Builtin.NEXT),
				EcoreUtil2.getAllContentsOfType(f, BuiltinCall.class).stream().map(BuiltinCall::getFn).toList());
		assertEquals(1, EcoreUtil2.getAllContentsOfType(f, ReturnStmt.class).size());
	}

	@Test
	void scenarios() throws Exception {
		Spec spec = parse("""
				spec t
				object PciBus { list devices : PciDev }
				object PciDev { ref bus : PciBus  field cmd : int }
				op probe(d: PciDev) { }
				op recover(b: PciBus) { }
				invariant ok: true
				expect deadlock
				expect race on PciDev.cmd
				expect proved
				scenario probe_vs_aer {
				  bus0 : PciBus
				  pf   : PciDev { bus = bus0, cmd = 0x4 } in bus0.devices
				  thread cpu0 : probe(pf)
				  thread cpu1 : recover(bus0)
				  bound steps 200
				  bound preemptions 3
				  expect deadlock
				  expect race on pf.cmd
				  expect violation ok
				  expect safe
				}
				""");
		Scenario s = only(spec, Scenario.class);
		assertEquals(2, s.getInstances().size());
		assertEquals(1, s.getInstances().get(1).getLists().size());
		assertEquals(2, s.getThreads().size());
		assertEquals("probe", s.getThreads().get(0).getOp().getName());
		assertEquals(List.of(BoundKind.STEPS, BoundKind.PREEMPTIONS), s.getBounds().stream().map(Bound::getKind).toList());
		assertEquals(List.of(ExpectKind.DEADLOCK, ExpectKind.RACE, ExpectKind.VIOLATION, ExpectKind.SAFE),
				s.getExpects().stream().map(Expectation::getKind).toList());
		assertEquals("ok", s.getExpects().get(2).getInvariant().getName());
		List<Expectation> top = EcoreUtil2.typeSelect(spec.getMembers(), Expectation.class);
		assertEquals(List.of(ExpectKind.DEADLOCK, ExpectKind.RACE, ExpectKind.PROVED),
				top.stream().map(Expectation::getKind).toList());
	}

	@Test
	void everyExpectKindParses() throws Exception {
		for (ExpectKind k : ExpectKind.values()) {
			String tail = switch (k) {
			case RACE -> " on O.f";
			case VIOLATION, INDUCTIVE -> " inv";
			default -> "";
			};
			Spec spec = parser.parse("spec t\nobject O { field f : int }\ninvariant inv: true\nscenario s { expect "
					+ k.getLiteral() + tail + " }");
			assertFalse(spec.eResource().getErrors().stream().anyMatch(e -> true),
					() -> k + ": " + spec.eResource().getErrors());
		}
	}

	@Test
	void aLockInvariantNamesItsLock() throws Exception {
		Spec spec = parser.parse("spec t\nlock l : spinlock\nfield a : int guarded_by l\n"
				+ "invariant pos under l: a >= 0\ninvariant plain: true\nexpect inductive pos\n");
		assertTrue(spec.eResource().getErrors().isEmpty(), () -> spec.eResource().getErrors().toString());
		List<Invariant> invs = EcoreUtil2.typeSelect(spec.getMembers(), Invariant.class);
		assertEquals("l", invs.get(0).getUnder().getName());
		assertEquals(null, invs.get(1).getUnder());
		Expectation e = only(spec, Expectation.class);
		assertEquals(ExpectKind.INDUCTIVE, e.getKind());
		assertEquals("pos", e.getInvariant().getName());
	}

	@Test
	void linksThroughRefsAndPerObjectLocks() throws Exception {
		Spec spec = parse("""
				spec t
				object PciBus { list devices : PciDev }
				object PciDev { ref bus : PciBus  lock dev_lock : mutex }
				op f(dev: PciDev) { lock dev.dev_lock  add dev to dev.bus.devices  unlock dev.dev_lock }
				""");
		AddStmt add = only(spec, AddStmt.class);
		MemberAccess devices = (MemberAccess) add.getList();
		assertEquals("devices", ((ListField) devices.getMember()).getName());
		assertEquals("bus", ((Ref) ((MemberAccess) devices.getReceiver()).getMember()).getName());
		LockStmt lock = only(spec, LockStmt.class);
		assertEquals("dev_lock", ((Lock) ((MemberAccess) lock.getLock()).getMember()).getName());
	}

	@Test
	void commentsAnywhere() throws Exception {
		parse("/* header */ spec t // the spec\n/** doc */ lock m : mutex // trailing\n");
	}
}
