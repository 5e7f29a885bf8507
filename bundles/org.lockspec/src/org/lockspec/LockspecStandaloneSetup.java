package org.lockspec;

/** Registers the language outside Eclipse (CLI, tests, Maven plugin, language server). */
public class LockspecStandaloneSetup extends LockspecStandaloneSetupGenerated {

	public static void doSetup() {
		new LockspecStandaloneSetup().createInjectorAndDoEMFRegistration();
	}
}
