package org.lockspec.prover.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.emf.ecore.EObject;
import org.lockspec.kernel.LockKinds;
import org.lockspec.model.LockMode;

/**
 * lockdep's dependency graph: the lock classes, and an edge A -> B wherever
 * some path takes (or waits for) B while it holds A, labelled as lockdep labels
 * it: how A is held (shared or exclusive) and whether B is a recursive reader.
 * Both the lock-order and the IRQ-safety checks walk it.
 *
 * <p>The world is open, as lockdep's is: a writer of any rwsem or rwlock may
 * live outside the spec, so every read acquisition is a dependency. Only with
 * {@code config closed_world} does a read of a lock that no op of the spec takes
 * for write add none (nothing can block it); {@link #unblockableReads} counts
 * those, so that the verdicts that rest on them can say so.
 */
final class LockGraph {

	/** The dependencies between two classes with one lockdep label, and the paths that make them. */
	record GEdge(int from, int to, boolean fromShared, boolean toRecursive, List<Facts.Edge> witnesses) {
	}

	/** Every dependency that counts, in the order the paths made them (nestings of one class included). */
	final List<Facts.Edge> dependencies = new ArrayList<>();
	/** Classes with a dependency on another class, numbered in the order the dependencies name them. */
	final List<EObject> classes = new ArrayList<>();
	final Map<EObject, Integer> index = new HashMap<>();
	/** The dependencies between different classes, grouped by classes and label. */
	final Map<Long, GEdge> grouped = new LinkedHashMap<>();
	final List<List<GEdge>> out = new ArrayList<>();
	/** Closed world only: read acquisitions left out because no op takes their lock for write. */
	final int unblockableReads;

	LockGraph(Facts facts) {
		int dropped = 0;
		for (Facts.Edge e : facts.edges) {
			if (facts.spec.closedWorld() && unblockableRead(facts, e)) {
				dropped++;
			} else {
				dependencies.add(e);
			}
		}
		this.unblockableReads = dropped;
		for (Facts.Edge e : dependencies) {
			if (e.fromClass() == e.toClass()) {
				continue;
			}
			int f = id(e.fromClass());
			int t = id(e.toClass());
			long key = (((long) f << 31 | t) << 2) | (e.from().shared() ? 2 : 0) | (e.toRecursive() ? 1 : 0);
			grouped.computeIfAbsent(key, k -> new GEdge(f, t, e.from().shared(), e.toRecursive(), new ArrayList<>()))
					.witnesses().add(e);
		}
		for (int i = 0; i < classes.size(); i++) {
			out.add(new ArrayList<>());
		}
		for (GEdge g : grouped.values()) {
			out.get(g.from()).add(g);
		}
	}

	private static boolean unblockableRead(Facts facts, Facts.Edge e) {
		boolean rw = e.to().isGate() || LockKinds.hasReadSide(e.to().kind());
		return rw && e.toMode() == LockMode.READ && !facts.spec.writeSideTaken(e.toClass());
	}

	private int id(EObject decl) {
		return index.computeIfAbsent(decl, d -> {
			classes.add(d);
			return classes.size() - 1;
		});
	}

	int size() {
		return classes.size();
	}
}
