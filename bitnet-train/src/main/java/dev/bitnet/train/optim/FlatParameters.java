package dev.bitnet.train.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * All trained arrays as views of one flat float32 array, so that the optimizer, the gradient
 * norm and the latent clamp are a handful of operations over the whole model instead of a few
 * per parameter. On a GPU each operation is a kernel launch of some microseconds: per-parameter
 * AdamW took 39 ms of a 250 ms {@code 75m} update for 2 ms of memory traffic.
 *
 * <p>The flat array ({@link #all()}) is the leaf that autograd accumulates into: a training
 * forward takes its parameters from {@link #store(NDManager)}, which splits the flat array into
 * per-parameter views inside the GradientCollector (one split, whose backward writes one
 * contiguous gradient). The arrays of the original map are turned into views of the flat array
 * made outside autograd, so that everything else (evaluation, checkpoints, the exporter) reads
 * and writes the same values through them.
 *
 * <p>Layout: the decayed parameters (the latent matrices) first, then the others, each group in
 * the map's order, so that weight decay and the latent clamp apply to one leading range.
 */
public final class FlatParameters {

    private static final NDIndex ALL = new NDIndex("...");

    private final NDArray all;
    private final List<String> names;
    private final List<Shape> shapes;
    private final long[] splitPoints;
    private final long decayedSize;

    /**
     * Copies the arrays into one flat array on their manager and device, and turns each array
     * into a view of it (in place: {@code arrays}' objects stay the same).
     *
     * @param arrays  the trained arrays by name, float32, on one device, not yet views of anything
     * @param decayed which names get weight decay and the latent clamp
     */
    public FlatParameters(Map<String, NDArray> arrays, Predicate<String> decayed) {
        if (arrays.isEmpty()) {
            throw new IllegalArgumentException("no parameters to flatten");
        }
        List<String> order = new ArrayList<>();
        arrays.keySet().stream().filter(decayed).forEach(order::add);
        arrays.keySet().stream().filter(decayed.negate()).forEach(order::add);
        names = List.copyOf(order);
        shapes = names.stream().map(n -> arrays.get(n).getShape()).toList();
        NDManager manager = arrays.get(names.getFirst()).getManager();
        try (NDList flat = new NDList(names.size())) {
            for (String n : names) {
                flat.add(arrays.get(n).reshape(-1));
            }
            all = NDArrays.concat(flat);
        }
        all.attach(manager);
        all.setRequiresGradient(true);
        splitPoints = new long[names.size() - 1];
        long offset = 0;
        long decayedEnd = 0;
        for (int i = 0; i < names.size(); i++) {
            offset += shapes.get(i).size();
            if (i < splitPoints.length) {
                splitPoints[i] = offset;
            }
            if (decayed.test(names.get(i))) {
                decayedEnd = offset;
            }
        }
        decayedSize = decayedEnd;
        // The caller's arrays become views of the flat array: same objects, new storage.
        views(all, manager).forEach((name, view) -> arrays.get(name).intern(view));
    }

    /** A replica of {@code layout}: the same layout over {@code all}. */
    private FlatParameters(FlatParameters layout, NDArray all) {
        this.all = all;
        names = layout.names;
        shapes = layout.shapes;
        splitPoints = layout.splitPoints;
        decayedSize = layout.decayedSize;
    }

    /**
     * A flat array of this layout on {@code manager}'s device, owned by it, zero, a leaf that
     * gradients accumulate into: a data-parallel replica, whose values the caller copies in.
     * Training forwards take its values from {@link #store}, as for this one; it has no
     * per-parameter arrays of its own.
     */
    public FlatParameters replica(NDManager manager) {
        NDArray copy = manager.zeros(all.getShape());
        copy.setRequiresGradient(true);
        return new FlatParameters(this, copy);
    }

    /** The flat array: every parameter, decayed ones first; the leaf gradients accumulate into. */
    public NDArray all() {
        return all;
    }

    /** Number of values in the decayed range {@code [0, decayedSize)} of {@link #all()}. */
    public long decayedSize() {
        return decayedSize;
    }

    /** Names in flat order (decayed first). */
    public List<String> names() {
        return names;
    }

    /**
     * Copies {@code values} (row-major, {@code target}'s size) into {@code target}'s storage.
     * DJL's {@code set(float[])} instead rebinds the array to new storage, which would cut a
     * parameter loose from the flat array.
     */
    public static void copyInto(NDArray target, float[] values) {
        try (NDArray source = target.getManager().create(values, target.getShape())) {
            target.set(ALL, source);
        }
    }

    /** {@code [from, to)} of a flat array of this layout, as a view owned by {@code manager}. */
    public static NDArray range(NDArray flat, long from, long to, NDManager manager) {
        NDArray view = flat.get(new NDIndex("{}:{}", from, to));
        view.attach(manager);
        return view;
    }

    /**
     * Per-parameter views of {@code flat} (the flat array, its gradient, or a moment), shaped as
     * the parameters, by name; owned by {@code manager}.
     */
    Map<String, NDArray> views(NDArray flat, NDManager manager) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        try (NDList pieces = flat.split(splitPoints)) {
            for (int i = 0; i < names.size(); i++) {
                NDArray view = pieces.get(i).reshape(shapes.get(i));
                view.attach(manager);
                out.put(names.get(i), view);
            }
        }
        return out;
    }

    /**
     * A parameter store for one training forward: each parameter's value is a view of the flat
     * array made by one split, so that backward accumulates into the flat array's gradient.
     * Call inside the GradientCollector (outside it autograd records nothing); the views belong
     * to {@code stepManager}.
     *
     * @param stepManager the step's manager
     * @param parameters  the model's parameters by the names of this layout
     */
    public ParameterStore store(NDManager stepManager, Map<String, Parameter> parameters) {
        Map<String, NDArray> byName = views(all, stepManager);
        Map<Parameter, NDArray> values = new IdentityHashMap<>();
        parameters.forEach((name, p) -> {
            NDArray v = byName.get(name);
            if (v == null) {
                throw new IllegalArgumentException("parameter " + name + " is not in the flat layout");
            }
            values.put(p, v);
        });
        return new StepStore(stepManager, values);
    }

    /** Serves the step's views; DJL's store would hand out the views made outside autograd. */
    private static final class StepStore extends ParameterStore {
        private final Map<Parameter, NDArray> values;

        StepStore(NDManager manager, Map<Parameter, NDArray> values) {
            super(manager, false);
            this.values = values;
        }

        @Override
        public NDArray getValue(Parameter parameter, Device device, boolean training) {
            NDArray v = values.get(parameter);
            if (v == null) {
                throw new IllegalArgumentException("parameter " + parameter.getName() + " is not in the flat layout");
            }
            return v;
        }
    }
}
