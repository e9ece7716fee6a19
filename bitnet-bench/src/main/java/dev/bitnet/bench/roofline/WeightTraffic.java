package dev.bitnet.bench.roofline;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.format.DType;
import dev.bitnet.core.model.ModelLayout;
import dev.bitnet.core.model.TensorSpec;
import java.util.Set;

/**
 * What one token costs in weights, from the tensor sizes of the model's {@code .bit2} layout
 * ({@link ModelLayout#tensors}, {@link DType#byteLength}, rows padded to 64-bit words as stored).
 *
 * <p>The head is the tied embedding matrix (V x d bits) with its alpha and bias; everything else
 * (the blocks' ±1 matrices, threshold ranges, alphas, biases, norm gains) is the body. A decoded
 * token runs every body matrix and the head. A prefill of n tokens runs every body matrix for
 * each token but the head only for the last one (the logits generation needs), and reads each
 * body tensor once per chunk of positions (each weight row serves the whole chunk). Not counted:
 * the embedding row looked up per token (d bits) and attention over the cached keys (activations,
 * not weights).
 *
 * @param bitsPerToken  ±1 weight bits XOR-popcounted per token (the popcount bound's work)
 * @param bytesPerToken weight bytes read per token (the memory-bandwidth bound's traffic)
 */
public record WeightTraffic(double bitsPerToken, double bytesPerToken) {

    private static final Set<String> HEAD = Set.of(ModelLayout.EMBEDDING_BITS, ModelLayout.HEAD_ALPHA, ModelLayout.HEAD_BIAS);

    public WeightTraffic {
        if (!(bitsPerToken > 0 && bytesPerToken > 0)) {
            throw new IllegalArgumentException("weight traffic must be positive, got " + bitsPerToken + " bits and "
                    + bytesPerToken + " bytes per token");
        }
    }

    /** One generated token: every body tensor and the head. */
    public static WeightTraffic decode(ModelConfig config) {
        Sizes s = Sizes.of(config);
        return new WeightTraffic(s.bodyBits + s.headBits, s.bodyBytes + s.headBytes);
    }

    /**
     * A prompt of {@code tokens} tokens fed in chunks of {@code chunk} positions, logits for the
     * last one only, per token.
     */
    public static WeightTraffic prefill(ModelConfig config, int tokens, int chunk) {
        if (tokens < 1 || chunk < 1) {
            throw new IllegalArgumentException("prefill needs tokens >= 1 and chunk >= 1, got " + tokens + " and " + chunk);
        }
        Sizes s = Sizes.of(config);
        long passes = (tokens + chunk - 1) / chunk;
        return new WeightTraffic(s.bodyBits + (double) s.headBits / tokens,
                ((double) s.bodyBytes * passes + s.headBytes) / tokens);
    }

    private record Sizes(long bodyBits, long headBits, long bodyBytes, long headBytes) {
        static Sizes of(ModelConfig config) {
            long bodyBits = 0;
            long headBits = 0;
            long bodyBytes = 0;
            long headBytes = 0;
            for (TensorSpec t : ModelLayout.tensors(config)) {
                long bytes = t.dtype().byteLength(t.shape());
                long bits = t.dtype() == DType.BITS ? 8 * bytes : 0;
                if (HEAD.contains(t.name())) {
                    headBits += bits;
                    headBytes += bytes;
                } else {
                    bodyBits += bits;
                    bodyBytes += bytes;
                }
            }
            return new Sizes(bodyBits, headBits, bodyBytes, headBytes);
        }
    }
}
