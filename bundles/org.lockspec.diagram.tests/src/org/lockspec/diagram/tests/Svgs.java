package org.lockspec.diagram.tests;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** SVG documents parsed as XML, and their elements by class. */
final class Svgs {

	private Svgs() {
	}

	static Document parse(String svg) {
		try {
			DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
			f.setNamespaceAware(true);
			f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
			Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
			if (!"svg".equals(d.getDocumentElement().getLocalName())
					|| !"http://www.w3.org/2000/svg".equals(d.getDocumentElement().getNamespaceURI())) {
				throw new AssertionError("not an SVG document: " + d.getDocumentElement().getTagName());
			}
			return d;
		} catch (Exception e) {
			throw new AssertionError("not well-formed XML: " + e.getMessage() + "\n" + svg, e);
		}
	}

	/** The {@code <g>} elements whose class list holds every one of {@code classes}. */
	static List<Element> groups(Document d, String... classes) {
		List<Element> out = new ArrayList<>();
		NodeList all = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "g");
		for (int i = 0; i < all.getLength(); i++) {
			Element e = (Element) all.item(i);
			List<String> cls = Arrays.asList(e.getAttribute("class").split("\\s+"));
			if (cls.containsAll(Arrays.asList(classes))) {
				out.add(e);
			}
		}
		return out;
	}

	static double number(Element e, String attr) {
		return Double.parseDouble(e.getAttribute(attr));
	}
}
