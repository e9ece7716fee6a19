package dev.bitnet.train.checkpoint;

import java.util.Arrays;

/**
 * A float32 tensor read from or written to a {@link TensorFile}: shape (outermost first) and the
 * values in row-major order.
 *
 * @param shape dimensions; the product equals {@code data.length}
 * @param data  row-major values
 */
public record FloatTensor(long[] shape, float[] data) {

    public FloatTensor {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n
                    + " values, data has " + data.length);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatTensor t && Arrays.equals(t.shape, shape) && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatTensor" + Arrays.toString(shape);
    }
}
