package org.lockspec.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** What the entry point does on a JVM too old for the server, piece by piece (LauncherIT runs it whole). */
class InitializeErrorTest {

	@Test
	void theFeatureReleaseOfEveryVersionScheme() {
		assertEquals(8, Main.feature("1.8"));
		assertEquals(11, Main.feature("11"));
		assertEquals(17, Main.feature("17"));
		assertEquals(21, Main.feature("21"));
		assertEquals(25, Main.feature("25-ea"));
		assertEquals(0, Main.feature("unknown"));
	}

	@Test
	void theReasonIsOneLineThatSaysWhatToDo() {
		String message = Main.tooOld("17", "/usr/lib/jvm/java-17-openjdk-amd64");
		assertTrue(message.startsWith("lockspec-ls needs Java 21 or newer; found 17 (/usr/lib/jvm/java-17-openjdk-amd64)"),
				message);
		assertTrue(message.contains("lockspec-ls"), message);
		assertFalse(message.contains("\n"), message);
	}

	@Test
	void theIdIsTheRequestsNotOneInsideItsParams() {
		assertEquals("1", InitializeError.topLevelId(
				"{\"jsonrpc\":\"2.0\",\"params\":{\"id\":7,\"clientInfo\":{\"name\":\"nvim\"}},\"id\":1,\"method\":\"initialize\"}"));
		assertEquals("\"a\\\"b\"", InitializeError.topLevelId("{ \"method\" : \"initialize\", \"id\" : \"a\\\"b\" }"));
		assertEquals("42", InitializeError.topLevelId("{\"params\":[{\"id\":3}],\"x\":\"id\",\"id\":42}"));
		assertNull(InitializeError.topLevelId("{\"method\":\"initialized\",\"params\":{\"id\":1}}"), "a notification");
		assertNull(InitializeError.topLevelId("{\"id\":"), "cut short");
		assertNull(InitializeError.topLevelId(null));
	}

	@Test
	void aMessageIsReadByItsContentLength() {
		String body = "{\"id\":1,\"method\":\"initialize\",\"params\":{\"rootUri\":\"file:///tmp/é\"}}";
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		String framed = "Content-Length: " + bytes.length + "\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n";
		byte[] all = (framed + body + "Content-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.UTF_8);
		assertEquals(body, InitializeError.readMessage(new ByteArrayInputStream(all)));
		assertNull(InitializeError.readMessage(new ByteArrayInputStream("Content-Length: 10\r\n\r\n{}".getBytes())),
				"cut short");
		assertNull(InitializeError.readMessage(new ByteArrayInputStream(new byte[0])), "nothing");
		assertNull(InitializeError.readMessage(new ByteArrayInputStream("Content-Length: x\r\n\r\n".getBytes())));
	}

	@Test
	void theReasonIsQuotedAsJson() {
		assertEquals("\"a \\\"b\\\" c\\\\d\\u000a\"", InitializeError.quote("a \"b\" c\\d\n"));
	}
}
