package org.lockspec.ide.highlighting;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.xtext.AbstractRule;
import org.eclipse.xtext.Assignment;
import org.eclipse.xtext.CrossReference;
import org.eclipse.xtext.GrammarUtil;
import org.eclipse.xtext.Keyword;
import org.eclipse.xtext.RuleCall;
import org.eclipse.xtext.ide.editor.syntaxcoloring.IHighlightedPositionAcceptor;
import org.eclipse.xtext.ide.editor.syntaxcoloring.ISemanticHighlightingCalculator;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.CancelIndicator;
import org.lockspec.model.Const;
import org.lockspec.model.EnumLiteral;
import org.lockspec.model.EnumType;
import org.lockspec.model.Feature;
import org.lockspec.model.ForStmt;
import org.lockspec.model.Import;
import org.lockspec.model.Instance;
import org.lockspec.model.Invariant;
import org.lockspec.model.LetStmt;
import org.lockspec.model.ObjectType;
import org.lockspec.model.Operation;
import org.lockspec.model.Param;
import org.lockspec.model.QuantVar;
import org.lockspec.model.Scenario;
import org.lockspec.model.ScenarioThread;
import org.lockspec.model.Spec;

/**
 * Highlighting by meaning, for editors that have no grammar of their own for
 * Lockspec (LSP semantic tokens): keywords, comments, numbers, strings, and
 * every declared or referenced name by what it denotes. The style ids are LSP
 * token types ({@link #TYPES}); {@link #DECLARATION} marks a declaration.
 */
public class LockspecHighlighting implements ISemanticHighlightingCalculator {

	public static final String KEYWORD = "keyword";
	public static final String COMMENT = "comment";
	public static final String NUMBER = "number";
	public static final String STRING = "string";
	public static final String TYPE = "type";
	public static final String FUNCTION = "function";
	public static final String VARIABLE = "variable";
	public static final String PROPERTY = "property";
	public static final String PARAMETER = "parameter";
	public static final String ENUM_MEMBER = "enumMember";
	public static final String NAMESPACE = "namespace";
	/** Every token type this calculator uses, in the order of the LSP legend. */
	public static final java.util.List<String> TYPES = java.util.List.of(KEYWORD, COMMENT, NUMBER, STRING, TYPE,
			FUNCTION, VARIABLE, PROPERTY, PARAMETER, ENUM_MEMBER, NAMESPACE);
	/** The modifier of a name where it is declared. */
	public static final String DECLARATION = "declaration";

	@Override
	public void provideHighlightingFor(XtextResource resource, IHighlightedPositionAcceptor acceptor,
			CancelIndicator cancelIndicator) {
		if (resource == null || resource.getParseResult() == null) {
			return;
		}
		int n = 0;
		for (INode leaf : resource.getParseResult().getRootNode().getLeafNodes()) {
			if ((++n & 1023) == 0 && cancelIndicator != null && cancelIndicator.isCanceled()) {
				return;
			}
			if (leaf.getLength() == 0) {
				continue;
			}
			String[] style = style(leaf);
			if (style != null) {
				acceptor.addPosition(leaf.getOffset(), leaf.getLength(), style);
			}
		}
	}

	private static String[] style(INode leaf) {
		EObject ge = leaf.getGrammarElement();
		if (ge instanceof Keyword k) {
			return Character.isLetter(k.getValue().charAt(0)) ? new String[] { KEYWORD } : null;
		}
		if (ge instanceof AbstractRule rule) {
			return terminal(rule.getName()); // hidden tokens: comments, white space
		}
		for (INode node = leaf; node != null; node = node.getParent()) {
			EObject g = node.getGrammarElement();
			if (g instanceof CrossReference || g instanceof RuleCall rc && rc.eContainer() instanceof CrossReference) {
				return reference(node);
			}
			if (g instanceof RuleCall rc && rc.eContainer() instanceof Assignment a && "name".equals(a.getFeature())) {
				EObject declared = NodeModelUtils.findActualSemanticObjectFor(node);
				String kind = declared == null ? null : kind(declared);
				return kind == null ? null : new String[] { kind, DECLARATION };
			}
			if (node != leaf && !(g instanceof RuleCall rc && GrammarUtil.isDatatypeRuleCall(rc))) {
				break; // left the token (and the datatype rule around it, like QualifiedName)
			}
		}
		return ge instanceof RuleCall call && call.getRule() != null ? terminal(call.getRule().getName()) : null;
	}

	private static String[] terminal(String rule) {
		if (rule == null) {
			return null;
		}
		return switch (rule) {
		case "ML_COMMENT", "SL_COMMENT" -> new String[] { COMMENT };
		case "INT", "HEX", "Number" -> new String[] { NUMBER };
		case "STRING" -> new String[] { STRING };
		default -> null;
		};
	}

	private static String[] reference(INode node) {
		EObject owner = NodeModelUtils.findActualSemanticObjectFor(node);
		CrossReference crossRef = GrammarUtil.containingCrossReference(node.getGrammarElement());
		if (owner == null || crossRef == null) {
			return null;
		}
		EReference ref = GrammarUtil.getReference(crossRef, owner.eClass());
		if (ref == null || ref.isMany()) {
			// guarded_by a, b: which one this node is, is the n-th of the feature's nodes
			if (ref != null) {
				int i = 0;
				for (INode n : NodeModelUtils.findNodesForFeature(owner, ref)) {
					if (n.getTotalOffset() <= node.getTotalOffset() && node.getTotalEndOffset() <= n.getTotalEndOffset()) {
						Object list = owner.eGet(ref, false);
						if (list instanceof java.util.List<?> l && i < l.size() && l.get(i) instanceof EObject target) {
							return target(target);
						}
					}
					i++;
				}
			}
			return null;
		}
		Object target = owner.eGet(ref, true);
		return target instanceof EObject t ? target(t) : null;
	}

	private static String[] target(EObject target) {
		if (target.eIsProxy()) {
			return null; // unresolved: the diagnostic says so
		}
		String kind = kind(target);
		return kind == null ? null : new String[] { kind };
	}

	/** The token type of a declaration. */
	static String kind(EObject o) {
		if (o instanceof ObjectType || o instanceof EnumType) {
			return TYPE;
		}
		if (o instanceof Operation || o instanceof Invariant) {
			return FUNCTION;
		}
		if (o instanceof Feature) {
			return o.eContainer() instanceof ObjectType ? PROPERTY : VARIABLE; // a global lock, gate or field
		}
		if (o instanceof Param || o instanceof QuantVar) {
			return PARAMETER;
		}
		if (o instanceof LetStmt || o instanceof ForStmt || o instanceof Instance || o instanceof ScenarioThread) {
			return VARIABLE;
		}
		if (o instanceof EnumLiteral || o instanceof Const) {
			return ENUM_MEMBER;
		}
		if (o instanceof Spec || o instanceof Scenario || o instanceof Import) {
			return NAMESPACE;
		}
		return null;
	}
}
