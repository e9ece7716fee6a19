package dev.bitnet.bench.regression;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The CPU a run names, from /proc/cpuinfo as Linux writes it on x86-64 and on ARM. */
class CpuTest {

    @Test
    void x86TakesTheModelNameAndTheVectorFlags() {
        Cpu cpu = Cpu.parse(List.of(
                "processor\t: 0",
                "vendor_id\t: AuthenticAMD",
                "model name\t: AMD EPYC 9B14",
                "flags\t\t: fpu vme sse2 popcnt avx avx2 avx512f avx512dq avx512bw avx512vl avx512_vpopcntdq avx512_bitalg",
                "",
                "processor\t: 1",
                "model name\t: AMD EPYC 9B14",
                "flags\t\t: fpu"));
        assertThat(cpu).isEqualTo(new Cpu("AMD EPYC 9B14",
                List.of("avx2", "avx512f", "avx512bw", "avx512vl", "avx512_vpopcntdq", "avx512_bitalg")));
        assertThat(cpu.describe()).isEqualTo("AMD EPYC 9B14 (avx2 avx512f avx512bw avx512vl avx512_vpopcntdq avx512_bitalg)");
        // the same model name without AVX-512 is another CPU as far as the kernels go
        assertThat(cpu).isNotEqualTo(Cpu.parse(List.of("model name\t: AMD EPYC 9B14", "flags\t\t: avx avx2")));
    }

    @Test
    void armTakesItsFeatures() {
        Cpu cpu = Cpu.parse(List.of("processor\t: 0", "BogoMIPS\t: 50.00",
                "Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid sve sve2"));
        assertThat(cpu).isEqualTo(new Cpu("unknown", List.of("asimd", "sve", "sve2")));
    }
}
