package dev.bitnet.train.cli;

import ai.djl.Device;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.train.TrainConfig;
import dev.bitnet.train.TrainRecipe;
import dev.bitnet.train.checkpoint.DataProvenance;
import dev.bitnet.train.data.CorpusException;
import dev.bitnet.train.data.CorpusPreparer;
import dev.bitnet.train.data.EvalWindows;
import dev.bitnet.train.data.PreparedCorpus;
import dev.bitnet.train.data.TokenDataset;
import dev.bitnet.train.data.WindowSampler;
import dev.bitnet.train.loop.ProgressBar;
import dev.bitnet.train.loop.Trainer;
import dev.bitnet.train.report.LossCurve;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** {@code train}: one training run (fresh, resumed, or started from another run's parameters). */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains a model on text or token shards and writes metrics.jsonl, last/ and best/ to --out.",
                "Recipe defaults are docs/model.md's (AdamW 0.9/0.95, weight decay 0.1 on latent matrices, "
                        + "warm-up + cosine to 10 %%, clip 1.0, latent clamp, tau 1.0 -> 0.25, attention noise 1 -> 0.01)."})
final class TrainCommand implements Callable<Integer> {

    private static final double DEFAULT_VAL_FRACTION = 0.01;

    // --- model -----------------------------------------------------------------------------
    @Option(names = "--preset", paramLabel = "NAME", description = "Model preset: tiny, 75m or 300m (default tiny).")
    String preset;
    @Option(names = "--config", paramLabel = "FILE",
            description = "JSON overriding model fields: vocab_size, d_model, n_layers, n_heads, d_ff, context, tokenizer.")
    Path configFile;
    @Option(names = "--ctx", paramLabel = "T", description = "Training context length (overrides the model's).")
    Integer ctx;
    @Option(names = "--float-ablation", description = "Train the float twin instead of the 1-bit model.")
    Boolean floatAblation;
    @Option(names = "--alpha-v-init", paramLabel = "X",
            description = "Initial output-head scale alpha_v (default 1/sqrt(d); 1 suits runs of a few minutes).")
    Double alphaVInit;

    // --- data and run ------------------------------------------------------------------------
    @Option(names = "--data", paramLabel = "PATH", arity = "1..*", required = true,
            description = "Training inputs: text, JSONL (.gz/.bz2/.xz/.zst) or llm.c .bin shards; files or directories.")
    List<Path> data;
    @Option(names = "--val", paramLabel = "PATH", arity = "1..*",
            description = "Validation inputs (default: hold out the last --val-fraction of --data).")
    List<Path> val;
    @Option(names = "--val-fraction", paramLabel = "F",
            description = "Fraction of the training tokens held out for validation when --val is absent (default 0.01; 0 = none).")
    Double valFraction;
    @Option(names = "--cache", paramLabel = "DIR",
            description = "Where tokenized shards are kept (default ~/.cache/bitnet/corpus).")
    Path cache;
    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Run directory.")
    Path out;
    @Option(names = "--resume", description = "Continue the run in --out exactly (a larger --steps extends it).")
    boolean resume;
    @Option(names = "--init-from", paramLabel = "DIR",
            description = "Start a new schedule from the parameters of a checkpoint or run directory.")
    Path initFrom;
    @Option(names = "--init-optimizer", description = "With --init-from: also load its AdamW moments.")
    boolean initOptimizer;

    // --- schedule and optimizer ----------------------------------------------------------------
    @Option(names = "--steps", paramLabel = "N", description = "Updates in the run (default 1000).")
    Integer steps;
    @Option(names = "--batch", paramLabel = "B", description = "Sequences per micro-batch (default 16).")
    Integer batch;
    @Option(names = "--accum", paramLabel = "K", description = "Micro-batches per update (default 1).")
    Integer accum;
    @Option(names = "--lr", paramLabel = "LR", description = "Peak learning rate (default 5e-3 tiny, 1e-3 75m, 6e-4 300m).")
    Double lr;
    @Option(names = "--min-lr-ratio", paramLabel = "R", description = "Cosine floor as a fraction of --lr (default 0.1).")
    Double minLrRatio;
    @Option(names = "--warmup", paramLabel = "N", description = "Warm-up updates (default 5 %% of --steps).")
    Integer warmup;
    @Option(names = "--weight-decay", paramLabel = "WD", description = "Decoupled weight decay of latent matrices (default 0.1).")
    Double weightDecay;
    @Option(names = "--beta1", paramLabel = "B1", description = "AdamW beta1 (default 0.9).")
    Double beta1;
    @Option(names = "--beta2", paramLabel = "B2", description = "AdamW beta2 (default 0.95).")
    Double beta2;
    @Option(names = "--eps", paramLabel = "E", description = "AdamW epsilon (default 1e-8).")
    Double eps;
    @Option(names = "--grad-clip", paramLabel = "C", description = "Global gradient-norm limit, 0 = off (default 1.0).")
    Double gradClip;
    @Option(names = "--no-latent-clamp", description = "Do not clamp latent weights to [-1, 1] after each update.")
    Boolean noLatentClamp;
    @Option(names = "--tau-start", paramLabel = "T0", description = "Attention temperature at the first update (default 1.0).")
    Double tauStart;
    @Option(names = "--tau-end", paramLabel = "T1", description = "Attention temperature at the last update (default 0.25).")
    Double tauEnd;
    @Option(names = "--attention-ramp", paramLabel = "F", description = "Fraction of the updates over which training"
            + " attention goes from soft (softmax of the noisy scores) to the hard pointer (default 0: hard throughout).")
    Double attentionRamp;
    @Option(names = "--distill-from", paramLabel = "DIR", description = "Also learn the next-token distribution of"
            + " this trained model (a checkpoint or run directory of the same vocabulary, e.g. the float twin).")
    Path distillFrom;
    @Option(names = "--distill-weight", paramLabel = "W", description = "The teacher's share of the loss with"
            + " --distill-from (default 0.5).")
    Double distillWeight;
    @Option(names = "--noise-end", paramLabel = "S", description = "Scale of the attention's Gumbel noise at the last"
            + " update, by a cosine from 1: training picks keys from softmax(score / scale) (default 0.01; 1 = constant).")
    Double noiseEnd;
    @Option(names = "--seed", paramLabel = "S", description = "Seed of initialisation, data order and noise (default 1337).")
    Long seed;

