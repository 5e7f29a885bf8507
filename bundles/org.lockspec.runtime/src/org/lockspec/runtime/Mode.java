package org.lockspec.runtime;

/** The side of a lock that is taken: exclusive ({@code WRITE}) or shared ({@code READ}, rwsem and rwlock only). */
public enum Mode {
	WRITE, READ
}
