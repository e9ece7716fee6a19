package dev.bitnet.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * Per-step views of parameters. A DJL result belongs to the manager of its first operand, so
 * arithmetic on a raw parameter would pile its intermediates into the long-lived model
 * manager; a view attached to the input's (per-step) manager keeps them there, and autograd
 * still reaches the parameter through it when the view is made inside the GradientCollector.
 */
final class ParameterViews {

    private ParameterViews() {
    }

    /** The value of {@code p} on {@code input}'s device, as a view owned by {@code input}'s manager. */
    static NDArray of(ParameterStore ps, Parameter p, NDArray input, boolean training) {
        NDArray value = ps.getValue(p, input.getDevice(), training);
        NDArray view = value.reshape(value.getShape());
        view.attach(input.getManager());
        return view;
    }
}
