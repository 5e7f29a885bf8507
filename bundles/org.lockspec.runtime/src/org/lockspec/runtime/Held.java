package org.lockspec.runtime;

/** A lock (or gate) a thread holds: how and where it was taken. */
record Held(Object lock, Mode mode, boolean irqsave, String site) {

	String describe() {
		String n = lock instanceof KernelLock l ? l.name() : ((Gate) lock).name();
		return n + (mode == Mode.READ ? " (read" + (lock instanceof Gate ? ", active reference" : "") + ")" : "") + " at "
				+ site;
	}

	String className() {
		return lock instanceof KernelLock l ? l.className() : ((Gate) lock).className();
	}
}
