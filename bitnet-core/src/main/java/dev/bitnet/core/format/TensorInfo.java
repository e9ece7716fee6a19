package dev.bitnet.core.format;

/**
 * One entry of a {@code .bit2} tensor directory.
 *
 * @param name   tensor name
 * @param dtype  element type
 * @param shape  dimensions, outermost first
 * @param offset absolute byte offset of the data in the file (a multiple of 64)
 * @param length byte length of the data
 * @param crc32c CRC32C of the data bytes
 */
public record TensorInfo(String name, DType dtype, long[] shape, long offset, long length, int crc32c) {
    public TensorInfo {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }
}
