import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.lockspec.prover.Proofs;
import org.lockspec.verdict.Obligation;
import org.lockspec.verdict.SpecResult;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Verdict;
import org.lockspec.workspace.SpecSet;

/**
 * The precision table of the lock-order check (issue 20): over every spec in the given directories, how many
 * cycles of lock classes lockdep's view reports, and of those how many are deadlocks and how many lockdep would
 * report although they cannot deadlock (lockdep_only). Before the CPU search every cycle of lockdep's view was
 * reported as a deadlock, so "before" is the sum of the two.
 */
public final class PrecisionBench {

	private enum Row {
		DEADLOCK("deadlock"), LOCKDEP_ONLY("lockdep only"), NO_CYCLE("no cycle"), UNKNOWN("unknown");

		final String label;

		Row(String label) {
			this.label = label;
		}
	}

	public static void main(String[] args) throws IOException {
		List<Path> dirs = new ArrayList<>();
		for (String a : args) {
			dirs.add(Path.of(a));
		}
		Map<Path, List<Path>> byDir = new TreeMap<>();
		for (Path d : dirs) {
			try (Stream<Path> s = Files.walk(d)) {
				s.filter(p -> p.toString().endsWith(".lockspec")).sorted()
						.forEach(p -> byDir.computeIfAbsent(p.getParent(), k -> new ArrayList<>()).add(p));
			}
		}
		Map<Row, Integer> totals = new java.util.EnumMap<>(Row.class);
		int skipped = 0;
		try (Proofs proofs = Proofs.open(Proofs.options().withEngines(List.of()))) {
			for (Map.Entry<Path, List<Path>> e : byDir.entrySet()) {
				SpecSet set = SpecSet.load(e.getValue(), List.of());
				for (SpecSet.FileResult f : set.results()) {
					if (f.hasErrors() || f.spec() == null) {
						skipped++;
						continue;
					}
					SpecResult r = proofs.prove(f.spec());
					Row row = classify(r);
					totals.merge(row, 1, Integer::sum);
					if (row != Row.NO_CYCLE) {
						System.out.printf("%-13s %s%n", row.label, f.displayPath());
					}
				}
			}
		}
		int deadlocks = totals.getOrDefault(Row.DEADLOCK, 0);
		int lockdepOnly = totals.getOrDefault(Row.LOCKDEP_ONLY, 0);
		System.out.println();
		System.out.println("specs with a cycle lockdep reports    before  after");
		System.out.printf("  reported as a deadlock             %6d %6d%n", deadlocks + lockdepOnly, deadlocks);
		System.out.printf("  lockdep would report, no deadlock  %6d %6d%n", 0, lockdepOnly);
		System.out.printf("specs without a cycle (proved)       %6d %6d%n", totals.getOrDefault(Row.NO_CYCLE, 0),
				totals.getOrDefault(Row.NO_CYCLE, 0));
		System.out.printf("undecided (unknown)                  %6d %6d%n", totals.getOrDefault(Row.UNKNOWN, 0),
				totals.getOrDefault(Row.UNKNOWN, 0));
		System.out.printf("files with errors, not proved        %6d%n", skipped);
		if (totals.isEmpty()) {
			System.err.println("precision: no spec found in " + dirs);
			System.exit(2);
		}
	}

	private static Row classify(SpecResult r) {
		Status order = null;
		boolean lockdepOnly = false;
		for (Verdict v : r.verdicts()) {
			if (v.obligation() == Obligation.LOCK_ORDER) {
				order = v.status();
			}
			lockdepOnly |= v.obligation() == Obligation.LOCKDEP_ONLY && v.status() == Status.VIOLATED;
		}
		return order == Status.VIOLATED ? Row.DEADLOCK : lockdepOnly ? Row.LOCKDEP_ONLY
				: order == Status.PROVED ? Row.NO_CYCLE : Row.UNKNOWN;
	}
}
