package org.lockspec.workspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Files the tools write: never half-written. */
public final class AtomicFiles {

	private AtomicFiles() {
	}

	/** Writes {@code content} to a temporary file beside {@code target}, then moves it over the target. */
	public static void write(Path target, String content) throws IOException {
		Path dir = target.toAbsolutePath().getParent();
		if (dir != null) {
			Files.createDirectories(dir);
		}
		Path tmp = Files.createTempFile(dir, ".lockspec-", ".tmp");
		try {
			Files.writeString(tmp, content, StandardCharsets.UTF_8);
			Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		} finally {
			Files.deleteIfExists(tmp);
		}
	}
}
