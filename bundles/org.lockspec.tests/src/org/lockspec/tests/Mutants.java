package org.lockspec.tests;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mutants of specs, to run through the tools (the fuzzer: MutationSmokeTest and
 * the prove slice in the tests, {@code bench/fuzz} for the long run). Each kind
 * is what a real file can hold: a typo (a token deleted, duplicated, swapped or
 * replaced, a keyword where a name goes), lines deleted, duplicated or swapped,
 * a file cut short, braces out of balance, deep nesting, a very long name,
 * bytes that are not UTF-8 or are NUL, CRLF and CR-only line ends, and specs
 * grown large (every op copied, a call duplicated). A mutant is bytes: not all
 * of them are text.
 */
public final class Mutants {

	public enum Kind {
		TOKENS, LINES, TRUNCATE, BRACES, NESTING, LONG_NAME, BAD_BYTES, LINE_ENDS, KEYWORD_NAME, GROWN
	}

	/** A mutant: its kind, and its bytes. */
	public record Mutant(Kind kind, byte[] bytes) {
		public String text() {
			return new String(bytes, StandardCharsets.UTF_8);
		}
	}

	private static final Pattern TOKEN = Pattern
			.compile("[A-Za-z_][A-Za-z0-9_]*|0[xX][0-9a-fA-F]+|[0-9]+|==>|==|!=|<=|>=|&&|\\|\\||\\.\\*|\\S");
	private static final Pattern NAME = Pattern.compile("\\b[a-z_][A-Za-z0-9_]*\\b");
	private static final String[] KEYWORDS = { "lock", "unlock", "list", "queue", "op", "field", "with", "if", "for",
			"spec", "scenario", "thread", "expect", "get", "put", "enter", "drain", "call", "read", "write", "in" };
	private static final String[] TOKENS = { "{", "}", "(", ")", ".", ",", ":", "==>", "&&", "!", "0x", "999999999999999999999",
			"-1", "null", "true", "forall", "new", "?", "\"", "//", "/*" };

	private Mutants() {
	}

	/** A mutant of {@code source} of a kind chosen by {@code random}. */
	public static Mutant of(String source, Random random) {
		Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
		return of(source, kind, random);
	}

	public static Mutant of(String source, Kind kind, Random random) {
		return switch (kind) {
		case TOKENS -> text(kind, tokens(source, random, 1 + random.nextInt(3)));
		case LINES -> text(kind, lines(source, random));
		case TRUNCATE -> text(kind, source.substring(0, random.nextInt(source.length() + 1)));
		case BRACES -> text(kind, insertAt(source, random, random.nextBoolean() ? "{" : "}"));
		case NESTING -> text(kind, nesting(source, random));
		case LONG_NAME -> text(kind, rename(source, random, "n".repeat(10_000 + random.nextInt(60_000))));
		case BAD_BYTES -> new Mutant(kind, badBytes(source, random));
		case LINE_ENDS -> text(kind, source.replace("\r\n", "\n").replace("\n", random.nextBoolean() ? "\r\n" : "\r"));
		case KEYWORD_NAME -> text(kind, rename(source, random, KEYWORDS[random.nextInt(KEYWORDS.length)]));
		case GROWN -> text(kind, grown(source, random));
		};
	}

	private static Mutant text(Kind kind, String text) {
		return new Mutant(kind, text.getBytes(StandardCharsets.UTF_8));
	}

	/** {@code times} token deletions, duplications, swaps or replacements. */
	public static String tokens(String source, Random random, int times) {
		String text = source;
		for (int t = 0; t < times; t++) {
			List<int[]> tokens = spans(TOKEN, text);
			if (tokens.isEmpty()) {
				break;
			}
			int[] a = tokens.get(random.nextInt(tokens.size()));
			int[] b = tokens.get(random.nextInt(tokens.size()));
			String ta = text.substring(a[0], a[1]);
			text = switch (random.nextInt(4)) {
			case 0 -> text.substring(0, a[0]) + text.substring(a[1]);
			case 1 -> text.substring(0, a[1]) + " " + ta + text.substring(a[1]);
			case 2 -> text.substring(0, a[0]) + TOKENS[random.nextInt(TOKENS.length)] + text.substring(a[1]);
			default -> swap(text, a, b);
			};
		}
		return text;
	}

	private static String swap(String text, int[] a, int[] b) {
		int[] first = a[0] < b[0] ? a : b;
		int[] second = a[0] < b[0] ? b : a;
		if (first[0] == second[0] || first[1] > second[0]) {
			return text;
		}
		return text.substring(0, first[0]) + text.substring(second[0], second[1]) + text.substring(first[1], second[0])
				+ text.substring(first[0], first[1]) + text.substring(second[1]);
	}

