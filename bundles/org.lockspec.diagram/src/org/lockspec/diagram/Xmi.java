package org.lockspec.diagram;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.emf.ecore.resource.ResourceSet;
import org.eclipse.emf.ecore.resource.impl.ResourceSetImpl;
import org.eclipse.emf.ecore.xmi.XMLResource;
import org.eclipse.emf.ecore.xmi.impl.XMIResourceFactoryImpl;
import org.eclipse.emf.ecore.xmi.impl.XMIResourceImpl;
import org.eclipse.emf.ecore.util.EcoreUtil;
import org.lockspec.diagram.model.Diagram;
import org.lockspec.diagram.model.DiagramPackage;

/**
 * Diagrams as XMI (namespace {@code http://lockspec.org/diagram/1}), for EMF
 * tools: the model, its verdict styling and its layout.
 */
public final class Xmi {

	private Xmi() {
	}

	/** The XMI document of a copy of {@code d} (d itself stays where it is). */
	public static String write(Diagram d) {
		XMIResourceImpl r = new XMIResourceImpl(URI.createURI("diagram.xmi"));
		r.getContents().add(EcoreUtil.copy(d));
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			r.save(out, Map.of(XMLResource.OPTION_ENCODING, "UTF-8", XMLResource.OPTION_LINE_WIDTH, 100));
		} catch (IOException e) {
			throw new IllegalStateException("XMI to memory failed", e);
		}
		return out.toString(StandardCharsets.UTF_8);
	}

	/** Reads a diagram written by {@link #write(Diagram)}; {@code name} names the source in errors. */
	public static Diagram read(String xmi, String name) throws IOException {
		ResourceSet rs = new ResourceSetImpl();
		rs.getPackageRegistry().put(DiagramPackage.eNS_URI, DiagramPackage.eINSTANCE);
		rs.getResourceFactoryRegistry().getExtensionToFactoryMap().put("*", new XMIResourceFactoryImpl());
		Resource r = rs.createResource(URI.createURI(name == null ? "diagram.xmi" : "file:/" + name.replace('\\', '/')));
		try {
			r.load(new ByteArrayInputStream(xmi.getBytes(StandardCharsets.UTF_8)), Map.of());
		} catch (IOException | RuntimeException e) {
			throw new IOException(name + ": not a Lockspec diagram: " + e.getMessage(), e);
		}
		if (r.getContents().isEmpty() || !(r.getContents().get(0) instanceof Diagram d)) {
			throw new IOException(name + ": not a Lockspec diagram");
		}
		return d;
	}
}
