package dev.bitnet.train;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.train.checkpoint.Checkpoint;
import dev.bitnet.train.checkpoint.CheckpointException;
import dev.bitnet.train.checkpoint.ModelConfigJson;
import dev.bitnet.train.loop.MetricsWriter;
import dev.bitnet.train.loop.RunStart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A training run as asked for, and the recipe's rules that turn it into what a
 * {@link dev.bitnet.train.loop.Trainer} is built from ({@link #plan()}: the model, the
 * hyperparameters and where the parameters come from). {@code bitnet train} fills one from its
 * options; a program building a {@code Trainer} gets the same rules by filling one too:
 * <pre>{@code
 * TrainRecipe.Plan p = new TrainRecipe(runDir).optPreset("75m").optSteps(2000).plan();
 * new Trainer(p.model(), p.config(), device, runDir, sampler, val, p.start(), bar, data);
 * }</pre>
 *
 * <p>The rules:
 * <ul>
 *   <li>A fresh run: the model is the preset ({@code tiny} if none) with the {@code --config}
 *       fields and {@code --ctx} over it; every hyperparameter not given is
 *       {@link TrainConfig#defaults}'s for {@code --steps} (1000 if not given), except the peak
 *       learning rate, which is the preset's (5e-3 {@code tiny}, measured; 1e-3 {@code 75m},
 *       6e-4 {@code 300m}, untested guesses). The run directory must not hold a run.</li>
 *   <li>{@code --init-from}: a fresh run from a checkpoint's parameters (and, with
 *       {@code --init-optimizer}, its AdamW moments). The model is the checkpoint's; only
 *       {@code --ctx} may change it, a {@code --preset} or {@code --config} must describe the
 *       same model, and {@code --float-ablation} cannot change its kind. The default learning rate
 *       is that of the preset the model is (5e-3 for a custom shape).</li>
 *   <li>{@code --resume}: continues the run in the run directory exactly, so everything that
 *       shapes the computation comes from its checkpoint ({@link #FIXED_ON_RESUME} may not be
 *       given); {@code --steps} may grow, and the cadences and hardware options may change.</li>
 * </ul>
 *
 * <p>Options are named as the command line spells them; one set to {@code null} (the start) is
 * not given. A broken rule throws an {@link IllegalArgumentException} naming the option and the
 * value: {@link #checkOptions()} for the options alone, {@link #plan()} also for what needs the
 * files.
 */
public final class TrainRecipe {

    /** Updates in a fresh run when {@code --steps} is not given. */
    public static final int DEFAULT_STEPS = 1000;
    /** The options that would change the computation of a resumed run, which it takes from its checkpoint. */
    public static final List<String> FIXED_ON_RESUME = List.of("--preset", "--config", "--ctx", "--float-ablation",
            "--alpha-v-init", "--batch", "--accum", "--lr", "--min-lr-ratio", "--warmup", "--weight-decay", "--beta1",
            "--beta2", "--eps", "--grad-clip", "--no-latent-clamp", "--tau-start", "--tau-end", "--attention-ramp",
            "--distill-from", "--distill-weight", "--noise-end", "--seed", "--init-from", "--init-optimizer");
    /** Peak learning rates by preset: 5e-3 is measured for tiny; the larger ones are untested guesses. */
    private static final Map<String, Double> PRESET_LR = Map.of("tiny", 5e-3, "75m", 1e-3, "300m", 6e-4);

    /**
     * What a {@code Trainer} is built from.
     *
     * @param model  the model shape ({@code context} is the training window)
     * @param config the hyperparameters
     * @param start  where the parameters come from
     */
    public record Plan(ModelConfig model, TrainConfig config, RunStart start) {
    }

    private final Path out;
    private boolean resume;
    private Path initFrom;
    private boolean initOptimizer;
    private String preset;
    private Path config;
    private Integer ctx;
    private Boolean floatAblation;
    private Double alphaVInit;
    private Integer steps;
    private Integer batch;
    private Integer accum;
    private Double lr;
    private Double minLrRatio;
    private Integer warmup;
    private Double weightDecay;
    private Double beta1;
    private Double beta2;
    private Double eps;
    private Double gradClip;
    private Boolean latentClamp;
    private Double tauStart;
    private Double tauEnd;
    private Double attentionRamp;
    private Path distillFrom;
    private Double distillWeight;
    private Double noiseEnd;
    private Long seed;
    private Integer evalEvery;
    private Integer evalBatches;
    private Integer checkpointEvery;
    private String device;
    private String precision;
    private Integer threads;

    /** A fresh run in {@code out} (the run directory, {@code --out}) with every option at its default. */
    public TrainRecipe(Path out) {
        this.out = out;
    }

    /** {@code --resume}: continue the run in the run directory exactly (default: a new run). */
    public TrainRecipe optResume(boolean resume) {
        this.resume = resume;
        return this;
    }

    /** {@code --init-from}: start a new schedule from the parameters of this checkpoint or run directory. */
    public TrainRecipe optInitFrom(Path dir) {
        this.initFrom = dir;
        return this;
    }

    /** {@code --init-optimizer}: with {@code --init-from}, also load its AdamW moments (default: zero moments). */
    public TrainRecipe optInitOptimizer(boolean load) {
        this.initOptimizer = load;
        return this;
    }

    /** {@code --preset}: the model preset ({@link ModelConfig#presetNames()}; default {@code tiny}). */
    public TrainRecipe optPreset(String name) {
        this.preset = name;
        return this;
    }

    /** {@code --config}: a JSON file of model fields over the preset's ({@link ModelConfigJson#override}). */
    public TrainRecipe optConfig(Path file) {
        this.config = file;
        return this;
    }

    /** {@code --ctx}: the training context (default the model's). */
    public TrainRecipe optCtx(Integer context) {
        this.ctx = context;
        return this;
    }

    /** {@code --float-ablation}: train the float twin (default: the 1-bit model, or the checkpoint's kind). */
    public TrainRecipe optFloatAblation(Boolean floatAblation) {
        this.floatAblation = floatAblation;
        return this;
    }

    /** {@code --alpha-v-init}: the initial output-head scale (default {@code 1/sqrt(d)}). */
    public TrainRecipe optAlphaVInit(Double alphaVInit) {
        this.alphaVInit = alphaVInit;
        return this;
    }

    /** {@code --steps}: updates in the run (default {@value #DEFAULT_STEPS}, or the resumed run's). */
    public TrainRecipe optSteps(Integer steps) {
        this.steps = steps;
        return this;
    }

    /** {@code --batch}: sequences per micro-batch. */
    public TrainRecipe optBatch(Integer batch) {
        this.batch = batch;
        return this;
    }

    /** {@code --accum}: micro-batches per update. */
    public TrainRecipe optAccum(Integer accum) {
        this.accum = accum;
        return this;
    }

    /** {@code --lr}: the peak learning rate (default the preset's). */
    public TrainRecipe optLr(Double lr) {
        this.lr = lr;
        return this;
    }

    /** {@code --min-lr-ratio}: the cosine floor as a fraction of the peak. */
    public TrainRecipe optMinLrRatio(Double ratio) {
        this.minLrRatio = ratio;
        return this;
    }

    /** {@code --warmup}: warm-up updates. */
    public TrainRecipe optWarmup(Integer warmup) {
        this.warmup = warmup;
        return this;
    }

    /** {@code --weight-decay}: decoupled weight decay of latent matrices. */
    public TrainRecipe optWeightDecay(Double weightDecay) {
        this.weightDecay = weightDecay;
        return this;
    }

    /** {@code --beta1}: AdamW's first-moment decay. */
    public TrainRecipe optBeta1(Double beta1) {
        this.beta1 = beta1;
        return this;
    }

    /** {@code --beta2}: AdamW's second-moment decay. */
    public TrainRecipe optBeta2(Double beta2) {
        this.beta2 = beta2;
        return this;
    }

    /** {@code --eps}: AdamW's epsilon. */
    public TrainRecipe optEps(Double eps) {
        this.eps = eps;
        return this;
    }

    /** {@code --grad-clip}: the global gradient-norm limit, 0 = off. */
    public TrainRecipe optGradClip(Double gradClip) {
        this.gradClip = gradClip;
        return this;
    }

    /** Clamp latent weights after each update (default true; false is {@code --no-latent-clamp}). */
    public TrainRecipe optLatentClamp(Boolean clamp) {
        this.latentClamp = clamp;
        return this;
    }

    /** {@code --tau-start}: the attention temperature at the first update. */
    public TrainRecipe optTauStart(Double tau) {
        this.tauStart = tau;
        return this;
    }

    /** {@code --tau-end}: the attention temperature at the last update. */
    public TrainRecipe optTauEnd(Double tau) {
        this.tauEnd = tau;
        return this;
    }

    /**
     * {@code --attention-ramp}: the fraction of the updates over which the training forward's
     * attention moves from soft to the hard pointer (default 0: hard from the first update).
     */
    public TrainRecipe optAttentionRamp(Double fraction) {
        this.attentionRamp = fraction;
        return this;
    }

    /**
     * {@code --distill-from}: a checkpoint or run directory of a trained model with the same
     * vocabulary (the float twin, typically) whose next-token distribution the run also learns
     * (default: none).
     */
    public TrainRecipe optDistillFrom(Path dir) {
        this.distillFrom = dir;
        return this;
    }

    /** {@code --distill-weight}: the teacher's share of the loss with {@code --distill-from} (default 0.5). */
    public TrainRecipe optDistillWeight(Double weight) {
        this.distillWeight = weight;
        return this;
    }

    /**
     * {@code --noise-end}: the scale of the attention's Gumbel noise at the last update, reached
     * by a cosine from 1 (default {@value TrainConfig#DEFAULT_NOISE_END}; 1 keeps MODEL.md's
     * training formula throughout).
     */
    public TrainRecipe optNoiseEnd(Double scale) {
        this.noiseEnd = scale;
        return this;
    }

    /** {@code --seed}: seed of initialisation, data order and noise. */
    public TrainRecipe optSeed(Long seed) {
        this.seed = seed;
        return this;
    }

    /** {@code --eval-every}: evaluate every N updates, 0 = only at the end. */
    public TrainRecipe optEvalEvery(Integer n) {
        this.evalEvery = n;
        return this;
    }

    /** {@code --eval-batches}: validation batches per evaluation. */
    public TrainRecipe optEvalBatches(Integer n) {
        this.evalBatches = n;
        return this;
    }

    /** {@code --checkpoint-every}: write {@code last/} every N updates, 0 = only at the end. */
    public TrainRecipe optCheckpointEvery(Integer n) {
        this.checkpointEvery = n;
        return this;
    }

    /** {@code --device}: {@code cpu}, {@code gpu} or {@code gpu:N}. */
    public TrainRecipe optDevice(String device) {
        this.device = device;
        return this;
    }

    /** {@code --precision}: float32 matrix products on a GPU, {@code fp32} or {@code tf32}. */
    public TrainRecipe optPrecision(String precision) {
        this.precision = precision;
        return this;
    }

    /** {@code --threads}: PyTorch intra- and inter-op threads, 0 = the engine's default. */
    public TrainRecipe optThreads(Integer threads) {
        this.threads = threads;
        return this;
    }

    /**
     * Checks the options against each other (no files read): a resume given an option of
     * {@link #FIXED_ON_RESUME}, {@code --init-optimizer} without {@code --init-from},
     * {@code --distill-weight} without {@code --distill-from}.
     *
     * @return this recipe
     * @throws IllegalArgumentException naming the options
     */
    public TrainRecipe checkOptions() {
        if (resume) {
            List<String> given = new ArrayList<>();
            fixedOnResume().forEach((name, value) -> {
                if (value != null) {
                    given.add(name);
                }
            });
            if (!given.isEmpty()) {
                throw new IllegalArgumentException("--resume continues the run in " + out + " exactly, so " + given
                        + " cannot change (they come from its checkpoint); to start a new schedule from it use "
                        + "--init-from " + out + " --out <new dir>");
            }
        }
        if (initOptimizer && initFrom == null) {
            throw new IllegalArgumentException("--init-optimizer needs --init-from");
        }
        if (distillWeight != null && distillFrom == null && !resume) {
            throw new IllegalArgumentException("--distill-weight needs --distill-from (the teacher it weighs)");
        }
        return this;
    }

    /** The values of {@link #FIXED_ON_RESUME}'s options, in its order; {@code null} where not given. */
    private Map<String, Object> fixedOnResume() {
        Object[] values = {preset, config, ctx, floatAblation, alphaVInit, batch, accum, lr, minLrRatio, warmup,
            weightDecay, beta1, beta2, eps, gradClip, latentClamp, tauStart, tauEnd, attentionRamp, distillFrom,
            distillWeight, noiseEnd, seed, initFrom, initOptimizer ? Boolean.TRUE : null};
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            m.put(FIXED_ON_RESUME.get(i), values[i]);
        }
        return m;
    }

    /**
     * Applies the rules: checks the options, reads the checkpoint to resume or start from and
     * any {@code --config} file, and checks that a fresh run does not overwrite one in the run directory.
     *
     * @throws IllegalArgumentException naming the option, file or value at fault
     */
    public Plan plan() {
        checkOptions();
        if (resume) {
            Checkpoint c = fromCheckpoint("--resume", out, Checkpoint::read);
            return new Plan(c.model(), resumedConfig(c), RunStart.resume(c));
        }
        checkFreshOut();
        Checkpoint c = initFrom == null ? null : fromCheckpoint("--init-from", initFrom, Checkpoint::read);
        ModelConfig model = c != null ? initModel(c) : model();
        if (distillFrom != null) {
            // Its metadata only: the trainer loads the parameters.
            checkTeacher(fromCheckpoint("--distill-from", distillFrom,
                    dir -> Checkpoint.readMeta(Checkpoint.resolve(dir)).model()), model);
        }
        return new Plan(model, freshConfig(model, c), c == null ? RunStart.fresh() : RunStart.initFrom(c, initOptimizer));
    }

    private void checkFreshOut() {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out: " + out + " is a file, not a directory");
        }
        for (String name : List.of(Checkpoint.LAST, Checkpoint.LAST + ".old", Checkpoint.BEST, MetricsWriter.FILE)) {
            if (Files.exists(out.resolve(name))) {
                throw new IllegalArgumentException("--out: " + out + " already holds a run (" + name
                        + "); pass --resume to continue it, or choose a new --out directory");
            }
        }
    }

    /** A teacher must score the same tokens: the same vocabulary and tokenizer. */
    private void checkTeacher(ModelConfig teacher, ModelConfig model) {
        if (teacher.vocabSize() != model.vocabSize() || !teacher.tokenizer().equals(model.tokenizer())) {
            throw new IllegalArgumentException("--distill-from: " + distillFrom + " is a model of vocabulary "
                    + teacher.vocabSize() + " (" + teacher.tokenizer() + "), the run's is " + model.vocabSize()
                    + " (" + model.tokenizer() + "): a teacher must use the same tokenizer");
        }
    }

    /** {@code read(dir)}, a {@link CheckpointException} turned into an error naming {@code option}. */
    private static <T> T fromCheckpoint(String option, Path dir, Function<Path, T> read) {
        try {
            return read.apply(dir);
        } catch (CheckpointException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }

    /** The checkpoint's model; --ctx may change the training context (ALiBi has no trained positions). */
    private ModelConfig initModel(Checkpoint c) {
        ModelConfig model = ctx == null ? c.model() : named("--ctx", () -> c.model().withContext(ctx));
        if (preset != null || config != null) {
            ModelConfig wanted = model();
            if (!wanted.equals(model)) {
                throw new IllegalArgumentException("--init-from: the checkpoint's model " + model
                        + " differs from the one asked for " + wanted);
            }
        }
        if (floatAblation != null && floatAblation != c.meta().floatAblation()) {
            throw new IllegalArgumentException("--init-from: the checkpoint is " + (c.meta().floatAblation()
                    ? "a float-ablation model" : "a 1-bit model") + "; --float-ablation cannot change that");
        }
        return model;
    }

    /** The model asked for: the preset, with the --config fields and --ctx over it. */
    private ModelConfig model() {
        String name = preset == null ? "tiny" : preset;
        ModelConfig m = named("--preset", () -> ModelConfig.preset(name));
        if (config != null) {
            JsonObject o;
            try {
                o = JsonParser.parseString(Files.readString(config)).getAsJsonObject();
            } catch (IOException e) {
                throw new IllegalArgumentException("--config: cannot read " + config + ": " + e.getMessage(), e);
            } catch (JsonParseException | IllegalStateException e) {
                throw new IllegalArgumentException("--config: " + config + " is not a JSON object: " + e.getMessage(), e);
            }
            ModelConfig base = m;
            m = named("--config", () -> ModelConfigJson.override(base, o, config.toString()));
        }
        if (ctx != null) {
            ModelConfig base = m;
            m = named("--ctx", () -> base.withContext(ctx));
        }
        return m;
    }

    /** The options over the recipe defaults; {@code from} is the --init-from checkpoint or null. */
    private TrainConfig freshConfig(ModelConfig model, Checkpoint from) {
        int n = steps == null ? DEFAULT_STEPS : steps;
        TrainConfig d = TrainConfig.defaults(n);
        // A fresh model's preset is the one asked for, even under a --config; a checkpoint's is the one its shape is.
        double defaultLr = PRESET_LR.getOrDefault(from == null ? (preset == null ? "tiny" : preset)
                : model.presetName().orElse(""), d.lr());
        boolean ablation = from != null ? from.meta().floatAblation() : Boolean.TRUE.equals(floatAblation);
        return new TrainConfig(n, or(batch, d.batch()), or(accum, d.accum()), or(lr, defaultLr),
                or(minLrRatio, d.minLrRatio()), or(warmup, d.warmup()), or(weightDecay, d.weightDecay()),
                or(beta1, d.beta1()), or(beta2, d.beta2()), or(eps, d.eps()), or(gradClip, d.gradClip()),
                or(latentClamp, d.latentClamp()), or(tauStart, d.tauStart()), or(tauEnd, d.tauEnd()),
                or(attentionRamp, d.attentionRamp()), distillFrom == null ? null : distillFrom.toString(),
                or(distillWeight, d.distillWeight()), or(noiseEnd, d.noiseEnd()), alphaVInit,
                ablation, or(evalEvery, d.evalEvery()), or(evalBatches, d.evalBatches()),
                or(checkpointEvery, d.checkpointEvery()), or(seed, d.seed()), or(device, d.device()),
                or(precision, d.precision()), or(threads, d.threads()));
    }

    /** The checkpoint's hyperparameters, with what a resume may change. */
    private TrainConfig resumedConfig(Checkpoint ck) {
        TrainConfig c = ck.meta().train();
        int n = or(steps, c.steps());
        if (n < ck.step()) {
            throw new IllegalArgumentException("--steps: the run in " + out + " is already at step " + ck.step()
                    + ", cannot resume to " + n);
        }
        return new TrainConfig(n, c.batch(), c.accum(), c.lr(), c.minLrRatio(), c.warmup(),
                c.weightDecay(), c.beta1(), c.beta2(), c.eps(), c.gradClip(), c.latentClamp(), c.tauStart(), c.tauEnd(),
                c.attentionRamp(), c.distillFrom(), c.distillWeight(), c.noiseEnd(),
                c.alphaVInit(), c.floatAblation(), or(evalEvery, c.evalEvery()), or(evalBatches, c.evalBatches()),
                or(checkpointEvery, c.checkpointEvery()), c.seed(), or(device, c.device()), or(precision, c.precision()),
                or(threads, c.threads()));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /** {@code s}'s value, its {@link IllegalArgumentException} prefixed with the option it concerns. */
    private static <T> T named(String option, Supplier<T> s) {
        try {
            return s.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }
}
