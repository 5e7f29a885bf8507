package org.lockspec.ls;

import java.util.concurrent.ExecutorService;

import org.eclipse.lsp4j.services.LanguageServer;
import org.eclipse.xtext.ide.server.LanguageServerImpl;
import org.eclipse.xtext.ide.server.ServerModule;
import org.eclipse.xtext.ide.server.concurrent.IRequestManager;
import org.eclipse.xtext.ide.server.concurrent.RequestManager;
import org.eclipse.xtext.ide.server.semantictokens.SemanticTokensService;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.util.Modules;

/**
 * Xtext's {@link ServerModule} (the language comes from
 * {@code META-INF/services/org.eclipse.xtext.ISetup} of org.lockspec.ide), with
 * Lockspec's server, semantic tokens, and request threads with large stacks.
 */
public class LockspecServerModule extends AbstractModule {

	@Override
	protected void configure() {
		install(Modules.override(new ServerModule()).with(new AbstractModule() {
			@Override
			protected void configure() {
				bind(LockspecLanguageServer.class).in(Singleton.class);
				bind(LanguageServerImpl.class).to(LockspecLanguageServer.class);
				bind(LanguageServer.class).to(LockspecLanguageServer.class);
				bind(SemanticTokensService.class).to(LockspecSemanticTokens.class);
				bind(ExecutorService.class).toProvider(RequestThreads.class);
				bind(RequestManager.class).to(LockspecRequestManager.class);
				bind(IRequestManager.class).to(LockspecRequestManager.class);
			}
		}));
	}
}
