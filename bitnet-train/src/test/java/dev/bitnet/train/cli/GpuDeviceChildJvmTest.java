package dev.bitnet.train.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The routes to libtorch that need a fresh JVM (DJL loads its engine once per process), with the real DJL:
 * its download route in offline mode (what the launcher's GPU route meets without network or cache), and a
 * local PyTorch through PYTORCH_LIBRARY_PATH.
 */
class GpuDeviceChildJvmTest {

    /** The test classpath as a list (Surefire may hand the JVM a manifest-only jar instead). */
    static List<String> classpath() throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> entries = new ArrayList<>(Arrays.asList(cp.split(File.pathSeparator)));
        if (entries.size() == 1 && entries.get(0).endsWith(".jar")) {
            try (JarFile jar = new JarFile(entries.get(0))) {
                String manifestCp = jar.getManifest() == null ? null
                        : jar.getManifest().getMainAttributes().getValue("Class-Path");
                if (manifestCp != null) {
                    entries = Arrays.stream(manifestCp.trim().split(" +"))
                            .map(u -> Path.of(java.net.URI.create(u)).toString()).collect(Collectors.toList());
                }
            }
        }
        return entries;
    }

    /** Runs {@link GpuDeviceMain} with these system properties and device names; returns its stdout lines. */
    static List<String> run(Path dir, boolean withCpuJar, List<String> props, String... devices) throws Exception {
        for (String k : new String[] {"PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "PYTORCH_FLAVOR", "DJL_CACHE_DIR",
                "ENGINE_CACHE_DIR", "DJL_OFFLINE"}) {
            assumeTrue(System.getenv(k) == null, k + " is set in the environment");
        }
        String cp = classpath().stream().filter(e -> withCpuJar || !e.contains("pytorch-native-cpu"))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dai.djl.pytorch.num_threads=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        cmd.addAll(props);
        cmd.addAll(List.of("-cp", cp, GpuDeviceMain.class.getName()));
        cmd.addAll(List.of(devices));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        assertThat(p.exitValue()).as(Files.readString(err)).isZero();
        return Files.readAllLines(out, StandardCharsets.UTF_8);
    }

    @Test
    void theDownloadRouteOfflineWithAnEmptyCacheSaysToGoOnlineOnceOrUseALocalTorch(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("djl");
        List<String> lines = run(dir, false, List.of("-Dai.djl.offline=true", "-DDJL_CACHE_DIR=" + cache,
                "-DPYTORCH_FLAVOR=cu128"), "engine");
        assertThat(lines).containsExactly("2 bitnet train: --device gpu: DJL's libtorch 2.7.1 (cu128) is not in "
                + cache.resolve("pytorch") + " and offline mode is on (-Dai.djl.offline=true or DJL_OFFLINE=true):"
                + " run once without offline mode with access to https://publish.djl.ai (./bitnet train --device gpu"
                + " does not set it), or use a local PyTorch through PYTORCH_LIBRARY_PATH (docs/training.md#gpus)");
    }

    @Test
    void aLocalCpuTorchTrainsOnTheCpuAndSaysItIsCpuOnlyForTheGpu(@TempDir Path dir) throws Exception {
        Path lib = GpuDeviceTest.pipTorch(dir, "__version__ = '2.7.1+cpu'\n");
        List<String> lines = run(dir, false, List.of("-Dai.djl.offline=true", "-DDJL_CACHE_DIR=" + dir.resolve("djl"),
                "-DPYTORCH_LIBRARY_PATH=" + lib, "-DPYTORCH_FLAVOR=cpu"), "cpu", "gpu");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("ok cpu()");
        assertThat(lines.get(1)).startsWith("2 bitnet train: --device gpu: PYTORCH_LIBRARY_PATH=" + lib + " is a CPU-only"
                + " libtorch (no libtorch_cuda.so)").endsWith("point it at the lib folder of a CUDA build of torch, with"
                + " PYTORCH_VERSION and PYTORCH_FLAVOR to match (docs/training.md#gpus)");
    }

    @Test
    void aFlavourDjlHasNoJniForIsNamedWithTheFlavoursItHas(@TempDir Path dir) throws Exception {
        Path lib = GpuDeviceTest.pipTorch(dir, "__version__ = '2.7.1'\n");
        List<String> lines = run(dir, false, List.of("-Dai.djl.offline=true", "-DDJL_CACHE_DIR=" + dir.resolve("djl"),
                "-DPYTORCH_LIBRARY_PATH=" + lib, "-DPYTORCH_FLAVOR=cu126"), "gpu");
        assertThat(lines).containsExactly("2 bitnet train: --device gpu: DJL has no JNI for the flavour PYTORCH_FLAVOR=cu126"
                + " of torch 2.7.1 (its JNI comes as cpu and cu128): set PYTORCH_FLAVOR to cpu or cu128 to match your"
                + " libtorch, or build the JNI for it (docs/training.md#a-newer-torch)");
    }
}
