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
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.train.TrainConfig;
import dev.bitnet.train.checkpoint.Checkpoint;
import dev.bitnet.train.checkpoint.CheckpointException;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training loop, in the manner of nanoGPT's {@code train.py}: per update, the schedules
 * give lr and tau; micro-batches are forwarded and back-propagated (gradients summed); the
 * global gradient norm is checked and clipped; AdamW updates in place; latent matrices are
 * clamped. Every {@code evalEvery} updates (and at the end) the validation loss is measured and
 * {@code best/} kept; every {@code checkpointEvery} updates (at the end, and when asked to stop)
 * {@code last/} is written. Every update and evaluation is reported ({@code Progress}: a
 * {@code metrics.jsonl} line and a console line); the caller may act after every evaluation and at
 * the end ({@link #onEvaluationAndEnd}: the command redraws {@code loss.png} there).
 *
 * <p>Memory: the parameters (one flat array, {@link FlatParameters}, and their views), the
 * moments and nothing else live in the long-lived manager; every array of an update (tokens,
 * views, activations, gradient wrappers, temporaries) belongs to a per-update sub-manager closed
 * at its end.
 *
 * <p>Reproducibility: the data windows are a pure function of (seed, step, micro-batch) and the
 * Gumbel noise is reseeded from (seed, step), so a resumed run computes what an uninterrupted
 * one would have (bit-identical on the CPU, and on the same kind of GPU as measured on an H200).
 *
 * <p>Several devices: {@link DataParallel} runs the micro-batches of an update on replicas and
 * sums their gradients on the first device; the rest of the update is the one-device code.
 */
public final class Trainer implements AutoCloseable {

    /** Consecutive non-finite updates that stop a run. */
    public static final int NON_FINITE_LIMIT = 5;
    private static final double LN2 = Math.log(2);

    private final ModelConfig modelConfig;
    private final TrainConfig config;
    private final int ctx;                  // T, the training window
    private final Path runDir;
    private final DataProvenance data;      // recorded in the checkpoints
    private final NDManager manager;        // parameters and moments; each update has a sub-manager
    private final BitLM model;
    private final Map<String, NDArray> params;
    private final FlatParameters flat;
    private final AdamW optimizer;
    private final DataParallel parallel;   // null on one device
    private final WindowSampler sampler;
    private final EvalWindows val;          // null: no validation
    private final NonFiniteGuard guard = new NonFiniteGuard(NON_FINITE_LIMIT);
    private final Progress progress;
    private final EvalDiagnostics diagnostics; // null: no validation
    private Runnable onEvaluationAndEnd = () -> { };

    private int step;                       // updates done
    private long tokens;                    // training tokens consumed
    private CheckpointMetrics lastEval;
    private Double bestValLoss;
    private final Distillation distillation;   // null without --distill-from
    private volatile boolean stopRequested;

    /** One update's figures. */
    public record StepResult(int step, double loss, double gradNorm, double lr, double tau, double seconds,
                             String skipped) {
    }

    /**
     * How a run ended.
     *
     * @param medianTokensPerS median training tokens per second of the updates of this process
     *                         ({@code NaN} if it made none)
     * @param peakGpuMib       the most memory seen in use on the GPU after an update, MiB
     *                         ({@link GpuMemory}); -1 on the CPU or when the CUDA runtime cannot tell
     */
    public record Result(int step, CheckpointMetrics metrics, boolean interrupted, int skippedSteps,
                         double medianTokensPerS, long peakGpuMib) {
    }

    /**
     * Builds the model on {@code device}, initialises it from the seed and loads {@code start}'s
     * checkpoint if any.
     *
     * @see #Trainer(ModelConfig, TrainConfig, List, Path, WindowSampler, EvalWindows, RunStart, ProgressBar, DataProvenance)
     */
    public Trainer(ModelConfig modelConfig, TrainConfig config, Device device, Path runDir, WindowSampler sampler,
                   EvalWindows val, RunStart start, ProgressBar bar, DataProvenance data) throws IOException {
        this(modelConfig, config, List.of(device), runDir, sampler, val, start, bar, data);
    }

    /**
     * Builds the model on the first of {@code devices}, initialises it from the seed and loads
     * {@code start}'s checkpoint if any; with several devices, a replica of the parameters on each
     * of the others ({@link DataParallel}: the devices share each update's micro-batches, the first
     * one sums the gradients, keeps the optimizer, evaluates and writes checkpoints).
     *
     * @param modelConfig the model shape ({@code context} is the training window)
     * @param config      hyperparameters (for a resumed run: the checkpoint's, possibly with more steps);
     *                    {@code accum} must be a multiple of the number of devices
     * @param devices     one device, or one per replica (the same CPU device several times simulates replicas)
     * @param runDir      where {@code metrics.jsonl}, {@code last/} and {@code best/} go
     * @param sampler     training windows of {@code modelConfig.context()} tokens
     * @param val         validation windows, or {@code null} for none
     * @param bar         console progress
     * @param data        what the run trains on, recorded in its checkpoints; {@code null} keeps
     *                    the resumed checkpoint's record (or records none)
     */
    public Trainer(ModelConfig modelConfig, TrainConfig config, List<Device> devices, Path runDir,
                   WindowSampler sampler, EvalWindows val, RunStart start, ProgressBar bar, DataProvenance data)
            throws IOException {
        long startNanos = System.nanoTime();
        this.modelConfig = modelConfig;
        this.config = config;
        this.ctx = modelConfig.context();
        this.runDir = runDir;
        this.data = data != null || !start.resume() ? data : start.from().meta().data();
        this.sampler = sampler;
        this.val = val;
        if (sampler.windowLength() != ctx + 1) {
            throw new IllegalArgumentException("sampler windows hold " + sampler.windowLength() + " tokens, context "
                    + ctx + " needs " + (ctx + 1));
        }
        if (devices.isEmpty() || config.accum() % devices.size() != 0) {
            throw new IllegalArgumentException("the " + config.accum() + " micro-batches of an update do not split"
                    + " evenly over " + devices.size() + " devices " + devices);
        }
        Device device = devices.getFirst();
        devices.forEach(MatmulPrecision.of(config.precision())::applyTo);
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
        distillation = config.distillFrom() == null ? null
                : Distillation.load(readTeacher(config.distillFrom()), config.distillWeight(), manager);
        parallel = devices.size() == 1 ? null : new DataParallel(model, flat, devices.subList(1, devices.size()));
        progress = new Progress(new MetricsWriter(runDir, step), bar, device, config.steps(),
                config.tokensPerStep(ctx), startNanos);
        diagnostics = val == null ? null : new EvalDiagnostics(model, params, device);
    }

    private static Checkpoint readTeacher(String dir) {
        try {
            return Checkpoint.read(Path.of(dir));
        } catch (CheckpointException e) {
            throw new IllegalArgumentException("--distill-from: " + e.getMessage(), e);
        }
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

    /** The replicas of a data-parallel run, or {@code null} on one device: what tests inspect. */
    DataParallel dataParallel() {
        return parallel;
    }

    /**
     * The most memory seen in use on the GPU after an update so far, MiB ({@link GpuMemory}); -1 on
     * the CPU or when the CUDA runtime cannot tell.
     */
    public long peakGpuMib() {
        return progress.peakGpuMib();
    }

    /**
     * Asks the loop to stop after the current update and write {@code last/}; the command calls it
     * on Ctrl-C. Safe from any thread.
     */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Sets what runs after every evaluation (its metrics line written) and when {@link #run()}
     * ends, finished, stopped or diverged: the moments a picture of {@code metrics.jsonl} is worth
     * redrawing. It should not throw.
     */
    public void onEvaluationAndEnd(Runnable action) {
        onEvaluationAndEnd = action;
    }

    /**
     * Trains to {@code config.steps()} or until {@link #requestStop()}, evaluating and writing
     * checkpoints on the way and at the end.
     *
     * @throws TrainingDivergedException after {@value #NON_FINITE_LIMIT} non-finite updates in a
     *                                   row ({@code last/} is written first, with the last good parameters)
     */
    public Result run() throws IOException {
        try {
            boolean wroteLast = false;
            while (step < config.steps() && !stopRequested) {
                step();
                if (guard.exhausted()) {
                    writeCheckpoint(Checkpoint.LAST, true);
                    throw guard.failure();
                }
                boolean end = step == config.steps();
                if (val != null && (end || due(config.evalEvery()))) {
                    evaluate();
                }
                wroteLast = end || due(config.checkpointEvery());
                if (wroteLast) {
                    writeCheckpoint(Checkpoint.LAST, true);
                }
            }
            boolean interrupted = step < config.steps();
            if (interrupted) {
                if (!wroteLast) {
                    writeCheckpoint(Checkpoint.LAST, true);
                }
                progress.message("stopped at step " + step + "/" + config.steps() + ": " + runDir.resolve(Checkpoint.LAST)
                        + " is up to date (continue with --resume)");
            }
            return new Result(step, lastEval, interrupted, guard.skipped(), progress.medianTokensPerS(),
                    progress.peakGpuMib());
        } finally {
            onEvaluationAndEnd.run();
        }
    }

    /** Whether an action every {@code n} updates (0: never) is due after this one. */
    private boolean due(int n) {
        return n > 0 && step % n == 0;
    }

    /**
     * One update: forward and backward of {@code accum} micro-batches, non-finite check, clipping,
     * AdamW, clamp. A non-finite update changes no parameter and is reported in the result
     * ({@link #run()} stops after {@value #NON_FINITE_LIMIT} of them in a row). Writes the
     * metrics line and the progress line.
     */
    public StepResult step() {
        StepResult r = update();
        progress.update(r, tokens);
        return r;
    }

    private StepResult update() {
        long t0 = System.nanoTime();
        int s = step;
        double lr = Schedules.lr(s, config);
        double tau = Schedules.tau(s, config);
        model.setTau((float) tau);
        model.setAttentionHardness((float) Schedules.hardness(s, config));
        model.setNoiseScale((float) Schedules.noiseScale(s, config));
        model.setNoiseSeed(config.seed(), s);
        double gradNorm;
        double loss;
        String skipped;
        try (NDManager sm = manager.newSubManager()) {
            NDArray lossSum = parallel == null ? forwardBackward(sm, s)
                    : parallel.forwardBackward(sm, s, sampler, config.batch(), config.accum());
            gradNorm = Gradients.globalNorm(List.of(optimizer.gradient(sm)));          // waits for the device
            loss = lossSum.getFloat() / config.accum();
            skipped = guard.check(s + 1, loss, gradNorm);
            if (skipped == null) {
                optimizer.update(sm, lr, Gradients.clipScale(gradNorm, config.gradClip()));
                if (config.latentClamp() && !config.floatAblation()) {
                    LatentClamp.apply(List.of(FlatParameters.range(flat.all(), 0, flat.decayedSize(), sm)), sm);
                }
                if (parallel != null) {
                    parallel.broadcast(sm);
                }
            } else {
                optimizer.zeroGradients();
            }
        }
        step = s + 1;
        tokens += config.tokensPerStep(ctx);
        return new StepResult(step, loss, gradNorm, lr, tau, (System.nanoTime() - t0) / 1e9, skipped);
    }

    /**
     * Forward and backward of update {@code s}'s {@code accum} micro-batches, in training mode:
     * the gradients of the mean loss accumulate in the flat gradient; returns the sum of the
     * micro-batches' losses (on the device, not yet read).
     */
    private NDArray forwardBackward(NDManager sm, int s) {
        // Every copy from the host waits for the device: the tokens of all micro-batches are
        // copied first, and the losses are summed on the device and read once, with the norm.
        NDArray[] windows = new NDArray[config.accum()];
        for (int micro = 0; micro < windows.length; micro++) {
            windows[micro] = sm.create(sampler.batch(s, micro, config.batch()), new Shape(config.batch(), ctx + 1));
        }
        NDArray lossSum = sm.zeros(new Shape());
        for (NDArray w : windows) {
            microBatch(model, flat, sm, w, config.accum(), lossSum, distillation);
        }
        return lossSum;
    }

    /**
     * Forward and backward of one micro-batch {@code window} {@code (B, T + 1)} owned by
     * {@code sm}, with the parameters of {@code flat} (on {@code sm}'s device): the gradient of its
     * loss divided by {@code accum} accumulates in {@code flat}'s gradient, its loss is added to
     * {@code lossSum} (its cross-entropy, also under distillation, so that runs compare).
     * {@code distillation} is {@code null} without a teacher.
     */
    static void microBatch(BitLM model, FlatParameters flat, NDManager sm, NDArray window, int accum,
                           NDArray lossSum, Distillation distillation) {
        NDArray inputs = window.get(new NDIndex(":, :-1"));                            // (B, T)
        NDArray targets = window.get(new NDIndex(":, 1:"));                            // (B, T)
        // The teacher runs before the collector opens, so that nothing of it is recorded.
        NDArray teacher = distillation == null ? null : distillation.teacherProbabilities(inputs);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray microLoss;
            NDArray objective;
            // The parameters as views of the flat array, made inside the collector.
            ParameterStore ps = flat.store(sm, model.namedParameters());
            try (NDArray logits = model.forward(ps, new NDList(inputs), true).singletonOrThrow()) { // (B, T, V)
                microLoss = Losses.meanCrossEntropy(logits, targets);
                objective = teacher == null ? microLoss : distillation.loss(logits, microLoss, teacher);
            }
            // Summed over micro-batches, the gradients are those of the mean loss. The divisor
            // is a tensor PyTorch allocates: a Java-number operand (loss.div(int)) is a
            // temporary whose Java-owned memory can be reused before backward reads it.
            gc.backward(accum == 1 ? objective : objective.div(sm.full(new Shape(), (float) accum)));
            try (NDArray value = microLoss.stopGradient()) {
                lossSum.addi(value);
            }
        }
    }

    /**
     * Measures the validation loss on up to {@code evalBatches} batches of windows (evaluation
     * mode: no noise) and the per-layer statistics of the first one ({@link EvalDiagnostics}),
     * writes a metrics line, and writes {@code best/} when the loss is the lowest so far.
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
            // The per-layer statistics come from the first batch, the same windows at every
            // evaluation: comparable from one to the next, and a few percent of its time.
            boolean observed = i == 0;
            if (observed) {
                diagnostics.observeNextForward();
            }
            try (NDManager sm = manager.newSubManager()) {
                NDArray windows = sm.create(eb.tokens(), new Shape(eb.rows(), ctx + 1));
                NDArray logits = model.forward(windows.get(new NDIndex(":, :-1")), false);
                ceSum += Losses.tokenCrossEntropy(logits, windows.get(new NDIndex(":, 1:"))).sum().getFloat();
                if (observed) {
                    diagnostics.collect();
                }
            }
            targets += (long) eb.rows() * ctx;
            bytes += eb.totalTargetBytes();
        }
        EvalDiagnostics.Result layers = diagnostics.finishEvaluation();
        double valLoss = ceSum / targets;
        boolean best = Double.isFinite(valLoss) && (bestValLoss == null || valLoss < bestValLoss);
        if (best) {
            bestValLoss = valLoss;
        }
        lastEval = new CheckpointMetrics(valLoss, valLoss / LN2, ceSum / LN2 / bytes, bestValLoss);
        progress.evaluation(step, tokens, lastEval, best, layers);
        if (best) {
            writeCheckpoint(Checkpoint.BEST, false);
        }
        onEvaluationAndEnd.run();
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

    @Override
    public void close() throws IOException {
        try {
            progress.close();
        } finally {
            try {
                if (parallel != null) {
                    parallel.close();
                }
                if (diagnostics != null) {
                    diagnostics.close();
                }
            } finally {
                manager.close();
            }
        }
    }
}
