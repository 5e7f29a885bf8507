package org.lockspec.ide.contentassist;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EnumLiteralDeclaration;
import org.eclipse.xtext.EnumRule;
import org.lockspec.kernel.LockKinds;
import org.lockspec.model.CancelCall;
import org.lockspec.model.Expression;
import org.lockspec.model.FlushCall;
import org.lockspec.model.IrqCall;
import org.lockspec.model.PmCall;
import org.lockspec.model.Lock;
import org.lockspec.model.LockStmt;
import org.lockspec.model.QueueCall;
import org.lockspec.model.WorkqueueCall;
import org.lockspec.model.TrylockStmt;
import org.lockspec.model.WithStmt;
import org.lockspec.typing.SpecType;
import org.lockspec.typing.SpecTypes;
import org.eclipse.xtext.CrossReference;
import org.eclipse.xtext.Keyword;
import org.eclipse.xtext.RuleCall;
import org.eclipse.xtext.ide.editor.contentassist.ContentAssistContext;
import org.eclipse.xtext.ide.editor.contentassist.ContentAssistEntry;
import org.eclipse.xtext.ide.editor.contentassist.IIdeContentProposalAcceptor;
import org.eclipse.xtext.ide.editor.contentassist.IdeContentProposalProvider;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.ILeafNode;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.resource.IEObjectDescription;
import org.lockspec.model.ModelPackage;

import com.google.common.base.Predicate;

/**
 * Content assist (LSP completion) without the noise of the defaults:
 * <ul>
 * <li>after {@code lock}, {@code unlock}, {@code with} or {@code trylock}: the
 * locks, and the names a lock is reached through ({@code pf} of
 * {@code pf.dev_lock}, a ref on the way); no keywords, fields or values; so
 * after a gate's statements ({@code enter}, {@code leave}, {@code drain}) the
 * gates, and after a completion's ({@code complete}, {@code wait_for_completion},
 * ...) the completions;</li>
 * <li>a name where the grammar wants an identifier is proposed once, by its
 * simple name, not again by its qualified name;</li>
 * <li>keywords, but not punctuation ({@code (}, {@code !}, {@code ~});</li>
 * <li>after a lock, the modes its kind has: {@code read}/{@code write} for a
 * rwsem or rwlock, first of all proposals (before the names a next statement
 * could start with), none for a mutex or spinlock.</li>
 * </ul>
 */
public class LockspecProposals extends IdeContentProposalProvider {

	private static final ModelPackage P = ModelPackage.eINSTANCE;
	/** The keywords after which a path to a lock, a gate, a completion or a work follows, and which of them it names. */
	private static final Map<String, EClass> PATH_TO = pathTo();

	private static Map<String, EClass> pathTo() {
		Map<String, EClass> to = new java.util.HashMap<>(Map.ofEntries(Map.entry("lock", P.getLock()),
				Map.entry("unlock", P.getLock()), Map.entry("with", P.getLock()), Map.entry("trylock", P.getLock()),
				Map.entry("under", P.getLock()),
				Map.entry("enter", P.getGate()), Map.entry("leave", P.getGate()), Map.entry("drain", P.getGate()),
				Map.entry("complete", P.getCompletion()), Map.entry("complete_all", P.getCompletion()),
				Map.entry("wait_for_completion", P.getCompletion()),
				Map.entry("wait_for_completion_timeout", P.getCompletion()),
				Map.entry("wait_for_completion_interruptible", P.getCompletion()),
				Map.entry("wait_for_completion_killable", P.getCompletion()),
				Map.entry("reinit_completion", P.getCompletion()), Map.entry("srcu_read_lock", P.getLock()),
				Map.entry("srcu_read_unlock", P.getLock()), Map.entry("synchronize_srcu", P.getLock()),
				Map.entry("synchronize_srcu_expedited", P.getLock())));
		// the calls on works, kthreads, threaded irqs and timers: their grammar's enums
		for (List<? extends org.eclipse.emf.common.util.Enumerator> calls : List.of(QueueCall.VALUES, FlushCall.VALUES,
				CancelCall.VALUES, IrqCall.VALUES)) {
			calls.forEach(call -> to.put(call.getLiteral(), P.getWork()));
		}
		WorkqueueCall.VALUES.forEach(call -> to.put(call.getLiteral(), P.getLock()));
		PmCall.VALUES.forEach(call -> to.put(call.getLiteral(), P.getRuntimePm()));
		return Map.copyOf(to);
	}
	/** What a path's first name may denote besides its target: something the target is a member of. */
	private static final Set<EClass> PATH_START = Set.of(P.getRef(), P.getParam(), P.getLetStmt(), P.getForStmt(),
			P.getInstance(), P.getQuantVar());
	/** Above every name (Xtext gives names 500, keywords less): after a rwsem, its modes come first. */
	static final int MODE_PRIORITY = 1000;

	@Override
	protected void _createProposals(Keyword keyword, ContentAssistContext context, IIdeContentProposalAcceptor acceptor) {
		if (isLockMode(keyword) && lockWithModes(context) != null && filterKeyword(keyword, context)) {
			ContentAssistEntry entry = getProposalCreator().createProposal(keyword.getValue(), context,
					ContentAssistEntry.KIND_KEYWORD, null);
			if (entry != null) {
				entry.setDescription("take the " + keyword.getValue() + " side of the " + lockWithModes(context).getKind().getLiteral());
				acceptor.accept(entry, MODE_PRIORITY);
			}
			return;
		}
		super._createProposals(keyword, context, acceptor);
	}

