package org.lockspec.runtime;

/** A lock (or gate) a thread holds: how and where it was taken. */
record Held(Waitable lock, Mode mode, boolean irqsave, String site) {

	String describe() {
		return lock.name() + (mode == Mode.READ ? " (read" + (lock instanceof Gate ? ", active reference" : "") + ")" : "") + " at "
				+ site;
	}

	String className() {
		return lock.className();
	}
}
