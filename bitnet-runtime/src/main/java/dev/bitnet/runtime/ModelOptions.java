package dev.bitnet.runtime;

import dev.bitnet.runtime.kernel.BitKernels;
import dev.bitnet.runtime.kernel.Kernels;

/**
 * How {@link BitNetModel#load(java.nio.file.Path, ModelOptions)} loads a model and how its
 * sessions run. Immutable; build with {@link #builder()}.
 */
public final class ModelOptions {

    /** Use the model's trained context T as the attention window. */
    static final int TRAINED_CONTEXT = 0;

    private final int threads;
    private final int attentionWindow;
    private final BitKernels kernels;
    private final boolean verifyChecksums;

    private ModelOptions(Builder b) {
        this.threads = b.threads;
        this.attentionWindow = b.attentionWindow;
        this.kernels = b.kernels;
        this.verifyChecksums = b.verifyChecksums;
    }

    /** The defaults: all available processors, window = trained context, preferred kernels, checksums verified. */
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

    /** Builder of {@link ModelOptions}; every setter checks its argument. */
    public static final class Builder {
        private int threads = Runtime.getRuntime().availableProcessors();
        private int attentionWindow = TRAINED_CONTEXT;
        private BitKernels kernels;
        private boolean verifyChecksums = true;

        private Builder() {
        }

        /**
         * Threads per session (default: {@code Runtime.availableProcessors()}).
         *
         * @throws IllegalArgumentException if {@code threads < 1}
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * Keys a query attends over, its own included (default: the trained context T). Beyond it
         * the oldest keys drop out: a sliding window (see {@code docs/runtime.md}).
         *
         * @throws IllegalArgumentException if {@code window < 1}
         */
        public Builder attentionWindow(int window) {
            if (window < 1) {
                throw new IllegalArgumentException("attention window must be >= 1, got " + window);
            }
            this.attentionWindow = window;
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
