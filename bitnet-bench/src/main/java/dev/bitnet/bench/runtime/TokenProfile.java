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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a token's time goes: runs decode and prefill on a random model of a preset's shape under
 * Java Flight Recorder (execution samples every millisecond, on every thread), sorts each sample
 * by the runtime code it was in, and prints CPU microseconds per token per part, with tokens/s
 * and the bytes allocated per token.
 *
 * <p>Usage: {@code TokenProfile [preset] [threads] [context]} (defaults: 75m, 1, 128). The parts:
 * the layers' binary products ({@code kernels}), the output head's product ({@code head
 * kernel}), their integer-to-bit and integer-to-float epilogues and the logits ({@code
 * epilogues}), {@code norms}, pointer {@code attention}, the worker threads' {@code hand-offs}
 * (spinning or waking), and {@code sampling} (the sampler and the session's bookkeeping).
 */
public final class TokenProfile {

    private static final String[] PARTS = {"kernels", "head kernel", "epilogues", "norms", "attention", "hand-offs",
            "sampling", "other"};

    private TokenProfile() {
    }

    public static void main(String[] args) throws Exception {
        String preset = args.length > 0 ? args[0] : "75m";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int context = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        ModelConfig config = ModelConfig.preset(preset);
        Path file = Files.createTempFile("bitnet-" + preset + "-", ".bit2");
        try {
            RandomModel.write(config, Exporter.tokenizer(config.tokenizer()), 75, file);
            int window = EndToEndBenchmark.decodeWindow(config, context);
            ModelOptions options = ModelOptions.builder().threads(threads).attentionWindow(window).build();
            try (BitNetModel model = BitNetModel.load(file, options); Session session = model.newSession();
                 Session decoder = model.newSession()) {
                int vocab = config.vocabSize();
                int[] history = EndToEndBenchmark.tokens(window + 8, vocab);
                int decodeTokens = 512;
                int[] prompt = EndToEndBenchmark.tokens(EndToEndBenchmark.PROMPT, vocab);
                // Decode runs in a second session whose window is full from the start: the attention
                // window slides, so every decoded token sees the same context.
                Runnable decode = () -> decoder.generate(new int[] {11}, GenerationOptions.greedy(decodeTokens),
                        GenerationListener.NONE);
                Runnable prefill = () -> {
                    session.reset();
                    session.generate(prompt, GenerationOptions.greedy(0), GenerationListener.NONE);
                };
                decoder.generate(history, GenerationOptions.greedy(0), GenerationListener.NONE);
                for (int i = 0; i < 5; i++) { // JIT warm-up
                    decode.run();
                    prefill.run();
                }
                System.out.printf("%s, %d thread(s), kernels %s, %s%n", preset, threads, model.kernelsName(),
                        System.getProperty("os.arch"));
                profile("decode at context " + window, decodeTokens, () -> decoder.generate(new int[] {11},
                        GenerationOptions.greedy(decodeTokens), GenerationListener.NONE).generatedTokens(), 10);
                profile("prefill " + prompt.length, prompt.length, () -> {
                    prefill.run();
                    return prompt.length;
                }, 10);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Runs {@code work} {@code rounds} times under JFR and prints the per-token breakdown. */
    private static void profile(String what, int tokens, IntSupplier work, int rounds)
            throws Exception {
        Map<String, Long> samples = new LinkedHashMap<>();
        for (String p : PARTS) {
            samples.put(p, 0L);
        }
        long wall;
        long allocated;
        long cpu;
        Path jfr = Files.createTempFile("bitnet-profile-", ".jfr");
        try (Recording r = new Recording()) {
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
            long alloc0 = allocatedBytes();
            long cpu0 = CpuTimeProbe.sessionCpuNanos();
            r.start();
            long t0 = System.nanoTime();
            int produced = 0;
            for (int i = 0; i < rounds; i++) {
                produced += work.getAsInt();
            }
            wall = System.nanoTime() - t0;
            r.stop();
            cpu = CpuTimeProbe.sessionCpuNanos() - cpu0;
            allocated = alloc0 < 0 ? -1 : allocatedBytes() - alloc0;
            tokens = produced / rounds;
            r.dump(jfr);
            for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
                if (e.getEventType().getName().equals("jdk.ExecutionSample") && e.getStackTrace() != null) {
                    samples.merge(part(e.getStackTrace().getFrames()), 1L, Long::sum);
                }
            }
        } finally {
            Files.deleteIfExists(jfr);
        }
        long total = samples.values().stream().mapToLong(Long::longValue).sum();
        double perToken = cpu / 1e3 / ((double) tokens * rounds);
        System.out.printf("%n%s: %.0f tokens/s, %.1f us CPU per token, %s bytes allocated per token, %d samples%n",
                what, (double) tokens * rounds * 1e9 / wall, perToken,
                allocated < 0 ? "n/a" : String.format("%.0f", (double) allocated / tokens / rounds), total);
        for (Map.Entry<String, Long> s : samples.entrySet()) {
            double share = total == 0 ? 0 : (double) s.getValue() / total;
            System.out.printf("  %-12s %5.1f %%  %7.1f us/token%n", s.getKey(), 100 * share, share * perToken);
        }
    }

    /** The part of the runtime a sample's stack was in, from its innermost runtime frame (and, for kernels, who called them). */
    static String part(List<RecordedFrame> frames) {
        for (int i = 0; i < frames.size(); i++) {
            String type = frames.get(i).getMethod().getType().getName();
            String method = frames.get(i).getMethod().getName();
            if (!type.startsWith("dev.bitnet.")) {
                if (type.startsWith("java.util.concurrent.locks.LockSupport") || method.equals("onSpinWait")) {
                    return "hand-offs";
                }
                continue;
            }
            String cls = type.substring(type.lastIndexOf('.') + 1);
            if (type.contains(".kernel.")) {
                if (method.equals("inRangeBits")) {
                    return "epilogues";
                }
                for (int j = i + 1; j < frames.size(); j++) {
                    String m = frames.get(j).getMethod().getName();
                    if (m.startsWith("lambda$logits") || m.equals("logits") || m.equals("headProduct")) {
                        return "head kernel";
                    }
                    if (frames.get(j).getMethod().getType().getName().endsWith("Forward")) {
                        break;
                    }
                }
                return "kernels";
            }
            return switch (cls) {
                case "RawLayer", "BinaryLayer", "Weights" -> method.equals("embed") ? "other" : "epilogues";
                case "NormSigns" -> "norms";
                case "PointerScan", "HeadBits" -> "attention";
                case "WorkerPool" -> "hand-offs";
                case "Forward" -> method.startsWith("lambda$logits") || method.equals("logits") ? "epilogues"
                        : method.equals("attend") || method.equals("store") || method.startsWith("lambda$attend")
                        || method.endsWith("Heads") ? "attention" : "other";
                default -> type.contains(".sampling.") || cls.equals("Session") || cls.equals("StopStringFilter")
                        ? "sampling" : "other";
            };
        }
        return "other";
    }

    /** Bytes allocated by all threads so far, or -1 where the JDK lacks the {@code jdk.management} module (a jlink'ed JRE). */
    private static long allocatedBytes() {
        try {
            return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
        } catch (LinkageError | ClassCastException e) {
            return -1;
        }
    }
}
