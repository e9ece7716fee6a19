package dev.bitnet.train.data;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingType;
import dev.bitnet.core.config.TokenizerKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Rolling over shards, and parallel encoding writing the same tokens as sequential encoding. */
class ShardSequenceWriterTest {

    @TempDir
    Path dir;

    @Test
    void rollsOverAtTheShardSizeWithSeparatorsBetweenDocuments() throws IOException {
        List<Path> shards = new ArrayList<>();
        try (ShardSequenceWriter w = new ShardSequenceWriter(dir, 1_000, 9, shards)) {
            w.beginDocument();
            w.add(IntStream.range(0, 1_500).map(i -> i % 8).toArray());
            w.beginDocument();
            w.add(new int[0]); // an empty document adds no separator
            w.beginDocument();
            w.add(IntStream.range(0, 999).map(i -> i % 8).toArray());
            w.finish();
        }
        assertThat(shards).extracting(p -> p.getFileName().toString())
                .containsExactly("shard-00000.bin", "shard-00001.bin", "shard-00002.bin");
        try (TokenDataset d = TokenDataset.open(shards)) {
            assertThat(d.size()).isEqualTo(1_500 + 1 + 999);
            assertThat(d.get(1_499)).isEqualTo(1_499 % 8);
            assertThat(d.get(1_500)).isEqualTo(9);
            assertThat(d.get(1_501)).isEqualTo(0);
        }
        try (TokenShard last = TokenShard.open(shards.get(2))) {
            assertThat(last.size()).isEqualTo(500);
        }
    }

    @Test
    void parallelEncodingKeepsTheInputOrder() throws IOException {
        List<String> lines = Europarl.lines(60_000);
        DocumentEncoder encoder = DocumentEncoder.of(TokenizerKind.GPT2);
        List<Path> shards = new ArrayList<>();
        try (ShardSequenceWriter w = new ShardSequenceWriter(dir, 1_000_000, 50256, shards);
             ParallelEncoder enc = new ParallelEncoder(encoder, w, 4, 2_000)) {
            for (int i = 0; i < lines.size(); i++) {
                enc.add(lines.get(i), i % 3 == 0); // every third line starts a document
            }
            enc.flush();
            w.finish();
        }
        var r50k = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.R50K_BASE);
        IntStream.Builder expected = IntStream.builder();
        for (int i = 0; i < lines.size(); i++) {
            if (i % 3 == 0 && i > 0) {
                expected.add(50256);
            }
            Arrays.stream(r50k.encodeOrdinary(lines.get(i)).toArray()).forEach(expected::add);
        }
        try (TokenDataset d = TokenDataset.open(shards)) {
            int[] got = new int[(int) d.size()];
            d.copy(0, got, 0, got.length);
            assertThat(got).containsExactly(expected.build().toArray());
        }
    }
}
