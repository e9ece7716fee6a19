package dev.bitnet.runtime.engine;

/**
 * One transformer block, in the order the forward pass uses its parts.
 *
 * @param attnNorm signs of the attention RMSNorm
 * @param q        query layer (d -> d, ±1 out)
 * @param k        key layer (d -> d, ±1 out)
 * @param v        value layer (d -> d, ±1 out)
 * @param o        attention output (d -> d, float out)
 * @param ffnNorm  signs of the FFN RMSNorm
 * @param gate     FFN gate (d -> F, ±1 out)
 * @param up       FFN up (d -> F, ±1 out)
 * @param down     FFN down (F -> d, float out)
 */
public record Block(NormSigns attnNorm, BinaryLayer q, BinaryLayer k, BinaryLayer v, RawLayer o,
                   NormSigns ffnNorm, BinaryLayer gate, BinaryLayer up, RawLayer down) {
}
