package dev.bitnet.runtime;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.format.Bit2File;
import dev.bitnet.core.format.Bit2FormatException;
import dev.bitnet.core.tokenizer.Tokenizer;
import dev.bitnet.runtime.engine.Weights;

import java.nio.file.Path;
import java.time.Duration;
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
 */
public final class BitNetModel implements AutoCloseable {

    private final Bit2File file;
    private final Weights weights;
    private final ModelOptions options;
    private final int attentionWindow;
    private final Duration loadTime;
    private volatile boolean closed;

    private BitNetModel(Bit2File file, Weights weights, ModelOptions options, Duration loadTime) {
        this.file = file;
        this.weights = weights;
        this.options = options;
        this.attentionWindow = options.attentionWindow() == ModelOptions.TRAINED_CONTEXT
                ? file.config().context() : options.attentionWindow();
        this.loadTime = loadTime;
    }

    /**
     * Loads a model with the default options.
     *
     * @throws Bit2FormatException if the file is missing, damaged, or not a valid model (the message names the problem)
     */
    public static BitNetModel load(Path file) throws Bit2FormatException {
        return load(file, ModelOptions.defaults());
    }

    /**
     * Loads a model.
     *
     * @throws Bit2FormatException if the file is missing, damaged, or not a valid model (the message names the problem)
     */
    public static BitNetModel load(Path file, ModelOptions options) throws Bit2FormatException {
        long t0 = System.nanoTime();
        Bit2File f = Bit2File.open(file, options.verifyChecksums());
        try {
            Weights w = Weights.load(f, options.kernels());
            return new BitNetModel(f, w, options, Duration.ofNanos(System.nanoTime() - t0));
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
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public Session newSession(int threads) {
        checkOpen();
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
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

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model " + file.path() + " is closed");
        }
    }
}
