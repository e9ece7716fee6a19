package dev.bitnet.core.model;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.format.DType;

import java.util.ArrayList;
import java.util.List;

/**
 * The tensors of an exported (inference-ready) model and their names: the contract between
 * the exporter, the random-model writer and the runtime. {@code docs/bit2-format.md} documents
 * each one.
 *
 * <p>Binary BitLinear layers (q, k, v, gate, up) store their ±1 matrix ({@code .bits},
 * {@code [out, in]}) and the folded threshold ({@code .range}, {@code [out, 2]} int32): output
 * {@code o} is +1 iff {@code range[o][0] <= s <= range[o][1]} where {@code s} is the exact
 * integer product (see {@link ThresholdFolding}). Raw layers (attention output, FFN down)
 * store {@code .bits}, {@code .alpha} and {@code .bias}: {@code y = (float)((float)(s * c_in) * alpha) + bias}.
 * RMSNorm layers store their float gain {@code .gamma}; the runtime needs only its signs.
 */
public final class ModelLayout {

    /** ±1 tied embedding and output head {@code Eb}, {@code [V, d]}. */
    public static final String EMBEDDING_BITS = "embedding.bits";
    /** Per-channel embedding scale {@code e_scale}, {@code [d]}. */
    public static final String EMBEDDING_SCALE = "embedding.scale";
    /** Output head scale {@code alpha_v}, {@code [V]}. */
    public static final String HEAD_ALPHA = "head.alpha";
    /** Output head bias {@code b_v}, {@code [V]}. */
    public static final String HEAD_BIAS = "head.bias";
    /** Gain of the final RMSNorm, {@code [d]}. */
    public static final String NORM_OUT_GAMMA = "norm_out.gamma";
    /** ALiBi slopes {@code m_h} as float32, {@code [H]}; the runtime uses these stored values. */
    public static final String ALIBI_SLOPES = "attention.alibi_slopes";

    /** Binary layers of a block, in the order the forward pass uses them. */
    public static final List<String> BINARY_LAYERS = List.of("attn.q", "attn.k", "attn.v", "ffn.gate", "ffn.up");
    /** Raw (float output) layers of a block. */
    public static final List<String> RAW_LAYERS = List.of("attn.o", "ffn.down");
    /** RMSNorm layers of a block. */
    public static final List<String> NORMS = List.of("attn_norm", "ffn_norm");

    private ModelLayout() {
    }

    /** Prefix of block {@code layer}'s tensor names, e.g. {@code layers.3.}. */
    public static String layerPrefix(int layer) {
        return "layers." + layer + ".";
    }

    /** Name of a tensor of a block, e.g. {@code tensor(0, "attn.q", "bits")} is {@code layers.0.attn.q.bits}. */
    public static String tensor(int layer, String module, String part) {
        return layerPrefix(layer) + module + "." + part;
    }

    /** Every tensor a model of this configuration must contain, in file order. */
    public static List<TensorSpec> tensors(ModelConfig c) {
        long v = c.vocabSize();
        long d = c.dModel();
        long f = c.dFf();
        List<TensorSpec> out = new ArrayList<>();
        out.add(new TensorSpec(EMBEDDING_BITS, DType.BITS, new long[] {v, d}));
        out.add(new TensorSpec(EMBEDDING_SCALE, DType.F32, new long[] {d}));
        out.add(new TensorSpec(ALIBI_SLOPES, DType.F32, new long[] {c.nHeads()}));
        for (int l = 0; l < c.nLayers(); l++) {
            out.add(new TensorSpec(tensor(l, "attn_norm", "gamma"), DType.F32, new long[] {d}));
            for (String m : List.of("attn.q", "attn.k", "attn.v")) {
                binary(out, l, m, d, d);
            }
            raw(out, l, "attn.o", d, d);
            out.add(new TensorSpec(tensor(l, "ffn_norm", "gamma"), DType.F32, new long[] {d}));
            binary(out, l, "ffn.gate", f, d);
            binary(out, l, "ffn.up", f, d);
            raw(out, l, "ffn.down", d, f);
        }
        out.add(new TensorSpec(NORM_OUT_GAMMA, DType.F32, new long[] {d}));
        out.add(new TensorSpec(HEAD_ALPHA, DType.F32, new long[] {v}));
        out.add(new TensorSpec(HEAD_BIAS, DType.F32, new long[] {v}));
        return out;
    }

    /** Input width of a block layer ({@code d} for all but {@code ffn.down}, which takes {@code F}). */
    public static int inputWidth(ModelConfig c, String module) {
        return module.equals("ffn.down") ? c.dFf() : c.dModel();
    }

    private static void binary(List<TensorSpec> out, int l, String m, long rows, long cols) {
        out.add(new TensorSpec(tensor(l, m, "bits"), DType.BITS, new long[] {rows, cols}));
        out.add(new TensorSpec(tensor(l, m, "range"), DType.I32, new long[] {rows, 2}));
    }

    private static void raw(List<TensorSpec> out, int l, String m, long rows, long cols) {
        out.add(new TensorSpec(tensor(l, m, "bits"), DType.BITS, new long[] {rows, cols}));
        out.add(new TensorSpec(tensor(l, m, "alpha"), DType.F32, new long[] {rows}));
        out.add(new TensorSpec(tensor(l, m, "bias"), DType.F32, new long[] {rows}));
    }
}
