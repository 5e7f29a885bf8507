package org.lockspec.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.lockspec.cli.tests.FuzzProve;
import org.lockspec.tests.Mutants;

/** The fuzzer's long run: see bench/fuzz/run.sh. */
public final class FuzzBench {

	private FuzzBench() {
	}

	public static void main(String[] args) throws Exception {
		int mutants = 10_000;
		long seed = System.currentTimeMillis();
		Path root = Path.of(".");
		Path out = Path.of("bench/target/fuzz");
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
			case "--mutants" -> mutants = Integer.parseInt(args[++i]);
			case "--seed" -> seed = Long.parseLong(args[++i]);
			case "--root" -> root = Path.of(args[++i]);
			case "--out" -> out = Path.of(args[++i]);
			default -> {
				System.err.println("fuzz: unknown option " + args[i] + " (--mutants N, --seed S)");
				System.exit(2);
			}
			}
		}
		List<String> sources = new ArrayList<>();
		for (String dir : new String[] { "spec-examples", "bundles/org.lockspec.prover.tests/selftests",
				"bundles/org.lockspec.prover.tests/oracle-regressions" }) {
			try (Stream<Path> s = Files.walk(root.resolve(dir))) {
				for (Path p : s.filter(p -> p.toString().endsWith(".lockspec")).sorted().toList()) {
					sources.add(Files.readString(p));
				}
			}
		}
		Path work = Files.createDirectories(out.resolve("work"));
		Path faults = Files.createDirectories(out.resolve("faults"));
		System.out.printf("fuzz: %d mutants of %d specs from seed %d, through prove --timeout %d%n", mutants,
				sources.size(), seed, FuzzProve.TIMEOUT_SECONDS);
		Random random = new Random(seed);
		FuzzProve.Tally tally = new FuzzProve.Tally();
		long start = System.nanoTime();
		long last = start;
		for (int i = 0; i < mutants; i++) {
			Mutants.Mutant m = Mutants.of(sources.get(random.nextInt(sources.size())), random);
			FuzzProve.Outcome o = FuzzProve.run(m, work.resolve("mutant.lockspec"));
			tally.add(o, "mutant " + i);
			if (o.fault() != null) {
				System.out.println("FAULT mutant " + i + " (" + m.kind() + "): " + o.fault());
				Files.write(faults.resolve("seed" + seed + "-mutant" + i + ".lockspec"), m.bytes());
			}
			if (System.nanoTime() - last > 10_000_000_000L) {
				last = System.nanoTime();
				System.err.printf("fuzz: %d/%d mutants, %.1f/s, %d faults%n", i + 1, mutants,
						(i + 1) / ((last - start) / 1e9), tally.faults.size());
			}
		}
		System.out.printf("fuzz: %d mutants in %.0f s%n%s%n", mutants, (System.nanoTime() - start) / 1e9, tally);
		System.exit(tally.faults.isEmpty() ? 0 : 1);
	}
}
