package dev.bitnet.train.loop;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.config.TokenizerKind;
import dev.bitnet.train.TrainConfig;
import dev.bitnet.train.checkpoint.Checkpoint;
import dev.bitnet.train.checkpoint.DataProvenance;
import dev.bitnet.train.data.EvalWindows;
import dev.bitnet.train.data.PreparedCorpus;
import dev.bitnet.train.data.TokenDataset;
import dev.bitnet.train.data.WindowSampler;
import dev.bitnet.train.optim.FlatParameters;
import dev.bitnet.train.report.LossCurve;
import dev.bitnet.train.report.MetricsHistory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainerTest {

    // V=256, d=64, L=2, H=2, F=128, T=32; B=4.
    static final ModelConfig MODEL = new ModelConfig(256, 64, 2, 2, 128, 32, TokenizerKind.BYTES);

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

    static TrainConfig config(int steps, int accum) {
        TrainConfig d = TrainConfig.defaults(steps);
        return new TrainConfig(steps, 4, accum, d.lr(), d.minLrRatio(), 2, d.weightDecay(), d.beta1(), d.beta2(),
                d.eps(), d.gradClip(), true, d.tauStart(), d.tauEnd(),
                d.attentionRamp(), d.distillFrom(), d.distillWeight(), d.noiseEnd(), null, false, 0, 2, 0, 42L, "cpu", "fp32", 0);
    }

    static Trainer trainer(TrainConfig c, Path run, RunStart start, boolean withVal) throws IOException {
        return trainer(c, run, start, withVal, new ByteArrayOutputStream(), null);
    }

    static Trainer trainer(TrainConfig c, Path run, RunStart start, boolean withVal, ByteArrayOutputStream console,
                           DataProvenance data) throws IOException {
        return trainer(c, run, start, withVal, console, data, curve(run, console));
    }

    /** A trainer that keeps {@code curve} up to date, as the train command does. */
    static Trainer trainer(TrainConfig c, Path run, RunStart start, boolean withVal, ByteArrayOutputStream console,
                           DataProvenance data, LossCurve curve) throws IOException {
        EvalWindows val = withVal ? new EvalWindows(valData, MODEL.context(), 8, TokenizerKind.BYTES) : null;
        Trainer t = new Trainer(MODEL, c, Device.cpu(), run, new WindowSampler(train, MODEL.context(), c.seed()), val,
                start, quiet(console), data);
        t.onEvaluationAndEnd(curve::redraw);
        return t;
    }

    static LossCurve curve(Path run, ByteArrayOutputStream console) {
        return new LossCurve(run, LossCurve.title(run, MODEL, false), quiet(console)::message);
    }

    static ProgressBar quiet(ByteArrayOutputStream console) {
        return new ProgressBar(new PrintStream(console, true, StandardCharsets.UTF_8), false, 1000);
    }

    static Map<String, float[]> snapshot(Trainer t) {
        Map<String, float[]> m = new LinkedHashMap<>();
        t.parameters().forEach((name, a) -> m.put(name, a.toFloatArray()));
        return m;
    }

    @Test
    void resumingHalfWayGivesTheSameParametersAsAStraightRun(@TempDir Path dir) throws IOException {
        TrainConfig c = config(6, 2);
        Map<String, float[]> straight;
        try (Trainer t = trainer(c, dir.resolve("straight"), RunStart.fresh(), true)) {
            Trainer.Result r = t.run();
            assertThat(r.step()).isEqualTo(6);
            assertThat(r.interrupted()).isFalse();
            straight = snapshot(t);
        }
        Path run = dir.resolve("resumed");
        try (Trainer t = trainer(c, run, RunStart.fresh(), true)) {
            for (int i = 0; i < 3; i++) {
                t.step();
            }
            t.requestStop(); // what Ctrl-C does: last/ is written at the current step
            Trainer.Result r = t.run();
            assertThat(r.interrupted()).isTrue();
            assertThat(r.step()).isEqualTo(3);
        }
        Checkpoint half = Checkpoint.read(run);
        assertThat(half.step()).isEqualTo(3);
        try (Trainer t = trainer(half.meta().train(), run, RunStart.resume(half), true)) {
            assertThat(t.currentStep()).isEqualTo(3);
            t.run();
            Map<String, float[]> resumed = snapshot(t);
            assertThat(resumed.keySet()).containsExactlyElementsOf(straight.keySet());
            for (String name : straight.keySet()) {
                assertThat(resumed.get(name)).as(name).containsExactly(straight.get(name));
            }
        }
        // The straight run's checkpoint holds the same parameters, and the best one exists.
        Checkpoint last = Checkpoint.read(dir.resolve("straight"));
        assertThat(last.step()).isEqualTo(6);
        assertThat(last.params().get("layers.1.ffn.down.weight").data())
                .containsExactly(straight.get("layers.1.ffn.down.weight"));
        assertThat(last.metrics().valBitsPerByte()).isPositive();
        assertThat(Checkpoint.read(dir.resolve("straight").resolve(Checkpoint.BEST)).metrics().bestValLoss())
                .isEqualTo(last.metrics().bestValLoss());
        // The metrics of the resumed run's directory describe one history: steps 1..6, no duplicates.
        List<String> lines = Files.readAllLines(run.resolve(MetricsWriter.FILE));
        assertThat(lines.stream().filter(l -> l.contains("\"loss\"")).count()).isEqualTo(6);
        // ...and so does its loss curve, drawn from that file.
        assertThat(MetricsHistory.read(run.resolve(MetricsWriter.FILE)).training()).hasSize(6);
        assertThat(run.resolve(LossCurve.FILE)).isRegularFile();
    }

    @Test
    void aRunDrawsItsLossCurveRecordsItsDataAndReportsItsMedianSpeed(@TempDir Path dir) throws IOException {
        TrainConfig d = config(4, 1);
        TrainConfig c = new TrainConfig(4, d.batch(), 1, d.lr(), d.minLrRatio(), d.warmup(), d.weightDecay(),
                d.beta1(), d.beta2(), d.eps(), d.gradClip(), true, d.tauStart(), d.tauEnd(),
                d.attentionRamp(), d.distillFrom(), d.distillWeight(), d.noiseEnd(), null, false, 2, 2, 0,
                d.seed(), "cpu", "fp32", 0);
        DataProvenance data = new DataProvenance(List.of("europarl.txt"), List.of(), 0.1, train.size(), valData.size());
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        LossCurve curve = curve(dir, console);
        Trainer.Result r;
        try (Trainer t = trainer(c, dir, RunStart.fresh(), true, console, data, curve)) {
            r = t.run();
        }
        assertThat(curve.picture()).isEqualTo(dir.resolve(LossCurve.FILE));
        assertThat(ImageIO.read(curve.picture().toFile()).getWidth()).isEqualTo(LossCurve.WIDTH);
        assertThat(r.medianTokensPerS()).isPositive().isFinite();
        assertThat(Checkpoint.read(dir).meta().data()).isEqualTo(data);
        assertThat(Checkpoint.read(dir.resolve(Checkpoint.BEST)).meta().data()).isEqualTo(data);
        assertThat(console.toString(StandardCharsets.UTF_8)).doesNotContain("warning");

        // A picture that cannot be written costs one warning line, not the run.
        Path blocked = dir.resolve("blocked");
        Files.createDirectories(blocked.resolve(LossCurve.FILE));
        Files.writeString(blocked.resolve(LossCurve.FILE).resolve("keep"), "a directory in the way");
        ByteArrayOutputStream console2 = new ByteArrayOutputStream();
        LossCurve blockedCurve = curve(blocked, console2);
        try (Trainer t = trainer(c, blocked, RunStart.fresh(), true, console2, data, blockedCurve)) {
            r = t.run();
        }
        assertThat(r.step()).isEqualTo(4);
        assertThat(r.interrupted()).isFalse();
        assertThat(blockedCurve.picture()).isNull();
        assertThat(Checkpoint.read(blocked).step()).isEqualTo(4);
        String out = console2.toString(StandardCharsets.UTF_8);
        assertThat(out.lines().filter(l -> l.startsWith("warning: cannot draw")).count()).isEqualTo(1);
        assertThat(out).contains(LossCurve.FILE).contains("training goes on");
    }

    @Test
    void latentMatricesStayClampedAndLossIsReported(@TempDir Path dir) throws IOException {
        try (Trainer t = trainer(config(4, 1), dir, RunStart.fresh(), false)) {
            for (int i = 0; i < 4; i++) {
                Trainer.StepResult r = t.step();
                System.out.printf("step %d: %.3f s%n", r.step(), r.seconds());
                assertThat(r.skipped()).isNull();
                assertThat(r.loss()).isBetween(0.5, 10.0);
                assertThat(r.gradNorm()).isPositive();
            }
            for (Map.Entry<String, NDArray> e : t.parameters().entrySet()) {
                if (e.getKey().endsWith(".weight")) {
                    for (float v : e.getValue().toFloatArray()) {
                        assertThat(Math.abs(v)).as(e.getKey()).isLessThanOrEqualTo(1f);
                    }
                }
            }
        }
    }

    @Test
    void liveArraysStayFlatOverManySteps(@TempDir Path dir) throws IOException {
        try (Trainer t = trainer(config(40, 2), dir, RunStart.fresh(), true)) {
            for (int i = 0; i < 2; i++) {
                t.step();
            }
            int live = t.liveArrayCount();
            double rss0 = ProcessMemory.rssMb();
            for (int i = 0; i < 20; i++) {
                t.step();
                if (i % 10 == 9) {
                    t.evaluate();
                }
            }
            System.out.printf("live arrays %d -> %d, RSS %.0f -> %.0f MB%n", live, t.liveArrayCount(), rss0,
                    ProcessMemory.rssMb());
            // The parameters (views of one flat array), the flat array and its two moments, nothing else.
            assertThat(t.liveArrayCount()).isEqualTo(live).isEqualTo(t.parameters().size() + 3);
        }
    }

    @Test
    void nonFiniteUpdatesAreSkippedReportedAndStopTheRunAfterFiveInARow(@TempDir Path dir) throws IOException {
        try (Trainer t = trainer(config(20, 1), dir, RunStart.fresh(), false)) {
            t.step();
            float[] bias = new float[256];
            bias[7] = Float.NaN;
            FlatParameters.copyInto(t.parameters().get("head.bias"), bias);
            float[] before = t.parameters().get("embedding.weight").toFloatArray();
            Trainer.StepResult r = t.step();
            assertThat(r.skipped()).contains("non-finite loss");
            assertThat(t.parameters().get("embedding.weight").toFloatArray()).containsExactly(before);
            assertThatThrownBy(t::run)
                    .isInstanceOf(TrainingDivergedException.class)
                    .hasMessageContaining("stopping at step 6")
                    .hasMessageContaining("5 updates in a row");
            assertThat(Checkpoint.read(dir).step()).isEqualTo(6);
            String metrics = Files.readString(dir.resolve(MetricsWriter.FILE));
            assertThat(metrics).contains("\"skipped\":\"non-finite loss NaN\"");
            assertThat(Arrays.stream(metrics.split("\n")).filter(l -> l.contains("skipped")).count()).isEqualTo(5);
        }
    }

    @Test
    void evaluationLinesCarryPerLayerDiagnosticsAndFlipsCountUpdatesSinceTheLastEvaluation(@TempDir Path dir)
            throws IOException {
        try (Trainer t = trainer(config(3, 1), dir, RunStart.fresh(), true)) {
            t.evaluate();                 // no update yet: nothing flipped
            t.step();
            t.evaluate();                 // one update of AdamW moves every weight by about lr: some cross 0
            t.evaluate();                 // no update since the last evaluation
            t.run();                      // two more updates, evaluated at the end
        }
        List<JsonObject> evals = Files.readAllLines(dir.resolve(MetricsWriter.FILE)).stream()
                .map(l -> JsonParser.parseString(l).getAsJsonObject()).filter(o -> o.has("val_loss")).toList();
        assertThat(evals).hasSize(4);
        double[] flips = new double[evals.size()];
        for (int e = 0; e < evals.size(); e++) {
            JsonObject line = evals.get(e);
            assertThat(line.get("flip_embedding").getAsDouble()).isBetween(0.0, 1.0);
            JsonArray layers = line.getAsJsonArray("layers");
            assertThat(layers).hasSize(MODEL.nLayers());
            for (int l = 0; l < layers.size(); l++) {
                JsonObject s = layers.get(l).getAsJsonObject();
                assertThat(s.get("layer").getAsInt()).isEqualTo(l);
                for (String p : EvalDiagnostics.PROJECTIONS) {
                    assertThat(s.get("flip_" + p).getAsDouble()).as(p).isBetween(0.0, 1.0);
                }
                assertThat(s.get("attn_entropy").getAsDouble()).isBetween(0.0, Math.log(MODEL.context()));
                assertThat(s.get("attn_agree").getAsDouble()).isBetween(0.0, 1.0);
                assertThat(s.get("value_hamming").getAsDouble()).isBetween(0.0, 0.5);
                assertThat(s.get("value_constant_columns").getAsDouble()).isBetween(0.0, 1.0);
                flips[e] += s.get("flip").getAsDouble();
            }
        }
        assertThat(flips[0]).isZero();
        assertThat(evals.get(0).get("flip_embedding").getAsDouble()).isZero();
        assertThat(flips[1]).isPositive();
        assertThat(evals.get(1).get("flip_embedding").getAsDouble()).isPositive();
        assertThat(flips[2]).isZero();
        assertThat(flips[3]).isPositive();
        // The readers of metrics.jsonl still see every update and evaluation.
        MetricsHistory h = MetricsHistory.read(dir.resolve(MetricsWriter.FILE));
        assertThat(h.training()).hasSize(3);
        assertThat(h.validation()).hasSize(4);
    }

    private static TrainConfig withTeacher(TrainConfig c, String teacher, double weight) {
        return new TrainConfig(c.steps(), c.batch(), c.accum(), c.lr(), c.minLrRatio(), c.warmup(), c.weightDecay(),
                c.beta1(), c.beta2(), c.eps(), c.gradClip(), c.latentClamp(), c.tauStart(), c.tauEnd(),
                c.attentionRamp(), teacher, weight, c.noiseEnd(), c.alphaVInit(), c.floatAblation(), c.evalEvery(), c.evalBatches(),
                c.checkpointEvery(), c.seed(), c.device(), c.precision(), c.threads());
    }

    @Test
    void aRunWithATeacherLearnsFromItAndAtWeightZeroIsTheRunWithout(@TempDir Path dir) throws IOException {
        Path teacher = dir.resolve("teacher");
        try (Trainer t = trainer(config(3, 1), teacher, RunStart.fresh(), false)) {
            t.run();
        }
        TrainConfig plain = config(3, 1);
        Map<String, float[]> without;
        try (Trainer t = trainer(plain, dir.resolve("plain"), RunStart.fresh(), false)) {
            t.run();
            without = snapshot(t);
        }
        try (Trainer t = trainer(withTeacher(plain, teacher.toString(), 0.0), dir.resolve("w0"),
                RunStart.fresh(), false)) {
            t.run();
            Map<String, float[]> w0 = snapshot(t);
            for (String name : without.keySet()) {
                assertThat(w0.get(name)).as(name).containsExactly(without.get(name));
            }
        }
        try (Trainer t = trainer(withTeacher(plain, teacher.toString(), 1.0), dir.resolve("w1"),
                RunStart.fresh(), false)) {
            t.step();
            int live = t.liveArrayCount();
            t.step();
            assertThat(t.liveArrayCount()).as("arrays alive between updates").isEqualTo(live);
            t.run();
            assertThat(snapshot(t).get("layers.0.attn.q.weight"))
                    .isNotEqualTo(without.get("layers.0.attn.q.weight"));
            assertThat(Checkpoint.read(dir.resolve("w1")).meta().train().distillFrom()).isEqualTo(teacher.toString());
        }
        assertThatThrownBy(() -> trainer(withTeacher(plain, dir.resolve("none").toString(), 0.5),
                dir.resolve("bad"), RunStart.fresh(), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("--distill-from: ");
    }
}
