package dev.bitnet.train.data;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.bitnet.core.config.TokenizerKind;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Turns corpus inputs into llm.c token shards once, and finds them again the next time.
 *
 * <p>Inputs are files or directories (see {@link CorpusFiles}): plain UTF-8 text (a file is one
 * document), JSONL (each line a JSON object whose {@code text} string is one document; blank lines
 * are skipped), either optionally compressed ({@code .gz}, {@code .bz2}, {@code .xz}, {@code .zst}),
 * and llm.c token shards ({@code .bin}), which are used in place after checking their header and
 * that their tokens fit the tokenizer. Text is tokenized with {@link DocumentEncoder}: documents
 * are separated by {@code \n} for {@code bytes} and by {@code <|endoftext|>} for {@code gpt2}; no
 * separator is added next to a {@code .bin} shard (llm.c's shards already start each document
 * with {@code <|endoftext|>}).
 *
 * <p>Cache: the shards of one input list go to {@code cacheDir/<tokenizer>-<key>/}, where the key
 * hashes the tokenizer and every input file's absolute path, size and modification time. A
 * {@code manifest.tsv} written last (atomically) marks the entry complete; preparing the same
 * inputs again reads it and tokenizes nothing.
 */
public final class CorpusPreparer {

    /** Tokens per written shard: llm.c's FineWeb shard size. */
    public static final long SHARD_TOKENS = 100_000_000L;

    private static final String CACHE_VERSION = "bitnet-corpus 1";
    private static final String MANIFEST = "manifest.tsv";

    private CorpusPreparer() {}

