package org.lockspec.workspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Files the tools write: never half-written, and with the permissions any
 * other new file gets (the umask's: 0644 under the usual 022), or those of the
 * file they replace.
 */
public final class AtomicFiles {

	private AtomicFiles() {
	}

	/** Writes {@code content} to a temporary file beside {@code target}, then moves it over the target. */
	public static void write(Path target, String content) throws IOException {
		Path dir = target.toAbsolutePath().getParent();
		if (dir != null) {
			Files.createDirectories(dir);
		}
		Path tmp = newFileBeside(target);
		try {
			Files.writeString(tmp, content, StandardCharsets.UTF_8);
			keepPermissions(target, tmp);
			Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		} finally {
			Files.deleteIfExists(tmp);
		}
	}

	/**
	 * An empty file of a fresh name in {@code target}'s directory, created as
	 * any file is (not as {@link Files#createTempFile}, which makes it 0600).
	 */
	private static Path newFileBeside(Path target) throws IOException {
		Path dir = target.toAbsolutePath().getParent();
		for (int attempt = 0;; attempt++) {
			Path tmp = dir.resolve(".lockspec-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
			try {
				return Files.createFile(tmp);
			} catch (FileAlreadyExistsException e) {
				if (attempt >= 100) {
					throw e;
				}
			}
		}
	}

	/** A file that replaces another keeps the other's permissions, as a file written in place would. */
	private static void keepPermissions(Path target, Path tmp) throws IOException {
		PosixFileAttributeView old = Files.getFileAttributeView(target, PosixFileAttributeView.class);
		if (old != null && Files.isRegularFile(target)) {
			Files.setPosixFilePermissions(tmp, old.readAttributes().permissions());
		}
	}
}
