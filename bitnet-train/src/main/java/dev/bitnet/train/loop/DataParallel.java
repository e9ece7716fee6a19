package dev.bitnet.train.loop;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.bitnet.train.data.WindowSampler;
import dev.bitnet.train.model.BitLM;
import dev.bitnet.train.optim.FlatParameters;

import java.util.ArrayList;
import java.util.List;

/**
 * Data parallelism over the devices of one host: one replica of the flat parameters per device,
 * driven from one thread. DJL's own scheme ({@code ParameterStore} with its local parameter
 * server: gradients summed on the first device, the optimizer run there, the new values copied to
 * the others) written over {@link FlatParameters}, since DJL's works per parameter with its own
 * optimizers, which keep no state this project can save.
 *
 * <p>Per update: micro-batch {@code i} of the {@code accum} runs on replica {@code i mod N}, in the
 * order {@code i = 0, 1, ...}, so that every micro-batch computes exactly what it computes on one
 * device: the same windows, the same parameters, and the same Gumbel noise, whose key counts the
 * training forwards since the update began (one model, whose attention blocks count every replica's
 * forwards, so the count is the global micro-batch index). The host only queues work (kernel
 * launches are asynchronous), so consecutive micro-batches on different GPUs overlap. Then each
 * replica's gradient is added to the first device's in replica order, in chunks through the engine
 * (device-to-device copies): a fixed order, so the result does not depend on timing. The trainer
 * checks, clips and applies AdamW there as on one device, and {@link #broadcast} copies the
 * parameters back to every replica, which leaves them bit-identical.
 *
 * <p>Memory: the first device holds what a one-device run holds (parameters, gradient, moments),
 * plus one chunk in flight; the others hold parameters and gradient. Moments are not sharded
 * (ZeRO-1): they live on the first device only.
 */
final class DataParallel implements AutoCloseable {

    /** Values per device-to-device copy: 64 MiB bounds the extra memory on the receiving device. */
    static final long CHUNK = 1L << 24;
    private static final NDIndex ALL = new NDIndex("...");

    private final BitLM model;
    private final List<FlatParameters> replicas;   // [0] is the trainer's own
    private final List<NDManager> managers;        // of replicas 1.., long-lived
    private final long chunk;

    /**
     * Replicas of {@code primary} on {@code others}, with its current values.
     *
     * @param model   the model, shared by every replica (its blocks read their parameters from the store)
     * @param primary the trainer's flat parameters, on the first device
     * @param others  the devices of the other replicas (the CPU device repeated simulates replicas)
     */
    DataParallel(BitLM model, FlatParameters primary, List<Device> others) {
        this(model, primary, others, CHUNK);
    }

    /** With copies of {@code chunk} values: tests use small ones. */
    DataParallel(BitLM model, FlatParameters primary, List<Device> others, long chunk) {
        this.model = model;
        this.chunk = chunk;
        replicas = new ArrayList<>();
        managers = new ArrayList<>();
        replicas.add(primary);
        for (Device d : others) {
            NDManager m = NDManager.newBaseManager(d);
            managers.add(m);
            replicas.add(primary.replica(m));
        }
        try (NDManager sm = primary.all().getManager().newSubManager()) {
            broadcast(sm);
        }
    }

    /** Number of replicas, the first device's included. */
    int size() {
        return replicas.size();
    }

    /**
     * Forward and backward of update {@code s}'s {@code accum} micro-batches over the replicas:
     * afterwards the first replica's gradient holds the sum over all of them (the others' are
     * zero again). Returns the sum of the micro-batches' losses, on the first device, not yet read.
     *
     * @param sm the update's manager, on the first device
     */
    NDArray forwardBackward(NDManager sm, int s, WindowSampler sampler, int batch, int accum) {
        int n = replicas.size();
        List<NDManager> steps = new ArrayList<>(n);
        steps.add(sm);
        try {
            for (NDManager m : managers) {
                steps.add(m.newSubManager());
            }
            // Every copy from the host waits for its device: all tokens first, as on one device.
            long width = sampler.windowLength();
            NDArray[] windows = new NDArray[accum];
            for (int micro = 0; micro < accum; micro++) {
                windows[micro] = steps.get(micro % n).create(sampler.batch(s, micro, batch), new Shape(batch, width));
            }
            NDArray[] lossSums = new NDArray[n];
            for (int r = 0; r < n; r++) {
                lossSums[r] = steps.get(r).zeros(new Shape());
            }
            for (int micro = 0; micro < accum; micro++) {
                int r = micro % n;
                Trainer.microBatch(model, replicas.get(r), steps.get(r), windows[micro], accum, lossSums[r], null);
            }
            NDArray g = gradient(replicas.getFirst(), sm);
            for (int r = 1; r < n; r++) {
                FlatParameters replica = replicas.get(r);
                copy(gradient(replica, steps.get(r)), g, sm, true);
                try (NDArray loss = lossSums[r].toDevice(sm.getDevice(), false)) {
                    lossSums[0].addi(loss);
                }
                JniUtils.zeroGrad((PtNDArray) replica.all());
            }
            return lossSums[0];
        } finally {
            for (int r = 1; r < steps.size(); r++) {
                steps.get(r).close();
            }
        }
    }

    /** Copies the first replica's parameters to every other one (after an update, or at the start). */
    void broadcast(NDManager sm) {
        NDArray source = replicas.getFirst().all();
        for (int r = 1; r < replicas.size(); r++) {
            copy(source, replicas.get(r).all(), sm, false);
        }
    }

    /** {@code to += from} ({@code add}) or {@code to = from}, chunk by chunk, {@code from}'s chunks copied to {@code to}'s device. */
    private void copy(NDArray from, NDArray to, NDManager sm, boolean add) {
        long n = from.size();
        for (long start = 0; start < n; start += chunk) {
            long end = Math.min(n, start + chunk);
            NDArray target = FlatParameters.range(to, start, end, sm);
            try (NDArray part = FlatParameters.range(from, start, end, sm);
                 NDArray moved = part.toDevice(to.getDevice(), false)) {
                if (add) {
                    target.addi(moved);
                } else {
                    target.set(ALL, moved);
                }
            }
        }
    }

    private static NDArray gradient(FlatParameters flat, NDManager sm) {
        NDArray g = flat.all().getGradient();
        g.attach(sm);
        return g;
    }

    /** Replica {@code r}'s parameters, flat ({@code 0} is the trainer's own): a test's view. */
    float[] replicaValues(int r) {
        return replicas.get(r).all().toFloatArray();
    }

    /** Arrays alive in the replicas' long-lived managers: a leak check. */
    int liveArrayCount() {
        return managers.stream().mapToInt(m -> m.getManagedArrays().size()).sum();
    }

    @Override
    public void close() {
        managers.forEach(NDManager::close);
    }
}
