package dev.bitnet.compact.verify;

import dev.bitnet.core.bits.BitPacking;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.format.Bit2File;
import dev.bitnet.core.format.Bit2FormatException;
import dev.bitnet.core.model.BitMath;
import dev.bitnet.runtime.engine.BinaryLayer;
import dev.bitnet.runtime.engine.Block;
import dev.bitnet.runtime.engine.HeadBits;
import dev.bitnet.runtime.engine.RawLayer;
import dev.bitnet.runtime.engine.Weights;
import dev.bitnet.runtime.kernel.BitKernels;

import java.nio.file.Path;

/**
 * The runtime's side of a layer-by-layer comparison: its residual stream at every stage. It is
 * the engine's forward pass built from the engine's own parts (the loaded {@link Weights}, their
 * layers and norms, the given kernels), so every float and every bit is computed as in
 * {@code Forward.feed}; only the schedule is the plain one: layer by layer, one position at a
 * time, on the calling thread, each layer's keys and values kept for all positions. That the
 * engine's chunked, threaded schedule gives the same results is {@code EngineParityTest}'s job.
 */
final class RuntimeResiduals {

    private RuntimeResiduals() {
    }

    /** Stages as in {@link TrainerForward#residuals(int[])}, each row-major {@code (T, d)}. */
    static float[][] of(Path model, BitKernels kernels, int[] tokens) throws Bit2FormatException {
        try (Bit2File file = Bit2File.open(model, false)) {
            Weights w = Weights.load(file, kernels);
            ModelConfig c = w.config();
            int d = c.dModel();
            int f = c.dFf();
            int t = tokens.length;
            int heads = c.nHeads();
            int dh = c.dHead();
            int hw = BitPacking.words(dh);
            float scale = BitMath.invSqrt(dh);
            float[][] out = new float[1 + 2 * c.nLayers()][];
            float[] x = new float[t * d];              // (T, d) residual stream
            for (int i = 0; i < t; i++) {
                w.embed(tokens[i], x, i * d);
            }
            out[0] = x.clone();
            long[] hb = new long[BitPacking.words(d)]; // norm output bits of one position
            long[] q = new long[hb.length];
            long[] k = new long[hb.length];
            long[] v = new long[hb.length];
            long[] qh = new long[heads * hw];          // the query, per head
            long[] att = new long[hb.length];          // attention output: the chosen values' bits
            long[] g = new long[BitPacking.words(f)];
            long[] u = new long[g.length];
            long[] keys = new long[heads * t * hw];    // one layer's keys, head-major: word (h * T + position) * hw
            long[] values = new long[keys.length];
            int[] mm = new int[Math.max(d, f)];
            for (int l = 0; l < c.nLayers(); l++) {
                Block b = w.block(l);
                // Attention: x += o(pointer(q, k, v)) over binarize(RMSNorm_attn(x)). Position i's
                // key and value are cached before its query scans positions 0..i.
                for (int i = 0; i < t; i++) {
                    b.attnNorm().binarize(kernels, x, i * d, hb, 0);
                    binary(kernels, b.q(), hb, mm, q);
                    binary(kernels, b.k(), hb, mm, k);
                    binary(kernels, b.v(), hb, mm, v);
                    for (int h = 0; h < heads; h++) {
                        HeadBits.extract(q, 0, h * dh, dh, qh, h * hw);
                        HeadBits.extract(k, 0, h * dh, dh, keys, (h * t + i) * hw);
                        HeadBits.extract(v, 0, h * dh, dh, values, (h * t + i) * hw);
                    }
                    for (int h = 0; h < heads; h++) {
                        int slot = kernels.bestSlot(keys, t, h, qh, h * hw, dh, scale, w.alibiSlope(h), t, i);
                        HeadBits.insert(values, (h * t + slot) * hw, dh, att, 0, h * dh);
                    }
                    raw(kernels, b.o(), att, mm, x, i * d);
                }
                out[1 + 2 * l] = x.clone();
                // FFN: x += down(XNOR(gate, up)) over binarize(RMSNorm_ffn(x)).
                for (int i = 0; i < t; i++) {
                    b.ffnNorm().binarize(kernels, x, i * d, hb, 0);
                    binary(kernels, b.gate(), hb, mm, g);
                    binary(kernels, b.up(), hb, mm, u);
                    for (int j = 0; j < g.length; j++) {
                        g[j] = ~(g[j] ^ u[j]);
                    }
                    g[g.length - 1] &= BitPacking.lastWordMask(f);
                    raw(kernels, b.down(), g, mm, x, i * d);
                }
                out[2 + 2 * l] = x.clone();
            }
            return out;
        }
    }

    /** {@code out = layer(in)}: the output bits of a binary layer. */
    private static void binary(BitKernels kernels, BinaryLayer layer, long[] in, int[] mm, long[] out) {
        kernels.mismatches(layer.bits(), layer.rowWords(), 0, layer.out(), in, mm);
        layer.outputBits(kernels, mm, 0, 0, layer.out(), out, 0);
    }

    /** {@code x[xOff ..] += layer(in)}: a float-output layer added to the residual stream. */
    private static void raw(BitKernels kernels, RawLayer layer, long[] in, int[] mm, float[] x, int xOff) {
        kernels.mismatches(layer.bits(), layer.rowWords(), 0, layer.out(), in, mm);
        layer.addOutput(kernels, mm, 0, 0, layer.out(), x, xOff);
    }
}
