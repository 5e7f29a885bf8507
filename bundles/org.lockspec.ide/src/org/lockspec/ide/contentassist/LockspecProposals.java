package org.lockspec.ide.contentassist;

import java.util.Set;

import org.eclipse.emf.ecore.EClass;
import org.eclipse.xtext.CrossReference;
import org.eclipse.xtext.Keyword;
import org.eclipse.xtext.RuleCall;
import org.eclipse.xtext.ide.editor.contentassist.ContentAssistContext;
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
 * <li>keywords, but not punctuation ({@code (}, {@code !}, {@code ~}).</li>
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

	@Override
	protected boolean filterKeyword(Keyword keyword, ContentAssistContext context) {
		return Character.isLetter(keyword.getValue().charAt(0)) && !lockPath(context)
				&& super.filterKeyword(keyword, context);
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
