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
            k.mismatches(k.prepare(seg, 1, 1), 1, 0, 1, new long[] {0b0001L}, out);
            System.out.println(k.name() + " " + out[0]);
        }
    }

    /**
     * Entry point of the child JVM for other vector widths: compares the preferred kernels with
     * scalar on awkward sizes and prints the preferred kernels' name and "identical".
     */
    public static final class WidthChild {
        public static void main(String[] args) {
            BitKernels k = Kernels.preferred();
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
            for (int rowWords : new int[] {1, 2, 3, 5, 7, 8, 9, 17, 65}) {
                for (int rows : new int[] {1, 3, 5, 17}) {
                    long[] words = rnd.longs((long) rows * rowWords).toArray();
                    var w = java.lang.foreign.MemorySegment.ofArray(words);
                    int n = 3;
                    long[] xs = rnd.longs((long) n * rowWords).toArray();
                    int[] expected = new int[n * rows];
                    int[] actual = new int[n * rows];
                    Kernels.scalar().mismatchesBatch(Kernels.scalar().prepare(w, rows, rowWords), rowWords, 0, rows, xs, n, expected, rows);
                    var prepared = k.prepare(w, rows, rowWords);
                    k.mismatchesBatch(prepared, rowWords, 0, rows, xs, n, actual, rows);
                    int[] one = new int[rows];
                    k.mismatches(prepared, rowWords, 0, rows, xs, one);
                    if (!java.util.Arrays.equals(expected, actual)
                            || !java.util.Arrays.equals(expected, 0, rows, one, 0, rows)) {
                        System.out.println(k.name() + " differs at rowWords " + rowWords + " rows " + rows);
                        return;
                    }
                }
            }
            System.out.println(k.name() + " identical");
        }
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... jvmArgs) throws IOException, InterruptedException {
        return run(Child.class, jvmArgs);
    }

    private static Result run(Class<?> main, String... jvmArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
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

    @Test
    void panamaEqualsScalarAt128Bits() throws Exception {
        // MaxVectorSize=16 makes the preferred shape 128 bits: other lane counts, other tails.
        Result r = run(WidthChild.class, "--add-modules=jdk.incubator.vector", "-XX:MaxVectorSize=16");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("vector-128 identical");
    }

    @Test
    void vectorsUnder128BitsFallBackToScalar() throws Exception {
        Result r = run(WidthChild.class, "--add-modules=jdk.incubator.vector", "-XX:MaxVectorSize=8");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("scalar identical");
        assertThat(r.err()).contains("under the 128 the Panama kernels need");
    }
}