	private static String lines(String source, Random random) {
		List<String> lines = new ArrayList<>(List.of(source.split("\n", -1)));
		int i = random.nextInt(lines.size());
		int j = random.nextInt(lines.size());
		switch (random.nextInt(3)) {
		case 0 -> lines.remove(i);
		case 1 -> lines.add(i, lines.get(j));
		default -> {
			String x = lines.get(i);
			lines.set(i, lines.get(j));
			lines.set(j, x);
		}
		}
		return String.join("\n", lines);
	}

	private static String insertAt(String source, Random random, String what) {
		int at = random.nextInt(source.length() + 1);
		return source.substring(0, at) + what + source.substring(at);
	}

	/** An op body's first statement inside hundreds or thousands of nested blocks or parentheses. */
	private static String nesting(String source, Random random) {
		int depth = 200 + random.nextInt(3000);
		Matcher body = Pattern.compile("\\bop\\s+\\w+\\([^)]*\\)[^{]*\\{").matcher(source);
		if (random.nextBoolean() && body.find()) {
			String lock = firstLockName(source);
			String open = lock == null ? "if true { ".repeat(depth) : ("with " + lock + " { ").repeat(depth);
			int close = source.indexOf('\n', body.end());
			close = close < 0 ? source.length() : close;
			return source.substring(0, body.end()) + open + source.substring(body.end(), close) + " }".repeat(depth)
					+ source.substring(close);
		}
		return source + "\ninvariant deep_" + depth + ": " + "(".repeat(depth) + "true" + ")".repeat(depth) + "\n";
	}

	private static String firstLockName(String source) {
		Matcher m = Pattern.compile("(?m)^lock\\s+(\\w+)").matcher(source);
		return m.find() ? m.group(1) : null;
	}

	/** Every occurrence of one name renamed. */
	private static String rename(String source, Random random, String to) {
		List<int[]> names = spans(NAME, source);
		if (names.isEmpty()) {
			return source;
		}
		int[] n = names.get(random.nextInt(names.size()));
		String from = source.substring(n[0], n[1]);
		return source.replaceAll("\\b" + Pattern.quote(from) + "\\b", Matcher.quoteReplacement(to));
	}

	private static byte[] badBytes(String source, Random random) {
		byte[] bytes = source.getBytes(StandardCharsets.UTF_8);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int at = random.nextInt(bytes.length + 1);
		out.write(bytes, 0, at);
		byte[][] bad = { { 0 }, { (byte) 0xff }, { (byte) 0xc3 }, { (byte) 0xe2, (byte) 0x82 }, { (byte) 0xed, (byte) 0xa0,
				(byte) 0x80 }, { (byte) 0xef, (byte) 0xbb, (byte) 0xbf } };
		byte[] b = bad[random.nextInt(bad.length)];
		out.write(b, 0, b.length);
		out.write(bytes, at, bytes.length - at);
		return out.toByteArray();
	}

	/** Every op copied under new names, several times; or one call made twice. */
	private static String grown(String source, Random random) {
		Matcher call = Pattern.compile("(?m)^(\\s*)call [^\\n]*$").matcher(source);
		List<int[]> calls = new ArrayList<>();
		while (call.find()) {
			calls.add(new int[] { call.start(), call.end() });
		}
		if (!calls.isEmpty() && random.nextBoolean()) {
			int[] c = calls.get(random.nextInt(calls.size()));
			String line = source.substring(c[0], c[1]);
			return source.substring(0, c[1]) + "\n" + line + source.substring(c[1]);
		}
		List<int[]> ops = spans(Pattern.compile("(?ms)^op\\s+(\\w+).*?^\\}"), source);
		StringBuilder grown = new StringBuilder(source);
		int copies = 2 + random.nextInt(20);
		for (int k = 0; k < copies; k++) {
			for (int[] op : ops) {
				String text = source.substring(op[0], op[1]);
				grown.append("\n").append(text.replaceFirst("^op\\s+(\\w+)", "op $1_copy" + k));
			}
		}
		return grown.toString();
	}

	private static List<int[]> spans(Pattern p, String text) {
		List<int[]> out = new ArrayList<>();
		Matcher m = p.matcher(text);
		while (m.find()) {
			out.add(new int[] { m.start(), m.end() });
		}
		return out;
	}
}
