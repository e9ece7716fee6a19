package dev.bitnet.train.data;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.bitnet.core.config.TokenizerKind;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CorpusPreparerTest {

    private static final Encoding R50K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.R50K_BASE);

    @TempDir
    Path dir;

    private Path cache() {
        return dir.resolve("cache");
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private static int[] all(PreparedCorpus c) throws IOException {
        try (TokenDataset d = TokenDataset.open(c.trainShards())) {
            int[] t = new int[(int) d.size()];
            d.copy(0, t, 0, t.length);
            return t;
        }
    }

    private static int[] bytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return IntStream.range(0, b.length).map(i -> b[i] & 0xFF).toArray();
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }

    private PreparedCorpus prepare(TokenizerKind kind, Path... inputs) throws IOException {
        return CorpusPreparer.prepare(List.of(inputs), List.of(), 0, kind, cache());
    }

    @Test
    void plainTextAsBytesWithNewlineBetweenFiles() throws IOException {
        String a = Europarl.text(3000);
        String b = "Zweite Datei: Grüße, 東京, 🙂";
        PreparedCorpus c = prepare(TokenizerKind.BYTES, write("a.txt", a), write("b.txt", b));

        assertThat(all(c)).containsExactly(concat(bytes(a), new int[] {'\n'}, bytes(b)));
        assertThat(c.trainTokens()).isEqualTo(all(c).length);
        assertThat(c.hasValidation()).isFalse();
    }

    @Test
    void plainTextAsGpt2WithEndOfTextBetweenFiles() throws IOException {
        String a = Europarl.text(3000);
        String b = "The text <|endoftext|> is ordinary text here.\r\n  Indented line.\n";
        PreparedCorpus c = prepare(TokenizerKind.GPT2, write("a.txt", a), write("b.txt", b));

        int[] expected = concat(R50K.encodeOrdinary(a).toArray(), new int[] {50256}, R50K.encodeOrdinary(b).toArray());
        assertThat(all(c)).containsExactly(expected);
    }

    /** Chunked encoding must give exactly the tokens of the whole text. */
    @Test
    void chunkedGpt2EncodingEqualsWholeText() throws IOException {
        String text = Europarl.text(60_000)
                + "tail\r\nwith CRLF\r\n\r\nparagraphs\n\n\nand  \n spaces\n\tand tabs\n";
        text = text.replace("(", "\r\n(");
        DocumentEncoder enc = DocumentEncoder.of(TokenizerKind.GPT2);
        for (int chunk : new int[] {1, 4096}) {
            Utf8Input in = new Utf8Input(new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "t", chunk);
            StringBuilder joined = new StringBuilder();
            IntStream.Builder tokens = IntStream.builder();
            int chunks = 0;
            for (String s = in.nextChunk(); s != null; s = in.nextChunk()) {
                joined.append(s);
                Arrays.stream(enc.encode(s)).forEach(tokens::add);
                chunks++;
            }
            assertThat(chunks).isGreaterThan(10);
            assertThat(joined.toString()).isEqualTo(text);
            assertThat(tokens.build().toArray()).containsExactly(R50K.encodeOrdinary(text).toArray());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gz", "bz2", "xz", "zst"})
    void readsCompressedText(String format) throws IOException {
        String text = Europarl.text(40_000);
        Path p = dir.resolve("corpus.txt." + format);
        try (OutputStream out = compress(format, Files.newOutputStream(p))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(Files.size(p)).isLessThan(text.length() * 3L / 4); // really compressed

        assertThat(all(prepare(TokenizerKind.BYTES, p))).containsExactly(bytes(text));
        assertThat(all(prepare(TokenizerKind.GPT2, p))).containsExactly(R50K.encodeOrdinary(text).toArray());
    }

    private static OutputStream compress(String format, OutputStream raw) throws IOException {
        return switch (format) {
            case "gz" -> new GzipCompressorOutputStream(raw);
            case "bz2" -> new BZip2CompressorOutputStream(raw);
            case "xz" -> new XZCompressorOutputStream(raw);
            case "zst" -> new ZstdCompressorOutputStream(raw);
            default -> throw new IllegalArgumentException(format);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"gz", "bz2", "xz", "zst"})
    void rejectsCorruptArchivesNamingTheFile(String format) throws IOException {
        String text = Europarl.text(100_000);
        Path good = dir.resolve("good.txt." + format);
        try (OutputStream out = compress(format, Files.newOutputStream(good))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        byte[] b = Files.readAllBytes(good);

        Path truncated = dir.resolve("truncated.txt." + format);
        Files.write(truncated, Arrays.copyOf(b, b.length / 2));
        assertThatThrownBy(() -> prepare(TokenizerKind.BYTES, truncated)).isInstanceOf(CorpusException.class)
                .hasMessageContaining(truncated.toString());

        Path garbage = dir.resolve("garbage.txt." + format);
        Files.write(garbage, bytes2(text.substring(0, 2000)));
        assertThatThrownBy(() -> prepare(TokenizerKind.BYTES, garbage)).isInstanceOf(CorpusException.class)
                .hasMessageContaining(garbage.toString());
        assertNoShardLeft();
    }

    private static byte[] bytes2(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void assertNoShardLeft() throws IOException {
        if (Files.exists(cache())) {
            try (Stream<Path> s = Files.walk(cache())) {
                assertThat(s.filter(Files::isRegularFile).toList()).isEmpty();
            }
        }
    }

    @Test
    void walksDirectoriesRecursivelyInSortedOrder() throws IOException {
        Path root = dir.resolve("corpus");
        write("corpus/b/2.txt", "two");
        write("corpus/a.txt", "one");
        write("corpus/b/10.jsonl", "{\"text\": \"ten\"}\n");
        write("corpus/README.md", "not a corpus file");
        write("corpus/.hidden/x.txt", "hidden");
        write("corpus/.y.txt", "hidden");

        PreparedCorpus c = CorpusPreparer.prepare(List.of(root), List.of(), 0, TokenizerKind.BYTES, root.resolve("cache"));
        assertThat(new String(toBytes(all(c)), StandardCharsets.UTF_8)).isEqualTo("one\nten\ntwo");

        // The cache inside the walked folder is not read back as input.
        PreparedCorpus again = CorpusPreparer.prepare(List.of(root), List.of(), 0, TokenizerKind.BYTES, root.resolve("cache"));
        assertThat(again.trainShards()).isEqualTo(c.trainShards());
    }

    private static byte[] toBytes(int[] t) {
        byte[] b = new byte[t.length];
        for (int i = 0; i < t.length; i++) {
            b[i] = (byte) t[i];
        }
        return b;
    }

    @Test
    void readsJsonlTextFields() throws IOException {
        Path p = write("docs.jsonl", """
                {"id": 1, "text": "First \\"doc\\"\\nwith a newline."}

                {"text": "Zweites Dokument: Grüße", "meta": {"lang": "de"}}
                {"text": ""}
                {"text": "third"}
                """);
        PreparedCorpus bytes = prepare(TokenizerKind.BYTES, p);
        assertThat(new String(toBytes(all(bytes)), StandardCharsets.UTF_8))
                .isEqualTo("First \"doc\"\nwith a newline.\nZweites Dokument: Grüße\nthird");

        PreparedCorpus gpt2 = prepare(TokenizerKind.GPT2, p);
        assertThat(all(gpt2)).containsExactly(concat(R50K.encodeOrdinary("First \"doc\"\nwith a newline.").toArray(),
                new int[] {50256}, R50K.encodeOrdinary("Zweites Dokument: Grüße").toArray(),
                new int[] {50256}, R50K.encodeOrdinary("third").toArray()));
    }

    @Test
    void usesTokenShardsInPlace() throws IOException {
        Path shard = dir.resolve("fineweb_train_000001.bin");
        TokenShard.write(shard, new int[] {50256, 464, 2068, 50256, 7586});
        Path text = write("z.txt", "fox");

        PreparedCorpus c = prepare(TokenizerKind.GPT2, shard, text);
        assertThat(c.trainShards().getFirst()).isEqualTo(shard);
        assertThat(all(c)).containsExactly(concat(new int[] {50256, 464, 2068, 50256, 7586}, R50K.encodeOrdinary("fox").toArray()));

        assertThatThrownBy(() -> prepare(TokenizerKind.BYTES, shard)).isInstanceOf(CorpusException.class)
                .hasMessageContaining(shard.toString()).hasMessageContaining("token 0 is 50256");
    }

    @Test
    void reusesCachedShardsAndRedoesThemWhenAnInputChanges() throws IOException {
        Path a = write("a.txt", Europarl.text(20_000));
        PreparedCorpus first = prepare(TokenizerKind.GPT2, a);
        Path shard = first.trainShards().getFirst();
        assertThat(shard).startsWith(cache());
        FileTime written = Files.getLastModifiedTime(shard);
        Files.setLastModifiedTime(shard, FileTime.fromMillis(written.toMillis() - 60_000));
        FileTime marked = Files.getLastModifiedTime(shard);

        PreparedCorpus second = prepare(TokenizerKind.GPT2, a);
        assertThat(second).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(shard)).isEqualTo(marked); // not rewritten

        PreparedCorpus bytes = prepare(TokenizerKind.BYTES, a);
        assertThat(bytes.trainShards()).doesNotContainAnyElementsOf(first.trainShards());

        Files.writeString(a, "changed");
        PreparedCorpus changed = prepare(TokenizerKind.GPT2, a);
        assertThat(changed.trainShards()).doesNotContainAnyElementsOf(first.trainShards());
        assertThat(changed.trainTokens()).isEqualTo(R50K.encodeOrdinary("changed").size());
    }

    @Test
    void holdsOutTheTailOfTheTrainingTokens() throws IOException {
        String text = Europarl.text(50_000);
        PreparedCorpus c = CorpusPreparer.prepare(List.of(write("a.txt", text)), List.of(), 0.01, TokenizerKind.BYTES, cache());
        int n = text.getBytes(StandardCharsets.UTF_8).length;
        assertThat(c.valTokens()).isEqualTo((long) Math.floor(n * 0.01));
        assertThat(c.trainTokens() + c.valTokens()).isEqualTo(n);
        try (TokenDataset train = c.openTrain(); TokenDataset val = c.openVal()) {
            assertThat(train.size()).isEqualTo(c.trainTokens());
            assertThat(val.size()).isEqualTo(c.valTokens());
            int[] tail = new int[(int) val.size()];
            val.copy(0, tail, 0, tail.length);
            assertThat(tail).containsExactly(Arrays.copyOfRange(bytes(text), (int) c.trainTokens(), n));
        }
    }

    @Test
    void readsSeparateValidationInputs() throws IOException {
        PreparedCorpus c = CorpusPreparer.prepare(List.of(write("train.txt", "training text")),
                List.of(write("val.txt", "held out")), 0, TokenizerKind.BYTES, cache());
        assertThat(c.trainTokens()).isEqualTo("training text".length());
        assertThat(c.valTokens()).isEqualTo("held out".length());
        assertThat(c.valOffset()).isZero();
        try (TokenDataset val = c.openVal()) {
            assertThat(val.get(0)).isEqualTo('h');
        }
        assertThatThrownBy(() -> CorpusPreparer.prepare(List.of(dir.resolve("train.txt")),
                List.of(dir.resolve("val.txt")), 0.01, TokenizerKind.BYTES, cache()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
    }

    @Test
    void rejectsEmptyCorpus() throws IOException {
        Path empty = write("empty.txt", "");
        assertThatThrownBy(() -> prepare(TokenizerKind.BYTES, empty)).isInstanceOf(CorpusException.class)
                .hasMessageContaining(empty.toString()).hasMessageContaining("no tokens");
        Path blank = write("blank.jsonl", "\n\n{\"text\": \"\"}\n");
        assertThatThrownBy(() -> prepare(TokenizerKind.GPT2, blank)).isInstanceOf(CorpusException.class)
                .hasMessageContaining(blank.toString()).hasMessageContaining("no tokens");
        Files.createDirectories(dir.resolve("nothing"));
        assertThatThrownBy(() -> prepare(TokenizerKind.GPT2, dir.resolve("nothing"))).isInstanceOf(CorpusException.class)
                .hasMessageContaining("nothing").hasMessageContaining("no corpus files");
    }

    @Test
    void rejectsInvalidUtf8WithTheByteOffset() throws IOException {
        byte[] ok = Europarl.text(100_000).getBytes(StandardCharsets.UTF_8);
        byte[] bad = Arrays.copyOf(ok, ok.length + 10);
        System.arraycopy(ok, 0, bad, 0, ok.length);
        bad[70_001] = (byte) 0xFF;
        Path p = dir.resolve("bad.txt");
        Files.write(p, bad);
        assertThatThrownBy(() -> prepare(TokenizerKind.BYTES, p)).isInstanceOf(CorpusException.class)
                .hasMessageContaining(p.toString()).hasMessageContaining("invalid UTF-8 at byte offset 70001");

        Path gz = dir.resolve("bad.txt.gz");
        try (OutputStream out = new GzipCompressorOutputStream(Files.newOutputStream(gz))) {
            out.write(bad);
        }
        assertThatThrownBy(() -> prepare(TokenizerKind.GPT2, gz)).isInstanceOf(CorpusException.class)
                .hasMessageContaining(gz.toString()).hasMessageContaining("byte offset 70001");

        Path cut = dir.resolve("cut.txt"); // a file ending inside a multi-byte character
        Files.write(cut, Arrays.copyOf("abcé".getBytes(StandardCharsets.UTF_8), 4));
        assertThatThrownBy(() -> prepare(TokenizerKind.BYTES, cut)).isInstanceOf(CorpusException.class)
                .hasMessageContaining("byte offset 3");
        assertNoShardLeft();
    }

    @Test
    void rejectsBadJsonlLinesWithFileAndLine() throws IOException {
        Path noText = write("a.jsonl", "{\"text\": \"ok\"}\n{\"text\": \"ok\"}\n{\"body\": \"no text\"}\n");
        assertThatThrownBy(() -> prepare(TokenizerKind.BYTES, noText)).isInstanceOf(CorpusException.class)
                .hasMessageContaining(noText + ":3:").hasMessageContaining("\"text\"");
        Path number = write("b.jsonl", "{\"text\": 5}\n");
        assertThatThrownBy(() -> prepare(TokenizerKind.BYTES, number)).isInstanceOf(CorpusException.class)
                .hasMessageContaining(number + ":1:");
        Path broken = write("c.jsonl", "{\"text\": \"ok\"}\r\n{\"text\": \"unterminated}\r\n");
        assertThatThrownBy(() -> prepare(TokenizerKind.BYTES, broken)).isInstanceOf(CorpusException.class)
                .hasMessageContaining(broken + ":2:").hasMessageContaining("invalid JSON");
        assertNoShardLeft();
    }

    @Test
    void rejectsMissingPathsAndBadShards() throws IOException {
        Path missing = dir.resolve("nope.txt");
        assertThatThrownBy(() -> prepare(TokenizerKind.BYTES, missing)).isInstanceOf(CorpusException.class)
                .hasMessageContaining("input not found").hasMessageContaining("nope.txt");
        Path notShard = write("data.bin", "plain text in a .bin file");
        assertThatThrownBy(() -> prepare(TokenizerKind.BYTES, notShard)).isInstanceOf(CorpusException.class)
                .hasMessageContaining(notShard.toString()).hasMessageContaining("not a token shard");
        Path gzShard = write("data.bin.gz", "x");
        assertThatThrownBy(() -> prepare(TokenizerKind.BYTES, gzShard)).isInstanceOf(CorpusException.class)
                .hasMessageContaining(gzShard.toString()).hasMessageContaining("decompress");
    }

    /** A failure after some shards were written leaves none of them behind. */
    @Test
    void failureLeavesNoShard() throws IOException {
        Path good = write("a.txt", Europarl.text(10_000));
        Path bad = write("b.jsonl", "{\"nope\": 1}\n");
        assertThatThrownBy(() -> prepare(TokenizerKind.BYTES, good, dir.resolve("shard.bin"), bad))
                .isInstanceOf(CorpusException.class);
        TokenShard.write(dir.resolve("shard.bin"), new int[] {1, 2});
        assertThatThrownBy(() -> prepare(TokenizerKind.BYTES, good, dir.resolve("shard.bin"), bad))
                .isInstanceOf(CorpusException.class).hasMessageContaining("b.jsonl:1:");
        assertNoShardLeft();
    }
}
