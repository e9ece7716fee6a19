package dev.bitnet.runtime;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.config.TokenizerKind;
import dev.bitnet.runtime.engine.Forward;
import dev.bitnet.runtime.kernel.Kernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link Session#memoryBytes}, which {@link BitNetModel#load} compares with the session memory
 * limit, against what sessions really allocate: if the engine's buffers change, this fails
 * until the estimate follows.
 */
class SessionMemoryTest {

    @TempDir
    Path dir;

    @Test
    void estimateMatchesWhatASessionAllocates() throws Exception {
        // A wide FFN: the chunk scratch (3 x 64 x F mismatch counts, 24 MiB) dominates.
        ModelConfig wide = new ModelConfig(256, 64, 1, 1, 1 << 15, 8, TokenizerKind.BYTES);
        Path file = TestModels.random(wide, 1, dir);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // Scalar kernels: the vector ones, until C2 compiles them, allocate their vectors on the heap.
        try (BitNetModel m = BitNetModel.load(file, ModelOptions.builder().kernels(Kernels.scalar()).build())) {
            int[] two = {'a', 'b'};
            for (int round = 0; round < 2; round++) {   // the first round also loads and links classes
                long before = threads.getCurrentThreadAllocatedBytes();
                try (Session s = m.newSession(1)) {
                    s.logits(two);          // the head's scratch for several positions
                    s.logProbs(two);        // the session's rows for log-probabilities
                    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                    double estimate = Session.memoryBytes(wide, m.attentionWindow());
                    if (round == 1) {
                        assertThat((double) allocated).isCloseTo(estimate, within(estimate * 0.01));
                    }
                }
            }
        }
    }

    @Test
    void cacheTermIsTheCachesAtTheirLargest() throws Exception {
        // 64 heads of one bit each: a word per head per token, the caches' worst layout.
        ModelConfig heads = new ModelConfig(256, 64, 2, 64, 64, 8, TokenizerKind.BYTES);
        Path file = TestModels.random(heads, 2, dir);
        int window = 200;
        try (BitNetModel m = BitNetModel.load(file, ModelOptions.builder().attentionWindow(window).build());
             Session s = m.newSession(1)) {
            s.logProbs(TestModels.tokens(window + 3 * 64, 256, 3));
            assertThat(s.cacheBytes()).isEqualTo(2L * heads.nLayers() * Long.BYTES * Forward.cacheWordsPerLayer(heads, window));
        }
    }
}
