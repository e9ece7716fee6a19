package dev.bitnet.train.loop;

import ai.djl.Device;
import ai.djl.engine.Engine;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;

/**
 * The precision of float32 matrix products on CUDA GPUs: {@code fp32} (the default, what the
 * parity tests use) or {@code tf32} (tensor cores; MODEL.md "Precision" allows it: ±1 inputs are
 * exact in TF32 and sums accumulate in float32, while float operands such as gradients keep 10
 * mantissa bits). On the CPU every product is fp32.
 *
 * <p>DJL 0.36 has no API for PyTorch's {@code torch.backends.cuda.matmul.allow_tf32}, so this
 * calls {@code at::globalContext().setAllowTF32CuBLAS(bool)} in the loaded libtorch through the
 * FFM API (the C++ symbols have the same names in libtorch 2.7 and 2.11), then reads the flag
 * back. The setting is process-wide, as it is in PyTorch.
 */
public enum MatmulPrecision {
    /** IEEE float32 products. */
    FP32,
    /** TF32 tensor-core products with float32 accumulation (CUDA only). */
    TF32;

    private static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";
    private static final String SET_ALLOW_TF32 = "_ZN2at7Context18setAllowTF32CuBLASEb";
    private static final String ALLOW_TF32 = "_ZNK2at7Context15allowTF32CuBLASEv";

    /** The name on the command line and in checkpoints: {@code fp32} or {@code tf32}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The precision named {@code fp32} or {@code tf32}.
     *
     * @throws IllegalArgumentException naming the value otherwise
     */
    public static MatmulPrecision of(String name) {
        for (MatmulPrecision p : values()) {
            if (p.cliName().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("--precision: must be fp32 or tf32, got " + name);
    }

    /**
     * Makes PyTorch's float32 matrix products on {@code device} use this precision. On the CPU
     * only {@code fp32} is accepted.
     *
     * @throws IllegalArgumentException for {@code tf32} on the CPU
     * @throws IllegalStateException    if the loaded libtorch does not take the setting
     */
    public void applyTo(Device device) {
        if (!device.isGpu()) {
            if (this == TF32) {
                throw new IllegalArgumentException("--precision tf32 needs a CUDA device (--device gpu); on the CPU"
                        + " matrix products are always fp32");
            }
            return;
        }
        Engine.getInstance();                              // loads libtorch, whose symbols are looked up below
        boolean now;
        try {
            now = setCublasTf32(this == TF32);
        } catch (Throwable e) {
            throw new IllegalStateException("--precision " + cliName() + ": cannot set libtorch's TF32 flag: " + e, e);
        }
        if (now != (this == TF32)) {
            throw new IllegalStateException("--precision " + cliName() + ": libtorch kept allow_tf32 = " + now);
        }
    }

    /**
     * Sets {@code at::globalContext().setAllowTF32CuBLAS(allow)} in the loaded libtorch (the flag
     * lives in libtorch_cpu, so this works without a GPU) and returns the flag read back.
     */
    static boolean setCublasTf32(boolean allow) throws Throwable {
        MemorySegment context = (MemorySegment) handle(GLOBAL_CONTEXT, FunctionDescriptor.of(ADDRESS)).invokeExact();
        handle(SET_ALLOW_TF32, FunctionDescriptor.ofVoid(ADDRESS, JAVA_BOOLEAN)).invokeExact(context, allow);
        return (boolean) handle(ALLOW_TF32, FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS)).invokeExact(context);
    }

    private static MethodHandle handle(String symbol, FunctionDescriptor signature) {
        // DJL loads libtorch with System.load, so the libraries belong to this class loader; the
        // second lookup finds an already loaded libtorch_cpu by its name otherwise.
        Optional<MemorySegment> address = SymbolLookup.loaderLookup().find(symbol)
                .or(() -> SymbolLookup.libraryLookup("libtorch_cpu.so", Arena.global()).find(symbol));
        return Linker.nativeLinker().downcallHandle(address.orElseThrow(() -> new IllegalStateException(
                "the loaded libtorch has no symbol " + symbol)), signature);
    }
}
