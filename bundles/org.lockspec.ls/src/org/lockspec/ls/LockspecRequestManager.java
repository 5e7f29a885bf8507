package org.lockspec.ls;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.eclipse.xtext.ide.server.concurrent.AbstractRequest;
import org.eclipse.xtext.ide.server.concurrent.RequestManager;
import org.eclipse.xtext.service.OperationCanceledManager;

import com.google.inject.Inject;
import com.google.inject.Singleton;

/**
 * Xtext's request manager, with its queue (where writes, and so every parse of
 * a document, run) on a thread with a large stack, like the read threads
 * ({@link RequestThreads}).
 */
@Singleton
public class LockspecRequestManager extends RequestManager {

	private final ExecutorService queue = Executors.newSingleThreadExecutor(r -> {
		Thread t = new Thread(null, r, "lockspec-ls-queue", RequestThreads.STACK_BYTES);
		t.setDaemon(true);
		return t;
	});

	@Inject
	public LockspecRequestManager(ExecutorService parallel, OperationCanceledManager operationCanceledManager) {
		super(parallel, operationCanceledManager);
	}

	@Override
	protected void submitRequest(AbstractRequest<?> request) {
		queue.submit(request);
	}

	@Override
	public void shutdown() {
		queue.shutdown();
		super.shutdown();
	}
}
