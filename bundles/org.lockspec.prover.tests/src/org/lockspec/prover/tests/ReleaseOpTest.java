package org.lockspec.prover.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lockspec.prover.tests.SoundnessTest.contradicted;
import static org.lockspec.prover.tests.SoundnessTest.prove;
import static org.lockspec.prover.tests.SoundnessTest.proveCrossChecked;
import static org.lockspec.prover.tests.SoundnessTest.verdict;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockspec.verdict.SpecResult;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Verdict;

/**
 * {@code put r release op [under l]}: kref_put's release op runs on the last put only, and kref_put_mutex takes
 * its lock only then. The static checks follow both ways of every such put; the scenario engines and Z3's BMC
 * decide which one each interleaving takes, and agree.
 */
class ReleaseOpTest {

	/** Z3's unrolling for the cross-checks: the get at 0 is 6 steps in, the runs of the fixed lookup up to 20 long. */
	private static final int STEPS = 12;

	/**
	 * "vfio: Fix group release deadlock" (811642d8d8a8): a notifier called under the chain's rwsem (read) put the
	 * last reference of a vfio group, whose release unregistered the notifier: down_write on the rwsem it holds.
	 */
	private static final String NOTIFIER = """
			spec t.notifier
			lock group_lock : mutex
			object Chain { lock rwsem : rwsem }
			object Grp { ref chain : Chain  refcount kref }
			op grp_release(g: Grp) releases group_lock {
			  with g.chain.rwsem write { }         // blocking_notifier_chain_unregister
			  unlock group_lock
			}
			op notify(g: Grp) in process {
			  with g.chain.rwsem read {            // blocking_notifier_call_chain
			    %s
			  }
			}
			""";

	@Test
	void theLastPutsReleaseOpRunsWithWhatItsCallerHolds(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, NOTIFIER.formatted("put g.kref release grp_release under group_lock"));
		Verdict order = verdict(r, "lock_order");
		assertEquals(Status.VIOLATED, order.status(), order::message);
		assertTrue(order.message().contains("recursive locking: 'g.chain.rwsem'"), order::message);
		Verdict hygiene = verdict(r, "lock_hygiene");
		assertEquals(Status.VIOLATED, hygiene.status(), hygiene::message);
	}

	@Test
	void aPutWithoutReleaseOpRunsNothing(@TempDir Path dir) throws Exception {
		SpecResult r = prove(dir, NOTIFIER.formatted("put g.kref"));
		assertEquals(Status.PROVED, verdict(r, "lock_order").status());
		assertEquals(Status.PROVED, verdict(r, "lock_hygiene").status());
	}

	/** A lookup under the lock the release op takes, against the last put (vfio 90b1253e4139). */
	private static final String LOOKUP = """
			spec t.lookup
			object Grp {
			  lock lock : mutex
			  list devs : Dev guarded_by lock
			}
			object Dev { ref grp : Grp  refcount kref }
			%s
			op dev_put(d: Dev) in process { %s }
			op lookup(g: Grp) in process {
			  lock g.lock
			  let d = first(g.devs)
			  if d != null { get d.kref }
			  unlock g.lock
			  if d != null { call dev_put(d) }
			}
			scenario last_put {
			  g : Grp
			  d : Dev { grp = g } in g.devs
			  thread putter : dev_put(d)
			  thread lookup : lookup(g)
			}
			""";

	@Test
	void aGetAtZeroIsFoundByBothEngines(@TempDir Path dir) throws Exception {
		SpecResult r = proveCrossChecked(dir, LOOKUP.formatted(
				"op rel(d: Dev) { with d.grp.lock { remove d from d.grp.devs } }", "put d.kref release rel"), STEPS);
		Verdict refcount = verdict(r, "scenario last_put/refcount");
		assertEquals(Status.VIOLATED, refcount.status(), refcount::message);
		assertTrue(refcount.message().contains("get of d at 0"), refcount::message);
		assertEquals(Status.PROVED, verdict(r, "scenario last_put/use_after_free").status());
		Verdict cross = verdict(r, "scenario last_put/cross_check");
		assertEquals(Status.PROVED, cross.status(), cross::message);
		assertFalse(contradicted(r));
	}

	@Test
	void theLastPutUnderTheLockLetsTheLookupKeepTheObject(@TempDir Path dir) throws Exception {
		SpecResult r = proveCrossChecked(dir, LOOKUP.formatted(
				"op rel(d: Dev) releases d.grp.lock { remove d from d.grp.devs  unlock d.grp.lock }",
				"put d.kref release rel under d.grp.lock"), STEPS);
		for (String id : new String[] { "refcount", "use_after_free", "deadlock", "lock_misuse", "race" }) {
			Verdict v = verdict(r, "scenario last_put/" + id);
			assertEquals(Status.PROVED, v.status(), v::message);
		}
		Verdict cross = verdict(r, "scenario last_put/cross_check");
		assertEquals(Status.PROVED, cross.status(), cross::message);
		assertEquals(Status.PROVED, verdict(r, "scenario last_put/lockset_race").status());
		assertFalse(contradicted(r));
	}
}
