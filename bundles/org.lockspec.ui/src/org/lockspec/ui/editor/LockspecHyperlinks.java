package org.lockspec.ui.editor;

import java.nio.file.Path;

import org.eclipse.core.resources.IFile;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.jface.text.IRegion;
import org.eclipse.jface.text.ITextViewer;
import org.eclipse.jface.text.Region;
import org.eclipse.jface.text.hyperlink.AbstractHyperlinkDetector;
import org.eclipse.jface.text.hyperlink.IHyperlink;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.texteditor.ITextEditor;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.resource.EObjectAtOffsetHelper;
import org.eclipse.xtext.resource.ILocationInFileProvider;
import org.eclipse.xtext.util.ITextRegion;
import org.lockspec.ui.LockspecUi;
import org.lockspec.ui.Specs;

/** Go to definition: Ctrl+click (or F3 through the hyperlink) on a name jumps to its declaration, in this spec or an imported one. */
public class LockspecHyperlinks extends AbstractHyperlinkDetector {

	@Override
	public IHyperlink[] detectHyperlinks(ITextViewer viewer, IRegion region, boolean canShowMultipleHyperlinks) {
		SpecDocument spec = SpecDocument.of(viewer.getDocument());
		if (spec == null) {
			return null;
		}
		Target target = spec.read(s -> find(s, region.getOffset()));
		return target == null ? null : new IHyperlink[] { new Link(viewer, target) };
	}

	/** Where the name at {@code offset} is declared, or null. */
	public static Target find(SpecDocument.Snapshot s, int offset) {
		if (s.resource() == null) {
			return null;
		}
		EObjectAtOffsetHelper helper = LockspecUi.injector().getInstance(EObjectAtOffsetHelper.class);
		EObject declared = helper.resolveCrossReferencedElementAt(s.resource(), offset);
		if (declared == null || declared.eIsProxy() || declared.eResource() == null) {
			return null;
		}
		INode node = helper.getCrossReferenceNode(s.resource(), new org.eclipse.xtext.util.TextRegion(offset, 0));
		IRegion at = node == null ? new Region(offset, 0) : new Region(node.getOffset(), node.getLength());
		ITextRegion where = LockspecUi.injector().getInstance(ILocationInFileProvider.class)
				.getSignificantTextRegion(declared);
		URI uri = declared.eResource().getURI();
		String name = NodeModelUtils.getTokenText(NodeModelUtils.getNode(declared));
		return new Target(at, uri.isFile() ? Path.of(uri.toFileString()) : null, where.getOffset(), where.getLength(),
				name);
	}

	/** A declaration: the file, the range of its name, and the region of the reference. */
	public record Target(IRegion from, Path file, int offset, int length, String text) {
	}

	private static final class Link implements IHyperlink {
		private final ITextViewer viewer;
		private final Target target;

		Link(ITextViewer viewer, Target target) {
			this.viewer = viewer;
			this.target = target;
		}

		@Override
		public IRegion getHyperlinkRegion() {
			return target.from();
		}

		@Override
		public String getTypeLabel() {
			return null;
		}

		@Override
		public String getHyperlinkText() {
			return "Open Declaration";
		}

		@Override
		public void open() {
			SpecDocument here = SpecDocument.of(viewer.getDocument());
			if (here != null && target.file() != null && target.file().equals(here.path())) {
				viewer.setSelectedRange(target.offset(), target.length());
				viewer.revealRange(target.offset(), target.length());
				return;
			}
			IFile file = target.file() == null ? null : Specs.fileAt(target.file());
			if (file == null) {
				return;
			}
			try {
				IEditorPart part = IDE.openEditor(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage(),
						file);
				if (part instanceof ITextEditor te) {
					te.selectAndReveal(target.offset(), target.length());
				}
			} catch (PartInitException e) {
				LockspecUi.log("cannot open " + file, e);
			}
		}
	}
}
