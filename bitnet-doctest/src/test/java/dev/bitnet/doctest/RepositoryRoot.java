package dev.bitnet.doctest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The repository checkout whose README and docs are checked: the parent of this module. */
final class RepositoryRoot {

    private RepositoryRoot() {
    }

    /**
     * The directory holding README.md, docs/ and the {@code bitnet} launcher, found from Maven's
     * {@code basedir} (this module) or the working directory, walking up.
     *
     * @throws IllegalStateException naming the directories searched when there is none
     */
    static Path find() {
        List<Path> tried = new ArrayList<>();
        for (String start : new String[] {System.getProperty("basedir"), System.getProperty("user.dir")}) {
            if (start == null) {
                continue;
            }
            for (Path p = Path.of(start).toAbsolutePath().normalize(); p != null; p = p.getParent()) {
                if (Files.isRegularFile(p.resolve("README.md")) && Files.isRegularFile(p.resolve("bitnet"))
                        && Files.isDirectory(p.resolve("docs")) && Files.isDirectory(p.resolve("bitnet-doctest"))) {
                    return p;
                }
                tried.add(p);
            }
        }
        throw new IllegalStateException("no repository root (a directory with README.md, docs/, bitnet and bitnet-doctest/)"
                + " at or above basedir/user.dir; searched " + tried);
    }

    /** README.md and every docs/*.md, README first, then by name. */
    static List<Path> markdownFiles(Path root) {
        List<Path> files = new ArrayList<>();
        files.add(root.resolve("README.md"));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root.resolve("docs"), e);
        }
        return files;
    }
}
