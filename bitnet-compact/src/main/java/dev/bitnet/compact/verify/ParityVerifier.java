package dev.bitnet.compact.verify;

import dev.bitnet.compact.export.ExportException;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.format.Bit2FormatException;
import dev.bitnet.core.tokenizer.StreamingDecoder;
import dev.bitnet.core.tokenizer.Tokenizer;
import dev.bitnet.runtime.BitNetModel;
import dev.bitnet.runtime.GenerationOptions;
import dev.bitnet.runtime.GenerationResult;
import dev.bitnet.runtime.Session;
import dev.bitnet.runtime.sampling.Sampler;
import dev.bitnet.train.checkpoint.Checkpoint;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * Checks MODEL.md's parity: for the same parameters and tokens, the trainer's evaluation-mode
 * forward (DJL, CPU) and the runtime reading the exported file give bit-identical float32
 * logits, and the same greedy continuation.
 * <ol>
 *   <li>Logits: consecutive windows of the text's tokens, each run from an empty context on both
 *       sides; every logit of every position is compared by its bits.</li>
 *   <li>Greedy: after a prompt from the start of the text, the trainer's argmax chain (one
 *       forward per token) against the runtime fed token by token, comparing the logits at
 *       each step; then the runtime's own greedy {@code generate} must produce the chain's text.</li>
 * </ol>
 * On a difference the report names the first position and logit index with both values, and
 * compares the residual streams layer by layer ({@link ResidualComparison}) to say where they part.
 */
public final class ParityVerifier {

    private ParityVerifier() {
    }

    /**
     * Compares the checkpoint with the exported model on {@code text}.
     *
     * @throws ExportException     if the text has too few tokens for the options
     * @throws Bit2FormatException if the model file cannot be loaded
     */
    public static ParityReport verify(Checkpoint checkpoint, Path model, String text, ParityOptions options)
            throws Bit2FormatException {
        ModelConfig config = checkpoint.model();
        if (options.windowLength() > config.context()
                || options.promptTokens() + options.greedyTokens() > config.context()) {
            throw new IllegalArgumentException("parity windows must fit the context " + config.context() + ": " + options);
        }
        try (BitNetModel runtime = BitNetModel.load(model);
             TrainerForward trainer = new TrainerForward(checkpoint)) {
            Tokenizer tokenizer = runtime.tokenizer();
            int[] tokens = tokenizer.encode(text);
            if (tokens.length < options.tokensNeeded()) {
                throw new ExportException("verify text has " + tokens.length + " tokens (" + config.tokenizer()
                        + " tokenizer), the check needs " + options.tokensNeeded());
            }
            Timer tTrainer = new Timer();
            Timer tRuntime = new Timer();
            int v = config.vocabSize();
            for (int w = 0; w < options.windows(); w++) {
                int[] window = Arrays.copyOfRange(tokens, w * options.windowLength(), (w + 1) * options.windowLength());
                float[] expected = tTrainer.time(() -> trainer.logits(window));
                float[][] actual = tRuntime.time(() -> runtime.logits(window));
                for (int i = 0; i < window.length; i++) {
                    Mismatch m = compare("window " + w + " (text tokens " + w * options.windowLength() + "..)", i,
                            expected, i * v, actual[i], trainer, runtime, window);
                    if (m != null) {
                        return new ParityReport(w * options.windowLength() + i, 0, "", tTrainer.millis, tRuntime.millis, m);
                    }
                }
            }
            return greedy(trainer, runtime, Arrays.copyOf(tokens, options.promptTokens()), options, tTrainer, tRuntime);
        }
    }

