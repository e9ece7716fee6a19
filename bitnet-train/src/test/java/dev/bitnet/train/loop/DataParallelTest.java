package dev.bitnet.train.loop;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.bitnet.train.TrainConfig;
import dev.bitnet.train.checkpoint.Checkpoint;
import dev.bitnet.train.data.EvalWindows;
import dev.bitnet.train.data.PreparedCorpus;
import dev.bitnet.train.data.TokenDataset;
import dev.bitnet.train.data.WindowSampler;
import dev.bitnet.train.model.BitLM;
import dev.bitnet.train.optim.FlatParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Data parallel on the CPU: replicas of the parameters on the CPU device (DJL's PyTorch engine has
 * one CPU device: {@code cpu:1} is {@code cpu}), each with its own manager, as they would be on GPUs.
 */
class DataParallelTest {

    /** float32 tolerance for parameters after a few updates whose gradients were summed in another order. */
    private static final float TOLERANCE = 1e-5f;

    @TempDir
    static Path shared;
    static TokenDataset train;
    static TokenDataset valData;

    @BeforeAll
    static void prepare() throws IOException {
        PreparedCorpus c = TestCorpus.prepare(TestCorpus.write(shared, 60_000), shared.resolve("cache"));
        train = c.openTrain();
        valData = c.openVal();
    }

    @AfterAll
    static void close() {
        train.close();
        valData.close();
    }

    /** {@code c} on {@code devices} ("cpu,cpu": two replicas). */
    static TrainConfig on(TrainConfig c, String devices) {
        return new TrainConfig(c.steps(), c.batch(), c.accum(), c.lr(), c.minLrRatio(), c.warmup(), c.weightDecay(),
                c.beta1(), c.beta2(), c.eps(), c.gradClip(), c.latentClamp(), c.tauStart(), c.tauEnd(),
                c.attentionRamp(), c.distillFrom(), c.distillWeight(), c.noiseEnd(), c.alphaVInit(),
                c.floatAblation(), c.evalEvery(), c.evalBatches(), c.checkpointEvery(), c.seed(), devices,
                c.precision(), c.threads());
    }

    static Trainer trainer(TrainConfig c, Path run, RunStart start) throws IOException {
        List<Device> devices = Collections.nCopies(c.devices().size(), Device.cpu());
        EvalWindows val = new EvalWindows(valData, TrainerTest.MODEL.context(), 8, TrainerTest.MODEL.tokenizer());
        return new Trainer(TrainerTest.MODEL, c, devices, run,
                new WindowSampler(train, TrainerTest.MODEL.context(), c.seed()), val, start,
                TrainerTest.quiet(new ByteArrayOutputStream()), null);
    }

    /** The largest absolute difference between two snapshots of the same parameters. */
    static float maxDifference(Map<String, float[]> a, Map<String, float[]> b) {
        assertThat(b.keySet()).containsExactlyElementsOf(a.keySet());
        float max = 0;
        for (String name : a.keySet()) {
            float[] x = a.get(name);
            float[] y = b.get(name);
            assertThat(y).as(name).hasSameSizeAs(x);
            for (int i = 0; i < x.length; i++) {
                max = Math.max(max, Math.abs(x[i] - y[i]));
            }
        }
        return max;
    }

    /** Losses and parameters of {@code steps} updates of {@code c}; checks the replicas after each one. */
    static List<Double> losses(TrainConfig c, Path run, int steps, Map<String, float[]> params) throws IOException {
        List<Double> losses = new ArrayList<>();
        try (Trainer t = trainer(c, run, RunStart.fresh())) {
            DataParallel dp = t.dataParallel();
            assertThat(dp == null ? 1 : dp.size()).isEqualTo(c.devices().size());
            for (int i = 0; i < steps; i++) {
                Trainer.StepResult r = t.step();
                assertThat(r.skipped()).isNull();
                losses.add(r.loss());
                if (dp != null) {
                    float[] first = dp.replicaValues(0);
                    for (int rep = 1; rep < dp.size(); rep++) {
                        assertThat(dp.replicaValues(rep)).as("replica %d after update %d", rep, i + 1)
                                .containsExactly(first);
                    }
                }
            }
            params.putAll(TrainerTest.snapshot(t));
        }
        return losses;
    }

    @Test
    void twoAndFourReplicasMatchTheOneDeviceRunAndStayIdentical(@TempDir Path dir) throws IOException {
        TrainConfig one = TrainerTest.config(4, 4);
        Map<String, float[]> single = new LinkedHashMap<>();
        List<Double> singleLosses = losses(one, dir.resolve("1"), 4, single);
        for (String devices : List.of("cpu,cpu", "cpu,cpu,cpu,cpu")) {
            Map<String, float[]> params = new LinkedHashMap<>();
            List<Double> l = losses(on(one, devices), dir.resolve(devices), 4, params);
            float diff = maxDifference(single, params);
            System.out.printf("%s: losses %s vs %s, parameters differ by at most %.3g%n", devices, l, singleLosses, diff);
            for (int i = 0; i < l.size(); i++) {
                assertThat(l.get(i)).as("%s loss %d", devices, i + 1).isCloseTo(singleLosses.get(i),
                        org.assertj.core.data.Offset.offset(1e-5));
            }
            assertThat(diff).as(devices).isLessThan(TOLERANCE);
        }
    }

