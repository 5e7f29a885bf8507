package org.lockspec.runtime;

import java.util.List;

/**
 * What a thread blocked on a work, an irq's thread, an SRCU grace period or a runtime PM callback waits for, as
 * the validator's deadlock check asks it: whether it is still to come, and which threads it waits for. Monitor
 * held.
 */
interface Awaited {

	/** Whether what the thread waits for is still to come. */
	boolean stuck();

	/** The threads it waits for (empty: nobody in particular). */
	List<Participant> waitedFor();
}
