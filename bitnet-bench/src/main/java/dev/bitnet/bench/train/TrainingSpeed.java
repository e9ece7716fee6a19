package dev.bitnet.bench.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.train.TrainConfig;
import dev.bitnet.train.loop.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Training speed on a GPU (or the CPU), update by update: for each run ({@code PRESET:BxT}) it
 * trains the trainer's own update ({@link Trainer#step()}) on seeded random tokens, skips the
 * warm-up updates, and reports the median tokens/s and seconds per update, the GPU's mean
 * utilisation over the measured updates (sampled with {@code nvidia-smi}) and the most GPU
 * memory seen in use. Not a JMH benchmark: one update of a large preset takes a second, and
 * the GPU's state (allocator, cuBLAS) is per process, which JMH's forks would rebuild per trial.
 *
 * <pre>
 *   TrainingSpeed --device gpu --precision tf32 --run 75m:8x1024 --run 300m:4x1024 --json out.json
 * </pre>
 *
 * <p>{@code --precision} is set once per process (PyTorch's TF32 flag is global): run fp32 and
 * tf32 in separate processes.
 */
@Command(name = "TrainingSpeed", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures training tokens/s, s/update, GPU utilisation and memory per preset and batch shape.")
public final class TrainingSpeed implements Callable<Integer> {

    private static final Pattern RUN = Pattern.compile("([a-z0-9]+):(\\d+)x(\\d+)");
    /** NaN stands for "not measured" (utilisation without nvidia-smi). */
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().setPrettyPrinting().create();

    @Option(names = "--run", paramLabel = "PRESET:BxT", required = true,
            description = "A preset, micro-batch and context, e.g. 75m:8x1024; repeatable.")
    List<String> runs;
    @Option(names = "--device", paramLabel = "DEV", defaultValue = "gpu", description = "cpu, gpu or gpu:N (default gpu).")
    String device;
    @Option(names = "--precision", paramLabel = "P", defaultValue = "fp32", description = "fp32 or tf32 (default fp32).")
    String precision;
    @Option(names = "--warmup", paramLabel = "N", defaultValue = "3", description = "Updates not measured (default 3).")
    int warmup;
    @Option(names = "--updates", paramLabel = "N", defaultValue = "10", description = "Updates measured (default 10).")
    int updates;
    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "PyTorch CPU threads (default: the engine's).")
    int threads;
    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;


    /** Runs the measurement; exit status 0, or 2 for bad input. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new TrainingSpeed()).execute(args));
    }

    /** One measured run. */
    record Figures(String preset, int batch, int context, String device, String precision, int updates,
                   double medianTokensPerS, double medianSecondsPerUpdate, double meanGpuUtilisation,
                   long peakGpuMib, double firstLoss, double lastLoss) {
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (warmup < 0 || updates < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--warmup must be >= 0 and --updates >= 1, got " + warmup + " and " + updates);
        }
        String gpuName = nvidiaSmi("name").stream().findFirst().orElse("none visible to nvidia-smi");
        System.out.printf(Locale.ROOT, "training speed: device %s (%s), precision %s, %d warm-up + %d measured updates%n",
                device, device.equals("cpu") ? System.getProperty("os.arch") : gpuName, precision, warmup, updates);
        System.out.printf(Locale.ROOT, "%-6s %-10s %12s %10s %9s %14s%n",
                "preset", "batch", "tokens/s", "s/update", "GPU busy", "GPU mem peak");
        JsonArray results = new JsonArray();
        for (String run : runs) {
            Figures f = measure(run);
            System.out.printf(Locale.ROOT, "%-6s %-10s %,12.0f %10.3f %9s %14s   loss %.3f -> %.3f%n",
                    f.preset(), f.batch() + "x" + f.context(), f.medianTokensPerS(), f.medianSecondsPerUpdate(),
                    Double.isNaN(f.meanGpuUtilisation()) ? "n/a" : String.format(Locale.ROOT, "%.0f %%", f.meanGpuUtilisation()),
                    f.peakGpuMib() < 0 ? "n/a" : String.format(Locale.ROOT, "%,d MiB", f.peakGpuMib()),
                    f.firstLoss(), f.lastLoss());
            results.add(GSON.toJsonTree(f));
        }
        if (json != null) {
            JsonObject o = new JsonObject();
            o.addProperty("gpu", gpuName);
            o.add("runs", results);
            Files.writeString(json, GSON.toJson(o));
        }
        return 0;
    }

    private Figures measure(String run) throws IOException, InterruptedException {
        Matcher m = RUN.matcher(run);
        if (!m.matches()) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--run: expected PRESET:BxT (e.g. 75m:8x1024), got " + run);
        }
        int batch = Integer.parseInt(m.group(2));
        ModelConfig model = ModelConfig.preset(m.group(1)).withContext(Integer.parseInt(m.group(3)));
        TrainConfig d = TrainConfig.defaults(1000);
        TrainConfig config = new TrainConfig(d.steps(), batch, 1, d.lr(), d.minLrRatio(), d.warmup(), d.weightDecay(),
                d.beta1(), d.beta2(), d.eps(), d.gradClip(), d.latentClamp(), d.tauStart(), d.tauEnd(),
                d.attentionRamp(), d.distillFrom(), d.distillWeight(), d.noiseEnd(), d.alphaVInit(),
                false, d.evalEvery(), d.evalBatches(), d.checkpointEvery(), d.seed(), device, precision, threads);
        double[] seconds = new double[updates];
        double firstLoss;
        double lastLoss = Double.NaN;
        List<Double> utilisation;
        try (RandomTokenTraining training = RandomTokenTraining.start(model, config, 1 << 22)) {
            firstLoss = training.step().loss();
            for (int i = 1; i < warmup; i++) {
                training.step();
            }
            try (UtilisationSampler sampler = UtilisationSampler.start(config.gpuIndex())) {
                for (int i = 0; i < updates; i++) {
                    Trainer.StepResult r = training.step();
                    seconds[i] = r.seconds();
                    lastLoss = r.loss();
                }
                utilisation = sampler.stop();
            }

            long tokens = config.tokensPerStep(model.context());
            double median = median(seconds);
            double meanUtil = utilisation.isEmpty() ? Double.NaN
                    : utilisation.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            return new Figures(m.group(1), batch, model.context(), device, precision, updates, tokens / median, median,
                    meanUtil, training.trainer().peakGpuMib(), firstLoss, lastLoss);
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** One query of {@code nvidia-smi --query-gpu=FIELD}, a line per GPU; empty without nvidia-smi. */
    private static List<String> nvidiaSmi(String field) throws InterruptedException {
        try {
            Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=" + field, "--format=csv,noheader,nounits")
                    .redirectErrorStream(true).start();
            List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip).toList();
            return p.waitFor() == 0 ? lines : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** {@code nvidia-smi}'s GPU utilisation (%), sampled every 100 ms in a background process. */
    private static final class UtilisationSampler implements AutoCloseable {
        private final Process process;
        private final List<Double> samples = new ArrayList<>();
        private final Thread reader;

        private UtilisationSampler(Process process) {
            this.process = process;
            reader = process == null ? null : Thread.ofPlatform().daemon().start(this::read);
        }

        /** Samples GPU {@code gpu}; samples nothing for -1 (the CPU). */
        static UtilisationSampler start(int gpu) {
            if (gpu < 0) {
                return new UtilisationSampler(null);
            }
            try {
                return new UtilisationSampler(new ProcessBuilder("nvidia-smi", "-i", Integer.toString(gpu),
                        "--query-gpu=utilization.gpu", "--format=csv,noheader,nounits", "-lms", "100").start());
            } catch (IOException e) {
                return new UtilisationSampler(null);               // no nvidia-smi: utilisation n/a
            }
        }

        private void read() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    try {
                        synchronized (samples) {
                            samples.add(Double.parseDouble(line.strip()));
                        }
                    } catch (NumberFormatException notASample) {
                        // nvidia-smi's own messages
                    }
                }
            } catch (IOException ended) {
                // the process was stopped
            }
        }

        /** Stops sampling and returns the samples taken (empty without nvidia-smi). */
        List<Double> stop() throws InterruptedException {
            if (process == null) {
                return List.of();
            }
            process.destroy();
            reader.join(2000);
            synchronized (samples) {
                return List.copyOf(samples);
            }
        }

        @Override
        public void close() {
            if (process != null) {
                process.destroyForcibly();
            }
        }
    }
}
