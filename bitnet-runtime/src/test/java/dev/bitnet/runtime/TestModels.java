package dev.bitnet.runtime;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.config.TokenizerKind;
import dev.bitnet.core.format.Bit2File;
import dev.bitnet.core.format.Bit2FormatException;
import dev.bitnet.core.format.Bit2Writer;
import dev.bitnet.core.format.TensorInfo;
import dev.bitnet.core.model.ModelLayout;
import dev.bitnet.core.model.RandomModel;
import dev.bitnet.core.tokenizer.ByteTokenizer;
import dev.bitnet.core.tokenizer.Gpt2Tokenizer;
import dev.bitnet.core.tokenizer.Tokenizer;
import dev.bitnet.runtime.kernel.BitKernels;
import dev.bitnet.runtime.kernel.Kernels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.fail;

/** Test fixtures: random models, random token sequences, the kernels to compare, bit-exact comparison. */
public final class TestModels {

    private static final String R50K = "/com/knuddels/jtokkit/r50k_base.tiktoken";

    private TestModels() {
    }

    /** Writes a seeded random model of this config into dir and returns its path. */
    public static Path random(ModelConfig config, long seed, Path dir) throws Bit2FormatException {
        Path out = dir.resolve("random-" + config.dModel() + "-" + config.nLayers() + "-" + config.context()
                + "-" + config.tokenizer() + "-" + seed + ".bit2");
        RandomModel.write(config, tokenizer(config.tokenizer()), seed, out);
        return out;
    }

    /**
     * Copies a model file with one head bias changed: a way to make a random model favour one
     * token (e.g. end-of-text) by a known margin.
     */
    static Path withHeadBias(Path src, int token, float bias, Path out) throws Bit2FormatException {
        return withFloat(src, ModelLayout.HEAD_BIAS, token, bias, out);
    }

    /** Copies a model file with element {@code index} of the float tensor {@code name} set to {@code value}. */
    static Path withFloat(Path src, String name, int index, float value, Path out) throws Bit2FormatException {
        try (Bit2File f = Bit2File.open(src)) {
            Bit2Writer w = new Bit2Writer(f.config(), f.tokenizer());
            for (TensorInfo t : f.tensors()) {
                long[] shape = t.shape();
                switch (t.dtype()) {
                    case BITS -> w.addBits(t.name(), (int) shape[0], (int) shape[1], f.longs(t.name()));
                    case I32 -> w.addI32(t.name(), f.ints(t.name()), shape);
                    case F32 -> {
                        float[] v = f.floats(t.name());
                        if (t.name().equals(name)) {
                            v[index] = value;
                        }
                        w.addF32(t.name(), v, shape);
                    }
                }
            }
            w.write(out);
        }
        return out;
    }

    /** The tokenizer of a kind: bytes, or gpt2 from the r50k_base table in jtokkit's jar. */
    public static Tokenizer tokenizer(TokenizerKind kind) {
        if (kind == TokenizerKind.BYTES) {
            return ByteTokenizer.INSTANCE;
        }
        return Gpt2Holder.GPT2;
    }

    private static final class Gpt2Holder {
        static final Gpt2Tokenizer GPT2 = load();

        private static Gpt2Tokenizer load() {
            try (InputStream in = TestModels.class.getResourceAsStream(R50K)) {
                if (in == null) {
                    throw new IllegalStateException(R50K + " not on the test classpath (jtokkit)");
                }
                return Gpt2Tokenizer.fromTiktoken(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** n seeded random token ids in [0, vocab). */
    static int[] tokens(int n, int vocab, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = r.nextInt(vocab);
        }
        return t;
    }

    /** The scalar kernels, and the Panama ones when the Vector API module is enabled. */
    static List<BitKernels> kernels() {
        List<BitKernels> k = new ArrayList<>();
        k.add(Kernels.scalar());
        try {
            k.add(Kernels.panama());
        } catch (UnsupportedOperationException e) {
            // the module is not enabled: scalar only
        }
        return k;
    }

    /** Fails with the first differing position and token unless the logits are bit-identical. */
    static void assertBitIdentical(String what, float[][] expected, float[][] actual) {
        if (expected.length != actual.length) {
            fail(what + ": " + actual.length + " positions, expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            for (int t = 0; t < expected[i].length; t++) {
                if (Float.floatToRawIntBits(expected[i][t]) != Float.floatToRawIntBits(actual[i][t])) {
                    fail(what + ": first difference at position " + i + ", token " + t + ": " + actual[i][t]
                            + " != expected " + expected[i][t]);
                }
            }
        }
    }
}
