package org.lockspec.ui;

import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.ui.plugin.AbstractUIPlugin;
import org.lockspec.ide.LockspecIdeSetup;
import org.osgi.framework.BundleContext;

import com.google.inject.Injector;

/**
 * The workbench bundle: holds the language's injector (runtime and IDE
 * services, {@link LockspecIdeSetup}), created once on first use.
 */
public class LockspecUi extends AbstractUIPlugin {

	public static final String ID = "org.lockspec.ui";

	private static LockspecUi plugin;
	private volatile Injector injector;

	@Override
	public void start(BundleContext context) throws Exception {
		super.start(context);
		plugin = this;
	}

	@Override
	public void stop(BundleContext context) throws Exception {
		plugin = null;
		super.stop(context);
	}

	public static LockspecUi get() {
		return plugin;
	}

	/** The language injector with the IDE services (content assist, hover, outline, highlighting). */
	public static Injector injector() {
		LockspecUi p = plugin;
		if (p == null) {
			throw new IllegalStateException("the bundle " + ID + " is not active");
		}
		Injector i = p.injector;
		if (i == null) {
			synchronized (p) {
				i = p.injector;
				if (i == null) {
					i = new LockspecIdeSetup().createInjectorAndDoEMFRegistration();
					p.injector = i;
				}
			}
		}
		return i;
	}

	public static void log(String message, Throwable t) {
		ILog.of(LockspecUi.class).log(new Status(IStatus.ERROR, ID, message, t));
	}
}
