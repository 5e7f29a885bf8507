package org.lockspec.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.xtext.EcoreUtil2;
import org.lockspec.analysis.SpecFacts;
import org.lockspec.model.Scenario;
import org.lockspec.model.Spec;
import org.lockspec.prover.check.Prover;
import org.lockspec.prover.mc.ModelChecker;
import org.lockspec.prover.solver.LazySolver;
import org.lockspec.prover.verdict.Obligation;
import org.lockspec.prover.verdict.SpecResult;
import org.lockspec.prover.verdict.Status;
import org.lockspec.prover.verdict.Verdict;
import org.lockspec.workspace.Problem;
import org.lockspec.workspace.SpecSet;

/**
 * Issue 4's benchmark: the EEH scenario for K PEs and two threads, through the
 * Lockspec scenario engine in process ({@link ModelChecker#run}) and through
 * Spin on the same protocol in Promela. Prints a table. Run by bench/eeh/run.sh.
 *
 * <pre>
 * EehBench [--root DIR] [--out DIR] [--runs N] [--shape fan|chain|binary] [--no-spin] [--cli] [K...]
 * </pre>
 */
public final class EehBench {

	private Path root = Path.of("").toAbsolutePath();
	private Path out;
	private int runs = 5;
	private EehModels.Shape shape = EehModels.Shape.FAN;
	private boolean spin = true;
	private boolean cli;
	private final List<Integer> ks = new ArrayList<>();

	/** One Lockspec measurement: median time, states, transitions, verdict, whether it is what the scenario expects. */
	record Ls(double ms, double min, double max, int states, int transitions, String verdict, boolean ok, String note) {
	}

	/** One Spin measurement. */
	record Sp(double ms, double min, double max, long states, long transitions, int errors, String error, double compileMs,
			double panReportedMs) {
	}

	/**
	 * One K. Spin runs: buggy and fixed with its defaults (partial-order
	 * reduction; buggy stops at the first error), and with -DNOREDUCE (the same
	 * state space as Lockspec's; buggy with -c0, every error).
	 */
	record Row(int k, Ls buggy, Ls fixed, Ls current, double staticMs, String staticVerdict, Sp spinBuggy,
			Sp spinBuggyNr, Sp spinFixed, Sp spinFixedNr, Sp spinCurrent) {
	}

	public static void main(String[] args) throws Exception {
		EehBench b = new EehBench();
		b.parse(args);
		int code = SpecSet.onBigStack(() -> {
			try {
				return b.run();
			} catch (Exception e) {
				throw new IllegalStateException(e);
			}
		});
		System.exit(code);
	}

