package org.lockspec.z3.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

import com.microsoft.z3.Context;
import com.microsoft.z3.Native;
import com.microsoft.z3.Params;
import com.microsoft.z3.Solver;
import com.microsoft.z3.Status;
import com.microsoft.z3.Z3Exception;

/** Z3 under OSGi: one bundle, native library loaded, sat, unsat, difference logic, timeout. */
public class Z3BundleTest {

	@Test
	public void loadsFromOneBundle() {
		Bundle z3 = FrameworkUtil.getBundle(Native.class);
		assertNotNull(z3, "com.microsoft.z3.Native is not loaded from a bundle");
		assertEquals("com.microsoft.z3", z3.getSymbolicName());
		assertEquals(4, z3.getVersion().getMajor());
		assertEquals(14, z3.getVersion().getMinor());
		assertEquals(1, z3.getVersion().getMicro());
		// the loader is private to the bundle: not exported, so not visible here
		assertThrows(ClassNotFoundException.class,
				() -> Class.forName("tools.aqua.turnkey.support.TurnKey", false, getClass().getClassLoader()));
		String version = Z3Smoke.version(); // calls into libz3 through JNI
		System.out.println("[z3] " + version + ", bundle " + z3.getSymbolicName() + " " + z3.getVersion() + "; "
				+ Z3Smoke.origin());
		assertTrue(version.contains("4.14.1"), version);
	}

	@Test
	public void satWithModel() {
		Z3Smoke.Result r = Z3Smoke.interval(2, 4);
		System.out.println("[z3] x > 2 && x < 4: " + r);
		assertEquals(Status.SATISFIABLE, r.status());
		assertEquals("x = 3", r.detail());
	}

	@Test
	public void unsat() {
		Z3Smoke.Result r = Z3Smoke.interval(2, 2);
		System.out.println("[z3] x > 2 && x < 2: " + r);
		assertEquals(Status.UNSATISFIABLE, r.status());
	}

	@Test
	public void differenceLogicChain() {
		Z3Smoke.Result[] r = Z3Smoke.chain(1000);
		System.out.println("[z3] r0 < r1 < ... < r999, smt.arith.solver=1: " + r[0]);
		System.out.println("[z3]   + r999 < r0: " + r[1]);
		assertEquals(Status.SATISFIABLE, r[0].status());
		assertEquals("model increasing", r[0].detail());
		assertEquals(Status.UNSATISFIABLE, r[1].status());
		assertTrue(r[1].detail().startsWith("dl conflicts"), "difference-logic solver not used: " + r[1].detail());
	}

	/** Solver parameters are checked (at check()), so that smt.arith.solver passing means something. */
	@Test
	public void unknownSolverParameterIsRejected() {
		try (Context ctx = new Context()) {
			Params p = ctx.mkParams();
			p.add("smt.no_such_parameter", 1);
			Solver s = ctx.mkSolver();
			s.setParameters(p);
			Z3Exception e = assertThrows(Z3Exception.class, s::check);
			String first = e.getMessage().lines().findFirst().orElse("");
			System.out.println("[z3] smt.no_such_parameter: " + first);
			assertTrue(first.contains("unknown parameter"), first);
		}
	}

	@Test
	public void timeoutGivesUnknownWithReason() {
		Z3Smoke.Result r = Z3Smoke.pigeonhole(11, 200);
		System.out.println("[z3] pigeonhole 12 pigeons / 11 holes, timeout 200 ms: " + r);
		assertEquals(Status.UNKNOWN, r.status());
		assertTrue(r.detail().matches("(?i).*(timeout|cancel).*"), "reason unknown: " + r.detail());
	}
}
