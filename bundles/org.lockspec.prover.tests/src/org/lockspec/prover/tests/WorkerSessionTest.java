package org.lockspec.prover.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.lockspec.prover.solver.SolverResult;
import org.lockspec.prover.solver.WorkerSession;

/**
 * Z3 runs in a worker process: killing it mid-query (as a SIGSEGV in libz3
 * would) turns that query into UNKNOWN with the reason, and the next query
 * runs on a fresh worker.
 */
class WorkerSessionTest {

	/** Cubes: x^3 + y^3 = z^3 with positive ints, nonlinear; Z3 works on it until the timeout. */
	static final String HARD = """
			(declare-const x Int) (declare-const y Int) (declare-const z Int)
			(assert (> x 0)) (assert (> y 0)) (assert (> z 0))
			(assert (= (+ (* x x x) (* y y y)) (* z z z)))
			""";

	@Test
	void answersSatAndUnsat() throws Exception {
		try (WorkerSession s = WorkerSession.open()) {
			assertEquals(SolverResult.Status.SAT,
					s.check("(declare-const x Int) (assert (> x 2)) (assert (< x 4))", Duration.ofSeconds(10)).status());
			assertEquals(SolverResult.Status.UNSAT,
					s.check("(declare-const x Int) (assert (> x 2)) (assert (< x 2))", Duration.ofSeconds(10)).status());
			assertEquals(1, s.starts());
		}
	}

	@Test
	void timeoutIsUnknownNotProved() throws Exception {
		try (WorkerSession s = WorkerSession.open()) {
			SolverResult r = s.check(HARD, Duration.ofMillis(500));
			assertEquals(SolverResult.Status.UNKNOWN, r.status(), () -> "got " + r);
			assertTrue(r.reason() != null && !r.reason().isBlank(), () -> "no reason: " + r);
		}
	}

	@Test
	void aKilledWorkerCostsOneQuery() throws Exception {
		try (WorkerSession s = WorkerSession.open()) {
			s.check("(declare-const x Int) (assert (> x 0))", Duration.ofSeconds(10));
			long pid = s.workerPid();
			assertTrue(pid > 0);
			CompletableFuture<SolverResult> pending = CompletableFuture.supplyAsync(() -> {
				try {
					return s.check(HARD, Duration.ofSeconds(60));
				} catch (Exception e) {
					throw new IllegalStateException(e);
				}
			});
			Thread.sleep(1000);
			assertTrue(ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false), "could not kill " + pid);
			SolverResult r = pending.get(30, TimeUnit.SECONDS);
			assertEquals(SolverResult.Status.UNKNOWN, r.status(), () -> "got " + r);
			assertTrue(r.reason().contains("died"), () -> "reason: " + r.reason());
			System.out.println("killed worker " + pid + " mid-query: " + r.reason());
			SolverResult next = s.check("(declare-const x Int) (assert (> x 2)) (assert (< x 4))", Duration.ofSeconds(10));
			assertEquals(SolverResult.Status.SAT, next.status(), "the next query runs on a new worker");
			assertEquals(2, s.starts());
		}
	}
}
