package dev.bitnet.train.data;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Finding and opening corpus files.
 *
 * <p>A path given by the user is used whatever its name. A directory is walked recursively in
 * sorted path order (so the token order is reproducible); in it, only corpus-looking files are
 * taken: names ending in {@code .txt}, {@code .text}, {@code .jsonl} or {@code .bin}, optionally
 * followed by {@code .gz}, {@code .bz2}, {@code .xz} or {@code .zst}. Hidden files and folders (name
 * starting with a dot) and the cache folder are skipped.
 */
final class CorpusFiles {

    /** How a file's content is read. */
    enum Kind {
        /** Plain UTF-8 text: the whole file is one document. */
        TEXT,
        /** One JSON object per line; its {@code text} field is one document. */
        JSONL,
        /** An llm.c token shard, used as it is. */
        SHARD
    }

    private static final List<String> COMPRESSIONS = List.of(".gz", ".bz2", ".xz", ".zst");
    private static final List<String> CORPUS_SUFFIXES = List.of(".txt", ".text", ".jsonl", ".bin");

    private CorpusFiles() {}

    /**
     * The files named by {@code inputs}, directories expanded (sorted, hidden files and the
     * token cache skipped).
     *
     * @throws CorpusException naming the input that is missing or holds no corpus files
     */
    static List<Path> expand(List<Path> inputs, Path cacheDir) throws IOException {
        Path cache = cacheDir.toAbsolutePath().normalize();
        List<Path> files = new ArrayList<>();
        for (Path input : inputs) {
            Path p = input.toAbsolutePath().normalize();
            if (Files.isDirectory(p)) {
                List<Path> found;
                try (Stream<Path> walk = Files.walk(p)) {
                    found = walk.filter(f -> !f.startsWith(cache) && !hidden(p, f))
                            .filter(Files::isRegularFile)
                            .filter(f -> CORPUS_SUFFIXES.stream().anyMatch(s -> baseName(f).endsWith(s)))
                            .sorted(Comparator.comparing(Path::toString))
                            .toList();
                }
                if (found.isEmpty()) {
                    throw new CorpusException("directory " + input + " holds no corpus files (*.txt, *.text, "
                            + "*.jsonl, *.bin, optionally .gz/.bz2/.xz/.zst)");
                }
                files.addAll(found);
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else if (Files.exists(p)) {
                throw new CorpusException("input is neither a file nor a directory: " + input);
            } else {
                throw new CorpusException("input not found: " + input);
            }
        }
        return files;
    }

    private static boolean hidden(Path root, Path f) {
        for (Path part : root.relativize(f)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** The file name without a compression suffix, lower case. */
    static String baseName(Path f) {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        for (String c : COMPRESSIONS) {
            if (n.endsWith(c)) {
                return n.substring(0, n.length() - c.length());
            }
        }
        return n;
    }

    /** How to read {@code f}, from its name. */
    static Kind kind(Path f) throws CorpusException {
        String base = baseName(f);
        if (base.endsWith(".bin")) {
            if (!base.equals(f.getFileName().toString().toLowerCase(Locale.ROOT))) {
                throw new CorpusException(f + ": compressed token shards cannot be mapped; decompress it first");
            }
            return Kind.SHARD;
        }
        return base.endsWith(".jsonl") ? Kind.JSONL : Kind.TEXT;
    }

    /** The decompressed content of {@code f}, chosen by its suffix. */
    static InputStream open(Path f) throws IOException {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        InputStream raw = new BufferedInputStream(Files.newInputStream(f), 1 << 16);
        try {
            if (n.endsWith(".gz")) {
                return GzipCompressorInputStream.builder().setInputStream(raw).setDecompressConcatenated(true).get();
            } else if (n.endsWith(".bz2")) {
                return new BZip2CompressorInputStream(raw, true);
            } else if (n.endsWith(".xz")) {
                return new XZCompressorInputStream(raw, true);
            } else if (n.endsWith(".zst")) {
                return new ZstdCompressorInputStream(raw);
            }
            return raw;
        } catch (IOException | RuntimeException e) {
            raw.close();
            String format = n.substring(n.lastIndexOf('.') + 1);
            throw new CorpusException(f + ": not a valid ." + format + " file: " + e.getMessage(), e);
        }
    }
}
