package org.lockspec.diagram;

import java.util.ArrayList;
import java.util.List;

/**
 * Text in diagrams: a monospace font, so a string's width is its length
 * times 0.6 em and layout needs no font metrics (and no AWT).
 */
public final class Text {

	public static final double SIZE = 12;
	public static final double SMALL = 10.5;
	public static final double LINE = 16;

	private Text() {
	}

	public static double width(String s, double size) {
		return s == null ? 0 : s.codePointCount(0, s.length()) * size * 0.6;
	}

	/** Splits {@code s} into lines of at most {@code max} characters, at spaces where it can. */
	public static List<String> wrap(String s, int max) {
		List<String> out = new ArrayList<>();
		if (s == null) {
			return out;
		}
		String rest = s.strip();
		max = Math.max(20, max);
		while (rest.length() > max) {
			int cut = rest.lastIndexOf(' ', max);
			if (cut < max / 2) {
				cut = max;
			}
			out.add(rest.substring(0, cut).strip());
			rest = rest.substring(cut).strip();
		}
		if (!rest.isEmpty() || out.isEmpty()) {
			out.add(rest);
		}
		return out;
	}

	/** Characters of {@code SIZE} text that fit in {@code width}. */
	public static int fit(double width) {
		return (int) Math.floor(width / (SIZE * 0.6));
	}

	/** XML text and attribute values. */
	public static String xml(String s) {
		if (s == null) {
			return "";
		}
		StringBuilder b = new StringBuilder(s.length() + 16);
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			switch (c) {
			case '<' -> b.append("&lt;");
			case '>' -> b.append("&gt;");
			case '&' -> b.append("&amp;");
			case '"' -> b.append("&quot;");
			case '\'' -> b.append("&#39;");
			default -> {
				if (c < 0x20 && c != '\n' && c != '\t') {
					b.append(' ');
				} else {
					b.append(c);
				}
			}
			}
		}
		return b.toString();
	}
}
