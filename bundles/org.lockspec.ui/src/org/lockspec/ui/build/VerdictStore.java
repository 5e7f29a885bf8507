package org.lockspec.ui.build;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The newest proof of every spec proved in this session (by the builder or the Prove command); the Verdicts view shows them. */
public final class VerdictStore {

	private static final Map<Path, ProverRun.Outcome> OUTCOMES = new ConcurrentHashMap<>();
	private static final CopyOnWriteArrayList<Consumer<ProverRun.Outcome>> LISTENERS = new CopyOnWriteArrayList<>();

	private VerdictStore() {
	}

	public static void put(ProverRun.Outcome outcome) {
		OUTCOMES.put(outcome.path(), outcome);
		for (Consumer<ProverRun.Outcome> l : LISTENERS) {
			l.accept(outcome);
		}
	}

	public static ProverRun.Outcome get(Path path) {
		return path == null ? null : OUTCOMES.get(path);
	}

	public static void addListener(Consumer<ProverRun.Outcome> l) {
		LISTENERS.add(l);
	}

	public static void removeListener(Consumer<ProverRun.Outcome> l) {
		LISTENERS.remove(l);
	}
}
