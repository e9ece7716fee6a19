package dev.bitnet.train.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code --device} on this JVM, which has the bundled CPU libtorch on its classpath (as the CPU route of the
 * launcher does), with the real DJL engine: what a user sees when a GPU is out of reach.
 */
class GpuDeviceTest {

    @Test
    void gpuWithTheBundledCpuLibtorchIsOneLineNamingTheCpuJarAndTheFix(@TempDir Path dir) throws IOException {
        assumeTrue(GpuDevice.libraryPath() == null, "PYTORCH_LIBRARY_PATH is set");
        assumeTrue(!GpuDevice.gpuHardware(), "this machine has a GPU");
        Path text = Files.writeString(dir.resolve("t.txt"), "some text ".repeat(2000));
        StringWriter err = new StringWriter();
        CommandLine cl = TrainCli.commandLine();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("train", "--device", "gpu", "--data", text.toString(), "--out",
                dir.resolve("run").toString(), "--cache", dir.resolve("cache").toString(), "--steps", "1");

        assertThat(code).isEqualTo(CliConventions.BAD_INPUT);
        assertThat(err.toString().lines()).hasSize(1);
        assertThat(err.toString().strip()).startsWith("bitnet train: --device gpu: the PyTorch engine loaded the CPU-only"
                        + " libtorch 2.7.1 of pytorch-native-cpu-2.7.1-linux-x86_64.jar on the classpath")
                .contains("this machine shows no NVIDIA GPU either")
                .contains("./bitnet train --device gpu, which leaves that jar out")
                .contains("PYTORCH_LIBRARY_PATH")
                .endsWith("(docs/training.md#gpus)");
        assertThat(dir.resolve("run")).doesNotExist();
    }

    @Test
    void gpuIndexOnTheCpuLibtorchGivesTheSameMessage() {
        assumeTrue(GpuDevice.libraryPath() == null, "PYTORCH_LIBRARY_PATH is set");
        assumeTrue(!GpuDevice.gpuHardware(), "this machine has a GPU");
        assertThatThrownBy(() -> GpuDevice.resolve("gpu:1")).isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("--device gpu:1: the PyTorch engine loaded the CPU-only libtorch");
    }

    @Test
    void cpuNeedsNoCheckAndNoEngine() {
        assumeTrue(GpuDevice.libraryPath() == null, "PYTORCH_LIBRARY_PATH is set");
        assertThat(GpuDevice.resolve("cpu")).isEqualTo(Device.cpu());
    }

    @Test
    void deviceNamesAreCpuGpuOrGpuN() {
        assertThat(GpuDevice.gpuIndex("gpu")).isZero();
        assertThat(GpuDevice.gpuIndex("gpu:0")).isZero();
        assertThat(GpuDevice.gpuIndex("gpu:3")).isEqualTo(3);
        for (String bad : new String[] {"gpu:", "gpu:x", "gpu:-1", "gpu:1:2", "GPU", "cuda", "gpu0", "", "gpu:1234567890"}) {
            assertThatThrownBy(() -> GpuDevice.resolve(bad)).as(bad).isInstanceOf(BadInputException.class)
                    .hasMessage("--device: must be cpu, gpu or gpu:N (N = 0, 1, ...), got " + bad);
        }
    }

    @Test
    void theRouteIsTheBundledJarHere() {
        assumeTrue(GpuDevice.libraryPath() == null, "PYTORCH_LIBRARY_PATH is set");
        assertThat(GpuDevice.route()).isEqualTo(GpuDevice.Route.JAR);
        assertThat(GpuDevice.bundledJar()).isEqualTo(new GpuDevice.Bundled("pytorch-native-cpu-2.7.1-linux-x86_64.jar", "cpu"));
        assertThat(GpuDevice.defaultTorchVersion()).isEqualTo("2.7.1");
    }

    // --- a local PyTorch (PYTORCH_LIBRARY_PATH): checked before DJL loads a JNI that may not fit ---

