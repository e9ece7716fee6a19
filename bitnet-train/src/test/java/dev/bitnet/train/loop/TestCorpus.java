package dev.bitnet.train.loop;

import dev.bitnet.core.config.TokenizerKind;
import dev.bitnet.train.data.CorpusPreparer;
import dev.bitnet.train.data.Europarl;
import dev.bitnet.train.data.PreparedCorpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Real prose for training tests: the {@link Europarl} sample as a file and as prepared shards. */
public final class TestCorpus {

    private TestCorpus() {
    }

    /** Writes about {@code chars} characters of whole lines to {@code dir/europarl.txt}. */
    public static Path write(Path dir, int chars) throws IOException {
        Path file = dir.resolve("europarl.txt");
        Files.writeString(file, Europarl.text(chars));
        return file;
    }

    /** Byte-tokenized shards of {@code text}, the last 10 % held out for validation. */
    public static PreparedCorpus prepare(Path text, Path cache) throws IOException {
        return CorpusPreparer.prepare(List.of(text), List.of(), 0.1, TokenizerKind.BYTES, cache);
    }
}
