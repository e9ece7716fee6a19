package dev.bitnet.train.loop;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonObject;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.train.TrainConfig;
import dev.bitnet.train.checkpoint.Checkpoint;
import dev.bitnet.train.checkpoint.CheckpointLoader;
import dev.bitnet.train.checkpoint.CheckpointMeta;
import dev.bitnet.train.checkpoint.CheckpointMetrics;
import dev.bitnet.train.checkpoint.CheckpointWriter;
import dev.bitnet.train.checkpoint.DataProvenance;
import dev.bitnet.train.checkpoint.OptimizerState;
import dev.bitnet.train.data.EvalBatch;
import dev.bitnet.train.data.EvalWindows;
import dev.bitnet.train.data.WindowSampler;
import dev.bitnet.train.model.BitLM;
import dev.bitnet.train.optim.AdamW;
import dev.bitnet.train.optim.FlatParameters;
import dev.bitnet.train.optim.Gradients;
import dev.bitnet.train.optim.LatentClamp;
import dev.bitnet.train.optim.Schedules;
import dev.bitnet.train.report.LossCurve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The training loop, in the manner of nanoGPT's {@code train.py}: per update, the schedules
 * give lr and tau; micro-batches are forwarded and back-propagated (gradients summed); the
 * global gradient norm is checked and clipped; AdamW updates in place; latent matrices are
 * clamped. Every {@code evalEvery} updates (and at the end) the validation loss is measured and
 * {@code best/} kept; every {@code checkpointEvery} updates (at the end, and on Ctrl-C)
 * {@code last/} is written. After every evaluation and at the end {@code loss.png} is redrawn
 * from {@code metrics.jsonl} ({@link LossCurve}).
 *
 * <p>Memory: the parameters (one flat array, {@link FlatParameters}, and their views), the
 * moments and nothing else live in the long-lived manager; every array of an update (tokens,
 * views, activations, gradient wrappers, temporaries) belongs to a per-update sub-manager closed
 * at its end.
 *
 * <p>Reproducibility: the data windows are a pure function of (seed, step, micro-batch) and the
 * Gumbel noise is reseeded from (seed, step), so a resumed run computes what an uninterrupted
 * one would have (bit-identical on the CPU, and on the same kind of GPU as measured on an H200).
 */
public final class Trainer implements AutoCloseable {

    /** Consecutive non-finite updates that stop a run. */
    public static final int NON_FINITE_LIMIT = 5;
    private static final double LN2 = Math.log(2);

    private final ModelConfig modelConfig;
    private final TrainConfig config;
    private final Path runDir;
    private final NDManager manager;
    private final Device device;
    private final BitLM model;
    private final Map<String, NDArray> params;
    private final FlatParameters flat;
    private final AdamW optimizer;
    private final WindowSampler sampler;
    private final EvalWindows val;
    private final MetricsWriter metrics;
    private final ProgressBar bar;
    private final NonFiniteGuard guard = new NonFiniteGuard(NON_FINITE_LIMIT);
    private final int ctx;
    private final DataProvenance data;
    private final String label;
    /** Tokens per second of this process's updates (skipped ones excluded), for the median. */
    private final List<Double> speeds = new ArrayList<>();
    private boolean plotWarned;

    private int step;
    private long tokens;
    private CheckpointMetrics lastEval;
    private Double bestValLoss;
    private volatile boolean stopRequested;
    private final long startNanos = System.nanoTime();
    private double emaStepSeconds = Double.NaN;
    private final TimeLeft timeLeft = new TimeLeft();
    /** The most GPU memory seen in use after an update, MiB; -1 on the CPU or when unknown. */
    private long peakGpuMib = -1;

    /** One update's figures. */
    public record StepResult(int step, double loss, double gradNorm, double lr, double tau, double seconds,
                             String skipped) {
    }

    /**
     * How a run ended.
     *
     * @param medianTokensPerS median training tokens per second of the updates of this process
     *                         ({@code NaN} if it made none)
     * @param lossCurve        the loss-curve picture, or {@code null} if it could not be drawn
     * @param peakGpuMib       the most memory seen in use on the GPU after an update, MiB
     *                         ({@link GpuMemory}); -1 on the CPU or when the CUDA runtime cannot tell
     */
    public record Result(int step, CheckpointMetrics metrics, boolean interrupted, int skippedSteps,
                         double medianTokensPerS, Path lossCurve, long peakGpuMib) {
    }

