package dev.bitnet.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

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

    /** A float32 scalar on {@code input}'s device that lives as long as {@code input}'s manager. */
    static NDArray scalar(NDArray input, float value) {
        return input.getManager().create(value);
    }
}
