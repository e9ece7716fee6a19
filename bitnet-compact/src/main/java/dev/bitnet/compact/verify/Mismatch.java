package dev.bitnet.compact.verify;

import java.util.Locale;

/**
 * The first difference a parity check found.
 *
 * @param where        what was compared: {@code "window 3"} or {@code "greedy step 12"}
 * @param position     position in that window or sequence (the first one whose logits differ)
 * @param logitIndex   the first differing logit at that position (a token id)
 * @param trainer      the trainer's value
 * @param runtime      the runtime's value
 * @param differing    logits that differ at that position
 * @param layer        where the residual streams first part, as found by {@link ResidualComparison}
 */
public record Mismatch(String where, int position, int logitIndex, float trainer, float runtime, int differing,
                       String layer) {

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s, position %d: logit %d is %s (0x%08x) in the trainer, %s (0x%08x) in the"
                        + " runtime (%d logits differ at this position); %s", where, position, logitIndex,
                Float.toString(trainer), Float.floatToRawIntBits(trainer), Float.toString(runtime),
                Float.floatToRawIntBits(runtime), differing, layer);
    }
}