    // --- bookkeeping and hardware ----------------------------------------------------------------
    @Option(names = "--eval-every", paramLabel = "N", description = "Evaluate every N updates, 0 = only at the end (default 10 %% of --steps).")
    Integer evalEvery;
    @Option(names = "--eval-batches", paramLabel = "N", description = "Validation batches per evaluation (default 20).")
    Integer evalBatches;
    @Option(names = "--checkpoint-every", paramLabel = "N", description = "Write last/ every N updates, 0 = only at the end (default 10 %% of --steps).")
    Integer checkpointEvery;
    @Option(names = {"--device", "--devices"}, paramLabel = "DEV",
            description = "cpu, gpu or gpu:N (default cpu); a list such as gpu:0,gpu:1 trains data parallel, "
                    + "the --accum micro-batches of an update shared by the devices.")
    String device;
    @Option(names = "--precision", paramLabel = "P",
            description = "Float32 matrix products on a GPU: fp32 or tf32 (TF32 tensor cores; default fp32).")
    String precision;
    @Option(names = "--threads", paramLabel = "N", description = "PyTorch intra- and inter-op threads (default: the engine's).")
    Integer threads;

    @Override
    public Integer call() throws IOException {
        // The options among themselves, the data paths, then what needs files: one message, the first problem.
        TrainRecipe recipe = badInput(() -> recipe().checkOptions());
        checkInputs();
        TrainRecipe.Plan plan = badInput(recipe::plan);
        ModelConfig model = plan.model();
        TrainConfig config = plan.config();
        if (config.threads() > 0) {
            // Read by the PyTorch engine when it starts, which is below.
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(config.threads()));
            System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(config.threads()));
        }
        List<Device> devs = config.devices().stream().map(TrainCommand::device).toList();
        PreparedCorpus corpus = prepareCorpus(model);
        ProgressBar bar = ProgressBar.stderr(config.steps());
        try (TokenDataset trainData = corpus.openTrain();
             TokenDataset valData = corpus.hasValidation() ? corpus.openVal() : null) {
            WindowSampler sampler = badInput(() -> new WindowSampler(trainData, model.context(), config.seed()));
            EvalWindows evalWindows = valData == null ? null : badInput(() -> new EvalWindows(valData, model.context(),
                    config.evalBatches() * config.batch(), model.tokenizer()));
            // Directories are recorded as the files they held, so a model names its texts.
            DataProvenance provenance = DataProvenance.of(corpus.trainFiles(), corpus.valFiles(), valFraction(),
                    corpus.trainTokens(), corpus.valTokens());
            try (Trainer trainer = new Trainer(model, config, devs, out, sampler, evalWindows, plan.start(), bar,
                    provenance)) {
                bar.message(String.format(Locale.ROOT,
                        "bitnet-train: %s%s, %,d parameters | %,d training tokens, %s"
                                + " | %d updates of %,d tokens | %s | %s%s",
                        model, config.floatAblation() ? " (float ablation)" : "", trainer.model().parameterCount(),
                        corpus.trainTokens(), corpus.hasValidation() ? String.format(Locale.ROOT, "%,d validation tokens",
                                corpus.valTokens()) : "no validation", config.steps(),
                        config.tokensPerStep(model.context()), devs.size() == 1 ? devs.getFirst() : devs, out,
                        resume ? " | resuming at step " + trainer.currentStep() : ""));
                LossCurve curve = new LossCurve(out, LossCurve.title(out, model, config.floatAblation()), bar::message);
                trainer.onEvaluationAndEnd(curve::redraw);
                Trainer.Result r = runStoppingOnShutdown(trainer);
                if (!r.interrupted()) {
                    bar.message(doneLine(r, curve.picture()));
                }
            }
        }
        return 0;
    }

    /**
     * Runs the trainer; Ctrl-C (a shutdown of the JVM) asks it to stop after the current update,
     * and the JVM waits until it has written {@code last/} and {@code loss.png}.
     */
    private static Trainer.Result runStoppingOnShutdown(Trainer trainer) throws IOException {
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            trainer.requestStop();
            try {
                // Let the loop finish its update and write last/ before the JVM exits.
                done.await(10, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bitnet-train-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return trainer.run();
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running: it only waits for done, which is now counted down.
            }
        }
    }

    /**
     * {@code done: 800 updates, median 1,430 tokens/s, val 3.6130 bits/byte; checkpoints in
     * runs/tiny; loss curve runs/tiny/loss.png}: what the quickstart shows at the end of a run.
     */
    private String doneLine(Trainer.Result r, Path lossCurve) {
        StringBuilder b = new StringBuilder("done: ").append(r.step()).append(" updates");
        if (r.skippedSteps() > 0) {
            b.append(", ").append(r.skippedSteps()).append(" skipped (non-finite)");
        }
        if (Double.isFinite(r.medianTokensPerS())) {
            b.append(String.format(Locale.ROOT, ", median %,.0f tokens/s", r.medianTokensPerS()));
        }
        if (r.metrics().valBitsPerByte() != null) {
            b.append(String.format(Locale.ROOT, ", val %.4f bits/byte", r.metrics().valBitsPerByte()));
        }
        if (r.peakGpuMib() >= 0) {
            b.append(String.format(Locale.ROOT, ", GPU memory peak %,d MiB", r.peakGpuMib()));
        }
        b.append("; checkpoints in ").append(out);
        if (lossCurve != null) {
            b.append("; loss curve ").append(lossCurve);
        }
        return b.toString();
    }

    /** The options as a recipe, which holds the rules of the run (defaults, resume, init-from). */
    private TrainRecipe recipe() {
        return new TrainRecipe(out).optResume(resume).optInitFrom(initFrom).optInitOptimizer(initOptimizer)
                .optPreset(preset).optConfig(configFile).optCtx(ctx).optFloatAblation(floatAblation)
                .optAlphaVInit(alphaVInit).optSteps(steps).optBatch(batch).optAccum(accum).optLr(lr)
                .optMinLrRatio(minLrRatio).optWarmup(warmup).optWeightDecay(weightDecay).optBeta1(beta1)
                .optBeta2(beta2).optEps(eps).optGradClip(gradClip)
                .optLatentClamp(noLatentClamp == null ? null : !noLatentClamp).optTauStart(tauStart).optTauEnd(tauEnd)
                .optAttentionRamp(attentionRamp).optDistillFrom(distillFrom).optDistillWeight(distillWeight)
                .optNoiseEnd(noiseEnd)
                .optSeed(seed).optEvalEvery(evalEvery).optEvalBatches(evalBatches).optCheckpointEvery(checkpointEvery)
                .optDevice(device).optPrecision(precision).optThreads(threads);
    }

    /** The data inputs: not both --val and --val-fraction, and every path there. */
    private void checkInputs() {
        if (val != null && valFraction != null) {
            throw new BadInputException("give either --val or --val-fraction, not both");
        }
        for (Path p : data) {
            if (!Files.exists(p)) {
                throw new BadInputException("--data: no such file or directory: " + p);
            }
        }
        if (val != null) {
            for (Path p : val) {
                if (!Files.exists(p)) {
                    throw new BadInputException("--val: no such file or directory: " + p);
                }
            }
        }
    }

    private static Device device(String name) {
        return GpuDevice.resolve(name);
    }

    private PreparedCorpus prepareCorpus(ModelConfig model) throws IOException {
        Path cacheDir = cache != null ? cache : Path.of(System.getProperty("user.home"), ".cache", "bitnet", "corpus");
        double fraction = valFraction();
        try {
            return CorpusPreparer.prepare(data, val == null ? List.of() : val, fraction, model.tokenizer(), cacheDir);
        } catch (CorpusException | IllegalArgumentException e) {
            throw new BadInputException("data: " + e.getMessage(), e);
        }
    }

    /** The held-out fraction of the training tokens (0 when --val is given). */
    private double valFraction() {
        return val != null ? 0 : valFraction != null ? valFraction : DEFAULT_VAL_FRACTION;
    }

    /** {@code s}'s value; its {@link IllegalArgumentException} (an option or value at fault) is bad input. */
    private static <T> T badInput(Supplier<T> s) {
        try {
            return s.get();
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }
}