    /**
     * Prepares training and validation tokens.
     *
     * @param trainInputs files or directories to train on (at least one)
     * @param valInputs   files or directories to validate on; empty to hold out a fraction instead
     * @param valFraction fraction of the training tokens held out for validation, taken from the end
     *                    (token-level tail split); in {@code [0, 1)}; must be 0 if {@code valInputs}
     *                    is not empty; 0 and no {@code valInputs} means no validation
     * @param kind        tokenizer
     * @param cacheDir    where tokenized shards are kept (created if missing)
     * @throws CorpusException for bad input, naming the file
     * @throws IllegalArgumentException for inconsistent arguments
     */
    public static PreparedCorpus prepare(List<Path> trainInputs, List<Path> valInputs, double valFraction,
                                         TokenizerKind kind, Path cacheDir) throws IOException {
        if (trainInputs.isEmpty()) {
            throw new IllegalArgumentException("no training inputs given");
        }
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new IllegalArgumentException("validation fraction " + valFraction + " is not in [0, 1)");
        }
        if (!valInputs.isEmpty() && valFraction > 0) {
            throw new IllegalArgumentException(
                    "give either validation inputs or a held-out validation fraction, not both");
        }
        Prepared train = prepareOne(trainInputs, kind, cacheDir, "training");
        if (!valInputs.isEmpty()) {
            Prepared val = prepareOne(valInputs, kind, cacheDir, "validation");
            return new PreparedCorpus(kind, train.files, train.shards, train.tokens, val.files, val.shards, 0,
                    val.tokens);
        }
        long valTokens = (long) Math.floor(train.tokens * valFraction);
        if (valFraction > 0 && valTokens == 0) {
            throw new CorpusException("training inputs " + trainInputs + " have only " + train.tokens
                    + " tokens: too few to hold out " + valFraction + " of them for validation");
        }
        long trainTokens = train.tokens - valTokens;
        return new PreparedCorpus(kind, train.files, train.shards, trainTokens, List.of(),
                valTokens > 0 ? train.shards : List.of(), trainTokens, valTokens);
    }

    /** The input files (directories expanded) and their token shards. */
    private record Prepared(List<Path> files, List<Path> shards, long tokens) {}

    /** A cache entry: token shards and their token count. */
    private record Shards(List<Path> shards, long tokens) {}

    private static Prepared prepareOne(List<Path> inputs, TokenizerKind kind, Path cacheDir, String role)
            throws IOException {
        List<Path> files = CorpusFiles.expand(inputs, cacheDir);
        Path entry = cacheDir.toAbsolutePath().normalize().resolve(kind.id() + "-" + key(files, kind));
        Shards cached = readManifest(entry.resolve(MANIFEST));
        if (cached == null) {
            Files.createDirectories(entry);
            try {
                cached = tokenize(files, kind, entry);
            } catch (IOException | RuntimeException e) {
                deleteIfEmpty(entry);
                throw e;
            }
        }
        if (cached.tokens == 0) {
            throw new CorpusException("the " + role + " inputs " + inputs + " hold no tokens (empty corpus)");
        }
        return new Prepared(files, cached.shards, cached.tokens);
    }

    private static void deleteIfEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException notEmpty) {
            // shards of an earlier, complete preparation stay
        }
    }

    private static String key(List<Path> files, TokenizerKind kind) throws IOException {
        StringBuilder s = new StringBuilder(CACHE_VERSION).append('\n').append(kind.id()).append('\n');
        for (Path f : files) {
            // FileTime's text keeps the file system's full precision (nanoseconds where it has them)
            s.append(f).append('\t').append(Files.size(f)).append('\t')
                    .append(Files.getLastModifiedTime(f)).append('\n');
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    /** The manifest's shards, or null if there is no complete entry (missing, or a shard changed). */
    private static Shards readManifest(Path manifest) throws IOException {
        if (!Files.isRegularFile(manifest)) {
            return null;
        }
        List<String> lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.getFirst().equals(CACHE_VERSION)) {
            return null;
        }
        List<Path> shards = new ArrayList<>();
        long tokens = 0;
        for (String line : lines.subList(1, lines.size())) {
            int tab = line.indexOf('\t');
            if (tab < 1) {
                return null;
            }
            long n;
            try {
                n = Long.parseLong(line.substring(0, tab));
            } catch (NumberFormatException e) {
                return null;
            }
            Path p = Path.of(line.substring(tab + 1));
            if (!Files.isRegularFile(p) || Files.size(p) != TokenShard.HEADER_BYTES + 2 * n) {
                return null;
            }
            shards.add(p);
            tokens += n;
        }
        return new Shards(shards, tokens);
    }

    private static Shards tokenize(List<Path> files, TokenizerKind kind, Path entry) throws IOException {
        DocumentEncoder encoder = DocumentEncoder.of(kind);
        List<Path> shards = new ArrayList<>();
        StringBuilder manifest = new StringBuilder(CACHE_VERSION).append('\n');
        int threads = Runtime.getRuntime().availableProcessors();
        try (ShardSequenceWriter out = new ShardSequenceWriter(entry, SHARD_TOKENS, encoder.separator(), shards);
             ParallelEncoder enc = new ParallelEncoder(encoder, out, threads, Utf8Input.CHUNK)) {
            for (Path f : files) {
                switch (CorpusFiles.kind(f)) {
                    case SHARD -> {
                        enc.flush();
                        out.endRun();
                        try (TokenShard s = TokenShard.open(f)) {
                            s.checkVocabulary(kind);
                        }
                        shards.add(f);
                    }
                    case TEXT -> readText(f, enc);
                    case JSONL -> readJsonl(f, enc);
                }
            }
            enc.flush();
            out.finish();
        }
        long tokens = 0;
        for (Path p : shards) {
            long n = (Files.size(p) - TokenShard.HEADER_BYTES) / 2;
            manifest.append(n).append('\t').append(p).append('\n');
            tokens += n;
        }
        Path tmp = Files.createTempFile(entry, "." + MANIFEST + ".", ".tmp");
        Files.writeString(tmp, manifest);
        Files.move(tmp, entry.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new Shards(shards, tokens);
    }

    private static void readText(Path f, ParallelEncoder enc) throws IOException {
        try (InputStream in = CorpusFiles.open(f)) {
            Utf8Input text = new Utf8Input(in, f.toString());
            boolean first = true;
            for (String chunk = text.nextChunk(); chunk != null; chunk = text.nextChunk()) {
                enc.add(chunk, first);
                first = false;
            }
        }
    }

    private static void readJsonl(Path f, ParallelEncoder enc) throws IOException {
        try (InputStream in = CorpusFiles.open(f)) {
            Utf8Input text = new Utf8Input(in, f.toString());
            long lineNo = 0;
            for (String line = text.nextLine(); line != null; line = text.nextLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonElement json;
                try {
                    json = JsonParser.parseString(line);
                } catch (JsonParseException e) {
                    throw new CorpusException(f + ":" + lineNo + ": invalid JSON: " + e.getMessage(), e);
                }
                JsonElement t = json.isJsonObject() ? json.getAsJsonObject().get("text") : null;
                if (t == null || !t.isJsonPrimitive() || !t.getAsJsonPrimitive().isString()) {
                    throw new CorpusException(f + ":" + lineNo + ": expected a JSON object with a \"text\" string field");
                }
                enc.add(t.getAsString(), true);
            }
        }
    }
}
