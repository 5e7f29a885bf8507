package org.lockspec.ide.contentassist;

import java.util.Set;

import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EnumLiteralDeclaration;
import org.eclipse.xtext.EnumRule;
import org.lockspec.kernel.LockKinds;
import org.lockspec.model.Expression;
import org.lockspec.model.Lock;
import org.lockspec.model.LockStmt;
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
 * {@code pf.dev_lock}, a ref on the way); no keywords, fields or values;</li>
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
	private static final Set<String> LOCKING = Set.of("lock", "unlock", "with", "trylock");
	/** What a name after a locking keyword may denote: a lock, or something a lock is a member of. */
	private static final Set<EClass> LOCK_PATH_START = Set.of(P.getLock(), P.getRef(), P.getParam(), P.getLetStmt(),
			P.getForStmt(), P.getInstance(), P.getQuantVar());
	/** What a member after {@code lock x.} may be. */
	private static final Set<EClass> LOCK_PATH_MEMBER = Set.of(P.getLock(), P.getRef());
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
		return Character.isLetter(keyword.getValue().charAt(0)) && !lockPath(context)
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
		Set<EClass> allowed = !lockPath(context) ? null
				: lastToken(context) instanceof ILeafNode leaf && ".".equals(leaf.getText()) ? LOCK_PATH_MEMBER
						: LOCK_PATH_START;
		return d -> base.apply(d) && (!identifier || d.getName().getSegmentCount() == 1)
				&& (allowed == null || allowed.contains(d.getEClass()));
	}

	/**
	 * Whether the cursor is where a lock's name goes: right after {@code lock},
	 * {@code unlock}, {@code with} or {@code trylock}, or after {@code lock a.b.}.
	 */
	static boolean lockPath(ContentAssistContext context) {
		INode last = lastToken(context);
		if (last == null || !(last.getGrammarElement() instanceof Keyword k)) {
			return false;
		}
		if (LOCKING.contains(k.getValue())) {
			return true;
		}
		if (!".".equals(k.getValue())) {
			return false;
		}
		INode n = previousToken(last);
		while (n != null && !(n.getGrammarElement() instanceof Keyword) && isName(n.getText())) {
			INode before = previousToken(n);
			if (before == null || !(before.getGrammarElement() instanceof Keyword b)) {
				return false;
			}
			if (LOCKING.contains(b.getValue())) {
				return true;
			}
			if (!".".equals(b.getValue())) {
				return false;
			}
			n = previousToken(before);
		}
		return false;
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
