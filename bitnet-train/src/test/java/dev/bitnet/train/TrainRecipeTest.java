package dev.bitnet.train;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.config.TokenizerKind;
import dev.bitnet.train.checkpoint.Checkpoint;
import dev.bitnet.train.checkpoint.CheckpointMeta;
import dev.bitnet.train.checkpoint.CheckpointMetrics;
import dev.bitnet.train.checkpoint.CheckpointWriter;
import dev.bitnet.train.loop.MetricsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainRecipeTest {

    private static final ModelConfig SMALL = new ModelConfig(256, 64, 2, 2, 128, 32, TokenizerKind.BYTES);

    @TempDir
    Path dir;

    private Path out() {
        return dir.resolve("run");
    }

    /**
     * Writes {@code run/last/}: a checkpoint at {@code step} of a run of {@code train}'s
     * hyperparameters. The recipe reads its metadata only, so it holds no tensors.
     */
    private static Path checkpoint(Path run, ModelConfig model, boolean floatAblation, int step, TrainConfig train)
            throws IOException {
        CheckpointWriter.write(run.resolve(Checkpoint.LAST), new CheckpointMeta(model, floatAblation, step, step * 100L,
                train, CheckpointMetrics.NONE, null), Map.of(), null);
        return run;
    }

    private static TrainConfig withSteps(TrainConfig c, int steps) {
        return new TrainConfig(steps, c.batch(), c.accum(), c.lr(), c.minLrRatio(), c.warmup(), c.weightDecay(),
                c.beta1(), c.beta2(), c.eps(), c.gradClip(), c.latentClamp(), c.tauStart(), c.tauEnd(),
                c.attentionRamp(), c.distillFrom(), c.distillWeight(), c.noiseEnd(), c.alphaVInit(),
                c.floatAblation(), c.evalEvery(), c.evalBatches(), c.checkpointEvery(), c.seed(), c.device(),
                c.precision(), c.threads());
    }

    @Test
    void aTeacherMustUseTheRunsTokenizer() throws IOException {
        Path teacher = checkpoint(dir.resolve("teacher"), ModelConfig.preset("75m"), true, 5, TrainConfig.defaults(5));
        assertThatThrownBy(() -> new TrainRecipe(out()).optDistillFrom(teacher).plan())
                .hasMessageStartingWith("--distill-from: " + teacher + " is a model of vocabulary 50257 (gpt2),"
                        + " the run's is 256 (bytes)");
        assertThatThrownBy(() -> new TrainRecipe(out()).optDistillWeight(0.3).plan())
                .hasMessage("--distill-weight needs --distill-from (the teacher it weighs)");
        Path twin = checkpoint(dir.resolve("twin"), SMALL, true, 5, TrainConfig.defaults(5));
        assertThat(new TrainRecipe(out()).optDistillFrom(twin).plan().config().distillFrom()).isEqualTo(twin.toString());
    }

    @Test
    void aFreshRunWithNoOptionsIsTinyWithTheRecipeDefaultsForAThousandUpdates() {
        TrainRecipe.Plan p = new TrainRecipe(out()).plan();
        assertThat(p.model()).isEqualTo(ModelConfig.preset("tiny"));
        assertThat(p.config()).isEqualTo(TrainConfig.defaults(TrainRecipe.DEFAULT_STEPS));
        assertThat(p.start().from()).isNull();
        assertThat(p.start().resume()).isFalse();
    }

    @Test
    void thePeakLearningRateDefaultsToThePresets() {
        assertThat(new TrainRecipe(out()).optPreset("tiny").plan().config().lr()).isEqualTo(5e-3);
        assertThat(new TrainRecipe(out()).optPreset("75m").plan().config().lr()).isEqualTo(1e-3);
        assertThat(new TrainRecipe(out()).optPreset("300m").plan().config().lr()).isEqualTo(6e-4);
        assertThat(new TrainRecipe(out()).optPreset("75m").optLr(2e-4).plan().config().lr()).isEqualTo(2e-4);
    }

    @Test
    void aConfigFileChangesTheModelButTheLearningRateStaysThePresetAskedFor() throws IOException {
        Path json = dir.resolve("small.json");
        Files.writeString(json, "{\"vocab_size\": 256, \"d_model\": 64, \"n_layers\": 2, \"n_heads\": 2,"
                + " \"d_ff\": 128, \"context\": 32, \"tokenizer\": \"bytes\"}");
        TrainRecipe.Plan p = new TrainRecipe(out()).optPreset("75m").optConfig(json).optCtx(48).plan();
        assertThat(p.model()).isEqualTo(SMALL.withContext(48));
        assertThat(p.config().lr()).isEqualTo(1e-3);
    }

    @Test
    void everyGivenHyperparameterReplacesItsDefaultAndTheRestScaleWithTheSteps() {
        TrainConfig c = new TrainRecipe(out()).optSteps(200).optBatch(4).optAccum(2).optMinLrRatio(0.2)
                .optWeightDecay(0.05).optBeta1(0.8).optBeta2(0.9).optEps(1e-6).optGradClip(0.5).optLatentClamp(false)
                .optTauStart(2.0).optTauEnd(0.5).optAlphaVInit(1.0).optFloatAblation(true).optEvalBatches(3)
                .optSeed(7L).optThreads(2).plan().config();
        assertThat(c).isEqualTo(new TrainConfig(200, 4, 2, 5e-3, 0.2, 10, 0.05, 0.8, 0.9, 1e-6, 0.5, false, 2.0, 0.5, 0.0, null, 0.5, 0.01,
                1.0, true, 20, 3, 20, 7L, "cpu", "fp32", 2));
        assertThat(new TrainRecipe(out()).optAttentionRamp(0.3).plan().config().attentionRamp()).isEqualTo(0.3);
        TrainConfig cadence = new TrainRecipe(out()).optWarmup(0).optEvalEvery(0).optCheckpointEvery(5).plan().config();
        assertThat(List.of(cadence.warmup(), cadence.evalEvery(), cadence.checkpointEvery())).containsExactly(0, 0, 5);
    }

    @Test
    void badModelOptionsNameTheOption() throws IOException {
        assertThatThrownBy(() -> new TrainRecipe(out()).optPreset("huge").plan())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("--preset: unknown preset 'huge'");
        Path json = dir.resolve("bad.json");
        Files.writeString(json, "[1, 2]");
        assertThatThrownBy(() -> new TrainRecipe(out()).optConfig(json).plan())
                .hasMessageStartingWith("--config: " + json + " is not a JSON object");
        Files.writeString(json, "{\"d_model\": 64, \"n_heads\": 3}");
        assertThatThrownBy(() -> new TrainRecipe(out()).optConfig(json).plan())
                .hasMessageStartingWith("--config: ").hasMessageContaining("bad.json")
                .hasMessageContaining("d_model: must be divisible by n_heads");
        Path missing = dir.resolve("missing.json");
        assertThatThrownBy(() -> new TrainRecipe(out()).optConfig(missing).plan())
                .hasMessageStartingWith("--config: cannot read " + missing);
        assertThatThrownBy(() -> new TrainRecipe(out()).optCtx(0).plan()).hasMessageStartingWith("--ctx: ");
    }

    @Test
    void invalidHyperparametersAreTrainConfigsMessages() {
        assertThatThrownBy(() -> new TrainRecipe(out()).optSteps(-1).plan())
                .hasMessage("invalid training config: --steps: must be >= 1, got -1");
        assertThatThrownBy(() -> new TrainRecipe(out()).optLr(-1.0).plan())
                .hasMessageContaining("--lr: must be a positive number, got -1.0");
    }

    @Test
    void aFreshRunRefusesARunDirectoryThatHoldsARunOrIsAFile() throws IOException {
        Files.createDirectories(out());
        Files.writeString(out().resolve(MetricsWriter.FILE), "");
        assertThatThrownBy(() -> new TrainRecipe(out()).plan())
                .hasMessage("--out: " + out() + " already holds a run (metrics.jsonl); pass --resume to continue it,"
                        + " or choose a new --out directory");
        Path file = dir.resolve("file");
        Files.writeString(file, "x");
        assertThatThrownBy(() -> new TrainRecipe(file).plan()).hasMessage("--out: " + file + " is a file, not a directory");
    }

    @Test
    void aResumeRefusesEveryOptionThatShapesTheComputationNamingThemAll() {
        TrainRecipe[] one = {
            new TrainRecipe(out()).optPreset("tiny"), new TrainRecipe(out()).optConfig(dir),
            new TrainRecipe(out()).optCtx(8), new TrainRecipe(out()).optFloatAblation(true),
            new TrainRecipe(out()).optAlphaVInit(1.0), new TrainRecipe(out()).optBatch(1),
            new TrainRecipe(out()).optAccum(1), new TrainRecipe(out()).optLr(1e-3),
            new TrainRecipe(out()).optMinLrRatio(0.1), new TrainRecipe(out()).optWarmup(1),
            new TrainRecipe(out()).optWeightDecay(0.1), new TrainRecipe(out()).optBeta1(0.9),
            new TrainRecipe(out()).optBeta2(0.95), new TrainRecipe(out()).optEps(1e-8),
            new TrainRecipe(out()).optGradClip(1.0), new TrainRecipe(out()).optLatentClamp(false),
            new TrainRecipe(out()).optTauStart(1.0), new TrainRecipe(out()).optTauEnd(0.25),
            new TrainRecipe(out()).optAttentionRamp(0.5), new TrainRecipe(out()).optDistillFrom(dir),
            new TrainRecipe(out()).optDistillWeight(0.5), new TrainRecipe(out()).optNoiseEnd(0.5),
            new TrainRecipe(out()).optSeed(1L), new TrainRecipe(out()).optInitFrom(dir),
            new TrainRecipe(out()).optInitFrom(dir).optInitOptimizer(true)};
        for (int i = 0; i < one.length; i++) {
            String option = TrainRecipe.FIXED_ON_RESUME.get(i);
            TrainRecipe r = one[i].optResume(true);
            assertThatThrownBy(r::checkOptions).as(option).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(option + "]");
        }
        assertThatThrownBy(() -> new TrainRecipe(out()).optResume(true).optLr(1e-3).optPreset("tiny").plan())
                .hasMessage("--resume continues the run in " + out() + " exactly, so [--preset, --lr] cannot change"
                        + " (they come from its checkpoint); to start a new schedule from it use --init-from " + out()
                        + " --out <new dir>");
        // The options a resume may change.
        new TrainRecipe(out()).optResume(true).optSteps(5).optEvalEvery(1).optEvalBatches(1).optCheckpointEvery(1)
                .optDevice("gpu").optPrecision("tf32").optThreads(1).checkOptions();
    }

    @Test
    void initOptimizerNeedsInitFrom() {
        assertThatThrownBy(() -> new TrainRecipe(out()).optInitOptimizer(true).plan())
                .hasMessage("--init-optimizer needs --init-from");
    }

    @Test
    void aResumeTakesTheCheckpointsHyperparametersWithMoreStepsNewCadencesAndHardware() throws IOException {
        TrainConfig stored = withSteps(TrainConfig.defaults(100), 100);
        checkpoint(out(), SMALL, true, 40, stored);
        TrainRecipe.Plan same = new TrainRecipe(out()).optResume(true).plan();
        assertThat(same.model()).isEqualTo(SMALL);
        assertThat(same.config()).isEqualTo(stored);
        assertThat(same.start().resume()).isTrue();
        assertThat(same.start().loadOptimizer()).isTrue();
        assertThat(same.start().from().step()).isEqualTo(40);

        TrainConfig c = new TrainRecipe(out()).optResume(true).optSteps(300).optEvalEvery(7).optEvalBatches(2)
                .optCheckpointEvery(9).optDevice("gpu:1").optPrecision("tf32").optThreads(3).plan().config();
        assertThat(c).isEqualTo(new TrainConfig(300, stored.batch(), stored.accum(), stored.lr(), stored.minLrRatio(),
                stored.warmup(), stored.weightDecay(), stored.beta1(), stored.beta2(), stored.eps(), stored.gradClip(),
                stored.latentClamp(), stored.tauStart(), stored.tauEnd(),
                stored.attentionRamp(), stored.distillFrom(), stored.distillWeight(), stored.noiseEnd(), stored.alphaVInit(),
                stored.floatAblation(),
                7, 2, 9, stored.seed(), "gpu:1", "tf32", 3));

        assertThat(new TrainRecipe(out()).optResume(true).optSteps(40).plan().config().steps()).isEqualTo(40);
        assertThatThrownBy(() -> new TrainRecipe(out()).optResume(true).optSteps(39).plan())
                .hasMessage("--steps: the run in " + out() + " is already at step 40, cannot resume to 39");
    }

    @Test
    void aResumeOrInitFromWithoutACheckpointNamesTheOption() {
        assertThatThrownBy(() -> new TrainRecipe(dir).optResume(true).plan())
                .hasMessageStartingWith("--resume: ").hasMessageContaining("not a checkpoint");
        assertThatThrownBy(() -> new TrainRecipe(out()).optInitFrom(dir).plan())
                .hasMessageStartingWith("--init-from: ").hasMessageContaining("not a checkpoint");
    }

    @Test
    void initFromTakesTheCheckpointsModelAndKindAndItsPresetsLearningRate() throws IOException {
        ModelConfig m75 = ModelConfig.preset("75m");
        Path from = checkpoint(dir.resolve("from75m"), m75, true, 40, TrainConfig.defaults(100));
        TrainRecipe.Plan p = new TrainRecipe(out()).optInitFrom(from).optInitOptimizer(true).optCtx(128).optSteps(10)
                .plan();
        assertThat(p.model()).isEqualTo(m75.withContext(128));
        assertThat(p.config().lr()).isEqualTo(1e-3);
        assertThat(p.config().floatAblation()).isTrue();
        assertThat(p.config().steps()).isEqualTo(10);
        assertThat(p.start().resume()).isFalse();
        assertThat(p.start().loadOptimizer()).isTrue();
        assertThat(p.start().from().dir()).isEqualTo(from.resolve(Checkpoint.LAST));

        // A custom shape is no preset: the recipe's 5e-3, whatever --preset says.
        Path custom = checkpoint(dir.resolve("custom"), SMALL, false, 40, TrainConfig.defaults(100));
        assertThat(new TrainRecipe(out()).optInitFrom(custom).plan().config().lr()).isEqualTo(5e-3);
        assertThat(new TrainRecipe(out()).optInitFrom(custom).optLr(1e-4).plan().config().lr()).isEqualTo(1e-4);
    }

    @Test
    void initFromRefusesAnotherModelOrKind() throws IOException {
        Path from = checkpoint(dir.resolve("from"), SMALL, false, 40, TrainConfig.defaults(100));
        assertThatThrownBy(() -> new TrainRecipe(out()).optInitFrom(from).optPreset("tiny").plan())
                .hasMessage("--init-from: the checkpoint's model " + SMALL + " differs from the one asked for "
                        + ModelConfig.preset("tiny"));
        assertThatThrownBy(() -> new TrainRecipe(out()).optInitFrom(from).optFloatAblation(true).plan())
                .hasMessage("--init-from: the checkpoint is a 1-bit model; --float-ablation cannot change that");
        assertThat(new TrainRecipe(out()).optInitFrom(from).optFloatAblation(false).plan().config().floatAblation())
                .isFalse();
    }
}
