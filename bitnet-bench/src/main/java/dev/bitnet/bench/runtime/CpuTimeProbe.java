package dev.bitnet.bench.runtime;

import dev.bitnet.compact.export.Exporter;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.model.RandomModel;
import dev.bitnet.runtime.BitNetModel;
import dev.bitnet.runtime.GenerationListener;
import dev.bitnet.runtime.GenerationOptions;
import dev.bitnet.runtime.ModelOptions;
import dev.bitnet.runtime.Session;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A quick companion to {@link EndToEndBenchmark} for shared machines: besides wall-clock
 * tokens/s it reports the CPU time the session's threads (caller and workers) spent per token,
 * which other processes on the machine disturb much less.
 *
 * <p>Usage: {@code CpuTimeProbe [vector|scalar] [threads] [tokens] [preset]} (defaults: vector, 1, 256, 75m).
 */
public final class CpuTimeProbe {

    private CpuTimeProbe() {
    }

    /** Runs decode at context 128 and 1024, and a 512-token prefill, on a random model of the preset's shape. */
    public static void main(String[] args) throws Exception {
        String kernels = args.length > 0 ? args[0] : "vector";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int tokens = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        String preset = args.length > 3 ? args[3] : "75m";
        Path file = Files.createTempFile("bitnet-" + preset + "-", ".bit2");
        try {
            ModelConfig config = ModelConfig.preset(preset);
            RandomModel.write(config, Exporter.tokenizer(config.tokenizer()), 75, file);
            for (int round = 0; round < 3; round++) { // the first rounds warm up the JIT
                long t0 = System.nanoTime();
                for (int context : new int[] {128, 1024}) {
                    int window = EndToEndBenchmark.decodeWindow(config, context);
                    ModelOptions o = ModelOptions.builder().kernels(EndToEndBenchmark.kernels(kernels))
                            .threads(threads).attentionWindow(window).build();
                    try (BitNetModel m = BitNetModel.load(file, o); Session s = m.newSession()) {
                        if (context == 128) {
                            System.out.printf("load %.1f ms%n", m.loadTime().toNanos() / 1e6);
                        }
                        int v = m.config().vocabSize();
                        s.logits(EndToEndBenchmark.tokens(window + 8, v));
                        report("decode, context " + window, tokens, () -> s.generate(new int[] {11},
                                GenerationOptions.greedy(tokens), GenerationListener.NONE));
                        int[] prompt = EndToEndBenchmark.tokens(512, v);
                        report("prefill 512", 512, () -> {
                            s.reset();
                            s.generate(prompt, GenerationOptions.greedy(0), GenerationListener.NONE);
                        });
                    }
                }
                System.out.printf("round %d: %.1f s (%s kernels, %d threads)%n%n", round, (System.nanoTime() - t0) / 1e9,
                        kernels, threads);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void report(String what, int tokens, Runnable work) {
        long cpu0 = sessionCpuNanos();
        long t0 = System.nanoTime();
        work.run();
        long wall = System.nanoTime() - t0;
        long cpu = sessionCpuNanos() - cpu0;
        System.out.printf("%-20s %8.0f tokens/s wall | %7.1f us CPU per token (%.0f tokens/s per busy core)%n",
                what, tokens * 1e9 / wall, cpu / 1e3 / tokens, tokens * 1e9 / cpu);
    }

    /** CPU time of this thread and the session workers. */
    static long sessionCpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = mx.getCurrentThreadCpuTime();
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith("bitnet-worker-")) {
                sum += Math.max(0, mx.getThreadCpuTime(t.getThreadId()));
            }
        }
        return sum;
    }
}
