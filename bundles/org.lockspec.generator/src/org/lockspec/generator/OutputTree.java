package org.lockspec.generator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes generated files safely: only below the output directories (no
 * {@code ..}, no absolute paths, never through a symbolic link), and all or
 * nothing: every file is first written into a staging directory beside its
 * target, and only when all are written are they moved into place. A failure
 * before that leaves the output directories as they were.
 */
public final class OutputTree {

	private OutputTree() {
	}

	/** Writes {@code output}'s main files below {@code mainDir} and its tests below {@code testDir} (may be the same). */
	public static void write(JavaGenerator.Output output, Path mainDir, Path testDir) throws GenerationException {
		List<Staged> staged = new ArrayList<>();
		List<Path> stagingDirs = new ArrayList<>();
		try {
			Path main = prepare(mainDir);
			Path test = testDir.equals(mainDir) ? main : prepare(testDir);
			Path mainStage = staging(main, stagingDirs);
			Path testStage = test.equals(main) ? mainStage : staging(test, stagingDirs);
			for (JavaGenerator.GeneratedFile f : output.main()) {
				staged.add(stage(f, main, mainStage));
			}
			for (JavaGenerator.GeneratedFile f : output.test()) {
				staged.add(stage(f, test, testStage));
			}
			for (Staged s : staged) {
				checkTarget(s.root(), s.target());
				Files.createDirectories(s.target().getParent());
				Files.move(s.staged(), s.target(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			}
		} catch (IOException e) {
			throw new GenerationException("cannot write the generated files: " + e);
		} finally {
			for (Path d : stagingDirs) {
				deleteTree(d);
			}
		}
	}

	private record Staged(Path root, Path staged, Path target) {
	}

	private static Path prepare(Path dir) throws GenerationException, IOException {
		if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir)) {
			throw new GenerationException(dir + ": the output directory is a file");
		}
		Files.createDirectories(dir);
		return dir.toRealPath();
	}

	private static Path staging(Path root, List<Path> dirs) throws IOException {
		Path d = Files.createTempDirectory(root, ".lockspec-staging-");
		dirs.add(d);
		return d;
	}

	private static Staged stage(JavaGenerator.GeneratedFile f, Path root, Path stage)
			throws GenerationException, IOException {
		Path rel = Path.of(f.path());
		if (rel.isAbsolute() || rel.normalize().startsWith("..") || !rel.normalize().equals(rel) || f.path().contains("\\")) {
			throw new GenerationException(f.path() + ": refusing to write outside the output directory");
		}
		Path target = root.resolve(rel);
		checkTarget(root, target);
		Path staged = stage.resolve(rel);
		Files.createDirectories(staged.getParent());
		try {
			Files.writeString(staged, f.content(), StandardCharsets.UTF_8);
		} catch (FileAlreadyExistsException e) {
			throw new GenerationException(f.path() + ": generated twice");
		}
		return new Staged(root, staged, target);
	}

	/** The target and every directory between it and the root exist as real files and directories, or not at all. */
	private static void checkTarget(Path root, Path target) throws GenerationException {
		if (!target.normalize().startsWith(root)) {
			throw new GenerationException(target + ": refusing to write outside the output directory " + root);
		}
		for (Path p = target; p != null && !p.equals(root); p = p.getParent()) {
			if (Files.isSymbolicLink(p)) {
				throw new GenerationException(p + ": is a symbolic link; refusing to write through it");
			}
			if (p != target && Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
				throw new GenerationException(p + ": is a file where the generated package needs a directory");
			}
		}
		if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
			throw new GenerationException(target + ": is a directory where a generated file goes");
		}
	}

	private static void deleteTree(Path dir) {
		if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		try (Stream<Path> s = Files.walk(dir)) {
			for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(p);
			}
		} catch (IOException e) {
			// best effort: a staging directory left behind holds no output
		}
	}
}
