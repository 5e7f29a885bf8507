package org.lockspec.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.lockspec.prover.solver.LazySolver;
import org.lockspec.prover.tests.Oracle;
import org.lockspec.tests.RandomSpecs;

/** The differential oracle's long run: see bench/oracle/run.sh. */
public final class OracleBench {

	private OracleBench() {
	}

	public static void main(String[] args) throws Exception {
		int specs = 10_000;
		long seed = System.currentTimeMillis();
		int fullEvery = 20;
		Path out = Path.of("bench/target/oracle");
		String only = null;
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
			case "--specs" -> specs = Integer.parseInt(args[++i]);
			case "--seed" -> seed = Long.parseLong(args[++i]);
			case "--full-every" -> fullEvery = Integer.parseInt(args[++i]);
			case "--out" -> out = Path.of(args[++i]);
			case "--only" -> only = args[++i];
			default -> {
				System.err.println("oracle: unknown option " + args[i]
						+ " (--specs N, --seed S, --full-every K, --only TEXT)");
				System.exit(2);
			}
			}
		}
		Path work = Files.createDirectories(out.resolve("work"));
		Path kept = Files.createDirectories(out.resolve("disagreements"));
		System.out.printf("oracle: %d specs from seed %d, every %d-th in full (inductive + BMC)%s%n", specs, seed, fullEvery,
				only == null ? "" : ", only those with '" + only + "'");
		List<Oracle.Disagreement> found = new ArrayList<>();
		Map<String, Integer> kinds = new TreeMap<>();
		long start = System.nanoTime();
		long last = start;
		int full = 0;
		int checked = 0;
		try (LazySolver solver = new LazySolver()) {
			for (int i = 0; i < specs; i++) {
				long s = seed + i;
				boolean deep = fullEvery > 0 && i % fullEvery == 0;
				String text = RandomSpecs.generate(s);
				if (only != null && !text.contains(only)) {
					continue;
				}
				checked++;
				full += deep ? 1 : 0;
				List<Oracle.Disagreement> d = Oracle.check(s, text, work, solver, deep ? Oracle.Depth.FULL : Oracle.Depth.FAST);
				for (Oracle.Disagreement x : d) {
					System.out.println("DISAGREEMENT " + x);
					kinds.merge(x.kind(), 1, Integer::sum);
					Files.writeString(kept.resolve("s" + Long.toUnsignedString(s) + ".lockspec"),
							"// " + x.toString().replace('\n', ' ') + "\n" + text);
				}
				found.addAll(d);
				if (System.nanoTime() - last > 10_000_000_000L) {
					last = System.nanoTime();
					double secs = (last - start) / 1e9;
					System.err.printf("oracle: %d/%d specs, %.1f specs/s, %d disagreements%n", i + 1, specs, (i + 1) / secs,
							found.size());
				}
			}
		}
		double secs = (System.nanoTime() - start) / 1e9;
		System.out.printf("oracle: %d specs (%d in full) in %.1f s (%.1f specs/s): %d disagreements %s%n", checked, full,
				secs, checked / secs, found.size(), kinds);
		System.exit(found.isEmpty() ? 0 : 1);
	}
}