    /**
     * Builds the model on {@code device}, initialises it from the seed and loads {@code start}'s
     * checkpoint if any.
     *
     * @param modelConfig the model shape ({@code context} is the training window)
     * @param config      hyperparameters (for a resumed run: the checkpoint's, possibly with more steps)
     * @param runDir      where {@code metrics.jsonl}, {@code last/} and {@code best/} go
     * @param sampler     training windows of {@code modelConfig.context()} tokens
     * @param val         validation windows, or {@code null} for none
     * @param bar         console progress
     * @param data        what the run trains on, recorded in its checkpoints; {@code null} keeps
     *                    the resumed checkpoint's record (or records none)
     */
    public Trainer(ModelConfig modelConfig, TrainConfig config, Device device, Path runDir, WindowSampler sampler,
                   EvalWindows val, RunStart start, ProgressBar bar, DataProvenance data) throws IOException {
        this.modelConfig = modelConfig;
        this.config = config;
        this.runDir = runDir;
        this.sampler = sampler;
        this.val = val;
        this.bar = bar;
        this.ctx = modelConfig.context();
        this.data = data != null || !start.resume() ? data : start.from().meta().data();
        this.label = label(runDir, modelConfig, config.floatAblation());
        if (sampler.windowLength() != ctx + 1) {
            throw new IllegalArgumentException("sampler windows hold " + sampler.windowLength() + " tokens, context "
                    + ctx + " needs " + (ctx + 1));
        }
        MatmulPrecision.of(config.precision()).applyTo(device);
        this.device = device;
        manager = NDManager.newBaseManager(device);
        BitLM.Builder b = BitLM.builder().setConfig(modelConfig).optFloatAblation(config.floatAblation());
        if (config.alphaVInit() != null) {
            b.optAlphaVInit(config.alphaVInit().floatValue());
        }
        model = b.build();
        Engine.getInstance().setRandomSeed(Long.hashCode(config.seed()));
        model.initialize(manager);
        Map<String, NDArray> p = new LinkedHashMap<>();
        model.namedParameters().forEach((name, param) -> p.put(name, param.getArray()));
        params = Collections.unmodifiableMap(p);
        flat = new FlatParameters(params, BitLM::isLatentMatrix);
        optimizer = new AdamW(flat, config.beta1(), config.beta2(), config.eps(), config.weightDecay());
        lastEval = CheckpointMetrics.NONE;
        if (start.from() != null) {
            Checkpoint c = start.from();
            CheckpointLoader.load(c, model);
            if (start.loadOptimizer()) {
                OptimizerState s = Checkpoint.readOptimizer(c.dir());
                optimizer.restore(s.step(), s.moments());
            }
            if (start.resume()) {
                step = c.step();
                tokens = c.meta().tokens();
                lastEval = c.metrics();
                bestValLoss = c.metrics().bestValLoss();
            }
        }
        metrics = new MetricsWriter(runDir, step);
    }

    /** The title of the loss curve: the run directory's name, the preset (or shape) and the kind of model. */
    private static String label(Path runDir, ModelConfig m, boolean floatAblation) {
        Path name = runDir.toAbsolutePath().normalize().getFileName();
        String shape = m.presetName().orElseGet(() -> String.format(Locale.ROOT, "V %d, d %d, L %d, H %d, F %d",
                m.vocabSize(), m.dModel(), m.nLayers(), m.nHeads(), m.dFf()));
        return (name == null ? runDir.toString() : name.toString()) + " | " + shape + ", ctx " + m.context() + ", "
                + (floatAblation ? "float twin" : "1-bit");
    }

    /** The model being trained. */
    public BitLM model() {
        return model;
    }

    /** The trained arrays by checkpoint name. */
    public Map<String, NDArray> parameters() {
        return params;
    }

    /** Updates done. */
    public int currentStep() {
        return step;
    }

    /** Arrays alive in the long-lived manager (parameters and moments between updates): a leak check. */
    public int liveArrayCount() {
        return manager.getManagedArrays().size();
    }

    /**
     * The most memory seen in use on the GPU after an update so far, MiB ({@link GpuMemory}); -1 on
     * the CPU or when the CUDA runtime cannot tell.
     */
    public long peakGpuMib() {
        return peakGpuMib;
    }

