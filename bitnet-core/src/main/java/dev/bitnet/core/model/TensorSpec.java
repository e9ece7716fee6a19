package dev.bitnet.core.model;

import dev.bitnet.core.format.DType;

import java.util.Arrays;

/**
 * A tensor a model file must contain: its name, element type and shape.
 *
 * @param name  the tensor's name, e.g. {@code layers.0.attn.q.bits}
 * @param dtype element type
 * @param shape dimensions, outermost first
 */
public record TensorSpec(String name, DType dtype, long[] shape) {

    public TensorSpec {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && t.name.equals(name) && t.dtype == dtype && Arrays.equals(t.shape, shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
