package dev.bitnet.train.loop;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;

import java.util.OptionalLong;

/**
 * Memory in use on a CUDA device, as the driver reports it ({@code cudaMemGetInfo}: total minus
 * free), in MiB. That is what PyTorch's caching allocator has reserved, plus the CUDA context
 * (about 0.5 GiB) and any other process on the same GPU. DJL 0.36 exposes neither of PyTorch's
 * allocator statistics (allocated, reserved), so this is the figure a run can report; PyTorch's
 * allocator does not give memory back during a run, so the largest value seen is its peak.
 */
final class GpuMemory {

    private GpuMemory() {
    }

    /** MiB in use on {@code device}, or empty on the CPU or when the CUDA runtime cannot be asked. */
    static OptionalLong usedMib(Device device) {
        if (!device.isGpu()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(CudaUtils.getGpuMemory(device).getCommitted() >> 20);
        } catch (RuntimeException | LinkageError e) {
            // No libcudart where JNA looks (DJL's downloaded libtorch ships a renamed copy).
            return OptionalLong.empty();
        }
    }
}
