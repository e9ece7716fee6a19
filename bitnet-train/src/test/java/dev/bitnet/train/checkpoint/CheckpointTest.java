package dev.bitnet.train.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.engine.Engine;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.config.TokenizerKind;
import dev.bitnet.train.TrainConfig;
import dev.bitnet.train.model.BitLM;
import dev.bitnet.train.optim.AdamW;
import dev.bitnet.train.optim.FlatParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CheckpointTest {

    static final ModelConfig MODEL = new ModelConfig(256, 32, 1, 2, 64, 16, TokenizerKind.BYTES);

    private static CheckpointMeta meta(int step) {
        return new CheckpointMeta(MODEL, false, step, step * 1000L, TrainConfig.defaults(100),
                new CheckpointMetrics(2.0, 2.0 / Math.log(2), 2.5, 1.9), null);
    }

    private static Map<String, NDArray> params(BitLM model) {
        Map<String, NDArray> m = new LinkedHashMap<>();
        model.namedParameters().forEach((n, p) -> m.put(n, p.getArray()));
        return m;
    }

    private static BitLM model(NDManager manager, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        BitLM model = BitLM.builder().setConfig(MODEL).build();
        model.initialize(manager);
        return model;
    }

    @Test
    void writeThenReadGivesBackEveryParameterTheConfigsAndTheOptimizer(@TempDir Path run) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            BitLM model = model(manager, 1);
            Map<String, NDArray> params = params(model);
            AdamW opt = new AdamW(new FlatParameters(params, BitLM::isLatentMatrix), 0.9, 0.95, 1e-8, 0.1);
            CheckpointWriter.write(run.resolve(Checkpoint.LAST), meta(7), params, opt);

            Checkpoint c = Checkpoint.read(run); // a run directory resolves to last/
            assertThat(c.dir()).isEqualTo(run.resolve(Checkpoint.LAST));
            assertThat(c.model()).isEqualTo(MODEL);
            assertThat(c.step()).isEqualTo(7);
            assertThat(c.meta().tokens()).isEqualTo(7000L);
            assertThat(c.meta().train()).isEqualTo(TrainConfig.defaults(100));
            assertThat(c.metrics().valBitsPerByte()).isEqualTo(2.5);
            assertThat(c.params().keySet()).containsExactlyElementsOf(model.namedParameters().keySet());
            for (String name : params.keySet()) {
                assertThat(c.params().get(name).data()).as(name).containsExactly(params.get(name).toFloatArray());
                assertThat(c.params().get(name).shape()).isEqualTo(params.get(name).getShape().getShape());
            }
            OptimizerState s = Checkpoint.readOptimizer(c.dir());
            assertThat(s.step()).isZero();
            assertThat(s.moments()).containsKeys("m.embedding.weight", "v.head.bias");

            // Loading into a differently initialised model reproduces the parameters.
            BitLM other = model(manager, 2);
            assertThat(params(other).get("embedding.weight").toFloatArray())
                    .isNotEqualTo(params.get("embedding.weight").toFloatArray());
            CheckpointLoader.load(c, other);
            for (String name : params.keySet()) {
                assertThat(params(other).get(name).toFloatArray()).as(name)
                        .containsExactly(params.get(name).toFloatArray());
            }
        }
    }

    @Test
    void dataProvenanceRoundTripsAndCheckpointsWithoutItStillLoad(@TempDir Path dir) throws IOException {
        DataProvenance data = new DataProvenance(List.of("kjv.txt", "moby_dick.txt"), List.of("sotu_tail1.txt"), null,
                43_278_871L, 137_437L);
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> params = params(model(manager, 1));
            Path with = dir.resolve("with");
            CheckpointMeta m = meta(5);
            CheckpointWriter.write(with, new CheckpointMeta(m.model(), false, 5, m.tokens(), m.train(), m.metrics(),
                    data), params, null);
            assertThat(Files.readString(with.resolve("checkpoint.json")))
                    .contains("\"train\": [\n      \"kjv.txt\",").contains("\"train_tokens\": 43278871")
                    .doesNotContain("val_fraction");
            assertThat(Checkpoint.read(with).meta().data()).isEqualTo(data);

            // Written before provenance was recorded: no "data" field at all.
            Path older = dir.resolve("older");
            CheckpointWriter.write(older, meta(5), params, null);
            assertThat(Files.readString(older.resolve("checkpoint.json"))).doesNotContain("\"data\"");
            Checkpoint c = Checkpoint.read(older);
            assertThat(c.meta().data()).isNull();
            assertThat(c.step()).isEqualTo(5);

            // Written before --precision existed: no "precision" in "train", which reads as fp32.
            Path json = older.resolve("checkpoint.json");
            String text = Files.readString(json);
            assertThat(text).contains("\"precision\": \"fp32\",");
            Files.writeString(json, text.replace("\"precision\": \"fp32\",", ""));
            assertThat(Checkpoint.read(older).meta().train().precision()).isEqualTo("fp32");
        }
    }

    @Test
    void dataProvenanceNamesInputsByFileNameAndDescribesThemInOneLine(@TempDir Path dir) throws IOException {
        Path corpus = Files.createDirectories(dir.resolve("corpus"));
        Path kjv = Files.writeString(corpus.resolve("kjv.txt"), "In the beginning");
        DataProvenance given = DataProvenance.of(List.of(kjv, corpus), List.of(dir.resolve("corpus/../val.txt")), 0.01,
                43_278_871L, 137_437L);
        assertThat(given.train()).containsExactly("kjv.txt", "corpus/");
        assertThat(given.validation()).containsExactly("val.txt");
        assertThat(given.valFraction()).isNull();
        assertThat(given.describe())
                .isEqualTo("train: kjv.txt, corpus/ (43,278,871 tokens); validation: val.txt (137,437 tokens)");

        DataProvenance heldOut = DataProvenance.of(List.of(kjv), List.of(), 0.01, 43_000_000L, 434_343L);
        assertThat(heldOut.describe())
                .isEqualTo("train: kjv.txt (43,000,000 tokens); validation: held-out 1% of training (434,343 tokens)");
        assertThat(DataProvenance.of(List.of(kjv), List.of(), 0.005, 10, 1).describe())
                .endsWith("held-out 0.5% of training (1 tokens)");
        assertThat(DataProvenance.of(List.of(kjv), List.of(), 0, 10, 0).describe())
                .isEqualTo("train: kjv.txt (10 tokens); validation: none");

        List<String> shards = java.util.stream.IntStream.range(0, 25).mapToObj(i -> "shard_" + i + ".bin").toList();
        assertThat(new DataProvenance(shards, List.of(), null, 1, 0).describe())
                .startsWith("train: shard_0.bin, shard_1.bin,").contains("shard_9.bin and 15 more (1 tokens)")
                .doesNotContain("shard_10.bin");
    }

    @Test
    void aNewCheckpointReplacesTheOldOnlyWhenCompleteAndLeftoversAreHandled(@TempDir Path run) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> params = params(model(manager, 1));
            Path last = run.resolve(Checkpoint.LAST);
            CheckpointWriter.write(last, meta(1), params, null);
            // A crash mid-write leaves a hidden temporary directory: the next write cleans it up.
            Files.createDirectories(run.resolve(".last.tmp"));
            Files.writeString(run.resolve(".last.tmp").resolve("params.bin"), "partial");
            CheckpointWriter.write(last, meta(2), params, null);
            assertThat(Checkpoint.read(run).step()).isEqualTo(2);
            try (var files = Files.list(run)) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly(Checkpoint.LAST);
            }
            assertThat(Checkpoint.hasOptimizer(last)).isFalse();

            // A crash between the two renames leaves only last.old: it is the checkpoint to use.
            Files.move(last, run.resolve("last.old"));
            assertThat(Checkpoint.resolve(run)).isEqualTo(run.resolve("last.old"));
            assertThat(Checkpoint.read(run).step()).isEqualTo(2);
        }
    }

    /** Entry point of the child JVM: writes a checkpoint with optimizer to {@code args[0]}, prints the failure. */
    public static final class SaveChild {
        public static void main(String[] args) throws IOException {
            try (NDManager manager = NDManager.newBaseManager()) {
                Map<String, NDArray> params = params(model(manager, 3));
                AdamW opt = new AdamW(new FlatParameters(params, BitLM::isLatentMatrix), 0.9, 0.95, 1e-8, 0.1);
                CheckpointWriter.write(Path.of(args[0]), meta(2), params, opt);
                System.out.println("saved");
            } catch (IOException e) {
                System.out.println("failed: " + e.getMessage());
            }
        }
    }

    @Test
    void aFailedSaveLeavesNoPartialDirectoryBehind(@TempDir Path run) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            CheckpointWriter.write(run.resolve(Checkpoint.LAST), meta(1), params(model(manager, 1)), null);
        }
        // A full disk, as root too: a child JVM whose files may not grow beyond 16 KiB (RLIMIT_FSIZE;
        // the JVM ignores SIGXFSZ, so the write fails with EFBIG). The parameters alone take about 80 KB.
        Path bash = Path.of("/bin/bash");
        assumeTrue(Files.isExecutable(bash), "bash is available");
        List<String> cmd = List.of(bash.toString(), "-c", "ulimit -f 16 && exec \"$@\"", "bash",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:-UsePerfData",
                "--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
                "-cp", System.getProperty("java.class.path"), SaveChild.class.getName(),
                run.resolve(Checkpoint.LAST).toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as(out).contains("failed: File too large");
        try (var files = Files.list(run)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly(Checkpoint.LAST);
        }
        assertThat(Checkpoint.read(run).step()).isEqualTo(1);
    }

    @Test
    void foreignIncompatibleAndMismatchedCheckpointsGetClearErrors(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> Checkpoint.read(dir)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("not a checkpoint (no checkpoint.json)");

        Path foreign = dir.resolve("foreign");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("checkpoint.json"), "{\"format\": \"pytorch-lightning\", \"version\": 1}");
        assertThatThrownBy(() -> Checkpoint.read(foreign)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("not a bitnet training checkpoint (format pytorch-lightning");

        try (NDManager manager = NDManager.newBaseManager()) {
            BitLM model = model(manager, 1);
            Path ok = dir.resolve("ok");
            CheckpointWriter.write(ok, meta(3), params(model), null);
            Path json = ok.resolve("checkpoint.json");
            Files.writeString(json, Files.readString(json).replace("\"version\": 1", "\"version\": 9"));
            assertThatThrownBy(() -> Checkpoint.read(ok)).isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("checkpoint version 9 is not supported");

            Path good = dir.resolve("good");
            CheckpointWriter.write(good, meta(3), params(model), null);
            Checkpoint c = Checkpoint.read(good);
            BitLM wider = BitLM.builder().setConfig(new ModelConfig(256, 64, 1, 2, 64, 16, TokenizerKind.BYTES)).build();
            wider.initialize(manager);
            assertThatThrownBy(() -> CheckpointLoader.load(c, wider)).isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("differs from");
            Map<String, FloatTensor> missing = new LinkedHashMap<>(c.params());
            missing.remove("head.alpha");
            assertThatThrownBy(() -> CheckpointLoader.load(missing, model, "x")).isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("tensor 'head.alpha' is missing");
        }
    }
}
