package org.lockspec.analysis;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.emf.ecore.EObject;
import org.lockspec.model.Operation;

/**
 * Where something happens on a path: the statement, and the call chain that led
 * there from the entry op (outermost first). Reports print it like a kernel
 * backtrace: {@code driver_probe -> pci_enable_sriov -> pci_device_add:42}.
 */
public record Site(EObject stmt, List<Frame> chain) {

	/** One call on the chain: the op called and the statement that called it (null for the entry). */
	public record Frame(Operation op, EObject callSite) {
	}

	public Operation entry() {
		return chain.get(0).op();
	}

	public Operation op() {
		return chain.get(chain.size() - 1).op();
	}

	public int line() {
		return Sites.line(stmt);
	}

	public String describe() {
		List<String> names = new ArrayList<>();
		for (Frame f : chain) {
			names.add(f.op().getName());
		}
		return String.join(" -> ", names) + ":" + line();
	}
}
