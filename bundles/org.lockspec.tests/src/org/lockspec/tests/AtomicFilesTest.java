package org.lockspec.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockspec.workspace.AtomicFiles;

/** Reports and diagrams are written whole, with the permissions a new file gets, or those of the file replaced. */
class AtomicFilesTest {

	@Test
	void aNewFileGetsTheUmasksPermissionsNotThoseOfATemporaryFile(@TempDir Path dir) throws IOException {
		Path plain = Files.createFile(dir.resolve("plain.txt"));
		Path written = dir.resolve("sub/report.html");
		AtomicFiles.write(written, "<html></html>\n");
		assertEquals("<html></html>\n", Files.readString(written));
		assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)),
				PosixFilePermissions.toString(Files.getPosixFilePermissions(written)),
				"as a file created by any other program (rw-r--r-- under umask 022), not a temporary file's rw-------");
		try (var s = Files.list(written.getParent())) {
			assertEquals(1, s.count(), "no temporary file is left behind");
		}
	}

	@Test
	void aReplacedFileKeepsItsPermissions(@TempDir Path dir) throws IOException {
		Path target = Files.writeString(dir.resolve("out.json"), "old");
		Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-rw-r--"));
		AtomicFiles.write(target, "new");
		assertEquals("new", Files.readString(target));
		assertEquals("rw-rw-r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
	}
}