    private static ParityReport greedy(TrainerForward trainer, BitNetModel runtime, int[] prompt, ParityOptions options,
                                       Timer tTrainer, Timer tRuntime) throws Bit2FormatException {
        int positions = options.positions();
        int n = options.greedyTokens();
        if (n == 0) {
            return new ParityReport(positions, 0, "", tTrainer.millis, tRuntime.millis, null);
        }
        int v = runtime.config().vocabSize();
        int[] seq = Arrays.copyOf(prompt, prompt.length + n);
        try (Session session = runtime.newSession()) {
            float[][] rows = tRuntime.time(() -> session.logits(prompt));
            float[] actual = rows[rows.length - 1];
            for (int k = 0; k < n; k++) {
                int len = prompt.length + k;
                int[] context = Arrays.copyOf(seq, len);
                float[] all = tTrainer.time(() -> trainer.logits(context));
                Mismatch m = compare("greedy step " + k + " (after " + len + " tokens)", len - 1, all, (len - 1) * v,
                        actual, trainer, runtime, context);
                if (m != null) {
                    return new ParityReport(positions, k, "", tTrainer.millis, tRuntime.millis, m);
                }
                seq[len] = Sampler.argmax(actual);
                int next = seq[len];
                actual = tRuntime.time(() -> session.logits(new int[] {next}))[0];
            }
        }
        // The runtime's own greedy generation must give the chain's text, stopping where it does.
        Tokenizer tokenizer = runtime.tokenizer();
        OptionalInt eot = tokenizer.endOfText();
        StreamingDecoder decoder = tokenizer.newStreamingDecoder();
        StringBuilder expected = new StringBuilder();
        int chain = 0;
        for (int k = prompt.length; k < seq.length && !(eot.isPresent() && seq[k] == eot.getAsInt()); k++) {
            expected.append(decoder.push(seq[k]));
            chain++;
        }
        expected.append(decoder.flush());
        StringBuilder generated = new StringBuilder();
        GenerationResult r;
        try (Session session = runtime.newSession()) {
            r = tRuntime.time(() -> session.generate(prompt, GenerationOptions.greedy(n), generated::append));
        }
        if (r.generatedTokens() != chain || !generated.toString().equals(expected.toString())) {
            Mismatch m = new Mismatch("greedy generate", prompt.length, -1, Float.NaN, Float.NaN, 0,
                    "the runtime's generate gave " + r.generatedTokens() + " tokens \"" + generated
                            + "\", the trainer's argmax chain " + chain + " tokens \"" + expected + "\"");
            return new ParityReport(positions, n, generated.toString(), tTrainer.millis, tRuntime.millis, m);
        }
        return new ParityReport(positions, n, generated.toString(), tTrainer.millis, tRuntime.millis, null);
    }

    /** The first difference between the trainer's row at {@code off} and the runtime's row, or null. */
    private static Mismatch compare(String where, int position, float[] expected, int off, float[] actual,
                                    TrainerForward trainer, BitNetModel runtime, int[] tokens) throws Bit2FormatException {
        int first = -1;
        int count = 0;
        for (int j = 0; j < actual.length; j++) {
            if (Float.floatToRawIntBits(expected[off + j]) != Float.floatToRawIntBits(actual[j])) {
                if (first < 0) {
                    first = j;
                }
                count++;
            }
        }
        if (first < 0) {
            return null;
        }
        int[] upTo = Arrays.copyOf(tokens, position + 1);
        String layer = ResidualComparison.firstDifference(trainer.residuals(upTo),
                RuntimeResiduals.of(runtime.path(), runtime.options().kernels(), upTo), runtime.config().dModel(), position);
        return new Mismatch(where, position, first, expected[off + first], actual[first], count, layer);
    }

    /** Sums the wall time of the calls it runs. */
    private static final class Timer {
        long millis;

        <T, E extends Exception> T time(Call<T, E> call) throws E {
            long t0 = System.nanoTime();
            try {
                return call.run();
            } finally {
                millis += (System.nanoTime() - t0) / 1_000_000;
            }
        }
    }

    @FunctionalInterface
    private interface Call<T, E extends Exception> {
        T run() throws E;
    }
}
