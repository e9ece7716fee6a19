package dev.bitnet.runtime.engine;

import dev.bitnet.core.bits.BitPacking;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.format.Bit2File;
import dev.bitnet.core.format.Bit2FormatException;
import dev.bitnet.core.model.BitMath;
import dev.bitnet.core.model.ModelLayout;
import dev.bitnet.runtime.kernel.BitKernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The loaded, validated weights of a model: ±1 matrices in the layout of the model's kernels
 * ({@link BitKernels#prepare}: a heap copy, row-major for the scalar kernels, row-interleaved for
 * the vector kernels); the small per-channel vectors are copied to the heap too. The embedding
 * rows are read from the mapped file. Immutable after construction and safe to
 * share between threads (as long as the file stays open).
 */
public final class Weights {

    /** Little-endian 64-bit words, as the format stores packed bits. */
    public static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final ModelConfig config;
    private final MemorySegment embedding;  // (V, words(d)) Eb, row-major (the file's)
    private final MemorySegment head;       // Eb in the kernels' layout, the output head
    private final float[] embeddingScale;   // (d) e_scale
    private final float[] alibiSlopes;      // (H) stored m_h
    private final Block[] blocks;           // (L)
    private final NormSigns normOut;        // final RMSNorm signs
    private final float[] headAlpha;        // (V) alpha_v
    private final float[] headBias;         // (V) b_v
    private final float headScale;          // (float)(1 / sqrt(d))

    private Weights(ModelConfig config, MemorySegment embedding, MemorySegment head, float[] embeddingScale, float[] alibiSlopes,
                    Block[] blocks, NormSigns normOut, float[] headAlpha, float[] headBias) {
        this.config = config;
        this.embedding = embedding;
        this.head = head;
        this.embeddingScale = embeddingScale;
        this.alibiSlopes = alibiSlopes;
        this.blocks = blocks;
        this.normOut = normOut;
        this.headAlpha = headAlpha;
        this.headBias = headBias;
        this.headScale = BitMath.invSqrt(config.dModel());
    }

    /**
     * Reads and validates the weights of an open file: the exact tensor layout of its config,
     * then what the kernels assume and the format does not say: each bit matrix's segment holds
     * exactly rows x words(cols) words and its padding bits are 0. (That the float values are
     * finite is checked by {@code BitNetModel.load}.)
     *
     * @param kernels the kernels the matrices are prepared for
     * @throws Bit2FormatException naming the file, tensor and problem
     */
    public static Weights load(Bit2File file, BitKernels kernels) throws Bit2FormatException {
        file.requireModelLayout();
        ModelConfig c = file.config();
        int d = c.dModel();
        int f = c.dFf();
        MemorySegment embedding = bits(file, ModelLayout.EMBEDDING_BITS, c.vocabSize(), d);
        float[] slopes = file.floats(ModelLayout.ALIBI_SLOPES);
        Block[] blocks = new Block[c.nLayers()];
        for (int l = 0; l < blocks.length; l++) {
            blocks[l] = new Block(
                    norm(file, ModelLayout.tensor(l, "attn_norm", "gamma")),
                    binary(file, kernels, l, "attn.q", d, d),
                    binary(file, kernels, l, "attn.k", d, d),
                    binary(file, kernels, l, "attn.v", d, d),
                    raw(file, kernels, l, "attn.o", d, d),
                    norm(file, ModelLayout.tensor(l, "ffn_norm", "gamma")),
                    binary(file, kernels, l, "ffn.gate", f, d),
                    binary(file, kernels, l, "ffn.up", f, d),
                    raw(file, kernels, l, "ffn.down", d, f));
        }
        MemorySegment head = kernels.prepare(embedding, c.vocabSize(), BitPacking.words(d));
        return new Weights(c, embedding, head, file.floats(ModelLayout.EMBEDDING_SCALE), slopes, blocks,
                norm(file, ModelLayout.NORM_OUT_GAMMA), file.floats(ModelLayout.HEAD_ALPHA),
                file.floats(ModelLayout.HEAD_BIAS));
    }

    private static NormSigns norm(Bit2File file, String name) throws Bit2FormatException {
        return new NormSigns(file.floats(name));
    }

    private static BinaryLayer binary(Bit2File file, BitKernels kernels, int layer, String module, int rows, int cols)
            throws Bit2FormatException {
        MemorySegment bits = bits(file, ModelLayout.tensor(layer, module, "bits"), rows, cols);
        int[] range = file.ints(ModelLayout.tensor(layer, module, "range"));
        int[] lo = new int[rows];
        int[] hi = new int[rows];
        for (int r = 0; r < rows; r++) {
            lo[r] = range[2 * r];
            hi[r] = range[2 * r + 1];
        }
        return BinaryLayer.ofProductRange(kernels.prepare(bits, rows, BitPacking.words(cols)), cols, rows,
                BitPacking.words(cols), lo, hi);
    }

    private static RawLayer raw(Bit2File file, BitKernels kernels, int layer, String module, int rows, int cols)
            throws Bit2FormatException {
        MemorySegment bits = bits(file, ModelLayout.tensor(layer, module, "bits"), rows, cols);
        return new RawLayer(kernels.prepare(bits, rows, BitPacking.words(cols)), cols, rows, BitPacking.words(cols), BitMath.invSqrt(cols),
                file.floats(ModelLayout.tensor(layer, module, "alpha")),
                file.floats(ModelLayout.tensor(layer, module, "bias")));
    }

    /** The segment of a bit matrix, checked for size and zero padding bits. */
    private static MemorySegment bits(Bit2File file, String name, int rows, int cols) throws Bit2FormatException {
        MemorySegment seg = file.segment(name);
        int rowWords = BitPacking.words(cols);
        long expected = (long) rows * rowWords * Long.BYTES;
        if (seg.byteSize() != expected) {
            throw new Bit2FormatException(file.path(), "tensor " + name,
                    "holds " + seg.byteSize() + " bytes, expected " + expected + " for [" + rows + ", " + cols + "] bits");
        }
        long padding = ~BitPacking.lastWordMask(cols);
        if (padding != 0) {
            for (int r = 0; r < rows; r++) {
                long last = seg.get(WORD, ((long) r * rowWords + rowWords - 1) * Long.BYTES);
                if ((last & padding) != 0) {
                    throw new Bit2FormatException(file.path(), "tensor " + name,
                            "row " + r + " has non-zero padding bits past column " + cols);
                }
            }
        }
        return seg;
    }

    /** The model's shape. */
    public ModelConfig config() {
        return config;
    }

    /** Writes the input embedding {@code x[off + i] = Eb[token][i] * e_scale[i]} (multiplying by ±1 is exact). */
    public void embed(int token, float[] x, int off) {
        int d = config.dModel();
        int rowWords = BitPacking.words(d);
        long base = (long) token * rowWords * Long.BYTES;
        for (int k = 0; k < rowWords; k++) {
            long word = embedding.get(WORD, base + (long) k * Long.BYTES);
            int end = Math.min(64, d - (k << 6));
            for (int b = 0; b < end; b++) {
                int i = (k << 6) + b;
                float scale = embeddingScale[i];
                x[off + i] = (word >>> b & 1L) != 0 ? scale : -scale;
            }
        }
    }

    /** The output head: the tied embedding matrix {@code Eb}, (V, words(d)), in the kernels' layout. */
    public MemorySegment head() {
        return head;
    }

    /** The stored ALiBi slope of head {@code h}. */
    public float alibiSlope(int h) {
        return alibiSlopes[h];
    }

    /** Block {@code l}. */
    public Block block(int l) {
        return blocks[l];
    }

    /** Signs of the final RMSNorm. */
    public NormSigns normOut() {
        return normOut;
    }

    /**
     * Logits of vocabulary rows {@code [rowStart, rowEnd)} from their mismatch counts {@code mm[mmOff + r]}
     * into {@code out[r]}: {@code ((float)(s * c) * alpha_v) + b_v}.
     */
    public void logits(BitKernels kernels, int[] mm, int mmOff, int rowStart, int rowEnd, float[] out) {
        kernels.scaledOutputs(mm, mmOff, config.dModel(), headScale, headAlpha, headBias, rowStart, rowEnd, out, 0, false);
    }
}
