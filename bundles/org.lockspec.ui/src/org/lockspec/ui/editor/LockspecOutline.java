package org.lockspec.ui.editor;

import java.util.List;
import java.util.function.Consumer;

import org.eclipse.core.runtime.IAdapterFactory;
import org.eclipse.jface.viewers.ITreeContentProvider;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.jface.viewers.SelectionChangedEvent;
import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.ui.IFileEditorInput;
import org.eclipse.ui.texteditor.ITextEditor;
import org.eclipse.ui.views.contentoutline.ContentOutlinePage;
import org.eclipse.ui.views.contentoutline.IContentOutlinePage;
import org.lockspec.workspace.SpecFiles;

/**
 * The Outline of a spec in the generic editor: its declarations, nested
 * (objects with their fields and locks, ops, scenarios with their threads),
 * refreshed on every reload; selecting one selects its name in the editor.
 */
public class LockspecOutline extends ContentOutlinePage {

	/** Gives the generic editor an outline page when it shows a spec. */
	public static final class Factory implements IAdapterFactory {
		@Override
		public <T> T getAdapter(Object adaptable, Class<T> adapterType) {
			if (adapterType == IContentOutlinePage.class && adaptable instanceof ITextEditor editor
					&& editor.getEditorInput() instanceof IFileEditorInput in
					&& in.getFile().getName().endsWith(SpecFiles.EXTENSION)) {
				return adapterType.cast(new LockspecOutline(editor));
			}
			return null;
		}

		@Override
		public Class<?>[] getAdapterList() {
			return new Class<?>[] { IContentOutlinePage.class };
		}
	}

	private final ITextEditor editor;
	private SpecDocument spec;
	private final Consumer<SpecDocument.Snapshot> refresh = s -> refreshLater();
	private volatile String text = "";

	public LockspecOutline(ITextEditor editor) {
		this.editor = editor;
	}

	@Override
	public void createControl(Composite parent) {
		super.createControl(parent);
		TreeViewer tree = getTreeViewer();
		tree.setContentProvider(new ITreeContentProvider() {
			@Override
			public Object[] getElements(Object input) {
				return input instanceof List<?> l ? l.toArray() : new Object[0];
			}

			@Override
			public Object[] getChildren(Object e) {
				return e instanceof DocumentSymbol d && d.getChildren() != null ? d.getChildren().toArray()
						: new Object[0];
			}

			@Override
			public Object getParent(Object e) {
				return null;
			}

			@Override
			public boolean hasChildren(Object e) {
				return getChildren(e).length > 0;
			}
		});
		tree.setLabelProvider(new LabelProvider() {
			@Override
			public String getText(Object e) {
				if (e instanceof DocumentSymbol d) {
					return d.getName() + (d.getDetail() == null || d.getDetail().isBlank() ? "" : " : " + d.getDetail());
				}
				return String.valueOf(e);
			}
		});
		spec = SpecDocument.of(editor.getDocumentProvider().getDocument(editor.getEditorInput()));
		if (spec != null) {
			spec.addListener(refresh);
			SpecDocument.Snapshot s = spec.last();
			if (s == null) {
				s = spec.current();
			}
			show(s);
		}
	}

	private void refreshLater() {
		Control c = getControl();
		if (c != null && !c.isDisposed()) {
			c.getDisplay().asyncExec(() -> {
				if (!c.isDisposed() && spec != null) {
					show(spec.last());
				}
			});
		}
	}

	private void show(SpecDocument.Snapshot s) {
		if (s == null) {
			return;
		}
		text = s.text();
		TreeViewer tree = getTreeViewer();
		Object[] expanded = tree.getExpandedElements();
		tree.setInput(Symbols.of(s));
		if (expanded.length == 0) {
			tree.expandToLevel(2);
		} else {
			tree.expandToLevel(2);
		}
	}

	/** The labels of the top-level entries shown now (tests read them). */
	public java.util.List<String> labels() {
		TreeViewer tree = getTreeViewer();
		java.util.List<String> out = new java.util.ArrayList<>();
		for (var item : tree.getTree().getItems()) {
			out.add(item.getText());
			for (var child : item.getItems()) {
				out.add("  " + child.getText());
			}
		}
		return out;
	}

	@Override
	public void selectionChanged(SelectionChangedEvent event) {
		super.selectionChanged(event);
		if (event.getSelection() instanceof IStructuredSelection sel && sel.getFirstElement() instanceof DocumentSymbol d
				&& d.getSelectionRange() != null) {
			int start = Symbols.offset(text, d.getSelectionRange().getStart());
			int end = Symbols.offset(text, d.getSelectionRange().getEnd());
			editor.selectAndReveal(start, Math.max(0, end - start));
		}
	}

	@Override
	public void dispose() {
		if (spec != null) {
			spec.removeListener(refresh);
		}
		super.dispose();
	}
}
