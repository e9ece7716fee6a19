package dev.bitnet.bench.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.train.TrainConfig;
import dev.bitnet.train.data.TokenDataset;
import dev.bitnet.train.data.TokenShard;
import dev.bitnet.train.data.WindowSampler;
import dev.bitnet.train.loop.ProgressBar;
import dev.bitnet.train.loop.RunStart;
import dev.bitnet.train.loop.Trainer;
import dev.bitnet.train.model.BitLM;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The trainer itself on seeded random tokens: a {@link Trainer} over one shard of random tokens,
 * in a temporary directory that {@link #close()} deletes. Each {@link #step()} is
 * {@link Trainer#step()}, the update {@code ./bitnet train} makes: forward and backward, the
 * non-finite check, global-norm clipping, AdamW, the latent clamp, and the metrics line.
 */
final class RandomTokenTraining implements AutoCloseable {

    private final Path dir;
    private final TokenDataset data;
    private final Trainer trainer;

    private RandomTokenTraining(Path dir, TokenDataset data, Trainer trainer) {
        this.dir = dir;
        this.data = data;
        this.trainer = trainer;
    }

    /**
     * Starts PyTorch with {@code config.threads()} threads (as {@code ./bitnet train --threads}
     * does), writes {@code tokens} random tokens below the vocabulary size and builds the trainer.
     *
     * @param tokens length of the token stream the windows are drawn from; {@code context + 1}
     *               makes every row of every batch the same window
     * @throws IllegalStateException if the engine was already running with other thread counts
     *                               (the engine reads them once, when it starts)
     */
    static RandomTokenTraining start(ModelConfig model, TrainConfig config, int tokens) throws IOException {
        startEngine(config.threads());
        Path dir = Files.createTempDirectory("bitnet-trainbench-");
        TokenDataset data = null;
        try {
            Path shard = dir.resolve("train.tokens");
            TokenShard.write(shard, randomTokens(tokens, model.vocabSize(), config.seed()));
            data = TokenDataset.open(List.of(shard));
            WindowSampler sampler = new WindowSampler(data, model.context(), config.seed());
            ProgressBar silent = new ProgressBar(new PrintStream(OutputStream.nullOutputStream()), false, 1);
            Device device = config.gpuIndex() < 0 ? Device.cpu() : Device.gpu(config.gpuIndex());
            Trainer trainer = new Trainer(model, config, device, dir.resolve("run"), sampler, null,
                    RunStart.fresh(), silent, null);
            return new RandomTokenTraining(dir, data, trainer);
        } catch (IOException | RuntimeException e) {
            if (data != null) {
                data.close();
            }
            deleteTree(dir);
            throw e;
        }
    }

    /**
     * Starts the engine with {@code threads} intra- and inter-op threads (0: the engine's default).
     *
     * @throws IllegalStateException if it was already running with others
     */
    static void startEngine(int threads) {
        if (threads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(threads));
        }
        Engine.getInstance();
        int intra = JniUtils.getNumThreads();
        int inter = JniUtils.getNumInteropThreads();
        if (threads > 0 && (intra != threads || inter != threads)) {
            throw new IllegalStateException("PyTorch runs " + intra + " intra-op and " + inter
                    + " inter-op threads, not the " + threads + " asked for: the engine started before they were set"
                    + " (each threads value needs a JVM of its own: run JMH with forks >= 1)");
        }
    }

    private static int[] randomTokens(int n, int vocab, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = r.nextInt(vocab);
        }
        return t;
    }

    /** The temporary directory (token shard and run directory) that {@link #close()} deletes. */
    Path directory() {
        return dir;
    }

    /** One training update: {@link Trainer#step()}. */
    Trainer.StepResult step() {
        return trainer.step();
    }

    /** The trainer (its figures: {@link Trainer#peakGpuMib()}). */
    Trainer trainer() {
        return trainer;
    }

    /**
     * A fingerprint of every latent matrix (the 1-bit weights): the sum of its squared values, by
     * name. Two fingerprints differ where an update moved the matrix.
     */
    Map<String, Double> latentFingerprint() {
        Map<String, Double> out = new LinkedHashMap<>();
        trainer.parameters().forEach((name, p) -> {
            if (BitLM.isLatentMatrix(name)) {
                try (NDArray sq = p.square(); NDArray sum = sq.sum()) {
                    out.put(name, (double) sum.getFloat());
                }
            }
        });
        return out;
    }

    @Override
    public void close() {
        try {
            trainer.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            data.close();
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root + ": " + e.getMessage(), e);
        }
    }
}
