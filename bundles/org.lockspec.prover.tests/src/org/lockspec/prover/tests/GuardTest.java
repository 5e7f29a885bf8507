package org.lockspec.prover.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lockspec.prover.tests.SoundnessTest.prove;
import static org.lockspec.prover.tests.SoundnessTest.verdict;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockspec.verdict.SpecResult;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Verdict;

/**
 * {@code guarded_by} through refs (desc->dev->msi_lock): an access holds the guard when it holds the lock of the
 * object the refs lead to from the object accessed, however the lock statement reached it; the lock of any other
 * object of the class does not count.
 */
class GuardTest {

	private static final String MSI = """
			spec t.msi
			object Device { lock msi_lock : raw_spinlock }
			object MsiDesc { ref dev : Device  field masked : int guarded_by dev.msi_lock }
			""";

	private static Verdict guarded(Path dir, String rest) throws Exception {
		SpecResult r = prove(dir, MSI + rest);
		return r.verdicts().stream().filter(v -> v.id().startsWith("guarded_fields")).findFirst().orElseThrow();
	}

	@Test
	void theLockTheRefsLeadToGuards(@TempDir Path dir) throws Exception {
		assertEquals(Status.PROVED, guarded(dir, "op mask(d: MsiDesc) { with d.dev.msi_lock irqsave { d.masked = 1 } }")
				.status());
		assertEquals(Status.PROVED, guarded(dir, """
				op mask(d: MsiDesc) {
				  let dev = d.dev
				  with dev.msi_lock irqsave { d.masked = d.masked | 2 }
				}
				""").status());
	}

	@Test
	void anotherObjectsLockDoesNotGuard(@TempDir Path dir) throws Exception {
		Verdict v = guarded(dir, "op mask(d: MsiDesc, other: Device) { with other.msi_lock irqsave { d.masked = 1 } }");
		assertEquals(Status.VIOLATED, v.status(), v::message);
		assertTrue(v.message().contains("writes d.masked without holding d.dev.msi_lock"), v::message);
		assertEquals(Status.VIOLATED, guarded(dir, "op mask(d: MsiDesc) { d.masked = 1 }").status());
	}

	@Test
	void aPathOfTwoRefs(@TempDir Path dir) throws Exception {
		String spec = """
				object Bus { lock bus_lock : mutex }
				object Port { ref bus : Bus }
				object Slot { ref port : Port  field power : int guarded_by port.bus.bus_lock }
				""";
		assertEquals(Status.PROVED, guarded(dir, spec + "op power_on(s: Slot) { with s.port.bus.bus_lock { s.power = 1 } }")
				.status());
		assertEquals(Status.VIOLATED, guarded(dir, spec + """
				op power_on(s: Slot, p: Port) { with p.bus.bus_lock { s.power = 1 } }
				""").status());
	}

	@Test
	void aGlobalGuardedThroughAGlobalRef(@TempDir Path dir) throws Exception {
		String spec = "ref the_dev : Device\nfield count : int guarded_by the_dev.msi_lock\n";
		assertEquals(Status.PROVED, guarded(dir, spec + "op f() { with the_dev.msi_lock { count = count + 1 } }").status());
		assertEquals(Status.VIOLATED, guarded(dir, spec + "op f(d: Device) { with d.msi_lock { count = 1 } }").status());
	}
}
