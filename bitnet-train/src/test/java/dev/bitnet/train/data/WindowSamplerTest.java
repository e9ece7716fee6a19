package dev.bitnet.train.data;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WindowSamplerTest {

    private static final int CTX = 16;

    @TempDir
    Path dir;

    private TokenDataset data;

    /** Two shards whose token i is i % 65536 (so a window's content shows where it starts). */
    @BeforeEach
    void shards() throws IOException {
        TokenShard.write(dir.resolve("a.bin"), IntStream.range(0, 3_000).toArray());
        TokenShard.write(dir.resolve("b.bin"), IntStream.range(3_000, 5_000).toArray());
        data = TokenDataset.open(List.of(dir.resolve("a.bin"), dir.resolve("b.bin")));
    }

    @AfterEach
    void close() {
        data.close();
    }

    @Test
    void batchIsAPureFunctionOfSeedStepAndMicroBatch() {
        WindowSampler s = new WindowSampler(data, CTX, 42);
        WindowSampler same = new WindowSampler(data, CTX, 42);
        assertThat(same.batch(7, 1, 8)).containsExactly(s.batch(7, 1, 8));
        assertThat(s.batch(7, 1, 8)).containsExactly(s.batch(7, 1, 8));

        assertThat(s.batch(8, 1, 8)).isNotEqualTo(s.batch(7, 1, 8));
        assertThat(s.batch(7, 0, 8)).isNotEqualTo(s.batch(7, 1, 8));
        assertThat(new WindowSampler(data, CTX, 43).batch(7, 1, 8)).isNotEqualTo(s.batch(7, 1, 8));

        // Row r does not depend on the batch size.
        assertThat(Arrays.copyOf(s.batch(7, 1, 8), 4 * (CTX + 1))).containsExactly(s.batch(7, 1, 4));
    }

    @Test
    void windowsAreConsecutiveTokensInRange() {
        WindowSampler s = new WindowSampler(data, CTX, 1);
        assertThat(s.windowLength()).isEqualTo(CTX + 1);
        for (long step = 0; step < 50; step++) {
            int[] b = s.batch(step, 0, 4);
            assertThat(b).hasSize(4 * (CTX + 1));
            for (int r = 0; r < 4; r++) {
                long start = s.windowStart(step, 0, r);
                assertThat(start).isBetween(0L, data.size() - CTX - 1);
                for (int j = 0; j <= CTX; j++) {
                    assertThat(b[r * (CTX + 1) + j]).isEqualTo((int) (start + j));
                }
            }
        }
    }

    /** Starts spread evenly: 20,000 draws in 10 equal buckets stay within 10 % of 2,000 each, and both ends are reached. */
    @Test
    void startsAreUniform() {
        WindowSampler s = new WindowSampler(data, CTX, 7);
        long range = data.size() - CTX;
        int[] buckets = new int[10];
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int step = 0; step < 2_500; step++) {
            for (int r = 0; r < 8; r++) {
                long start = s.windowStart(step, 0, r);
                buckets[(int) (start * 10 / range)]++;
                min = Math.min(min, start);
                max = Math.max(max, start);
            }
        }
        for (int n : buckets) {
            assertThat(n).isBetween(1_800, 2_200);
        }
        assertThat(min).isLessThan(10);
        assertThat(max).isGreaterThan(range - 10);
    }

    @Test
    void rejectsDataShorterThanAWindow() {
        assertThatThrownBy(() -> new WindowSampler(data, 5_000, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5000 tokens");
    }
}
