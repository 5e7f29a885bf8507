package org.lockspec.diagram.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.lockspec.diagram.Diagrams;
import org.lockspec.diagram.HtmlReport;
import org.lockspec.diagram.model.Dependency;
import org.lockspec.diagram.model.LinkKind;
import org.lockspec.diagram.model.LockClass;
import org.lockspec.diagram.model.LockGraph;
import org.lockspec.diagram.model.LockKind;
import org.lockspec.diagram.model.ObjectInstance;
import org.lockspec.diagram.model.Topology;
import org.lockspec.diagram.model.Trace;
import org.lockspec.diagram.model.VerdictStatus;
import org.lockspec.verdict.Verdict;
import org.lockspec.tests.Examples;

/** What the seed diagrams say, against the seeds' facts. */
class SeedSemanticsTest {

	private static Path seed(String dir, String variant) {
		return Examples.examplesDir().resolve(dir).resolve(variant + ".lockspec");
	}

	@Test
	void aerSriovDeadlockIsARedCycleOfDevLockAndBusSem() {
		HtmlReport.Entry e = Seeds.proved(seed("002-aer-sriov", "buggy"));
		LockGraph g = Diagrams.lockGraph(e.spec(), e.result().verdicts(), "lock_order", Seeds.options());
		assertEquals(VerdictStatus.VIOLATED, g.getStatus());
		assertEquals("lock_order", g.getObligation());
		assertEquals(1, g.getCycles().size());
		List<String> cycle = g.getCycles().get(0).getClasses().stream().map(LockClass::getId).toList();
		assertEquals(List.of("PciDev.dev_lock", "pci_bus_sem"), cycle);
		Map<String, LockClass> byId = g.getClasses().stream().collect(Collectors.toMap(LockClass::getId, c -> c));
		assertEquals(LockKind.MUTEX, byId.get("PciDev.dev_lock").getKind());
		assertEquals(LockKind.RWSEM, byId.get("pci_bus_sem").getKind());
		assertTrue(byId.get("pci_bus_sem").isInCycle());
		for (Dependency d : g.getCycles().get(0).getDependencies()) {
			assertTrue(d.isInCycle());
			assertTrue(d.getWitnesses().size() > 0);
		}
		Dependency probe = g.getCycles().get(0).getDependencies().get(0);
		assertEquals("driver_probe", probe.getWitnesses().get(0).getOp());
		assertTrue(probe.getWitnesses().get(0).getChain().startsWith("driver_probe -> pci_enable_sriov"),
				probe.getWitnesses().get(0).getChain());
		String svg = Diagrams.svg(g);
		assertTrue(svg.contains("class=\"edge dependency in-cycle\""));
		assertTrue(svg.contains("stroke=\"#c62828\""), "the cycle is drawn in red");
	}

	@Test
	void aCycleLockdepWouldReportIsDrawnWithItsVerdict() {
		HtmlReport.Entry e = Seeds.proved(seed("017-pciehp-reset-lock-device-lock", "fixed"));
		LockGraph g = Diagrams.lockGraph(e.spec(), e.result().verdicts(), null, Seeds.options());
		assertEquals(VerdictStatus.PROVED, g.getStatus(), "the lock order is proved");
		assertEquals(1, g.getCycles().size());
		assertEquals("lockdep_only", g.getCycles().get(0).getObligation());
		assertTrue(g.getNotes().stream().anyMatch(n -> n.startsWith("lockdep_only: ") && n.contains("cannot deadlock")),
				g.getNotes()::toString);
	}

	@Test
	void aerSriovFixedHasNoCycleAndIsProved() {
		HtmlReport.Entry e = Seeds.proved(seed("002-aer-sriov", "fixed"));
		LockGraph g = Diagrams.lockGraph(e.spec(), e.result().verdicts(), null, Seeds.options());
		assertEquals(VerdictStatus.PROVED, g.getStatus());
		assertTrue(g.getCycles().isEmpty());
		assertTrue(g.getClasses().stream().noneMatch(LockClass::isInCycle));
		assertTrue(!Diagrams.svg(g).contains("in-cycle"));
	}

	@Test
	void eehTopologyIsThePeTree() {
		HtmlReport.Entry e = Seeds.proved(seed("003-eeh-pe", "buggy"));
		Topology t = Diagrams.topologies(e.spec(), e.result().verdicts(), Seeds.options()).get(0);
		assertEquals("report_vs_hot_remove", t.getScenario());
		assertEquals(9, t.getNodes().size(), "7 objects and 2 threads");
		Map<LinkKind, Long> kinds = t.getLinks().stream().collect(Collectors.groupingBy(l -> l.getKind(), Collectors.counting()));
		assertEquals(6, kinds.get(LinkKind.LIST), "3 child_list and 3 edevs memberships");
		assertEquals(6, kinds.get(LinkKind.REF), "3 parents and 3 edev->pe");
		assertEquals(2, kinds.get(LinkKind.THREAD));
		ObjectInstance phb = (ObjectInstance) t.getNodes().get(0);
		assertEquals("phb", phb.getName());
		assertEquals(1, phb.getRefcounts().get(0).getInitial(), "a kref starts at 1");
		assertEquals(VerdictStatus.VIOLATED, t.getStatus(), "the use after free");
		assertTrue(t.getNodes().stream().anyMatch(n -> n.isInvolved()), "the failing step names its objects");
		// owners above members: the PHB is laid out above the PEs on its list
		ObjectInstance pe0 = (ObjectInstance) t.getNodes().get(1);
		assertTrue(phb.getY() + phb.getHeight() <= pe0.getY(), "phb above pe0");
	}

	@Test
	void eehUseAfterFreeMarksTheFailingStep() {
		HtmlReport.Entry e = Seeds.proved(seed("003-eeh-pe", "buggy"));
		Verdict v = e.result().verdicts().stream().filter(x -> x.id().equals("scenario report_vs_hot_remove/use_after_free"))
				.findFirst().orElseThrow();
		Trace t = Diagrams.trace(e.spec(), v, Seeds.options());
		assertEquals(VerdictStatus.VIOLATED, t.getStatus());
		assertEquals(1, t.getSteps().stream().filter(s -> s.isFailing()).count());
		assertTrue(t.getSteps().get(t.getSteps().size() - 1).isFailing(), "the last step fails");
		String svg = Diagrams.svg(t);
		assertTrue(svg.contains("class=\"node step failing\""), svg);
		assertTrue(svg.contains("&lt;-- fails ✗"), svg);
	}

	@Test
	void aerSriovTraceHasTwoCpusAndMarksTheFailingStep() {
		HtmlReport.Entry e = Seeds.proved(seed("002-aer-sriov", "buggy"));
		Verdict v = e.result().verdicts().stream().filter(x -> x.id().equals("scenario probe_vs_aer/deadlock"))
				.findFirst().orElseThrow();
		Trace t = Diagrams.trace(e.spec(), v, Seeds.options());
		assertEquals(2, t.getLanes().size());
		assertEquals("CPU0", t.getLanes().get(0).getCpu());
		assertEquals("DEADLOCK", t.getOutcome());
		assertEquals(2, t.getSteps().stream().filter(s -> s.isBlocked()).count(), "both CPUs wait");
		assertTrue(t.getSteps().get(t.getSteps().size() - 1).isBlocked(), "a deadlock ends with every CPU waiting");
		assertEquals(27, t.getSteps().get(0).getAt().getLine());
		assertEquals("spec-examples/002-aer-sriov/buggy.lockspec", t.getSteps().get(0).getAt().getFile());
		assertEquals("lock pf.dev_lock", t.getSteps().get(0).getAt().getText());
	}
}
