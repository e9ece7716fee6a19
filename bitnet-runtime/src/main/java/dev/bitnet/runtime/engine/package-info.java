/**
 * The forward pass on packed bits, behind the public API: validated weights in the mapped file
 * ({@link dev.bitnet.runtime.engine.Weights}), one session's state and computation
 * ({@link dev.bitnet.runtime.engine.Forward}), and the worker threads that split its products
 * ({@link dev.bitnet.runtime.engine.WorkerPool}). Not meant to be used directly.
 */
package dev.bitnet.runtime.engine;
