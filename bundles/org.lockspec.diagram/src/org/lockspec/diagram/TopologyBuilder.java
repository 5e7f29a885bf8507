package org.lockspec.diagram;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.emf.ecore.EObject;
import org.lockspec.analysis.Sites;
import org.lockspec.diagram.model.DiagramFactory;
import org.lockspec.diagram.model.DiagramKind;
import org.lockspec.diagram.model.FieldValue;
import org.lockspec.diagram.model.Link;
import org.lockspec.diagram.model.LinkKind;
import org.lockspec.diagram.model.LockKind;
import org.lockspec.diagram.model.LockSlot;
import org.lockspec.diagram.model.ObjectInstance;
import org.lockspec.diagram.model.RefcountSlot;
import org.lockspec.diagram.model.ThreadNode;
import org.lockspec.diagram.model.Topology;
import org.lockspec.diagram.model.TopologyNode;
import org.lockspec.model.Completion;
import org.lockspec.model.Work;
import org.lockspec.model.Expression;
import org.lockspec.model.Feature;
import org.lockspec.model.Field;
import org.lockspec.model.Gate;
import org.lockspec.model.Init;
import org.lockspec.model.Instance;
import org.lockspec.model.IntLiteral;
import org.lockspec.model.Lock;
import org.lockspec.model.MemberAccess;
import org.lockspec.model.Ref;
import org.lockspec.model.Refcount;
import org.lockspec.model.Scenario;
import org.lockspec.model.ScenarioThread;
import org.lockspec.model.Spec;
import org.lockspec.model.VarRef;
import org.lockspec.naming.NameOf;
import org.lockspec.verdict.Location;
import org.lockspec.verdict.Trace;
import org.lockspec.verdict.Verdict;

/**
 * Fills a {@link Topology} from a scenario: its instances with their locks,
 * refcounts (a kref starts at 1) and initial fields; list memberships (owner
 * to member) and references (object to the object a ref field names, e.g. its
 * parent); its threads and the objects they are started on. A node is
 * involved when a blocked or failing step of a violated scenario verdict
 * names it (its thread's lane, or the instance's name in the step's text).
 */
final class TopologyBuilder {

	private static final DiagramFactory F = DiagramFactory.eINSTANCE;

	private TopologyBuilder() {
	}

