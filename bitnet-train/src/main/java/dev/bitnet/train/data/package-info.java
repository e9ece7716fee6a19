/**
 * The training data pipeline: corpus files to llm.c token shards (once, cached), shards to
 * training and validation windows.
 *
 * <h2>Flow</h2>
 * <pre>{@code
 * PreparedCorpus c = CorpusPreparer.prepare(trainInputs, valInputs, valFraction, kind, cacheDir);
 * try (TokenDataset train = c.openTrain(); TokenDataset val = c.openVal()) {
 *     WindowSampler sampler = new WindowSampler(train, ctx, seed);
 *     int[] batch = sampler.batch(step, micro, batchSize);        // batchSize x (ctx + 1), row-major
 *     EvalWindows eval = new EvalWindows(val, ctx, maxWindows, kind);
 *     EvalBatch b = eval.batch(i, batchSize);                       // tokens + target bytes per row
 * }
 * }</pre>
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li>Inputs: plain UTF-8 text (one file = one document), JSONL ({@code text} field, one document
 *       per line), both optionally {@code .gz/.bz2/.xz/.zst}; llm.c {@code .bin} shards used in
 *       place; directories walked recursively in sorted order (see {@code CorpusFiles}).
 *   <li>Documents are separated by {@code \n} for {@code bytes} and {@code <|endoftext|>} (50256) for
 *       {@code gpt2}; GPT-2 text is encoded with r50k_base {@code encodeOrdinary}.
 *   <li>Invalid UTF-8 is rejected (file and byte offset in the decompressed text), never replaced.
 *   <li>Shards are llm.c's format (256 int32 header, magic 20240520, version 1, uint16 tokens),
 *       written atomically (temporary file, then rename); the cache key covers the tokenizer and each
 *       input file's path, size and modification time.
 *   <li>A held-out validation fraction is the token-level tail of the training tokens.
 *   <li>Training windows are a pure function of (seed, step, micro-batch, row): resuming needs
 *       only the step. Validation windows are sequential and deterministic.
 *   <li>Bits/byte: a target token counts the UTF-8 bytes it stands for; the document separator
 *       counts as one byte for both tokenizers.
 * </ul>
 */
package dev.bitnet.train.data;
