package dev.bitnet.core.format;

/** Element types of tensors in a {@code .bit2} file. The code is what the file stores. */
public enum DType {
    /**
     * Packed ±1 values (see {@link dev.bitnet.core.bits.BitPacking}). A tensor of shape
     * {@code [rows, cols]} stores each row in {@code ceil(cols / 64)} little-endian 64-bit words.
     */
    BITS(1),
    /** IEEE 754 binary32, little-endian. */
    F32(2),
    /** Two's-complement 32-bit integer, little-endian. */
    I32(3);

    private final int code;

    DType(int code) {
        this.code = code;
    }

    /** The code stored in the tensor directory. */
    public int code() {
        return code;
    }

    /** The type for a stored code, or {@code null} if the code is unknown. */
    public static DType ofCode(int code) {
        for (DType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    /**
     * Bytes taken by a tensor of this type and shape: for {@link #BITS} the last dimension is
     * padded to whole 64-bit words.
     *
     * @throws ArithmeticException if the size overflows a long
     */
    public long byteLength(long[] shape) {
        if (this == BITS) {
            long rows = 1;
            for (int i = 0; i < shape.length - 1; i++) {
                rows = Math.multiplyExact(rows, shape[i]);
            }
            long cols = shape.length == 0 ? 1 : shape[shape.length - 1];
            return Math.multiplyExact(rows, Math.multiplyExact((cols + 63) / 64, 8L));
        }
        long n = 1;
        for (long s : shape) {
            n = Math.multiplyExact(n, s);
        }
        return Math.multiplyExact(n, 4L);
    }
}