    /** A torch/lib folder in the layout of a pip install, its libraries links to the real CPU libtorch 2.7.1. */
    static Path pipTorch(Path root, String versionPy) throws IOException {
        Path real = Path.of(libtorchOfThisJvm());
        Path lib = Files.createDirectories(root.resolve("torch/lib"));
        try (Stream<Path> files = Files.list(real)) {
            for (Path f : files.filter(f -> !f.getFileName().toString().contains("djl_torch")).toList()) {
                Files.createSymbolicLink(lib.resolve(f.getFileName()), f);
            }
        }
        Files.writeString(root.resolve("torch/version.py"), versionPy);
        return lib;
    }

    static String libtorchOfThisJvm() {
        Engine.getEngine("PyTorch");
        return LibUtils.getLibtorchPath();
    }

    private static void withProperties(Map<String, String> props, Runnable r) {
        for (String k : new String[] {"PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "PYTORCH_FLAVOR"}) {
            assumeTrue(System.getenv(k) == null, k + " is set in the environment");
        }
        props.forEach(System::setProperty);
        try {
            r.run();
        } finally {
            props.keySet().forEach(System::clearProperty);
        }
    }

    @Test
    void aLibraryPathWithoutLibtorchSaysWhereToPointIt(@TempDir Path dir) {
        withProperties(Map.of("PYTORCH_LIBRARY_PATH", dir.toString()), () ->
                assertThatThrownBy(() -> GpuDevice.resolve("gpu")).isInstanceOf(BadInputException.class)
                        .hasMessageStartingWith("--device gpu: PYTORCH_LIBRARY_PATH=" + dir + " holds no libtorch.so:"
                                + " point it at the lib folder of a PyTorch"));
    }

    @Test
    void aNewerTorchWithoutPytorchVersionIsAMismatchNotACorruptRun(@TempDir Path dir) throws IOException {
        Path lib = pipTorch(dir, "__version__ = '2.11.0+cu130'\ngit_version = 'abc'\ncuda: Optional[str] = '13.0'\n");
        withProperties(Map.of("PYTORCH_LIBRARY_PATH", lib.toString(), "PYTORCH_FLAVOR", "cu130"), () ->
                assertThatThrownBy(() -> GpuDevice.resolve("gpu")).isInstanceOf(BadInputException.class)
                        .hasMessage("--device gpu: PYTORCH_LIBRARY_PATH=" + lib + " holds torch 2.11.0, but DJL takes"
                                + " it for torch 2.7.1 (PYTORCH_VERSION is not set) and would load a JNI built for"
                                + " 2.7.1, which corrupts tensors with another torch: set PYTORCH_VERSION=2.11.0 and"
                                + " give DJL a JNI built against torch 2.11.0 (docs/training.md#a-newer-torch)"));
    }

    @Test
    void aLocalTorchWithoutPytorchFlavorGetsTheValuesToSet(@TempDir Path dir) throws IOException {
        Path lib = pipTorch(dir, "__version__ = '2.11.0+cu130'\n");
        withProperties(Map.of("PYTORCH_LIBRARY_PATH", lib.toString()), () ->
                assertThatThrownBy(() -> GpuDevice.resolve("cpu")).isInstanceOf(BadInputException.class)
                        .hasMessageStartingWith("--device cpu: PYTORCH_LIBRARY_PATH is set but PYTORCH_FLAVOR is not,")
                        .hasMessageContaining("set PYTORCH_FLAVOR=cu130 and PYTORCH_VERSION=2.11.0"));
    }

    @Test
    void aNewerTorchOfflineWithoutItsJniSaysWhereTheBuiltJniGoes(@TempDir Path dir) throws IOException {
        assumeTrue(ai.djl.util.Utils.isOfflineMode(), "Surefire runs with -Dai.djl.offline=true");
        Path lib = pipTorch(dir, "__version__ = '2.11.0+cu130'\n");
        Path cache = dir.resolve("djl");
        withProperties(Map.of("PYTORCH_LIBRARY_PATH", lib.toString(), "PYTORCH_VERSION", "2.11.0",
                "PYTORCH_FLAVOR", "cu130", "DJL_CACHE_DIR", cache.toString()), () ->
                assertThatThrownBy(() -> GpuDevice.resolve("gpu")).isInstanceOf(BadInputException.class)
                        .hasMessage("--device gpu: no DJL 0.36.0 JNI for torch 2.11.0 (cu130), and offline mode"
                                + " forbids downloading one: build libdjl_torch.so against this torch and put it at "
                                + cache.resolve("pytorch/2.11.0-cu130-linux-x86_64/0.36.0-libdjl_torch.so")
                                + " (docs/training.md#a-newer-torch)"));
    }

    @Test
    void torchVersionsAreReadWherePipAndLibtorchZipsRecordThem(@TempDir Path dir) throws IOException {
        Path pip = Files.createDirectories(dir.resolve("a/torch/lib"));
        Files.writeString(pip.resolveSibling("version.py"), "from typing import Optional\n__version__ = '2.7.1'\n"
                + "debug = False\ncuda: Optional[str] = '12.6'\n");
        assertThat(GpuDevice.TorchBuild.near(pip)).isEqualTo(new GpuDevice.TorchBuild("2.7.1", "cu126"));
        Path zip = Files.createDirectories(dir.resolve("libtorch/lib"));
        Files.writeString(zip.resolveSibling("build-version"), "2.7.1+cu128\n");
        assertThat(GpuDevice.TorchBuild.near(zip)).isEqualTo(new GpuDevice.TorchBuild("2.7.1", "cu128"));
        assertThat(GpuDevice.TorchBuild.near(Files.createDirectories(dir.resolve("bare/lib")))).isNull();
        assertThat(GpuDevice.TorchBuild.parse("2.11.0+cpu")).isEqualTo(new GpuDevice.TorchBuild("2.11.0", "cpu"));
        assertThat(GpuDevice.TorchBuild.parse("2.12.0.dev20260101+cu130")).isEqualTo(new GpuDevice.TorchBuild("2.12.0", "cu130"));
    }

    @Test
    void cudaVersionsOfFlavours() {
        assertThat(GpuDevice.cudaOf("2.7.1-cu128-linux-x86_64")).isEqualTo("12.8");
        assertThat(GpuDevice.cudaOf("lib cu130")).isEqualTo("13.0");
        assertThat(GpuDevice.cudaOf("2.7.1-cpu-linux-x86_64")).isNull();
    }

    @Test
    void engineFailuresNameTheCauseInOneLine() {
        RuntimeException jni = GpuDevice.explain("gpu", GpuDevice.Route.LOCAL, new ai.djl.engine.EngineException(
                "Cannot download jni files: https://publish.djl.ai/pytorch/2.11.0/jnilib/0.36.0/linux-x86_64/cu130/libdjl_torch.so",
                new java.io.FileNotFoundException("https://publish.djl.ai/pytorch/2.11.0/jnilib/0.36.0/linux-x86_64/cu130/libdjl_torch.so")));
        assertThat(jni).isInstanceOf(BadInputException.class);
        assertThat(jni.getMessage()).startsWith("--device gpu: no DJL 0.36.0 JNI for torch 2.11.0 (cu130) here, and DJL"
                + " could not download one from publish.djl.ai (it has none for this version;").doesNotContain("\n");

        RuntimeException net = GpuDevice.explain("gpu", GpuDevice.Route.DOWNLOAD, new ai.djl.engine.EngineException(
                "Failed to save pytorch index file", new java.net.UnknownHostException("publish.djl.ai")));
        assertThat(net).isInstanceOf(GpuDevice.DownloadException.class);
        assertThat(net.getMessage()).startsWith("--device gpu: could not download DJL's libtorch 2.7.1 (")
                .contains("(no network (UnknownHostException: publish.djl.ai)): this machine needs HTTPS access to"
                        + " publish.djl.ai once");

        RuntimeException link = GpuDevice.explain("gpu", GpuDevice.Route.LOCAL, new ai.djl.engine.EngineException(
                "Failed to load PyTorch native library", new UnsatisfiedLinkError("/x/0.36.0-libdjl_torch.so:"
                + " undefined symbol: _ZN3c106detail14torchCheckFailEPKcS2_jRKSs\nmore")));
        assertThat(link.getMessage()).startsWith("--device gpu: DJL's JNI does not link against the libtorch it loaded")
                .contains("undefined symbol").doesNotContain("\n").endsWith("(docs/training.md#a-newer-torch)");
    }
}
