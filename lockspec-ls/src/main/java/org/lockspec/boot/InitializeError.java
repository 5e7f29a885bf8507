package org.lockspec.boot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/**
 * For a server that cannot start: answers the LSP client's first request, its
 * {@code initialize}, with an error carrying the reason (and shows the reason
 * with {@code window/showMessage}, which the protocol allows during
 * {@code initialize}), so that the editor says why instead of waiting.
 * Reads one message from stdin, for a few seconds at most, and nothing when
 * stdin is a terminal. Java 8 only: {@link Main} runs it on old JVMs.
 */
final class InitializeError {

	/** How long a client may take to send {@code initialize}. */
	private static final long WAIT_MILLIS = 5000;
	/** The largest first message read (an initialize request is a few kilobytes). */
	private static final int MAX_BYTES = 1 << 20;
	/** JSON-RPC's internal error. */
	private static final int CODE = -32603;

	private InitializeError() {
	}

	/** Reads the client's first request and, if it has an id, answers it with {@code message} as an error. */
	static void answer(String message) throws InterruptedException {
		if (System.console() != null) {
			return; // a person at a terminal, not an editor: the line on stderr says it
		}
		String id = topLevelId(firstMessage(System.in));
		if (id == null) {
			return;
		}
		try {
			write(System.out, "{\"jsonrpc\":\"2.0\",\"method\":\"window/showMessage\",\"params\":{\"type\":1,\"message\":"
					+ quote(message) + "}}");
			write(System.out, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":" + CODE + ",\"message\":"
					+ quote(message) + ",\"data\":{\"retry\":false}}}");
		} catch (IOException e) {
			// the client has gone: the line on stderr is all there is
		}
	}

	/** The body of the first message on {@code in}, waiting {@link #WAIT_MILLIS} at most; null if none came. */
	static String firstMessage(InputStream in) throws InterruptedException {
		AtomicReference<String> body = new AtomicReference<>();
		Thread reader = new Thread(() -> body.set(readMessage(in)), "lockspec-ls-initialize");
		reader.setDaemon(true);
		reader.start();
		reader.join(WAIT_MILLIS);
		return body.get();
	}

	/** One LSP message: headers ({@code Content-Length}), an empty line, the body; null if malformed or cut. */
	static String readMessage(InputStream in) {
		try {
			int length = -1;
			for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
				if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
					length = Integer.parseInt(header.substring(15).trim());
				}
			}
			if (length < 0 || length > MAX_BYTES) {
				return null;
			}
			byte[] bytes = new byte[length];
			for (int n = 0; n < length;) {
				int read = in.read(bytes, n, length - n);
				if (read < 0) {
					return null;
				}
				n += read;
			}
			return new String(bytes, StandardCharsets.UTF_8);
		} catch (IOException | NumberFormatException e) {
			return null;
		}
	}

	/** A header line without its CRLF; null at the end of the stream. */
	private static String line(InputStream in) throws IOException {
		ByteArrayOutputStream b = new ByteArrayOutputStream();
		for (int c = in.read(); c != '\n'; c = in.read()) {
			if (c < 0 || b.size() > MAX_BYTES) {
				return null;
			}
			if (c != '\r') {
				b.write(c);
			}
		}
		return new String(b.toByteArray(), StandardCharsets.US_ASCII);
	}

	/** The top-level {@code "id"} of a JSON object, as its JSON text (a number or a string); null if it has none. */
	static String topLevelId(String json) {
		if (json == null) {
			return null;
		}
		int depth = 0;
		for (int i = 0; i < json.length(); i++) {
			char c = json.charAt(i);
			if (c == '"') {
				int end = stringEnd(json, i);
				if (end < 0) {
					return null;
				}
				int colon = skipSpace(json, end + 1);
				if (depth == 1 && json.startsWith("\"id\"", i) && end == i + 3 && colon < json.length()
						&& json.charAt(colon) == ':') {
					return scalar(json, skipSpace(json, colon + 1));
				}
				i = end;
			} else if (c == '{' || c == '[') {
				depth++;
			} else if (c == '}' || c == ']') {
				depth--;
			}
		}
		return null;
	}

	/** The JSON string or number at {@code start}; null if it is neither. */
	private static String scalar(String json, int start) {
		if (start >= json.length()) {
			return null;
		}
		if (json.charAt(start) == '"') {
			int end = stringEnd(json, start);
			return end < 0 ? null : json.substring(start, end + 1);
		}
		int end = start;
		while (end < json.length() && "-+.eE0123456789".indexOf(json.charAt(end)) >= 0) {
			end++;
		}
		return end == start ? null : json.substring(start, end);
	}

	/** The index of the quote that closes the JSON string opened at {@code start}; -1 if it is not closed. */
	private static int stringEnd(String json, int start) {
		for (int i = start + 1; i < json.length(); i++) {
			char c = json.charAt(i);
			if (c == '\\') {
				i++;
			} else if (c == '"') {
				return i;
			}
		}
		return -1;
	}

	private static int skipSpace(String json, int i) {
		while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
			i++;
		}
		return i;
	}

	/** {@code s} as a JSON string. */
	static String quote(String s) {
		StringBuilder b = new StringBuilder("\"");
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			if (c == '"' || c == '\\') {
				b.append('\\').append(c);
			} else if (c < 0x20) {
				b.append(String.format("\\u%04x", (int) c));
			} else {
				b.append(c);
			}
		}
		return b.append('"').toString();
	}

	/** One LSP message: its Content-Length header, then the body. */
	private static void write(OutputStream out, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		out.write(("Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
		out.write(bytes);
		out.flush();
	}
}
