package dev.bitnet.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

import java.util.HashMap;
import java.util.Map;

/**
 * Arrays a forward pass makes for one step, owned by the manager of the step's input.
 *
 * <p>Parameters: a DJL result belongs to the manager of its first operand, so arithmetic on a
 * raw parameter would pile its intermediates into the long-lived model manager; a view
 * attached to the input's (per-step) manager keeps them there, and autograd still reaches the
 * parameter through it when the view is made inside the GradientCollector.
 *
 * <p>Scalars: an operand given as a Java number ({@code x.mul(0.5f)}) becomes a temporary
 * array in Java memory that DJL closes right after the op, while autograd keeps reading it in
 * backward: once that memory is recycled the gradient is garbage. Operands on the gradient
 * path are therefore arrays that live as long as the step.
 *
 * <p>Constants are filled on the device ({@code full}), never copied from Java memory: on a GPU,
 * PyTorch's copy from pageable host memory waits for every queued kernel. DJL makes such a copy
 * for every Java-number operand ({@code x.addi(0.5f)}, {@code x.clip(0, 1)}, {@code x.gte(0)}):
 * with some 50 of them per layer the GPU idled most of a {@code 75m} forward while the host
 * caught up. Model code passes arrays from {@link #scalar} instead.
 */
final class StepArrays {

    private StepArrays() {
    }

    /** The value of {@code p} on {@code input}'s device, as a view owned by {@code input}'s manager. */
    static NDArray parameter(ParameterStore ps, Parameter p, NDArray input, boolean training) {
        NDArray value = ps.getValue(p, input.getDevice(), training);
        NDArray view = value.reshape(value.getShape());
        view.attach(input.getManager());
        return view;
    }

    /** The scalars made for the last manager this thread asked for, by value. */
    private static final ThreadLocal<Scalars> SCALARS = new ThreadLocal<>();

    private record Scalars(NDManager manager, Map<Float, NDArray> byValue) {
    }

    /**
     * A float32 scalar on {@code input}'s device that lives as long as {@code input}'s manager.
     * One array per value and step manager: a forward uses the same few constants some 40 times a
     * layer, and on a GPU each fill is a kernel launch. Owned by the manager: do not close it.
     */
    static NDArray scalar(NDArray input, float value) {
        NDManager manager = input.getManager();
        Scalars scalars = SCALARS.get();
        if (scalars == null || scalars.manager() != manager) {
            scalars = new Scalars(manager, new HashMap<>());
            SCALARS.set(scalars);
        }
        NDArray s = scalars.byValue().get(value);
        if (s == null || s.isReleased()) {
            s = manager.full(new Shape(), value);
            scalars.byValue().put(value, s);
        }
        return s;
    }

    /** The float32 vector {@code values} on {@code manager}'s device, made by fills (exact). */
    static NDArray vector(NDManager manager, float[] values) {
        try (NDList parts = new NDList(values.length)) {
            for (float v : values) {
                parts.add(manager.full(new Shape(1), v));
            }
            return NDArrays.concat(parts);
        }
    }
}
