package dev.bitnet.runtime;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.config.TokenizerKind;
import dev.bitnet.core.format.Bit2File;
import dev.bitnet.runtime.kernel.BitKernels;
import dev.bitnet.runtime.sampling.Sampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static dev.bitnet.runtime.TestModels.assertBitIdentical;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's logits are bit-identical to the plain reference forward written from MODEL.md,
 * for random models of every preset shape, both kernels, one and two threads, within and beyond
 * the trained context.
 */
class EngineParityTest {

    @TempDir
    Path dir;

    @Test
    void tinyPresetMatchesReferenceOverSeveralChunks() throws Exception {
        // 150 tokens: three prefill chunks, the last one partial.
        check(ModelConfig.preset("tiny"), 150, 0, 1);
    }

    @Test
    void preset75mShapeMatchesReference() throws Exception {
        check(ModelConfig.preset("75m"), 10, 0, 2);
    }

    @Test
    void preset300mShapeMatchesReference() throws Exception {
        check(ModelConfig.preset("300m"), 5, 0, 3);
    }

    @Test
    void headsNotOnWordBoundariesMatchReference() throws Exception {
        // d_head = 40: per-head bits straddle words; d and F are not multiples of 64 either.
        check(new ModelConfig(256, 120, 2, 3, 200, 64, TokenizerKind.BYTES), 90, 0, 4);
    }

    @Test
    void beyondTrainedContextSlidesTheWindow() throws Exception {
        // T = 16: positions 16.. attend over the last 16 keys only (the default window = T).
        check(new ModelConfig(256, 128, 2, 4, 256, 16, TokenizerKind.BYTES), 100, 0, 5);
    }

    @Test
    void widerWindowThanTrainedContextMatchesReference() throws Exception {
        // 300 tokens with a window of 70: the cache (70 + 64 slots) wraps around twice.
        check(new ModelConfig(256, 128, 2, 4, 256, 16, TokenizerKind.BYTES), 300, 70, 6);
    }

    @Test
    void tokenByTokenEqualsOnePass() throws Exception {
        ModelConfig c = new ModelConfig(256, 128, 2, 2, 192, 32, TokenizerKind.BYTES);
        Path file = TestModels.random(c, 7, dir);
        int[] tokens = TestModels.tokens(80, c.vocabSize(), 7);
        try (BitNetModel model = BitNetModel.load(file); Session s = model.newSession(2)) {
            float[][] batch = model.logits(tokens);
            float[][] stepwise = new float[tokens.length][];
            for (int i = 0; i < tokens.length; i++) {
                stepwise[i] = s.logits(new int[] {tokens[i]})[0];
            }
            assertBitIdentical("token by token", batch, stepwise);
            assertThat(s.position()).isEqualTo(tokens.length);
        }
    }

    @Test
    void greedyDecodingPicksTheReferenceArgmaxWhateverTheThreads() throws Exception {
        // A 50,257 x 512 head: decoding splits it into one part per thread (each part's argmax is
        // combined), and its 512-column rows take the eight-word mat-vec kernel.
        ModelConfig c = new ModelConfig(50257, 512, 1, 8, 512, 32, TokenizerKind.GPT2);
        Path file = TestModels.random(c, 9, dir);
        int[] prompt = TestModels.tokens(5, c.vocabSize(), 9);
        int[] seq = Arrays.copyOf(prompt, prompt.length + 6);
        String expected;
        try (Bit2File f = Bit2File.open(file)) {
            ReferenceForward ref = new ReferenceForward(f, c.context());
            for (int i = prompt.length; i < seq.length; i++) {
                float[][] logits = ref.logits(Arrays.copyOf(seq, i));
                seq[i] = Sampler.argmax(logits[i - 1]);
            }
            expected = f.tokenizer().decode(Arrays.copyOfRange(seq, prompt.length, seq.length));
        }
        for (BitKernels k : TestModels.kernels()) {
            for (int threads : new int[] {1, 2, 3}) {
                try (BitNetModel model = BitNetModel.load(file, ModelOptions.builder().kernels(k).threads(threads).build());
                     Session s = model.newSession()) {
                    GenerationResult r = s.generate(prompt, GenerationOptions.greedy(seq.length - prompt.length),
                            GenerationListener.NONE);
                    assertThat(r.text()).as(k.name() + ", " + threads + " threads").isEqualTo(expected);
                }
            }
        }
    }

    /** window 0 = the model's trained context. */
    private void check(ModelConfig c, int n, int window, long seed) throws Exception {
        Path file = TestModels.random(c, seed, dir);
        int[] tokens = TestModels.tokens(n, c.vocabSize(), seed);
        int refWindow = window == 0 ? c.context() : window;
        float[][] expected;
        try (Bit2File f = Bit2File.open(file)) {
            expected = new ReferenceForward(f, refWindow).logits(tokens);
        }
        for (BitKernels k : TestModels.kernels()) {
            for (int threads : new int[] {1, 2}) {
                ModelOptions.Builder o = ModelOptions.builder().kernels(k).threads(threads);
                if (window > 0) {
                    o.attentionWindow(window);
                }
                try (BitNetModel model = BitNetModel.load(file, o.build())) {
                    assertBitIdentical(k.name() + ", " + threads + " threads", expected, model.logits(tokens));
                }
            }
        }
    }
}