	private void parse(String[] args) {
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
			case "--root" -> root = Path.of(args[++i]).toAbsolutePath();
			case "--out" -> out = Path.of(args[++i]).toAbsolutePath();
			case "--runs" -> runs = Integer.parseInt(args[++i]);
			case "--shape" -> shape = EehModels.Shape.valueOf(args[++i].toUpperCase(Locale.ROOT));
			case "--no-spin" -> spin = false;
			case "--cli" -> cli = true;
			default -> {
				for (String k : args[i].split(",")) {
					ks.add(Integer.parseInt(k.trim()));
				}
			}
			}
		}
		if (ks.isEmpty()) {
			ks.addAll(List.of(2, 4, 6, 8));
		}
		if (out == null) {
			out = root.resolve("bench/target/eeh");
		}
	}

	private int run() throws Exception {
		String buggySeed = Files.readString(root.resolve("spec-examples/003-eeh-pe/buggy.lockspec"));
		String fixedSeed = Files.readString(root.resolve("spec-examples/003-eeh-pe/fixed.lockspec"));
		boolean problems = false;
		if (shape == EehModels.Shape.FAN) {
			// the generator at K = 4 must give the seed's own scenarios
			EehModels four = new EehModels(4, shape);
			boolean same = contains(buggySeed, four.scenario("report_vs_hot_remove", four.firstLeaf(), "use_after_free"))
					&& contains(fixedSeed, four.scenario("remove_last_pe", four.lastPe(), "safe"))
					&& contains(fixedSeed, four.scenario("remove_current_pe", four.firstLeaf(), "violation traversal_complete"));
			System.out.println("self-check: the generated K = 4 scenarios are the seed's own: " + (same ? "yes" : "NO"));
			problems |= !same;
		}
		System.out.printf(Locale.ROOT, "machine: %d cores, %s, %s; Java %s; %d runs per cell (median), after a warm-up run%n",
				Runtime.getRuntime().availableProcessors(), cpuName(), System.getProperty("os.arch"),
				System.getProperty("java.version"), runs);
		if (spin) {
			System.out.println("spin: " + firstLine(exec(out, List.of("spin", "-V"))) + "; "
					+ firstLine(exec(out, List.of("gcc", "--version"))));
		}
		System.out.println();
		List<Row> rows = new ArrayList<>();
		try (LazySolver solver = new LazySolver()) {
			for (int k : ks) {
				EehModels m = new EehModels(k, shape);
				Path dir = out.resolve("K" + k);
				Files.createDirectories(dir);
				Path buggy = write(dir.resolve("buggy.lockspec"), m.buggySpec(buggySeed));
				Path fixed = write(dir.resolve("fixed.lockspec"), m.fixedSpec(fixedSeed));
				Path current = m.hasCurrentScenario() ? write(dir.resolve("fixed_current.lockspec"), m.fixedCurrentSpec(fixedSeed))
						: null;
				write(dir.resolve("buggy/model.pml"), m.promela(false, m.firstLeaf()));
				write(dir.resolve("fixed/model.pml"), m.promela(true, m.lastPe()));
				if (current != null) {
					write(dir.resolve("fixed_current/model.pml"), m.promela(true, m.firstLeaf()));
				}
				Spec bs = load(buggy);
				Spec fs = load(fixed);
				Spec cs = current == null ? null : load(current);
				Ls lb = lockspec(bs, Obligation.SCENARIO_MEMORY, null);
				Ls lf = lockspec(fs, null, null);
				Ls lc = cs == null ? null : lockspec(cs, Obligation.SCENARIO_INVARIANT, "traversal_complete");
				double[] st = staticProofs(fs, solver);
				String staticVerdict = staticVerdict(fs, solver);
				Sp sb = null, sbn = null, sf = null, sfn = null, sc = null;
				if (spin) {
					List<String> nr = List.of("-DNOREDUCE");
					sb = spin(dir.resolve("buggy"), List.of(), List.of(), lb.states());
					sbn = spin(dir.resolve("buggy"), nr, List.of("-c0"), lb.states());
					sf = spin(dir.resolve("fixed"), List.of(), List.of(), lf.states());
					sfn = spin(dir.resolve("fixed"), nr, List.of(), lf.states());
					if (current != null) {
						sc = spin(dir.resolve("fixed_current"), List.of(), List.of(), lc.states());
					}
				}
				Row r = new Row(k, lb, lf, lc, st[0], staticVerdict, sb, sbn, sf, sfn, sc);
				rows.add(r);
				problems |= !lb.ok() || !lf.ok() || lc != null && !lc.ok();
				problems |= spin && (sb.errors() == 0 || sf.errors() != 0 || sfn.errors() != 0 || sc != null && sc.errors() == 0);
				System.out.printf(Locale.ROOT, "K=%d done: buggy %.1f ms, fixed %.1f ms%s%n", k, lb.ms(), lf.ms(),
						spin ? String.format(Locale.ROOT, "; spin %.1f / %.1f ms", sb.ms(), sf.ms()) : "");
			}
		}
		System.out.println();
		print(rows);
		if (spin) {
			System.out.printf(Locale.ROOT, "%nThe floor under every Spin time (starting a trivial process, median): %.1f ms%n",
					processFloor());
		}
		if (cli) {
			int k = ks.get(ks.size() - 1);
			for (String v : List.of("buggy", "fixed")) {
				Path f = out.resolve("K" + k).resolve(v + ".lockspec");
				long t0 = System.nanoTime();
				String outText = exec(root, List.of(root.resolve("lockspec").toString(), "prove", f.toString()), "LOCKSPEC_NO_BUILD",
						"1");
				double ms = (System.nanoTime() - t0) / 1e6;
				String last = outText.strip().lines().reduce((a, b) -> b).orElse("");
				System.out.printf(Locale.ROOT, "cold CLI, K=%d %s: %.0f ms wall (JVM start, Xtext set-up, parse, validate, every obligation, every scenario): %s%n",
						k, v, ms, last);
			}
		}
		if (problems) {
			System.out.println("\nPROBLEM: a verdict was not the expected one (see the table)");
			return 1;
		}
		return 0;
	}

	private static boolean contains(String seed, String scenario) {
		return norm(seed).contains(norm(scenario));
	}

	private static String norm(String s) {
		return s.replaceAll("[ \\t]+", " ").replaceAll(" *\\n *", "\n");
	}

	private static Path write(Path p, String text) throws IOException {
		Files.createDirectories(p.getParent());
		Files.writeString(p, text, StandardCharsets.UTF_8);
		return p;
	}

	private Spec load(Path file) {
		SpecSet set = SpecSet.load(List.of(file), List.of());
		SpecSet.FileResult r = set.results().get(0);
		if (r.hasErrors() || r.spec() == null) {
			throw new IllegalStateException(file + " does not check clean: "
					+ r.problems().stream().map(Problem::format).toList());
		}
		return r.spec();
	}

	// ---------------------------------------------------------------- Lockspec

	/**
	 * Times {@link ModelChecker#run} on the spec's only scenario: one warm-up
	 * run, then {@code runs} runs; median. {@code violated}: the obligation that
	 * must be violated (null: every verdict must hold).
	 */
	private Ls lockspec(Spec spec, Obligation violated, String subject) {
		Scenario scenario = EcoreUtil2.typeSelect(spec.getMembers(), Scenario.class).get(0);
		SpecFacts facts = new SpecFacts(spec);
		ModelChecker mc = new ModelChecker();
		String prefix = "scenario " + scenario.getName() + "/";
		ModelChecker.Run run = mc.run(spec, scenario, facts, prefix, ModelChecker.MAX_STATES); // warm-up
		double[] t = new double[runs];
		for (int i = 0; i < runs; i++) {
			long t0 = System.nanoTime();
			run = mc.run(spec, scenario, facts, prefix, ModelChecker.MAX_STATES);
			t[i] = (System.nanoTime() - t0) / 1e6;
		}
		boolean ok;
		String verdict;
		String note = null;
		if (violated != null) {
			Verdict v = run.verdicts().stream().filter(x -> x.status() == Status.VIOLATED && x.obligation() == violated
					&& (subject == null || subject.equals(x.subject()))).findFirst().orElse(null);
			ok = v != null;
			verdict = ok ? "violated" : "NOT FOUND";
			note = v == null ? null : v.message();
		} else {
			boolean allHold = run.verdicts().stream().allMatch(x -> x.status().holds());
			boolean allProved = run.verdicts().stream().allMatch(x -> x.status() == Status.PROVED);
			ok = allHold;
			verdict = !allHold ? "VIOLATED" : allProved ? "proved" : "safe up to bound";
		}
		Arrays.sort(t);
		return new Ls(median(t), t[0], t[t.length - 1], run.states(), run.transitions(), verdict, ok, note);
	}

	/** The spec-level ("for any number of objects") obligations: Prover.prove without scenario engines. */
	private double[] staticProofs(Spec spec, LazySolver solver) {
		Prover.Options options = Prover.Options.defaults();
		Prover.prove(spec, solver, options); // warm-up
		double[] t = new double[runs];
		for (int i = 0; i < runs; i++) {
			long t0 = System.nanoTime();
			Prover.prove(spec, solver, options);
			t[i] = (System.nanoTime() - t0) / 1e6;
		}
		Arrays.sort(t);
		return new double[] { median(t) };
	}

	private static String staticVerdict(Spec spec, LazySolver solver) {
		SpecResult r = Prover.prove(spec, solver, Prover.Options.defaults());
		long proved = r.verdicts().stream().filter(v -> v.status() == Status.PROVED).count();
		return proved + "/" + r.verdicts().size() + " proved";
	}

	private static double median(double[] sorted) {
		int n = sorted.length;
		return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	}

	// -------------------------------------------------------------------- Spin

	private static final Pattern STORED = Pattern.compile("([0-9.e+]+) states, stored");
	private static final Pattern TRANSITIONS = Pattern.compile("([0-9.e+]+) transitions \\(= stored\\+matched\\)");
	private static final Pattern ERRORS = Pattern.compile("errors: (\\d+)");
	private static final Pattern ELAPSED = Pattern.compile("pan: elapsed time ([0-9.e+]+) seconds");
	private static final Pattern ASSERTION = Pattern.compile("pan:\\d+: (.*?) \\(at depth");

	/**
	 * spin -a, then gcc -O2 -DSAFETY (plus {@code cflags}); both timed once and
	 * reported as compile time. Then ./pan: one warm-up run and {@code runs}
	 * timed runs (wall clock of the pan process, so it includes starting a
	 * process); median. The hash table is sized to the state space (-w: 2^w >=
	 * 4 x Lockspec's state count; Spin's default -w24 spends ~60 ms clearing
	 * 128 MB), which favours Spin.
	 */
	private Sp spin(Path dir, List<String> cflags, List<String> panOptions, int lockspecStates)
			throws IOException, InterruptedException {
		String bin = "pan" + String.join("", cflags).replace("-D", "_").toLowerCase(Locale.ROOT);
		long t0 = System.nanoTime();
		exec(dir, List.of("spin", "-a", "model.pml"));
		List<String> gcc = new ArrayList<>(List.of("gcc", "-O2", "-w", "-DSAFETY"));
		gcc.addAll(cflags);
		gcc.addAll(List.of("-o", bin, "pan.c"));
		exec(dir, gcc);
		double compile = (System.nanoTime() - t0) / 1e6;
		int w = Math.max(10, 64 - Long.numberOfLeadingZeros(4L * Math.max(1, lockspecStates)));
		List<String> cmd = new ArrayList<>(List.of("./" + bin, "-m100000", "-w" + w, "-n"));
		cmd.addAll(panOptions);
		String text = exec(dir, cmd);
		if (text.contains("max search depth too small")) {
			cmd.set(1, "-m10000000");
			text = exec(dir, cmd);
		}
		double[] t = new double[runs];
		for (int i = 0; i < runs; i++) {
			long s = System.nanoTime();
			text = exec(dir, cmd);
			t[i] = (System.nanoTime() - s) / 1e6;
		}
		Arrays.sort(t);
		Files.writeString(dir.resolve(bin + String.join("", panOptions) + ".out"), String.join(" ", cmd) + "\n" + text);
		long states = (long) number(STORED, text);
		long transitions = (long) number(TRANSITIONS, text);
		int errors = (int) number(ERRORS, text);
		Matcher a = ASSERTION.matcher(text);
		String error = a.find() ? a.group(1) : null;
		return new Sp(median(t), t[0], t[t.length - 1], states, transitions, errors, error, compile,
				number(ELAPSED, text) * 1000);
	}

	/** The wall clock of starting a trivial process, as {@link #spin} times pan: the floor under every Spin time. */
	private double processFloor() throws IOException, InterruptedException {
		exec(out, List.of("true"));
		double[] t = new double[runs];
		for (int i = 0; i < runs; i++) {
			long s = System.nanoTime();
			exec(out, List.of("true"));
			t[i] = (System.nanoTime() - s) / 1e6;
		}
		Arrays.sort(t);
		return median(t);
	}

	private static double number(Pattern p, String text) {
		Matcher m = p.matcher(text);
		return m.find() ? Double.parseDouble(m.group(1)) : -1;
	}

	private static String exec(Path dir, List<String> cmd, String... env) throws IOException, InterruptedException {
		Files.createDirectories(dir);
		ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
		for (int i = 0; i + 1 < env.length; i += 2) {
			pb.environment().put(env[i], env[i + 1]);
		}
		Process p = pb.start();
		byte[] bytes = p.getInputStream().readAllBytes();
		if (!p.waitFor(10, TimeUnit.MINUTES)) {
			p.destroyForcibly();
			throw new IOException("timed out: " + cmd);
		}
		String text = new String(bytes, StandardCharsets.UTF_8);
		if (p.exitValue() != 0 && !cmd.get(0).endsWith("pan") && !cmd.get(0).endsWith("lockspec")) {
			throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "):\n" + text);
		}
		return text;
	}

	private static String firstLine(String s) {
		return s.strip().lines().findFirst().orElse("");
	}

	private static String cpuName() {
		try {
			for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
				if (l.startsWith("model name")) {
					return l.substring(l.indexOf(':') + 1).trim();
				}
			}
		} catch (IOException | RuntimeException e) {
			// not Linux: leave it out
		}
		return "?";
	}

	// ------------------------------------------------------------------- table

	private void print(List<Row> rows) {
		System.out.println("Lockspec: ModelChecker.run in process (every obligation of the scenario, breadth-first, to completion);");
		System.out.println("Spin: ./pan with partial-order reduction, buggy stopping at its first error. Times are medians, ms.");
		System.out.println();
		System.out.println("| K | Lockspec buggy: counterexample | states | Lockspec fixed: verdict | states | verdict | Spin buggy: 1st error | states | Spin fixed | states | Spin compile buggy / fixed | Lockspec/Spin buggy | Lockspec/Spin fixed |");
		System.out.println("|--:|--:|--:|--:|--:|:--|--:|--:|--:|--:|--:|--:|--:|");
		for (Row r : rows) {
			Sp b = r.spinBuggy(), f = r.spinFixed();
			System.out.println("| " + r.k() + " | " + ms(r.buggy().ms()) + " | " + r.buggy().states() + " | " + ms(r.fixed().ms())
					+ " | " + r.fixed().states() + " | " + r.fixed().verdict() + " | "
					+ (b == null ? "- | - | - | - | - | - | - |"
							: ms(b.ms()) + " | " + b.states() + " | " + ms(f.ms()) + " | " + f.states() + " | "
									+ String.format(Locale.ROOT, "%.0f / %.0f", b.compileMs(), f.compileMs()) + " | "
									+ ratio(r.buggy().ms(), b.ms()) + " | " + ratio(r.fixed().ms(), f.ms()) + " |"));
		}
		if (rows.get(0).spinBuggyNr() != null) {
			System.out.println();
			System.out.println("Same state space: Spin with -DNOREDUCE (no partial-order reduction, as Lockspec), buggy with -c0 (search on past errors).");
			System.out.println();
			System.out.println("| K | Lockspec buggy | states / transitions | Spin buggy -DNOREDUCE -c0 | states / transitions | Lockspec fixed | states / transitions | Spin fixed -DNOREDUCE | states / transitions | Lockspec/Spin buggy | Lockspec/Spin fixed |");
			System.out.println("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
			for (Row r : rows) {
				Sp b = r.spinBuggyNr(), f = r.spinFixedNr();
				System.out.println("| " + r.k() + " | " + ms(r.buggy().ms()) + " | " + r.buggy().states() + " / "
						+ r.buggy().transitions() + " | " + ms(b.ms()) + " | " + b.states() + " / " + b.transitions() + " | "
						+ ms(r.fixed().ms()) + " | " + r.fixed().states() + " / " + r.fixed().transitions() + " | " + ms(f.ms())
						+ " | " + f.states() + " / " + f.transitions() + " | " + ratio(r.buggy().ms(), b.ms()) + " | "
						+ ratio(r.fixed().ms(), f.ms()) + " |");
			}
		}
		System.out.println();
		System.out.println("Spec-level proofs (Prover.prove without scenario engines: lock order, wait context, IRQ safety, guarded");
		System.out.println("fields, lock hygiene over every path, lockset races) and the fixed spec's remove_current_pe scenario:");
		System.out.println();
		System.out.println("| K | spec-level proofs (fixed) | verdicts | remove_current_pe: Lockspec | states | traversal_complete | Spin | states |");
		System.out.println("|--:|--:|:--|--:|--:|:--|--:|--:|");
		for (Row r : rows) {
			Ls c = r.current();
			Sp sc = r.spinCurrent();
			System.out.println("| " + r.k() + " | " + ms(r.staticMs()) + " | " + r.staticVerdict() + " | "
					+ (c == null ? "- | - | (no such scenario at this K) | - | - |"
							: ms(c.ms()) + " | " + c.states() + " | " + c.verdict() + " | "
									+ (sc == null ? "- | - |" : ms(sc.ms()) + " | " + sc.states() + " |")));
		}
		System.out.println();
		System.out.println("Details (median [min..max] of the timed runs; ms):");
		for (Row r : rows) {
			System.out.printf(Locale.ROOT, "  K=%d Lockspec buggy %s, %d states, %d transitions: %s (%s)%n", r.k(),
					range(r.buggy().ms(), r.buggy().min(), r.buggy().max()), r.buggy().states(), r.buggy().transitions(),
					r.buggy().verdict(), r.buggy().note());
			System.out.printf(Locale.ROOT, "  K=%d Lockspec fixed remove_last_pe %s, %d states, %d transitions: %s%n", r.k(),
					range(r.fixed().ms(), r.fixed().min(), r.fixed().max()), r.fixed().states(), r.fixed().transitions(),
					r.fixed().verdict());
			if (r.current() != null) {
				System.out.printf(Locale.ROOT, "  K=%d Lockspec fixed remove_current_pe %s, %d states: traversal_complete %s%n",
						r.k(), range(r.current().ms(), r.current().min(), r.current().max()), r.current().states(),
						r.current().verdict());
			}
			if (r.spinBuggy() != null) {
				spinLine(r.k(), "buggy, to the first error", r.spinBuggy());
				spinLine(r.k(), "buggy -DNOREDUCE -c0", r.spinBuggyNr());
				spinLine(r.k(), "fixed remove_last_pe", r.spinFixed());
				spinLine(r.k(), "fixed remove_last_pe -DNOREDUCE", r.spinFixedNr());
				if (r.spinCurrent() != null) {
					spinLine(r.k(), "fixed remove_current_pe", r.spinCurrent());
				}
			}
		}
	}

	private static void spinLine(int k, String what, Sp s) {
		System.out.printf(Locale.ROOT, "  K=%d Spin %s: %s wall, %d states, %d transitions, %d error(s)%s; compile %.0f ms%n",
				k, what, range(s.ms(), s.min(), s.max()), s.states(), s.transitions(), s.errors(),
				s.error() == null ? "" : " (first: " + s.error() + ")", s.compileMs());
	}

	private static String range(double med, double min, double max) {
		return String.format(Locale.ROOT, "%.1f [%.1f..%.1f]", med, min, max);
	}

	private static String ms(double v) {
		return String.format(Locale.ROOT, "%.1f ms", v);
	}

	private static String ratio(double a, double b) {
		return b <= 0 ? "-" : String.format(Locale.ROOT, "%.1f", a / b);
	}

}
