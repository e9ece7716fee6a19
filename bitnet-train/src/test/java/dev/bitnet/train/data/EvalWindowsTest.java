package dev.bitnet.train.data;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import dev.bitnet.core.config.TokenizerKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EvalWindowsTest {

    @TempDir
    Path dir;

    @Test
    void sequentialWindowsCoverTheDataOnce() throws IOException {
        TokenShard.write(dir.resolve("v.bin"), IntStream.range(0, 1_000).map(i -> i % 256).toArray());
        try (TokenDataset d = TokenDataset.open(List.of(dir.resolve("v.bin")))) {
            EvalWindows w = new EvalWindows(d, 10, 1_000, TokenizerKind.BYTES);
            assertThat(w.count()).isEqualTo(99); // (1000 - 1) / 10
            assertThat(w.batchCount(40)).isEqualTo(3);
            EvalBatch last = w.batch(2, 40);
            assertThat(last.rows()).isEqualTo(19);
            assertThat(last.tokens()).hasSize(19 * 11);
            // window 80 starts at token 800
            assertThat(Arrays.copyOf(last.tokens(), 11)).containsExactly(IntStream.range(800, 811).map(i -> i % 256).toArray());
            assertThat(last.targetBytes()).containsOnly(10L);
            assertThat(w.totalTargetBytes()).isEqualTo(990);
            assertThatThrownBy(() -> w.batch(3, 40)).isInstanceOf(IndexOutOfBoundsException.class);

            EvalWindows bounded = new EvalWindows(d, 10, 5, TokenizerKind.BYTES);
            assertThat(bounded.count()).isEqualTo(5);
            assertThat(bounded.batch(0, 8).rows()).isEqualTo(5);

            assertThatThrownBy(() -> new EvalWindows(d, 1_000, 5, TokenizerKind.BYTES))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1000 tokens");
        }
    }

    /** For gpt2 the target bytes are the length of the UTF-8 bytes the targets decode to (separator = 1 byte). */
    @Test
    void gpt2TargetBytesAreTheDecodedUtf8Length() throws IOException {
        Encoding r50k = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.R50K_BASE);
        String a = Europarl.text(5_000);
        String b = "Grüße aus 東京 🙂";
        Path pa = dir.resolve("a.txt");
        Path pb = dir.resolve("b.txt");
        java.nio.file.Files.writeString(pa, a);
        java.nio.file.Files.writeString(pb, b);
        PreparedCorpus c = CorpusPreparer.prepare(List.of(pa, pb), List.of(), 0, TokenizerKind.GPT2, dir.resolve("cache"));
        try (TokenDataset d = c.openTrain()) {
            int ctx = 64;
            EvalWindows w = new EvalWindows(d, ctx, 10_000, TokenizerKind.GPT2);
            int covered = w.count() * ctx;
            int[] targets = new int[covered];
            d.copy(1, targets, 0, covered);
            long expected = 0;
            IntArrayList text = new IntArrayList();
            for (int t : targets) {
                if (t == 50256) {
                    expected += 1;
                } else {
                    text.add(t);
                }
            }
            expected += r50k.decodeBytes(text).length;
            assertThat(w.totalTargetBytes()).isEqualTo(expected);
            assertThat(expected).isGreaterThan(2L * covered); // r50k tokens average over 2 bytes, even on multilingual text
        }
    }
}
