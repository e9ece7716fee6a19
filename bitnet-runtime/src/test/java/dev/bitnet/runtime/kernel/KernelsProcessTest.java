package dev.bitnet.runtime.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The provider in fresh JVMs: without the Vector API module it must fall back to scalar with one
 * log line (and no {@code NoClassDefFoundError}); with {@code -Dbitnet.kernels=scalar} it must
 * obey.
 */
class KernelsProcessTest {

    /** Entry point of the child JVM: prints the chosen kernels and runs one product. */
    public static final class Child {
        public static void main(String[] args) {
            BitKernels k = Kernels.preferred();
            var seg = java.lang.foreign.MemorySegment.ofArray(new long[] {0b1011L});
            int[] out = new int[1];
            k.mismatches(seg, 1, 0, 1, new long[] {0b0001L}, out);
            System.out.println(k.name() + " " + out[0]);
        }
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... jvmArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName()));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out.strip(), err);
    }

    @Test
    void withoutTheModuleUsesScalarAndSaysHowToEnableIt() throws Exception {
        Result r = run();
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("scalar 2");
        assertThat(r.err()).doesNotContain("NoClassDefFoundError")
                .containsOnlyOnce("--add-modules jdk.incubator.vector");
    }

    @Test
    void withTheModuleUsesPanama() throws Exception {
        Result r = run("--add-modules=jdk.incubator.vector");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).matches("vector-\\d+ 2");
    }

    @Test
    void propertyForcesScalar() throws Exception {
        Result r = run("--add-modules=jdk.incubator.vector", "-Dbitnet.kernels=scalar");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("scalar 2");
        assertThat(r.err()).contains("forced by -Dbitnet.kernels=scalar");
    }
}
