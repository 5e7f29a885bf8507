package org.lockspec.diagram;

import org.lockspec.diagram.model.DiagramFactory;
import org.lockspec.diagram.model.DiagramKind;
import org.lockspec.diagram.model.Lane;
import org.lockspec.diagram.model.Trace;
import org.lockspec.diagram.model.TraceStep;
import org.lockspec.verdict.Location;
import org.lockspec.verdict.Verdict;

/** Fills a {@link Trace} from a verdict's counterexample: a lane per CPU, its steps in order. */
final class TraceBuilder {

	private static final DiagramFactory F = DiagramFactory.eINSTANCE;

	private TraceBuilder() {
	}

	static Trace build(String spec, String file, Verdict v, Sources sources) {
		org.lockspec.verdict.Trace src = v.trace();
		Trace t = F.createTrace();
		t.setKind(DiagramKind.TRACE);
		t.setSpec(spec);
		t.setFile(file == null ? null : Location.relative(file, sources.base()));
		t.setObligation(v.id());
		t.setStatus(Statuses.of(v.status()));
		t.setTitle(v.id() + " in " + spec);
		t.setOutcome(src.outcome());
		for (org.lockspec.verdict.Trace.Lane l : src.lanes()) {
			Lane lane = F.createLane();
			lane.setCpu(l.cpu());
			lane.setRuns(l.runs());
			t.getLanes().add(lane);
		}
		int i = 0;
		for (org.lockspec.verdict.Trace.Event e : src.events()) {
			TraceStep s = F.createTraceStep();
			s.setIndex(i++);
			s.setLane(t.getLanes().get(Math.min(e.lane(), t.getLanes().size() - 1)));
			s.setText(e.text());
			s.setChain(e.chain());
			s.setBlocked(e.waits());
			s.setFailing(e.fails());
			s.setAt(sources.ref(e.at()));
			t.getSteps().add(s);
		}
		t.getNotes().add(v.message());
		for (String n : src.notes()) {
			if (!t.getNotes().contains(n)) {
				t.getNotes().add(n);
			}
		}
		return t;
	}
}
