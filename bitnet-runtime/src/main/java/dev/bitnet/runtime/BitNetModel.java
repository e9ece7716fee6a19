package dev.bitnet.runtime;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.format.Bit2File;
import dev.bitnet.core.format.Bit2FormatException;
import dev.bitnet.core.format.TensorInfo;
import dev.bitnet.core.tokenizer.Tokenizer;
import dev.bitnet.runtime.engine.Weights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A loaded {@code .bit2} model: the file is mapped, the ±1 weights stay in the mapping (no copy
 * on the heap), and every shape is checked at load. Immutable and thread-safe: any number of
 * {@link Session}s may run on it concurrently, each with its own state.
 *
 * <pre>{@code
 * try (BitNetModel model = BitNetModel.load(Path.of("model.bit2"));
 *      Session session = model.newSession()) {
 *     session.generate("Once upon a time", GenerationOptions.builder().seed(42).build(), System.out::print);
 * }
 * }</pre>
 *
 * Closing the model unmaps the file; sessions used after that throw {@link IllegalStateException}.
 *
 * <p>The file must not change while the model is loaded: the embedding rows are read from the
 * mapping as tokens come. Replacing it by a rename (as every writer of this project does) is
 * safe, the mapping keeps the old file; rewriting it in place changes the output silently, and
 * truncating it makes the next read fault, which sessions report as an
 * {@link IllegalStateException} naming the file.
 */
public final class BitNetModel implements AutoCloseable {

    private final Bit2File file;
    private final Weights weights;
    private final ModelOptions options;
    private final int attentionWindow;
    private final Duration loadTime;
    private volatile boolean closed;

    private BitNetModel(Bit2File file, Weights weights, ModelOptions options, int attentionWindow, Duration loadTime) {
        this.file = file;
        this.weights = weights;
        this.options = options;
        this.attentionWindow = attentionWindow;
        this.loadTime = loadTime;
    }

    /**
     * Loads a model with the default options.
     *
     * @throws Bit2FormatException if the file is missing, not a regular file, damaged, not a valid model, or beyond
     *                             a limit of the default options (the message names the problem)
     */
    public static BitNetModel load(Path file) throws Bit2FormatException {
        return load(file, ModelOptions.defaults());
    }

    /**
     * Loads a model: opens the file (a regular file only), checks it within
     * {@link ModelOptions#fileLimits()}, checks that a session fits {@link ModelOptions#maxSessionBytes()}
     * before anything is allocated for the model, then reads the weights and checks that every
     * float value is finite and every logit the head can give is too.
     *
     * @throws Bit2FormatException if the file is missing, not a regular file, damaged, not a valid model, or beyond
     *                             a limit of the options (the message names the problem and the limit)
     */
    public static BitNetModel load(Path file, ModelOptions options) throws Bit2FormatException {
        long t0 = System.nanoTime();
        Bit2File f = Bit2File.open(file, options.verifyChecksums(), options.fileLimits());
        try {
            int window = options.attentionWindow() == ModelOptions.TRAINED_CONTEXT
                    ? f.config().context() : options.attentionWindow();
            LoadChecks.sessionMemory(file, f.config(), window, options.maxSessionBytes());
            Weights w = Weights.load(f, options.kernels());
            LoadChecks.finiteValues(f);
            return new BitNetModel(f, w, options, window, Duration.ofNanos(System.nanoTime() - t0));
        } catch (Bit2FormatException | RuntimeException e) {
            f.close();
            throw e;
        }
    }

    /** The model's shape. */
    public ModelConfig config() {
        return weights.config();
    }

    /** The tokenizer stored in the model file. */
    public Tokenizer tokenizer() {
        return file.tokenizer();
    }

    /** The file's free-form metadata, in file order. */
    public Map<String, String> metadata() {
        return file.metadata();
    }

    /** The options the model was loaded with. */
    public ModelOptions options() {
        return options;
    }

    /** The model file. */
    public Path path() {
        return file.path();
    }

    /** Whether every tensor's checksum was verified at load. */
    public boolean checksumsVerified() {
        return file.dataVerified();
    }

    /** Keys a query attends over (the trained context unless the options say otherwise). */
    public int attentionWindow() {
        return attentionWindow;
    }

    /** Name of the bit kernels in use, e.g. {@code scalar}. */
    public String kernelsName() {
        return options.kernels().name();
    }

    /** Time {@link #load} took: mapping, checks, and copying the small vectors. */
    public Duration loadTime() {
        return loadTime;
    }

    /** A new, empty session using {@link ModelOptions#threads()} threads. */
    public Session newSession() {
        return newSession(options.threads());
    }

    /**
     * A new, empty session using the given number of threads.
     *
     * @throws IllegalArgumentException if {@code threads < 1} or above
     *                                  {@value ModelOptions#MAX_THREADS_PER_PROCESSOR} x the available processors
     */
    public Session newSession(int threads) {
        checkOpen();
        ModelOptions.checkThreads(threads);
        return new Session(this, threads);
    }

    /**
     * The logits after every token of a sequence, from an empty context: {@code result[i]}
     * (length V) scores the token following {@code tokens[i]}. Bit-identical to the trainer's
     * evaluation-mode forward for sequences within the attention window.
     *
     * @throws IllegalArgumentException if tokens is empty or holds an id outside the vocabulary
     */
    public float[][] logits(int[] tokens) {
        try (Session s = newSession()) {
            return s.logits(tokens);
        }
    }

    /** Unmaps the file. Idempotent. */
    @Override
    public void close() {
        closed = true;
        file.close();
    }

    Weights weights() {
        return weights;
    }

    /**
     * What a session throws when reading the mapping faulted: the JVM raises an
     * {@link InternalError} when the file was truncated under it.
     */
    IllegalStateException mappingFault(InternalError e) {
        List<TensorInfo> t = file.tensors();
        long loaded = t.getLast().offset() + t.getLast().length();   // the layout ends the file with the last tensor
        String now;
        try {
            now = Files.size(file.path()) + " bytes now";
        } catch (IOException x) {
            now = "unreadable now: " + x;
        }
        return new IllegalStateException("model file " + file.path() + " could not be read (" + loaded
                + " bytes when loaded, " + now + "): a loaded model's file must not be truncated or rewritten", e);
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model " + file.path() + " is closed");
        }
    }
}
