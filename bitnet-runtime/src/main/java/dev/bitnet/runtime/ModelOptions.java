package dev.bitnet.runtime;

import dev.bitnet.core.format.Bit2Limits;
import dev.bitnet.runtime.kernel.BitKernels;
import dev.bitnet.runtime.kernel.Kernels;

/**
 * How {@link BitNetModel#load(java.nio.file.Path, ModelOptions)} loads a model and how its
 * sessions run, including the resource limits a model file must stay within. Immutable; build
 * with {@link #builder()}.
 */
public final class ModelOptions {

    /** Use the model's trained context T as the attention window. */
    static final int TRAINED_CONTEXT = 0;
    /** The largest attention window (2^30 tokens); the session memory limit usually binds far earlier. */
    public static final int MAX_ATTENTION_WINDOW = 1 << 30;
    /** Threads per session at most, per available processor: beyond one per processor a session only slows down. */
    public static final int MAX_THREADS_PER_PROCESSOR = 4;
    /** Default {@link #maxSessionBytes()}: 256 MiB, 17 times what a session of the 300m preset needs at window 1024. */
    public static final long DEFAULT_MAX_SESSION_BYTES = 256L << 20;

    private final int threads;
    private final int attentionWindow;
    private final BitKernels kernels;
    private final boolean verifyChecksums;
    private final long maxSessionBytes;
    private final Bit2Limits fileLimits;

    private ModelOptions(Builder b) {
        this.threads = b.threads;
        this.attentionWindow = b.attentionWindow;
        this.kernels = b.kernels;
        this.verifyChecksums = b.verifyChecksums;
        this.maxSessionBytes = b.maxSessionBytes;
        this.fileLimits = b.fileLimits;
    }

    /**
     * The defaults: all available processors, window = trained context, preferred kernels,
     * checksums verified, sessions of at most 256 MiB, {@link Bit2Limits#DEFAULTS}.
     */
    public static ModelOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Threads a session splits its products across (default: available processors). */
    public int threads() {
        return threads;
    }

    /** Keys a query attends over, its own included; 0 means the model's trained context T (the default). */
    public int attentionWindow() {
        return attentionWindow;
    }

    /** The bit kernels (default {@link Kernels#preferred()}: Panama when the Vector API module is enabled). */
    public BitKernels kernels() {
        return kernels;
    }

    /** Whether loading verifies every tensor's CRC32C (default true; reads the whole file once). */
    public boolean verifyChecksums() {
        return verifyChecksums;
    }

    /**
     * The most heap one session may need at its largest (scratch, attention caches at the full
     * window, logits buffers); a model or window that needs more is refused at load, before
     * anything is allocated (default {@value #DEFAULT_MAX_SESSION_BYTES} bytes).
     */
    public long maxSessionBytes() {
        return maxSessionBytes;
    }

    /** How many metadata entries and tensors the model file may hold (default {@link Bit2Limits#DEFAULTS}). */
    public Bit2Limits fileLimits() {
        return fileLimits;
    }

    /** The largest thread count a session accepts on this machine. */
    static int maxThreads() {
        return MAX_THREADS_PER_PROCESSOR * Runtime.getRuntime().availableProcessors();
    }

    /** @throws IllegalArgumentException if {@code threads} is not in {@code [1, maxThreads()]} */
    static void checkThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (threads > maxThreads()) {
            throw new IllegalArgumentException("threads must be at most " + maxThreads() + " (" + MAX_THREADS_PER_PROCESSOR
                    + " x the " + Runtime.getRuntime().availableProcessors()
                    + " available processors; more threads than processors only slow a session down), got " + threads);
        }
    }

    /** Builder of {@link ModelOptions}; every setter checks its argument. */
    public static final class Builder {
        private int threads = Runtime.getRuntime().availableProcessors();
        private int attentionWindow = TRAINED_CONTEXT;
        private BitKernels kernels;
        private boolean verifyChecksums = true;
        private long maxSessionBytes = DEFAULT_MAX_SESSION_BYTES;
        private Bit2Limits fileLimits = Bit2Limits.DEFAULTS;

        private Builder() {
        }

        /**
         * Threads per session (default: {@code Runtime.availableProcessors()}).
         *
         * @throws IllegalArgumentException if {@code threads < 1} or above
         *                                  {@value ModelOptions#MAX_THREADS_PER_PROCESSOR} x the available processors
         */
        public Builder threads(int threads) {
            checkThreads(threads);
            this.threads = threads;
            return this;
        }

        /**
         * Keys a query attends over, its own included (default: the trained context T). Beyond it
         * the oldest keys drop out: a sliding window (see {@code docs/runtime.md}). A session's
         * attention caches grow up to this many tokens (plus 64), within {@link #maxSessionBytes}.
         *
         * @throws IllegalArgumentException if {@code window} is not in {@code [1, }{@value ModelOptions#MAX_ATTENTION_WINDOW}{@code ]}
         */
        public Builder attentionWindow(int window) {
            if (window < 1) {
                throw new IllegalArgumentException("attention window must be >= 1, got " + window);
            }
            if (window > MAX_ATTENTION_WINDOW) {
                throw new IllegalArgumentException("attention window must be at most " + MAX_ATTENTION_WINDOW + ", got " + window);
            }
            this.attentionWindow = window;
            return this;
        }

        /**
         * The most heap one session may need (default {@value ModelOptions#DEFAULT_MAX_SESSION_BYTES}, 256 MiB).
         * Raise it for a long attention window or a model with a very wide FFN.
         *
         * @throws IllegalArgumentException if {@code bytes < 1}
         */
        public Builder maxSessionBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("max session bytes must be >= 1, got " + bytes);
            }
            this.maxSessionBytes = bytes;
            return this;
        }

        /** How many metadata entries and tensors the model file may hold (default {@link Bit2Limits#DEFAULTS}). */
        public Builder fileLimits(Bit2Limits limits) {
            if (limits == null) {
                throw new IllegalArgumentException("file limits must not be null");
            }
            this.fileLimits = limits;
            return this;
        }

        /** The bit kernels, e.g. {@link Kernels#scalar()} (default: {@link Kernels#preferred()}). */
        public Builder kernels(BitKernels kernels) {
            if (kernels == null) {
                throw new IllegalArgumentException("kernels must not be null");
            }
            this.kernels = kernels;
            return this;
        }

        /** Whether to verify every tensor's CRC32C at load (default true). */
        public Builder verifyChecksums(boolean verify) {
            this.verifyChecksums = verify;
            return this;
        }

        /** The options. */
        public ModelOptions build() {
            if (kernels == null) {
                kernels = Kernels.preferred();
            }
            return new ModelOptions(this);
        }
    }
}