	@Override
	protected boolean filterKeyword(Keyword keyword, ContentAssistContext context) {
		return Character.isLetter(keyword.getValue().charAt(0)) && pathTarget(context) == null
				&& (!isLockMode(keyword) || modesAllowed(context)) && super.filterKeyword(keyword, context);
	}

	/** Whether {@code keyword} is {@code read} or {@code write} of the grammar's LockMode. */
	private static boolean isLockMode(Keyword keyword) {
		return keyword.eContainer() instanceof EnumLiteralDeclaration literal
				&& literal.eContainer() != null && literal.eContainer().eContainer() instanceof EnumRule rule
				&& "LockMode".equals(rule.getName());
	}

	/**
	 * Modes are proposed after a lock that has them: a rwsem or rwlock. After any
	 * other lock (mutex, spinlock) there is no read or write side; where the
	 * lock is not known (yet), both are offered.
	 */
	static boolean modesAllowed(ContentAssistContext context) {
		Lock decl = lockAt(context);
		return decl == null || LockKinds.hasReadSide(decl.getKind());
	}

	/** The rwsem or rwlock that a {@code lock}, {@code with} or {@code trylock} at the cursor takes, or null. */
	static Lock lockWithModes(ContentAssistContext context) {
		Lock decl = lockAt(context);
		return decl != null && (LockKinds.hasReadSide(decl.getKind())) ? decl : null;
	}

	/** The declaration of the lock a {@code lock}, {@code with} or {@code trylock} at the cursor takes, if known. */
	private static Lock lockAt(ContentAssistContext context) {
		EObject model = context.getCurrentModel();
		Expression lock = model instanceof LockStmt l ? l.getLock()
				: model instanceof WithStmt w ? w.getLock() : model instanceof TrylockStmt t ? t.getLock() : null;
		if (lock == null) {
			return null;
		}
		SpecType type = SpecTypes.typeOf(lock);
		return type.kind() == SpecType.Kind.LOCK && type.decl() instanceof Lock decl ? decl : null;
	}

	@Override
	protected Predicate<IEObjectDescription> getCrossrefFilter(CrossReference reference, ContentAssistContext context) {
		Predicate<IEObjectDescription> base = super.getCrossrefFilter(reference, context);
		boolean identifier = reference.getTerminal() instanceof RuleCall call && call.getRule() != null
				&& "ID".equals(call.getRule().getName());
		EClass target = pathTarget(context);
		boolean member = lastToken(context) instanceof ILeafNode leaf && ".".equals(leaf.getText());
		return d -> base.apply(d) && (!identifier || d.getName().getSegmentCount() == 1)
				&& (target == null || d.getEClass() == target || d.getEClass() == P.getRef()
						|| !member && PATH_START.contains(d.getEClass()));
	}

	/**
	 * What the name at the cursor leads to, if it is where a path to a lock, gate or completion goes: right
	 * after {@code lock}, {@code enter}, {@code wait_for_completion} and the like ({@link #PATH_TO}), or
	 * after {@code lock a.b.}; else null.
	 */
	static EClass pathTarget(ContentAssistContext context) {
		INode last = lastToken(context);
		if (last == null || !(last.getGrammarElement() instanceof Keyword k)) {
			return null;
		}
		if (PATH_TO.containsKey(k.getValue())) {
			return PATH_TO.get(k.getValue());
		}
		if (!".".equals(k.getValue())) {
			return null;
		}
		INode n = previousToken(last);
		while (n != null && !(n.getGrammarElement() instanceof Keyword) && isName(n.getText())) {
			INode before = previousToken(n);
			if (before == null || !(before.getGrammarElement() instanceof Keyword b)) {
				return null;
			}
			if (PATH_TO.containsKey(b.getValue())) {
				return PATH_TO.get(b.getValue());
			}
			if (!".".equals(b.getValue())) {
				return null;
			}
			n = previousToken(before);
		}
		return null;
	}

	private static boolean isName(String text) {
		return !text.isEmpty() && (Character.isLetter(text.charAt(0)) || text.charAt(0) == '_' || text.charAt(0) == '^');
	}

	private static INode lastToken(ContentAssistContext context) {
		INode n = context.getLastCompleteNode();
		while (n instanceof ICompositeNode c && c.getLastChild() != null) {
			n = c.getLastChild();
		}
		return n instanceof ILeafNode leaf && (leaf.isHidden() || leaf.getLength() == 0) ? previousToken(n) : n;
	}

	/** The leaf before {@code node} that is not white space, a comment or empty. */
	private static INode previousToken(INode node) {
		INode n = node;
		while (n != null) {
			INode sibling = n.getPreviousSibling();
			if (sibling == null) {
				n = n.getParent();
				continue;
			}
			INode last = sibling;
			while (last instanceof ICompositeNode c && c.getLastChild() != null) {
				last = c.getLastChild();
			}
			if (last instanceof ILeafNode leaf && !leaf.isHidden() && leaf.getLength() > 0) {
				return leaf;
			}
			n = last;
		}
		return null;
	}
}