	static Topology build(Spec spec, Scenario scenario, List<Verdict> verdicts, Sources sources) {
		Topology t = F.createTopology();
		t.setKind(DiagramKind.TOPOLOGY);
		t.setSpec(spec.getName());
		t.setFile(Location.relative(Location.of(spec).file(), sources.base()));
		t.setScenario(scenario.getName());
		t.setTitle("scenario " + scenario.getName() + " of " + spec.getName());
		Map<Instance, ObjectInstance> nodes = new LinkedHashMap<>();
		for (Instance i : scenario.getInstances()) {
			ObjectInstance o = F.createObjectInstance();
			o.setName(i.getName());
			o.setType(i.getType() == null ? "?" : i.getType().getName());
			o.setDeclaredAt(sources.ref(i));
			if (i.getType() != null) {
				for (Feature f : i.getType().getFeatures()) {
					if (f instanceof Lock l) {
						LockSlot s = F.createLockSlot();
						s.setName(l.getName());
						s.setKind(LockKind.get(l.getKind().getLiteral()));
						o.getLocks().add(s);
					} else if (f instanceof Gate || f instanceof Completion || f instanceof Work) {
						LockSlot s = F.createLockSlot();
						s.setName(NameOf.name(f));
						s.setKind(f instanceof Gate ? LockKind.GATE : f instanceof Work ? LockKind.WORK : LockKind.COMPLETION);
						o.getLocks().add(s);
					} else if (f instanceof Refcount rc) {
						RefcountSlot s = F.createRefcountSlot();
						s.setName(rc.getName());
						s.setInitial(1);
						o.getRefcounts().add(s);
					}
				}
			}
			nodes.put(i, o);
			t.getNodes().add(o);
		}
		for (Instance i : scenario.getInstances()) {
			ObjectInstance o = nodes.get(i);
			for (Init init : i.getInits()) {
				EObject feature = init.getFeature();
				Expression value = init.getValue();
				if (feature instanceof Ref r && value instanceof VarRef v && v.getRef() instanceof Instance target
						&& nodes.containsKey(target)) {
					link(t, LinkKind.REF, r.getName(), o, nodes.get(target));
				} else if (feature instanceof Refcount rc && value instanceof IntLiteral n) {
					for (RefcountSlot s : o.getRefcounts()) {
						if (s.getName().equals(rc.getName())) {
							s.setInitial((int) Math.min(Integer.MAX_VALUE, n.getValue()));
						}
					}
				} else if (feature instanceof Field || feature instanceof Ref) {
					FieldValue fv = F.createFieldValue();
					fv.setName(org.lockspec.naming.NameOf.name(feature));
					fv.setValue(Sites.text(value));
					o.getFields().add(fv);
				}
			}
			for (Expression list : i.getLists()) {
				if (list instanceof MemberAccess m && m.getReceiver() instanceof VarRef owner
						&& owner.getRef() instanceof Instance oi && nodes.containsKey(oi)) {
					link(t, LinkKind.LIST, org.lockspec.naming.NameOf.name(m.getMember()), nodes.get(oi), o);
				}
			}
		}
		Map<String, ThreadNode> threads = new LinkedHashMap<>();
		for (ScenarioThread th : scenario.getThreads()) {
			ThreadNode n = F.createThreadNode();
			n.setName(th.getName());
			n.setOp(th.getOp() == null ? "?" : th.getOp().getName());
			List<String> args = new ArrayList<>();
			for (Expression a : th.getArgs()) {
				args.add(Sites.text(a));
			}
			n.setArguments(String.join(", ", args));
			n.setDeclaredAt(sources.ref(th));
			t.getNodes().add(n);
			threads.put(th.getName(), n);
			for (int k = 0; k < th.getArgs().size(); k++) {
				if (th.getArgs().get(k) instanceof VarRef v && v.getRef() instanceof Instance target
						&& nodes.containsKey(target)) {
					String param = th.getOp() != null && k < th.getOp().getParams().size()
							? th.getOp().getParams().get(k).getName() : "";
					link(t, LinkKind.THREAD, param, n, nodes.get(target));
				}
			}
		}
		List<Verdict> mine = new ArrayList<>();
		String prefix = Verdict.scenarioPrefix(scenario.getName());
		for (Verdict v : verdicts) {
			if (scenario.getName().equals(v.scenario())) {
				mine.add(v);
			}
		}
		t.setStatus(Statuses.worst(mine));
		involve(t, mine, nodes, threads);
		for (Verdict v : mine) {
			t.getNotes().add(v.id().substring(prefix.length()) + ": " + Statuses.label(Statuses.of(v.status())));
		}
		return t;
	}

	private static void link(Topology t, LinkKind kind, String label, TopologyNode from, TopologyNode to) {
		Link l = F.createLink();
		l.setKind(kind);
		l.setLabel(label);
		l.setSource(from);
		l.setTarget(to);
		t.getLinks().add(l);
	}

	private static void involve(Topology t, List<Verdict> verdicts, Map<Instance, ObjectInstance> nodes,
			Map<String, ThreadNode> threads) {
		for (Verdict v : verdicts) {
			if (v.trace() == null || v.status() != org.lockspec.verdict.Status.VIOLATED) {
				continue;
			}
			Trace tr = v.trace();
			for (Trace.Event e : tr.events()) {
				if (!e.waits() && !e.fails()) {
					continue;
				}
				if (e.lane() < tr.lanes().size()) {
					ThreadNode n = threads.get(tr.lanes().get(e.lane()).cpu());
					if (n != null) {
						n.setInvolved(true);
					}
				}
				Set<String> words = new HashSet<>(List.of(e.text().split("[^A-Za-z0-9_]+")));
				for (ObjectInstance o : nodes.values()) {
					if (words.contains(o.getName())) {
						o.setInvolved(true);
					}
				}
			}
		}
	}
}