    @Test
    void summedGradientIsTheOneDeviceGradientAcrossCopyChunks() {
        // Two micro-batches, one per replica: the sum m0/2 + m1/2 is formed in the same order as
        // on one device, so the gradients are bit-identical, here over copies of 1,000 values.
        TrainConfig c = TrainerTest.config(1, 2);
        WindowSampler sampler = new WindowSampler(train, TrainerTest.MODEL.context(), c.seed());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            BitLM model = BitLM.builder().setConfig(TrainerTest.MODEL).build();
            Engine.getInstance().setRandomSeed(7);
            model.initialize(manager);
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            model.namedParameters().forEach((name, p) -> arrays.put(name, p.getArray()));
            FlatParameters flat = new FlatParameters(arrays, BitLM::isLatentMatrix);
            assertThat(flat.all().size()).isGreaterThan(10_000);

            float[] oneDevice;
            float oneLoss;
            model.setNoiseSeed(c.seed(), 0);
            try (NDManager sm = manager.newSubManager()) {
                NDArray lossSum = sm.zeros(new Shape());
                for (int micro = 0; micro < 2; micro++) {
                    NDArray w = sm.create(sampler.batch(0, micro, c.batch()), new Shape(c.batch(), sampler.windowLength()));
                    Trainer.microBatch(model, flat, sm, w, 2, lossSum, null);
                }
                oneDevice = flat.all().getGradient().toFloatArray();
                oneLoss = lossSum.getFloat();
                ai.djl.pytorch.jni.JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) flat.all());
            }
            try (DataParallel dp = new DataParallel(model, flat, List.of(Device.cpu()), 1000);
                 NDManager sm = manager.newSubManager()) {
                assertThat(dp.replicaValues(1)).containsExactly(dp.replicaValues(0));
                model.setNoiseSeed(c.seed(), 0);
                float loss = dp.forwardBackward(sm, 0, sampler, c.batch(), 2).getFloat();
                assertThat(loss).isEqualTo(oneLoss);
                assertThat(flat.all().getGradient().toFloatArray()).containsExactly(oneDevice);
                assertThat(dp.liveArrayCount()).isEqualTo(1); // the replica's flat array only
            }
        }
    }

    @Test
    void aCheckpointOfTwoReplicasResumesOnOneFourOrTwoDevices(@TempDir Path dir) throws IOException {
        TrainConfig two = on(TrainerTest.config(4, 4), "cpu,cpu");
        Map<String, float[]> straightTwo;
        try (Trainer t = trainer(two, dir.resolve("straight"), RunStart.fresh())) {
            t.run();
            straightTwo = TrainerTest.snapshot(t);
            assertThat(t.dataParallel().liveArrayCount()).isEqualTo(1);
        }
        Map<String, float[]> straightOne = new LinkedHashMap<>();
        losses(TrainerTest.config(4, 4), dir.resolve("one"), 4, straightOne);

        Path run = dir.resolve("half");
        try (Trainer t = trainer(two, run, RunStart.fresh())) {
            t.step();
            t.step();
            t.requestStop();
            assertThat(t.run().step()).isEqualTo(2);
        }
        Checkpoint half = Checkpoint.read(run);
        assertThat(half.meta().train().device()).isEqualTo("cpu,cpu");
        for (String devices : List.of("cpu", "cpu,cpu,cpu,cpu", "cpu,cpu")) {
            try (Trainer t = trainer(on(half.meta().train(), devices), dir.resolve("r" + devices),
                    RunStart.resume(half))) {
                assertThat(t.currentStep()).isEqualTo(2);
                t.run();
                Map<String, float[]> resumed = TrainerTest.snapshot(t);
                if (devices.equals("cpu,cpu")) {
                    // The same replicas: bit-identical to the uninterrupted run, as on one device.
                    assertThat(maxDifference(straightTwo, resumed)).isZero();
                } else {
                    assertThat(maxDifference(straightOne, resumed)).as(devices).isLessThan(TOLERANCE);
                }
            }
        }
    }

    @Test
    void microBatchesMustSplitEvenlyOverTheDevices() {
        assertThatThrownBy(() -> on(TrainerTest.config(4, 3), "cpu,cpu"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--accum: the 3 micro-batches of an update do not split evenly over the 2 devices")
                .hasMessageContaining("use a multiple of 2");
    }
}