    /** Asks the loop to stop after the current update and write {@code last/} (what Ctrl-C does). */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Trains to {@code config.steps()} (or until {@link #requestStop()} or Ctrl-C), evaluating and
     * writing checkpoints on the way and at the end.
     *
     * @throws TrainingDivergedException after {@value #NON_FINITE_LIMIT} non-finite updates in a
     *                                   row ({@code last/} is written first, with the last good parameters)
     */
    public Result run() throws IOException {
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            requestStop();
            try {
                // Let the loop finish its update and write last/ before the JVM exits.
                done.await(10, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bitnet-train-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return loop();
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running: it only waits for done, which is now counted down.
            }
        }
    }

    private Result loop() throws IOException {
        boolean wroteLast = false;
        while (step < config.steps() && !stopRequested) {
            StepResult r = step();
            if (guard.exhausted()) {
                writeCheckpoint(Checkpoint.LAST, true);
                plotLossCurve();
                throw guard.failure();
            }
            wroteLast = false;
            boolean end = step == config.steps();
            if (val != null && (end || (config.evalEvery() > 0 && step % config.evalEvery() == 0))) {
                evaluate();
            }
            if (end || (config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0)) {
                writeCheckpoint(Checkpoint.LAST, true);
                wroteLast = true;
            }
        }
        boolean interrupted = step < config.steps();
        if (interrupted) {
            if (!wroteLast) {
                writeCheckpoint(Checkpoint.LAST, true);
            }
            bar.message("stopped at step " + step + "/" + config.steps() + ": " + runDir.resolve(Checkpoint.LAST)
                    + " is up to date (continue with --resume)");
        }
        Path curve = plotLossCurve();
        return new Result(step, lastEval, interrupted, guard.skipped(), median(speeds), curve, peakGpuMib);
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /**
     * Redraws {@code loss.png} from the whole {@code metrics.jsonl} (a resumed run's history
     * included). The picture is a convenience: a failure costs one warning line, never the run.
     *
     * @return the picture, or {@code null} if it could not be drawn
     */
    private Path plotLossCurve() {
        try {
            return LossCurve.write(runDir.resolve(MetricsWriter.FILE), label);
        } catch (Exception | Error e) {
            // Also Errors: AWT reports missing fonts or native libraries with them.
            if (!plotWarned) {
                plotWarned = true;
                bar.message("warning: cannot draw " + runDir.resolve(LossCurve.FILE) + " (training goes on): " + e);
            }
            return null;
        }
    }

    /**
     * One update: forward and backward of {@code accum} micro-batches, non-finite check, clipping,
     * AdamW, clamp. A non-finite update changes no parameter and is reported in the result
     * ({@link #run()} stops after {@value #NON_FINITE_LIMIT} of them in a row). Writes the
     * metrics line and the progress line.
     */
    public StepResult step() {
        StepResult r = update();
        report(r);
        return r;
    }

    private StepResult update() {
        long t0 = System.nanoTime();
        int s = step;
        double lr = Schedules.lr(s, config);
        double tau = Schedules.tau(s, config);
        model.setTau((float) tau);
        model.setNoiseSeed(config.seed(), s);
        double gradNorm;
        double loss;
        String skipped;
        try (NDManager sm = manager.newSubManager()) {
            // Every copy from the host waits for the device: the tokens of all micro-batches are
            // copied first, and the losses are summed on the device and read once, with the norm.
            NDArray[] windows = new NDArray[config.accum()];
            for (int micro = 0; micro < windows.length; micro++) {
                windows[micro] = sm.create(sampler.batch(s, micro, config.batch()), new Shape(config.batch(), ctx + 1));
            }
            NDArray lossSum = sm.zeros(new Shape());
            for (NDArray w : windows) {
                NDArray inputs = w.get(new NDIndex(":, :-1"));                         // (B, T)
                NDArray targets = w.get(new NDIndex(":, 1:"));                         // (B, T)
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray microLoss;
                    // The parameters as views of the flat array, made inside the collector.
                    ParameterStore ps = flat.store(sm, model.namedParameters());
                    try (NDArray logits = model.forward(ps, new NDList(inputs), true).singletonOrThrow()) { // (B, T, V)
                        microLoss = Losses.meanCrossEntropy(logits, targets);
                    }
                    // Summed over micro-batches, the gradients are those of the mean loss. The divisor
                    // is a tensor PyTorch allocates: a Java-number operand (loss.div(int)) is a
                    // temporary whose Java-owned memory can be reused before backward reads it.
                    gc.backward(config.accum() == 1 ? microLoss
                            : microLoss.div(sm.full(new Shape(), (float) config.accum())));
                    try (NDArray value = microLoss.stopGradient()) {
                        lossSum.addi(value);
                    }
                }
            }
            gradNorm = Gradients.globalNorm(List.of(optimizer.gradient(sm)));          // waits for the device
            loss = lossSum.getFloat() / config.accum();
            skipped = guard.check(s + 1, loss, gradNorm);
            if (skipped == null) {
                optimizer.update(sm, lr, Gradients.clipScale(gradNorm, config.gradClip()));
                if (config.latentClamp() && !config.floatAblation()) {
                    LatentClamp.apply(List.of(FlatParameters.range(flat.all(), 0, flat.decayedSize(), sm)), sm);
                }
            } else {
                optimizer.zeroGradients();
            }
        }
        step = s + 1;
        tokens += config.tokensPerStep(ctx);
        return new StepResult(step, loss, gradNorm, lr, tau, (System.nanoTime() - t0) / 1e9, skipped);
    }

    private void report(StepResult r) {
        double tps = config.tokensPerStep(ctx) / r.seconds();
        if (r.skipped() == null) {
            speeds.add(tps);
        }
        emaStepSeconds = Double.isNaN(emaStepSeconds) ? r.seconds() : 0.9 * emaStepSeconds + 0.1 * r.seconds();
        JsonObject o = new JsonObject();
        o.addProperty("step", r.step());
        o.addProperty("tokens", tokens);
        if (r.skipped() != null) {
            o.addProperty("skipped", r.skipped());
            bar.message("step " + r.step() + ": skipped the update (" + r.skipped() + ")");
        } else {
            o.addProperty("loss", r.loss());
        }
        o.addProperty("lr", r.lr());
        o.addProperty("tau", r.tau());
        if (Double.isFinite(r.gradNorm())) {
            o.addProperty("grad_norm", r.gradNorm());
        }
        o.addProperty("tokens_per_s", tps);
        o.addProperty("rss_mb", ProcessMemory.rssMb());
        OptionalLong gpuMib = GpuMemory.usedMib(device);
        if (gpuMib.isPresent()) {
            peakGpuMib = Math.max(peakGpuMib, gpuMib.getAsLong());
            o.addProperty("gpu_mem_mib", gpuMib.getAsLong());
        }
        o.addProperty("elapsed_s", elapsed());
        metrics.write(o);
        timeLeft.updateEnded(System.nanoTime());
        bar.update(r.step(), config.steps(), r.loss(), r.lr(), r.tau(), config.tokensPerStep(ctx) / emaStepSeconds,
                timeLeft.seconds(config.steps() - r.step()));
    }

    /**
     * Measures the validation loss on up to {@code evalBatches} batches of windows (evaluation
     * mode: no noise), writes a metrics line, and writes {@code best/} when the loss is the lowest so far.
     *
     * @return the figures, also kept for the next checkpoint
     */
    public CheckpointMetrics evaluate() throws IOException {
        if (val == null) {
            throw new IllegalStateException("no validation data");
        }
        double ceSum = 0;
        long targets = 0;
        long bytes = 0;
        int batches = Math.min(config.evalBatches(), val.batchCount(config.batch()));
        for (int i = 0; i < batches; i++) {
            EvalBatch eb = val.batch(i, config.batch());
            try (NDManager sm = manager.newSubManager()) {
                NDArray windows = sm.create(eb.tokens(), new Shape(eb.rows(), ctx + 1));
                NDArray logits = model.forward(windows.get(new NDIndex(":, :-1")), false);
                ceSum += Losses.tokenCrossEntropy(logits, windows.get(new NDIndex(":, 1:"))).sum().getFloat();
            }
            targets += (long) eb.rows() * ctx;
            bytes += eb.totalTargetBytes();
        }
        double valLoss = ceSum / targets;
        boolean best = Double.isFinite(valLoss) && (bestValLoss == null || valLoss < bestValLoss);
        if (best) {
            bestValLoss = valLoss;
        }
        lastEval = new CheckpointMetrics(valLoss, valLoss / LN2, ceSum / LN2 / bytes, bestValLoss);
        JsonObject o = new JsonObject();
        o.addProperty("step", step);
        o.addProperty("tokens", tokens);
        o.addProperty("val_loss", lastEval.valLoss());
        o.addProperty("val_bits_per_token", lastEval.valBitsPerToken());
        o.addProperty("val_bits_per_byte", lastEval.valBitsPerByte());
        o.addProperty("elapsed_s", elapsed());
        metrics.write(o);
        bar.message(String.format(Locale.ROOT,
                "step %d | val loss %.4f | %.4f bits/token | %.4f bits/byte%s", step, valLoss,
                lastEval.valBitsPerToken(), lastEval.valBitsPerByte(), best ? " | best" : ""));
        if (best) {
            writeCheckpoint(Checkpoint.BEST, false);
        }
        plotLossCurve();
        return lastEval;
    }

    private void writeCheckpoint(String name, boolean withOptimizer) {
        CheckpointMeta meta = new CheckpointMeta(modelConfig, config.floatAblation(), step, tokens, config, lastEval,
                data);
        try {
            CheckpointWriter.write(runDir.resolve(name), meta, params, withOptimizer ? optimizer : null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + runDir.resolve(name) + ": " + e.getMessage(), e);
        }
    }

    private double elapsed() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    @Override
    public void close() throws IOException {
        try {
            metrics.close();
        } finally {
            manager.close();
        }
    }
}
