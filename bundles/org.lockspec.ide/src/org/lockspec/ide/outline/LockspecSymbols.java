package org.lockspec.ide.outline;

import java.util.stream.Collectors;

import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.lsp4j.SymbolKind;
import org.eclipse.xtext.ide.server.symbol.DocumentSymbolMapper;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.lockspec.model.Const;
import org.lockspec.model.EnumLiteral;
import org.lockspec.model.EnumType;
import org.lockspec.model.Expectation;
import org.lockspec.model.Feature;
import org.lockspec.model.Field;
import org.lockspec.model.Instance;
import org.lockspec.model.Invariant;
import org.lockspec.model.ListField;
import org.lockspec.model.Lock;
import org.lockspec.model.ModelPackage;
import org.lockspec.model.ObjectType;
import org.lockspec.model.Operation;
import org.lockspec.model.Ref;
import org.lockspec.model.Scenario;
import org.lockspec.model.ScenarioThread;
import org.lockspec.model.Spec;
import org.lockspec.naming.NameOf;

/**
 * The outline (LSP document symbols): the spec, its objects with their locks
 * and fields, ops, invariants, scenarios with their instances, threads and
 * expectations, each by its simple name, with a detail ({@code rwsem},
 * {@code (pf: PciDev) in process}). Locals and parameters stay out.
 */
public final class LockspecSymbols {

	private LockspecSymbols() {
	}

	static boolean shown(EObject o) {
		return o instanceof Spec || o instanceof ObjectType || o instanceof EnumType || o instanceof EnumLiteral
				|| o instanceof Const || o instanceof Feature || o instanceof Invariant || o instanceof Operation
				|| o instanceof Scenario || o instanceof Instance || o instanceof ScenarioThread
				|| o instanceof Expectation;
	}

	/** Names: simple names; an expectation by its text ({@code expect deadlock}). */
	public static class Names extends DocumentSymbolMapper.DocumentSymbolNameProvider {
		@Override
		public String getName(EObject o) {
			if (!shown(o)) {
				return null;
			}
			if (o instanceof Expectation) {
				return text(o);
			}
			return NameOf.name(o);
		}
	}

	/** Kinds, by what editors show for them. */
	public static class Kinds extends DocumentSymbolMapper.DocumentSymbolKindProvider {
		@Override
		public SymbolKind getSymbolKind(EObject o) {
			if (o instanceof Spec) {
				return SymbolKind.Module;
			}
			if (o instanceof ObjectType) {
				return SymbolKind.Struct;
			}
			if (o instanceof EnumType) {
				return SymbolKind.Enum;
			}
			if (o instanceof EnumLiteral) {
				return SymbolKind.EnumMember;
			}
			if (o instanceof Const) {
				return SymbolKind.Constant;
			}
			if (o instanceof Feature) {
				return o.eContainer() instanceof ObjectType ? SymbolKind.Field : SymbolKind.Variable;
			}
			if (o instanceof Invariant) {
				return SymbolKind.Boolean;
			}
			if (o instanceof Operation) {
				return SymbolKind.Function;
			}
			if (o instanceof Scenario) {
				return SymbolKind.Namespace;
			}
			if (o instanceof Instance) {
				return SymbolKind.Object;
			}
			if (o instanceof ScenarioThread) {
				return SymbolKind.Event;
			}
			if (o instanceof Expectation) {
				return SymbolKind.Key;
			}
			return super.getSymbolKind(o);
		}

		/** Workspace symbols (from the index, by class): as above, a feature as a field. */
		@Override
		protected SymbolKind getSymbolKind(EClass c) {
			ModelPackage p = ModelPackage.eINSTANCE;
			if (c == p.getSpec()) {
				return SymbolKind.Module;
			}
			if (c == p.getObjectType()) {
				return SymbolKind.Struct;
			}
			if (c == p.getEnumType()) {
				return SymbolKind.Enum;
			}
			if (c == p.getEnumLiteral()) {
				return SymbolKind.EnumMember;
			}
			if (c == p.getConst()) {
				return SymbolKind.Constant;
			}
			if (p.getFeature().isSuperTypeOf(c)) {
				return SymbolKind.Field;
			}
			if (c == p.getInvariant()) {
				return SymbolKind.Boolean;
			}
			if (c == p.getOperation()) {
				return SymbolKind.Function;
			}
			if (c == p.getScenario()) {
				return SymbolKind.Namespace;
			}
			return super.getSymbolKind(c);
		}
	}

	/** Details: a lock's kind, an op's parameters and context, a field's type. */
	public static class Details extends DocumentSymbolMapper.DocumentSymbolDetailsProvider {
		@Override
		public String getDetails(EObject o) {
			if (o instanceof Lock lock) {
				return lock.getKind().getLiteral();
			}
			if (o instanceof Operation op) {
				String params = op.getParams().stream().map(p -> p.getName() + ": " + text(p.getType()))
						.collect(Collectors.joining(", "));
				return "(" + params + ")" + (op.eIsSet(op.eClass().getEStructuralFeature("context"))
						? " in " + op.getContext().getLiteral() : "");
			}
			if (o instanceof Field f) {
				return text(f.getType());
			}
			if (o instanceof Ref r) {
				return r.getType() == null ? "" : NameOf.name(r.getType()) + (r.isNullable() ? "?" : "");
			}
			if (o instanceof ListField l) {
				return "list of " + (l.getType() == null ? "?" : NameOf.name(l.getType()));
			}
			if (o instanceof Instance i) {
				return i.getType() == null ? "" : NameOf.name(i.getType());
			}
			if (o instanceof ScenarioThread t) {
				return t.getOp() == null ? "" : NameOf.name(t.getOp());
			}
			return "";
		}
	}

	static String text(EObject o) {
		ICompositeNode node = o == null ? null : NodeModelUtils.findActualNodeFor(o);
		return node == null ? "" : NodeModelUtils.getTokenText(node);
	}
}
