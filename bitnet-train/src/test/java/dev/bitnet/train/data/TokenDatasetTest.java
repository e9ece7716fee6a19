package dev.bitnet.train.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenDatasetTest {

    @TempDir
    Path dir;

    @Test
    void concatenatesShardsAndRanges() throws IOException {
        Path a = dir.resolve("a.bin");
        Path empty = dir.resolve("empty.bin");
        Path b = dir.resolve("b.bin");
        TokenShard.write(a, new int[] {0, 1, 2, 3});
        TokenShard.write(empty, new int[0]);
        TokenShard.write(b, new int[] {4, 5, 6});
        try (TokenDataset d = TokenDataset.open(List.of(a, empty, b))) {
            assertThat(d.size()).isEqualTo(7);
            for (int i = 0; i < 7; i++) {
                assertThat(d.get(i)).isEqualTo(i);
            }
            int[] dst = new int[7];
            d.copy(2, dst, 1, 5);
            assertThat(dst).containsExactly(0, 2, 3, 4, 5, 6, 0);
        }
        try (TokenDataset d = TokenDataset.open(List.of(a, empty, b), 3, 3)) {
            assertThat(d.size()).isEqualTo(3);
            int[] dst = new int[3];
            d.copy(0, dst, 0, 3);
            assertThat(dst).containsExactly(3, 4, 5);
            assertThatThrownBy(() -> d.copy(1, new int[3], 0, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        }
        assertThatThrownBy(() -> TokenDataset.open(List.of(a), 2, 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
