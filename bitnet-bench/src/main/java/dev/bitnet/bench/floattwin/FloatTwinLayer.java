package dev.bitnet.bench.floattwin;

/**
 * One block of the float twin: pre-norm attention then pre-norm FFN, with RMSNorm gains.
 *
 * @param attnGamma RMSNorm_attn gain (d)
 * @param q         d -> d
 * @param k         d -> d
 * @param v         d -> d
 * @param o         d -> d, residual projection
 * @param ffnGamma  RMSNorm_ffn gain (d)
 * @param gate      d -> F
 * @param up        d -> F
 * @param down      F -> d, residual projection
 */
record FloatTwinLayer(float[] attnGamma, FloatLinear q, FloatLinear k, FloatLinear v, FloatLinear o,
                      float[] ffnGamma, FloatLinear gate, FloatLinear up, FloatLinear down) {

    long bytes() {
        return 2L * attnGamma.length * Float.BYTES + q.bytes() + k.bytes() + v.bytes() + o.bytes()
                + gate.bytes() + up.bytes() + down.bytes();
    }
}
