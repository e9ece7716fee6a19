/**
 * The embeddable interpreter of {@code .bit2} models: {@link dev.bitnet.runtime.BitNetModel},
 * {@link dev.bitnet.runtime.Session} and their options, the samplers, and the bit kernels a
 * model can be loaded with. No dependencies beyond the JDK and {@code dev.bitnet.core}.
 *
 * <p>The Vector API is optional: with {@code --add-modules jdk.incubator.vector} the runtime
 * uses its Panama kernels, without it the scalar ones, with identical results
 * ({@link dev.bitnet.runtime.kernel.Kernels}). The engine is internal; it is exported only to
 * the modules that take it apart on purpose: {@code dev.bitnet.compact} (the parity report's
 * layer-by-layer trace) and {@code dev.bitnet.bench} (benchmarks of its parts).
 */
@SuppressWarnings("module") // the targets of the qualified export are built after this module
module dev.bitnet.runtime {
    requires transitive dev.bitnet.core;
    requires static jdk.incubator.vector; // optional: Kernels checks it is in the boot layer before using it

    exports dev.bitnet.runtime;
    exports dev.bitnet.runtime.kernel;
    exports dev.bitnet.runtime.sampling;
    exports dev.bitnet.runtime.engine to dev.bitnet.compact, dev.bitnet.bench;
}
