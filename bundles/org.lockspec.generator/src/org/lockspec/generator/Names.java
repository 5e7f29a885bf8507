package org.lockspec.generator;

import java.util.Locale;
import java.util.Set;

/** Java names: which spec names may become Java identifiers, and how scenario names become class names. */
final class Names {

	/** Java's keywords and literals, and the contextual keywords that cannot name a type. */
	static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case", "catch", "char",
			"class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float",
			"for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native", "new",
			"package", "private", "protected", "public", "return", "short", "static", "strictfp", "super", "switch",
			"synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile", "while", "true", "false",
			"null", "_", "non-sealed");
	static final Set<String> TYPE_RESERVED = Set.of("var", "yield", "record", "sealed", "permits");

	private Names() {
	}

	/** Why {@code name} cannot be a Java identifier, or null if it can. */
	static String problem(String name) {
		if (name == null || name.isEmpty()) {
			return "an empty name";
		}
		if (KEYWORDS.contains(name)) {
			return "'" + name + "' is a Java keyword";
		}
		if (!Character.isJavaIdentifierStart(name.charAt(0)) || name.charAt(0) == '$') {
			return "'" + name + "' does not start like a Java identifier";
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (!Character.isJavaIdentifierPart(c) || c == '$' || Character.isIdentifierIgnorable(c)) {
				return "'" + name + "' contains '" + c + "', which a Java name may not contain";
			}
		}
		return null;
	}

	/** Why {@code name} cannot name a Java class, or null. */
	static String typeProblem(String name) {
		String p = problem(name);
		if (p == null && TYPE_RESERVED.contains(name)) {
			p = "'" + name + "' cannot name a Java class";
		}
		return p;
	}

	/** {@code probe_vs_aer} -> {@code ProbeVsAer}. */
	static String camel(String name) {
		StringBuilder b = new StringBuilder();
		boolean up = true;
		for (char c : name.toCharArray()) {
			if (c == '_') {
				up = true;
				continue;
			}
			b.append(up ? Character.toUpperCase(c) : c);
			up = false;
		}
		return b.isEmpty() ? "Scenario" : b.toString();
	}

	/** A verdict id's tail as a method name: {@code race/a.cmd} -> {@code race_a_cmd}. */
	static String method(String id) {
		StringBuilder b = new StringBuilder();
		for (char c : id.toCharArray()) {
			b.append(Character.isLetterOrDigit(c) && c < 128 ? Character.toLowerCase(c) : '_');
		}
		String s = b.toString().replaceAll("_+", "_").replaceAll("^_|_$", "");
		if (s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0))) {
			s = "replay_" + s;
		}
		return KEYWORDS.contains(s) ? s + "_" : s.toLowerCase(Locale.ROOT);
	}

	/** A Java string literal. */
	static String string(String s) {
		StringBuilder b = new StringBuilder("\"");
		for (char c : s.toCharArray()) {
			switch (c) {
			case '"' -> b.append("\\\"");
			case '\\' -> b.append("\\\\");
			case '\n' -> b.append("\\n");
			case '\r' -> b.append("\\r");
			case '\t' -> b.append("\\t");
			default -> {
				if (c < 0x20 || c > 0x7e) {
					b.append(String.format("\\u%04x", (int) c));
				} else {
					b.append(c);
				}
			}
			}
		}
		return b.append('"').toString();
	}

	/** Text safe inside a Java comment: one line, ASCII, no unicode escapes, no comment end. */
	static String comment(String s) {
		StringBuilder b = new StringBuilder();
		for (char c : s.toCharArray()) {
			b.append(c == '\\' ? '/' : c < 0x20 || c > 0x7e ? ' ' : c);
		}
		return b.toString().replace("*/", "* /").replace("/*", "/ *").strip();
	}
}
