package dev.bitnet.runtime;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.tokenizer.StreamingDecoder;
import dev.bitnet.core.tokenizer.Tokenizer;
import dev.bitnet.runtime.engine.Forward;
import dev.bitnet.runtime.engine.WorkerPool;
import dev.bitnet.runtime.sampling.RepetitionPenalty;
import dev.bitnet.runtime.sampling.Sampler;

import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * One conversation with a {@link BitNetModel}: the tokens fed so far (as the pointer-attention
 * caches) and the logits after the last one. Every call appends to the conversation, so
 * {@code logits}, {@code logProbs} and {@code generate} can be mixed and continue each other;
 * {@link #reset()} starts over.
 *
 * <p>A session is used by one thread at a time; only {@link #cancel()} may be called from
 * another. Sessions of one model are independent and may run concurrently. Close a session to
 * stop its worker threads (an unreachable session's workers are stopped by a cleaner).
 *
 * <p>If the model's file is truncated while it is loaded (see {@link BitNetModel}), the next
 * call that reads it throws an {@link IllegalStateException} naming the file.
 */
public final class Session implements AutoCloseable {

    private static final Cleaner CLEANER = Cleaner.create();
    /** Positions per pass over the head in {@link #logProbs}. */
    private static final int LOG_PROB_ROWS = 16;

    private final BitNetModel model;
    private final Tokenizer tokenizer;
    private final int vocab;
    private final WorkerPool pool;
    private final Cleaner.Cleanable cleanable;
    private final Forward forward;
    private final float[] lastLogits;   // (V) logits after the last fed token
    private boolean hasLast;
    private int lastArgmax = -1;        // index of the largest of lastLogits, or -1 when not known
    private int pending = -1;           // sampled by the last generation but not fed yet
    private final int[] recent = new int[GenerationOptions.REPETITION_WINDOW]; // ring of the last tokens
    private long recentCount;
    private float[][] rows;             // scratch logits rows for logProbs
    private final float[] scratch;      // (V) logits handed to the sampler
    private final int[] recentTokens = new int[GenerationOptions.REPETITION_WINDOW];
    private volatile boolean cancelRequested;
    private boolean closed;

    Session(BitNetModel model, int threads) {
        this.model = model;
        this.tokenizer = model.tokenizer();
        this.vocab = model.config().vocabSize();
        this.pool = new WorkerPool(threads);
        this.cleanable = CLEANER.register(this, pool::close);
        this.forward = new Forward(model.weights(), model.options().kernels(), pool, model.attentionWindow());
        this.lastLogits = new float[vocab];
        this.scratch = new float[vocab];
    }

    /**
     * Heap one session of this model needs at its largest, in bytes: {@link Forward#memoryBytes}
     * and this class's logits buffers. {@link BitNetModel#load} compares it with
     * {@link ModelOptions#maxSessionBytes()} before any session exists; {@code SessionMemoryTest}
     * checks it against what a session allocates.
     */
    static double memoryBytes(ModelConfig c, int window) {
        return Forward.memoryBytes(c, window) + 4 * (2.0 + LOG_PROB_ROWS) * c.vocabSize(); // lastLogits, scratch, rows
    }

    /** Number of tokens in the conversation. */
    public long position() {
        return forward.position() + (pending >= 0 ? 1 : 0);
    }

    /** Threads this session splits its products across. */
    public int threads() {
        return pool.threads();
    }

    /** Forgets the conversation. */
    public void reset() {
        checkOpen();
        forward.reset();
        hasLast = false;
        pending = -1;
        recentCount = 0;
    }

    /**
     * Appends tokens and returns the logits after each of them: {@code result[i]} (length V)
     * scores the token that follows {@code tokens[i]}.
     *
     * @throws IllegalArgumentException if tokens is empty or holds an id outside the vocabulary
     */
    public float[][] logits(int[] tokens) {
        checkOpen();
        checkTokens(tokens);
        try {
            flushPending();
            float[][] out = new float[tokens.length][vocab];
            for (int c = 0; c < tokens.length; c += Forward.CHUNK) {
                int n = Math.min(Forward.CHUNK, tokens.length - c);
                feedChunk(tokens, c, n);
                forward.logits(0, n, Arrays.copyOfRange(out, c, c + n));
            }
            System.arraycopy(out[tokens.length - 1], 0, lastLogits, 0, vocab);
            hasLast = true;
            lastArgmax = -1;
            return out;
        } catch (InternalError e) {
            throw model.mappingFault(e);
        }
    }

    /**
     * Appends tokens and returns the natural-log probability the model gave each of them:
     * {@code result[i] = ln p(tokens[i] | everything before it)}. The first entry is
     * {@code NaN} when the session was empty (nothing predicts the first token).
     * {@code -sum / ln 2} is the bits of the text, as the evaluation reports it.
     *
     * @throws IllegalArgumentException if tokens is empty or holds an id outside the vocabulary
     */
    public double[] logProbs(int[] tokens) {
        checkOpen();
        checkTokens(tokens);
        try {
            flushPending();
            double[] out = new double[tokens.length];
            out[0] = hasLast ? logSoftmax(lastLogits, tokens[0]) : Double.NaN;
            if (rows == null) {
                rows = new float[LOG_PROB_ROWS][vocab];
            }
            for (int c = 0; c < tokens.length; c += Forward.CHUNK) {
                int n = Math.min(Forward.CHUNK, tokens.length - c);
                feedChunk(tokens, c, n);
                for (int b = 0; b < n; b += rows.length) {
                    int m = Math.min(rows.length, n - b);
                    forward.logits(b, m, rows);
                    for (int i = 0; i < m; i++) {
                        int next = c + b + i + 1;
                        if (next < tokens.length) {
                            out[next] = logSoftmax(rows[i], tokens[next]);
                        } else {
                            System.arraycopy(rows[i], 0, lastLogits, 0, vocab);
                            lastArgmax = -1;
                        }
                    }
                }
            }
            hasLast = true;
            return out;
        } catch (InternalError e) {
            throw model.mappingFault(e);
        }
    }

    /**
     * Encodes the prompt, appends it, and generates text after it, passing pieces to the
     * listener as they are decoded.
     *
     * @throws IllegalArgumentException if the prompt is empty
     */
    public GenerationResult generate(String prompt, GenerationOptions options, GenerationListener listener) {
        if (prompt == null || prompt.isEmpty()) {
            throw new IllegalArgumentException("prompt must not be empty");
        }
        return generate(tokenizer.encode(prompt), options, listener);
    }

    /**
     * Appends the prompt tokens and generates after them (see {@link #generate(String, GenerationOptions, GenerationListener)}).
     * The generated tokens stay in the conversation (an end-of-text token does not).
     *
     * @throws IllegalArgumentException if the prompt is empty or holds an id outside the vocabulary
     */
    public GenerationResult generate(int[] prompt, GenerationOptions options, GenerationListener listener) {
        checkOpen();
        checkTokens(prompt);
        if (options == null || listener == null) {
            throw new IllegalArgumentException("options and listener must not be null");
        }
        try {
            return generateChecked(prompt, options, listener);
        } catch (InternalError e) {
            throw model.mappingFault(e);
        }
    }

    private GenerationResult generateChecked(int[] prompt, GenerationOptions options, GenerationListener listener) {
        cancelRequested = false;
        long t0 = System.nanoTime();
        int promptTokens = prompt.length;
        if (pending >= 0) {
            int[] withPending = new int[prompt.length + 1];
            withPending[0] = pending;
            System.arraycopy(prompt, 0, withPending, 1, prompt.length);
            pending = -1;
            prompt = withPending;
        }
        feedForLast(prompt);
        long t1 = System.nanoTime();

        Sampler sampler = options.newSampler();
        RepetitionPenalty penalty = options.penalty();
        OptionalInt endOfText = tokenizer.endOfText();
        StreamingDecoder decoder = tokenizer.newStreamingDecoder();
        StopStringFilter filter = new StopStringFilter(options.stopStrings(), listener);
        int generated = 0;
        StopReason reason = StopReason.MAX_TOKENS;
        while (generated < options.maxTokens()) {
            if (cancelRequested) {
                reason = StopReason.CANCELLED;
                break;
            }
            int token;
            if (sampler == Sampler.GREEDY && penalty == null) {
                // The head's threads found it with the logits: no serial pass, no scratch copy.
                token = lastArgmax >= 0 ? lastArgmax : Sampler.argmax(lastLogits);
            } else {
                System.arraycopy(lastLogits, 0, scratch, 0, vocab);
                if (penalty != null) {
                    penalty.apply(scratch, recentTokens, copyRecent(recentTokens));
                }
                token = sampler.sample(scratch);
            }
            if (endOfText.isPresent() && token == endOfText.getAsInt()) {
                reason = StopReason.END_OF_TEXT;
                break;
            }
            generated++;
            if (filter.accept(decoder.push(token))) {
                pending = token;
                reason = StopReason.STOP_STRING;
                break;
            }
            if (generated == options.maxTokens()) {
                pending = token;
                break;
            }
            feedForLast(new int[] {token});
        }
        if (reason != StopReason.STOP_STRING && !filter.accept(decoder.flush())) {
            filter.flush();
        }
        long t2 = System.nanoTime();
        return new GenerationResult(filter.text(), promptTokens, generated, reason, t1 - t0, t2 - t1);
    }

    /**
     * Asks the generation running on another thread to stop before its next token; it then
     * returns with {@link StopReason#CANCELLED}. Has no effect when nothing is generating.
     */
    public void cancel() {
        cancelRequested = true;
    }

    /** Bytes of attention cache this session holds (it grows with the conversation up to the window). */
    public long cacheBytes() {
        return forward.cacheBytes();
    }

    /** Stops the worker threads; the session cannot be used afterwards. */
    @Override
    public void close() {
        closed = true;
        cleanable.clean();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("session is closed");
        }
        model.checkOpen();
    }

    private void checkTokens(int[] tokens) {
        if (tokens == null || tokens.length == 0) {
            throw new IllegalArgumentException("token sequence must not be empty");
        }
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= vocab) {
                throw new IllegalArgumentException("token id " + tokens[i] + " at index " + i
                        + " is outside the vocabulary [0, " + vocab + ")");
            }
        }
    }

    /** Feeds the token a previous generation sampled last but did not feed. */
    private void flushPending() {
        if (pending >= 0) {
            int t = pending;
            pending = -1;
            feedForLast(new int[] {t});
        }
    }

    /** Feeds tokens and keeps only the logits after the last one. */
    private void feedForLast(int[] tokens) {
        int n = 0;
        for (int c = 0; c < tokens.length; c += n) {
            n = Math.min(Forward.CHUNK, tokens.length - c);
            feedChunk(tokens, c, n);
        }
        lastArgmax = forward.logits(n - 1, lastLogits);
        hasLast = true;
    }

    private void feedChunk(int[] tokens, int off, int n) {
        forward.feed(tokens, off, n);
        for (int i = 0; i < n; i++) {
            remember(tokens[off + i]);
        }
    }

    private void remember(int token) {
        recent[(int) (recentCount++ % recent.length)] = token;
    }

    private int copyRecent(int[] dst) {
        int n = (int) Math.min(recentCount, recent.length);
        System.arraycopy(recent, 0, dst, 0, n);
        return n;
    }

    /** {@code ln softmax(logits)[token]}, in double. */
    private static double logSoftmax(float[] logits, int token) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        return logits[token] - max - Math.log(sum);
    }
}
