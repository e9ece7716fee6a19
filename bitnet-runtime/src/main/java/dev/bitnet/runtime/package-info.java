/**
 * The runtime's public API: load a {@code .bit2} model ({@link dev.bitnet.runtime.BitNetModel}),
 * open sessions on it ({@link dev.bitnet.runtime.Session}), generate text, score token sequences.
 * See {@code docs/runtime.md}.
 */
package dev.bitnet.runtime;
