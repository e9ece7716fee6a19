/** Choosing the next token from logits: greedy, temperature with top-k/top-p, repetition penalty. */
package dev.bitnet.runtime.sampling;
