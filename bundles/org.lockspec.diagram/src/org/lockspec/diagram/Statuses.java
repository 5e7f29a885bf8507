package org.lockspec.diagram;

import java.util.Collection;

import org.lockspec.diagram.model.VerdictStatus;
import org.lockspec.verdict.Status;
import org.lockspec.verdict.Verdict;

/** Verdict statuses as the diagram model names them. */
public final class Statuses {

	private Statuses() {
	}

	public static VerdictStatus of(Status s) {
		if (s == null) {
			return VerdictStatus.NONE;
		}
		return switch (s) {
		case PROVED -> VerdictStatus.PROVED;
		case SAFE_UP_TO_BOUND -> VerdictStatus.SAFE_UP_TO_BOUND;
		case VIOLATED -> VerdictStatus.VIOLATED;
		case UNKNOWN -> VerdictStatus.UNKNOWN;
		};
	}

	/** The worst of several verdicts: violated, then unknown, then safe up to bound, then proved. */
	public static VerdictStatus worst(Collection<Verdict> verdicts) {
		VerdictStatus w = VerdictStatus.NONE;
		for (Verdict v : verdicts) {
			VerdictStatus s = of(v.status());
			if (rank(s) > rank(w)) {
				w = s;
			}
		}
		return w;
	}

	private static int rank(VerdictStatus s) {
		return switch (s) {
		case NONE -> 0;
		case PROVED -> 1;
		case SAFE_UP_TO_BOUND -> 2;
		case UNKNOWN -> 3;
		case VIOLATED -> 4;
		};
	}

	public static String label(VerdictStatus s) {
		return s == VerdictStatus.NONE ? "" : s.getLiteral().replace('_', ' ');
	}
}
