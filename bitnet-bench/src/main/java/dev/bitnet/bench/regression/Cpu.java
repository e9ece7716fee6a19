package dev.bitnet.bench.regression;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The CPU a run was measured on: its model name and the instruction-set features the kernels'
 * speed depends on (vector width, native vector popcount). Ratios such as vector/scalar hold on
 * one CPU and move between CPUs (AVX2 emulates the vector popcount that AVX-512 VPOPCNTDQ has),
 * so a baseline is judged only on the CPU it was measured on.
 *
 * @param model    the model name ({@code model name} in Linux's {@code /proc/cpuinfo}), or "unknown"
 * @param features the kernel-relevant flags the CPU has, in a fixed order
 */
public record Cpu(String model, List<String> features) {

    /** The flags that change the kernels' speed, x86-64 first, then ARM. */
    static final List<String> FEATURES = List.of("avx2", "avx512f", "avx512bw", "avx512vl", "avx512_vpopcntdq",
            "avx512_bitalg", "asimd", "sve", "sve2");

    public Cpu {
        features = List.copyOf(features);
    }

    /** This machine's CPU, from {@code /proc/cpuinfo}; model "unknown" and no features where there is none. */
    public static Cpu current() {
        try {
            return parse(Files.readAllLines(Path.of("/proc/cpuinfo")));
        } catch (IOException | SecurityException e) {
            return new Cpu("unknown", List.of());
        }
    }

    /** The CPU described by the lines of a {@code /proc/cpuinfo} (its first processor). */
    static Cpu parse(List<String> cpuinfo) {
        String model = "unknown";
        Set<String> flags = Set.of();
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (model.equals("unknown") && (key.equals("model name") || key.equals("Model"))) {
                model = value;
            } else if (flags.isEmpty() && (key.equals("flags") || key.equals("Features"))) {
                flags = Set.of(value.split("\\s+"));
            }
        }
        List<String> features = new ArrayList<>();
        for (String f : FEATURES) {
            if (flags.contains(f)) features.add(f);
        }
        return new Cpu(model, features);
    }

    /** {@code AMD EPYC (avx2 avx512f ...)}. */
    public String describe() {
        return model + " (" + (features.isEmpty() ? "no vector features known" : String.join(" ", features)) + ")";
    }
}
