package dev.bitnet.train.loop;

import ai.djl.Device;
import com.google.gson.JsonObject;
import dev.bitnet.train.checkpoint.CheckpointMetrics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * What a run reports as it goes: per update and per evaluation one {@code metrics.jsonl} line
 * ({@link MetricsWriter}) and one console line ({@link ProgressBar}); and the figures of its
 * speed, which the progress line (tokens per second, the ETA from {@link TimeLeft}) and the
 * run's result (the median tokens per second, the GPU memory peak) are made of.
 */
final class Progress implements AutoCloseable {

    private final MetricsWriter metrics;
    private final ProgressBar bar;
    private final Device device;
    private final int totalSteps;
    private final long tokensPerStep;
    private final long startNanos;
    private final List<Double> speeds = new ArrayList<>(); // tokens/s of every update made, skipped ones excluded
    private double emaStepSeconds = Double.NaN;            // for the progress line's tokens/s
    private final TimeLeft timeLeft = new TimeLeft();      // for its ETA
    private long peakGpuMib = -1;                          // -1: on the CPU, or the CUDA runtime cannot tell

    /** @param startNanos {@link System#nanoTime()} when the run started, for {@code elapsed_s} */
    Progress(MetricsWriter metrics, ProgressBar bar, Device device, int totalSteps, long tokensPerStep, long startNanos) {
        this.metrics = metrics;
        this.startNanos = startNanos;
        this.bar = bar;
        this.device = device;
        this.totalSteps = totalSteps;
        this.tokensPerStep = tokensPerStep;
    }

    /** Reports an update, after which {@code tokens} training tokens have been consumed. */
    void update(Trainer.StepResult r, long tokens) {
        double tps = tokensPerStep / r.seconds();
        if (r.skipped() == null) {
            speeds.add(tps);
        }
        emaStepSeconds = Double.isNaN(emaStepSeconds) ? r.seconds() : 0.9 * emaStepSeconds + 0.1 * r.seconds();
        JsonObject o = new JsonObject();
        o.addProperty("step", r.step());
        o.addProperty("tokens", tokens);
        if (r.skipped() != null) {
            o.addProperty("skipped", r.skipped());
            bar.message("step " + r.step() + ": skipped the update (" + r.skipped() + ")");
        } else {
            o.addProperty("loss", r.loss());
        }
        o.addProperty("lr", r.lr());
        o.addProperty("tau", r.tau());
        if (Double.isFinite(r.gradNorm())) {
            o.addProperty("grad_norm", r.gradNorm());
        }
        o.addProperty("tokens_per_s", tps);
        o.addProperty("rss_mb", ProcessMemory.rssMb());
        OptionalLong gpuMib = GpuMemory.usedMib(device);
        if (gpuMib.isPresent()) {
            peakGpuMib = Math.max(peakGpuMib, gpuMib.getAsLong());
            o.addProperty("gpu_mem_mib", gpuMib.getAsLong());
        }
        o.addProperty("elapsed_s", elapsed());
        metrics.write(o);
        timeLeft.updateEnded(System.nanoTime());
        bar.update(r.step(), totalSteps, r.loss(), r.lr(), r.tau(), tokensPerStep / emaStepSeconds,
                timeLeft.seconds(totalSteps - r.step()));
    }

    /**
     * Reports an evaluation after {@code step} updates; {@code best}: the lowest validation loss so
     * far; {@code layers}: its per-layer statistics.
     */
    void evaluation(int step, long tokens, CheckpointMetrics m, boolean best, EvalDiagnostics.Result layers) {
        JsonObject o = new JsonObject();
        o.addProperty("step", step);
        o.addProperty("tokens", tokens);
        o.addProperty("val_loss", m.valLoss());
        o.addProperty("val_bits_per_token", m.valBitsPerToken());
        o.addProperty("val_bits_per_byte", m.valBitsPerByte());
        layers.addTo(o);
        o.addProperty("elapsed_s", elapsed());
        metrics.write(o);
        bar.message(String.format(Locale.ROOT, "step %d | val loss %.4f | %.4f bits/token | %.4f bits/byte%s", step,
                m.valLoss(), m.valBitsPerToken(), m.valBitsPerByte(), best ? " | best" : ""));
    }

    /** Prints a line of its own on the console. */
    void message(String text) {
        bar.message(text);
    }

    /** The median tokens per second of the updates reported so far, skipped ones excluded; {@code NaN} if none. */
    double medianTokensPerS() {
        if (speeds.isEmpty()) {
            return Double.NaN;
        }
        double[] v = speeds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** The most GPU memory seen in use after an update, MiB ({@link GpuMemory}); -1 on the CPU or when unknown. */
    long peakGpuMib() {
        return peakGpuMib;
    }

    private double elapsed() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    @Override
    public void close() throws IOException {
        metrics.close();
    }
}
