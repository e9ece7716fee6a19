package dev.bitnet.train.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.Platform;
import ai.djl.util.Utils;
import ai.djl.util.cuda.CudaUtils;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns {@code --device} ({@code cpu}, {@code gpu}, {@code gpu:N}) into a DJL {@link Device}, after checking
 * that the PyTorch engine can really compute there, and turns every way a GPU can be out of reach into one
 * line that names the fix.
 *
 * <p>DJL 0.36 finds libtorch in this order ({@code ai.djl.pytorch.jni.LibUtils}): the folder named by
 * {@code PYTORCH_LIBRARY_PATH} (environment variable or system property; a folder without
 * {@code libtorch.so} is skipped silently); else a {@code pytorch-native-*} jar on the classpath, which always
 * wins over a download (the launcher's CPU path bundles {@code pytorch-native-cpu}); else its cache
 * ({@code ~/.djl.ai/pytorch/<version>-<flavor>-<os>}, or {@code DJL_CACHE_DIR} / {@code ENGINE_CACHE_DIR}),
 * filled on first use from {@code https://publish.djl.ai/pytorch/<version>/}, which holds only {@code cpu}
 * and {@code cu128} builds of torch 2.7.1 for Linux x86-64. Its JNI ({@code libdjl_torch.so}) comes from
 * the libtorch folder, the cache, the {@code pytorch-jni} jar (torch 2.7.1 only, flavours {@code cpu} and
 * {@code cu128}), or a download from the same server for other torch versions. DJL counts GPUs through the
 * CUDA runtime ({@code libcudart.so}, loaded with JNA) and only when the loaded libtorch reports CUDA.
 *
 * <p>Problems with the command line or the set-up the user chose throw {@link BadInputException} (exit 2);
 * a failed download throws {@link GpuDevice.DownloadException} (exit 1). Both print as one line.
 */
final class GpuDevice {

    /** Where the docs explain the routes to a GPU. */
    static final String DOCS = "docs/training.md#gpus";
    /** Where the docs explain building DJL's JNI for another torch. */
    static final String JNI_DOCS = "docs/training.md#a-newer-torch";

    /** The one CUDA flavour DJL 0.36 publishes for torch 2.7.1 on Linux x86-64 (publish.djl.ai, not Maven Central). */
    static final String DJL_CUDA_FLAVOR = "cu128";

    private static final String ENGINE = "PyTorch";
    private static final Pattern GPU = Pattern.compile("gpu(?::(\\d{1,9}))?");
    private static final Pattern VERSION = Pattern.compile("(\\d+\\.\\d+\\.\\d+)");
    private static final Pattern JNI_URL = Pattern.compile(
            "Cannot download jni files: https?://\\S+/pytorch/([^/]+)/jnilib/[^/]+/([^/]+)/([^/]+)/\\S*");
    private static final Pattern JNI_RESOURCE =
            Pattern.compile("Resource not found in classpath: jnilib/[^/]+/([^/]+)/\\S*djl_torch");
    private static final String NATIVE_PROPERTIES = "native/lib/pytorch.properties";

    private GpuDevice() {
    }

    /** A download DJL needed failed (no network, server refused): the run failed, exit 1. */
    static final class DownloadException extends RuntimeException {

        DownloadException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Where libtorch comes from, in DJL's order. */
    enum Route {
        /** {@code PYTORCH_LIBRARY_PATH}: the user's own PyTorch. */
        LOCAL,
        /** A {@code pytorch-native-*} jar on the classpath. */
        JAR,
        /** DJL's cache, downloaded from publish.djl.ai on first use. */
        DOWNLOAD
    }

    /**
     * The device {@code name} stands for, once the engine has computed there correctly.
     *
     * @throws BadInputException  a malformed name, no GPU, a CPU-only libtorch, a GPU index out of range, a
     *                            libtorch and JNI that do not fit together
     * @throws DownloadException  DJL could not download the libtorch or JNI it needs
     */
    static Device resolve(String name) {
        if ("cpu".equals(name)) {
            if (libraryPath() != null) { // the user's own libtorch: check it as for a GPU
                Engine engine = loadEngine(name);
                probe(engine, Device.cpu(), name);
            }
            return Device.cpu();
        }
        int index = gpuIndex(name);
        Route route = route();
        if (route == Route.DOWNLOAD) {
            if (!gpuHardware()) {
                throw new BadInputException("--device " + name + ": this machine shows no NVIDIA GPU (no /dev/nvidia*"
                        + " device, and DJL's CUDA probe finds none), so DJL's CUDA libtorch would have nothing to run"
                        + " on: train with --device cpu, or check the GPU and its driver with nvidia-smi (" + DOCS + ")");
            }
            chooseCudaFlavor();
        }
        Engine engine = loadEngine(name);
        if (!engine.hasCapability(StandardCapabilities.CUDA)) {
            throw new BadInputException(noCuda(name, route));
        }
        int count = CudaUtils.getGpuCount(); // 0 when JNA finds no libcudart.so, though libtorch sees GPUs
        if (count > 0 && index >= count) {
            throw new BadInputException(outOfRange(name, count));
        }
        Device device = Device.gpu(index);
        probe(engine, device, name);
        return device;
    }

    /** N of {@code gpu:N} (0 for {@code gpu}). */
    static int gpuIndex(String name) {
        Matcher m = GPU.matcher(name == null ? "" : name);
        if (!m.matches()) {
            throw new BadInputException("--device: must be cpu, gpu or gpu:N (N = 0, 1, ...), got " + name);
        }
        return m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
    }

    // --- where libtorch comes from ------------------------------------------------------------

    static String libraryPath() {
        String p = Utils.getEnvOrSystemProperty("PYTORCH_LIBRARY_PATH");
        return p == null || p.isBlank() ? null : p;
    }

    private static String env(String name) {
        String v = Utils.getEnvOrSystemProperty(name);
        return v == null || v.isBlank() ? null : v;
    }

    static Route route() {
        if (libraryPath() != null) {
            return Route.LOCAL;
        }
        return bundledJar() != null ? Route.JAR : Route.DOWNLOAD;
    }

    /** The libtorch folder DJL takes from {@code PYTORCH_LIBRARY_PATH}, as DJL searches it, or null. */
    static Path libtorchDir(String libraryPath) {
        String lib = System.mapLibraryName("torch");
        for (String entry : libraryPath.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path p = Path.of(entry);
            if (Files.isRegularFile(p) && p.getFileName().toString().equals(lib)) {
                return p.toAbsolutePath().getParent();
            }
            if (Files.isRegularFile(p.resolve(lib))) {
                return p.toAbsolutePath();
            }
        }
        return null;
    }

    /** The libtorch jar on the classpath ({@code pytorch-native-cpu-2.7.1-linux-x86_64.jar}, flavour), or null. */
    static Bundled bundledJar() {
        try {
            ClassLoader cl = Thread.currentThread().getContextClassLoader();
            if (cl == null) {
                cl = GpuDevice.class.getClassLoader();
            }
            Enumeration<URL> urls = cl.getResources(NATIVE_PROPERTIES);
            while (urls.hasMoreElements()) {
                URL url = urls.nextElement();
                Properties p = new Properties();
                try (InputStream in = url.openStream()) {
                    p.load(in);
                }
                if (p.getProperty("placeholder") != null) {
                    continue;
                }
                String s = url.toString();
                int bang = s.indexOf("!/");
                String jar = bang < 0 ? s : s.substring(s.lastIndexOf('/', bang) + 1, bang);
                return new Bundled(jar, p.getProperty("flavor", "?"));
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    record Bundled(String jar, String flavor) {
    }

    /** True when a GPU is there at all: DJL's CUDA probe sees one, or the NVIDIA driver made a device node. */
    static boolean gpuHardware() {
        if (CudaUtils.getGpuCount() > 0) {
            return true;
        }
        for (String dir : List.of("/proc/driver/nvidia/gpus", "/dev")) {
            try (Stream<Path> s = Files.list(Path.of(dir))) {
                if (s.anyMatch(p -> dir.equals("/dev") ? p.getFileName().toString().matches("nvidia\\d+") : true)) {
                    return true;
                }
            } catch (IOException | RuntimeException e) {
                // not Linux, or not readable: no evidence either way
            }
        }
        return false;
    }

    /**
     * DJL picks its download flavour from the CUDA runtime it finds (the highest published build not above it)
     * and falls back to the CPU build when there is none: with torch 2.7.1, any CUDA runtime below 12.8 or no
     * libcudart.so on the loader path. The cu128 build carries its own CUDA libraries and needs only the
     * driver, so ask for it.
     */
    private static void chooseCudaFlavor() {
        String version = env("PYTORCH_VERSION");
        if (env("PYTORCH_FLAVOR") == null && (version == null || version.startsWith(defaultTorchVersion()))
                && "linux-x86_64".equals(classifier())) {
            System.setProperty("PYTORCH_FLAVOR", DJL_CUDA_FLAVOR);
        }
        if (env("PYTORCH_FLAVOR") == null || Utils.isOfflineMode()) {
            return;
        }
        Path dir = Utils.getEngineCacheDir("pytorch").resolve(torchVersion() + "-" + downloadFlavor() + "-" + classifier());
        if (!Files.isRegularFile(dir.resolve(System.mapLibraryName("torch")))) {
            System.err.println("bitnet-train: downloading DJL's libtorch " + torchVersion() + " (" + downloadFlavor()
                    + ", a few GB, once) from publish.djl.ai into " + dir + " ...");
        }
    }

    /** The torch version this DJL is built for (pytorch-engine.properties: 2.7.1 for DJL 0.36). */
    static String defaultTorchVersion() {
        String v = Platform.fromSystem("pytorch").getVersion();
        return v == null ? "2.7.1" : v;
    }

    /** The torch version DJL will use: {@code PYTORCH_VERSION}, else its own. */
    private static String torchVersion() {
        String v = env("PYTORCH_VERSION");
        return v != null ? v : defaultTorchVersion();
    }

    private static String downloadFlavor() {
        String f = env("PYTORCH_FLAVOR");
        return f != null ? f : "flavour picked by DJL";
    }

    private static String classifier() {
        return Platform.fromSystem("pytorch").getClassifier();
    }

    /** Where DJL looks for its JNI for a torch version and flavour in its cache. */
    static Path cachedJni(String version, String flavor) {
        return Utils.getEngineCacheDir("pytorch").resolve(version + "-" + flavor + "-" + classifier())
                .resolve(Engine.getDjlVersion() + "-" + System.mapLibraryName("djl_torch"));
    }

    // --- loading the engine -------------------------------------------------------------------

    /** The PyTorch engine, after the checks that keep a mismatched JNI from loading; failures as one line. */
    static Engine loadEngine(String name) {
        Route route = route();
        if (route == Route.LOCAL) {
            checkLocal(name);
        }
        try {
            return Engine.getEngine(ENGINE);
        } catch (RuntimeException | LinkageError e) {
            throw explain(name, route, e);
        }
    }

    /**
     * A local PyTorch: the folder holds libtorch, DJL knows its flavour, and DJL's JNI fits its version (a JNI
     * built for another torch loads, then corrupts tensors or crashes the JVM).
     */
    static void checkLocal(String name) {
        String libraryPath = libraryPath();
        Path dir = libtorchDir(libraryPath);
        if (dir == null) {
            throw new BadInputException("--device " + name + ": PYTORCH_LIBRARY_PATH=" + libraryPath + " holds no "
                    + System.mapLibraryName("torch") + ": point it at the lib folder of a PyTorch (for pip's torch: "
                    + "python3 -c 'import torch, os; print(os.path.dirname(torch.__file__) + \"/lib\")') (" + DOCS + ")");
        }
        TorchBuild real = TorchBuild.near(dir);
        boolean jniInDir = Files.isRegularFile(dir.resolve(Engine.getDjlVersion() + "-" + System.mapLibraryName("djl_torch")))
                || Files.isRegularFile(dir.resolve(System.mapLibraryName("djl_torch")));
        String flavor = env("PYTORCH_FLAVOR");
        if (flavor == null && !jniInDir) {
            throw new BadInputException("--device " + name + ": PYTORCH_LIBRARY_PATH is set but PYTORCH_FLAVOR is not,"
                    + " and DJL would then look for a JNI of flavour " + djlGuessedFlavor() + ", which it does not have:"
                    + " set PYTORCH_FLAVOR=" + (real != null && real.flavor() != null ? real.flavor()
                    : "cu128 (cuXYZ for a CUDA X.Y build of torch, cpu for a CPU build)")
                    + (real != null && env("PYTORCH_VERSION") == null ? " and PYTORCH_VERSION=" + real.version() : "")
                    + " (" + DOCS + ")");
        }
        String declared = torchVersion();
        if (real != null && !declared.startsWith(real.version())) {
            throw new BadInputException("--device " + name + ": PYTORCH_LIBRARY_PATH=" + dir + " holds torch "
                    + real.version() + ", but DJL takes it for torch " + declared + (env("PYTORCH_VERSION") == null
                    ? " (PYTORCH_VERSION is not set)" : " (PYTORCH_VERSION=" + declared + ")")
                    + " and would load a JNI built for " + declared + ", which corrupts tensors with another torch: set"
                    + " PYTORCH_VERSION=" + real.version() + " and give DJL a JNI built against torch " + real.version()
                    + " (" + JNI_DOCS + ")");
        }
        if (!jniInDir && flavor != null && Utils.isOfflineMode() && !declared.startsWith(defaultTorchVersion())
                && !Files.isRegularFile(cachedJni(declared, flavor))) {
            throw new BadInputException("--device " + name + ": no DJL " + Engine.getDjlVersion() + " JNI for torch "
                    + declared + " (" + flavor + "), and offline mode forbids downloading one: build libdjl_torch.so"
                    + " against this torch and put it at " + cachedJni(declared, flavor) + " (" + JNI_DOCS + ")");
        }
    }

    /** The flavour DJL's LibUtils assumes for a {@code PYTORCH_LIBRARY_PATH} without {@code PYTORCH_FLAVOR}. */
    private static String djlGuessedFlavor() {
        if (CudaUtils.getGpuCount() > 0) {
            try {
                return "cu" + CudaUtils.getCudaVersionString() + "-precxx11";
            } catch (RuntimeException e) {
                return "cuXYZ-precxx11";
            }
        }
        return "linux".equals(Platform.fromSystem("pytorch").getOsPrefix()) ? "cpu-precxx11" : "cpu";
    }

    /** The version and flavour a PyTorch install records next to its lib folder, if it does. */
    record TorchBuild(String version, String flavor) {

        private static final Pattern PY_VERSION = Pattern.compile("^__version__\\s*=\\s*['\"]([^'\"]+)['\"]");
        private static final Pattern PY_CUDA = Pattern.compile("^cuda\\b[^=]*=\\s*['\"](\\d+)\\.(\\d)");

        /**
         * {@code torch/version.py} of a pip install ({@code __version__ = '2.11.0+cu130'}) or {@code build-version}
         * of a libtorch zip ({@code 2.7.1+cu128}), both one level above the lib folder; null when neither is there.
         */
        static TorchBuild near(Path libDir) {
            Path parent = libDir.toAbsolutePath().getParent();
            if (parent == null) {
                return null;
            }
            try {
                Path py = parent.resolve("version.py");
                if (Files.isRegularFile(py)) {
                    TorchBuild found = null;
                    String cuda = null;
                    for (String line : Files.readAllLines(py)) {
                        Matcher v = PY_VERSION.matcher(line.strip());
                        if (v.find()) {
                            found = parse(v.group(1));
                        }
                        Matcher c = PY_CUDA.matcher(line.strip());
                        if (c.find()) {
                            cuda = "cu" + c.group(1) + c.group(2);
                        }
                    }
                    if (found != null && found.flavor() == null && cuda != null) {
                        found = new TorchBuild(found.version(), cuda); // PyPI's default wheel: 2.7.1, CUDA 12.6
                    }
                    if (found != null) {
                        return found;
                    }
                }
                Path bv = parent.resolve("build-version");
                if (Files.isRegularFile(bv)) {
                    return parse(Files.readString(bv).trim());
                }
            } catch (IOException | RuntimeException e) {
                return null;
            }
            return null;
        }

        /** {@code 2.11.0+cu130} to (2.11.0, cu130); {@code 2.7.1} to (2.7.1, null). */
        static TorchBuild parse(String text) {
            Matcher m = VERSION.matcher(text);
            if (!m.lookingAt()) {
                return null;
            }
            int plus = text.indexOf('+');
            String local = plus < 0 ? null : text.substring(plus + 1);
            String flavor = local != null && local.matches("cpu|cu\\d{3}") ? local : null;
            return new TorchBuild(m.group(1), flavor);
        }
    }

    // --- after loading ------------------------------------------------------------------------

    /** Why the loaded engine reports no CUDA, and the fix, for the route libtorch came from. */
    private static String noCuda(String name, Route route) {
        Path dir = Path.of(LibUtils.getLibtorchPath());
        boolean cudaBuild = Files.exists(dir.resolve(System.mapLibraryName("torch_cuda")))
                || Files.exists(dir.resolve(System.mapLibraryName("c10_cuda")));
        String version = LibUtils.getVersion();
        String prefix = "--device " + name + ": ";
        if (cudaBuild) {
            String visible = System.getenv("CUDA_VISIBLE_DEVICES");
            String cuda = cudaOf(dir.getFileName() + " " + (env("PYTORCH_FLAVOR") == null ? "" : env("PYTORCH_FLAVOR")));
            return prefix + "the CUDA libtorch " + version + " in " + dir + " sees no usable GPU: check that nvidia-smi"
                    + " lists one and that its driver supports CUDA " + (cuda == null ? "of this build" : cuda)
                    + " (nvidia-smi's \"CUDA Version\" at least that), and that CUDA_VISIBLE_DEVICES ("
                    + (visible == null ? "not set" : "\"" + visible + "\"") + ") does not hide it (" + DOCS + ")";
        }
        String noGpu = gpuHardware() ? "" : "; this machine shows no NVIDIA GPU either";
        return switch (route) {
            case JAR -> {
                Bundled b = bundledJar();
                yield prefix + "the PyTorch engine loaded the CPU-only libtorch " + version + " of "
                        + (b == null ? "a pytorch-native jar" : b.jar()) + " on the classpath (DJL prefers a libtorch"
                        + " jar to any other), which cannot use a GPU" + noGpu + ". On a GPU machine start the trainer"
                        + " with ./bitnet train --device gpu, which leaves that jar out so that DJL downloads its CUDA"
                        + " libtorch, or take the jar off the classpath, or set PYTORCH_LIBRARY_PATH to a CUDA libtorch"
                        + " (" + DOCS + ")";
            }
            case LOCAL -> prefix + "PYTORCH_LIBRARY_PATH=" + dir + " is a CPU-only libtorch (no "
                    + System.mapLibraryName("torch_cuda") + ")" + noGpu + ": point it at the lib folder of a CUDA build"
                    + " of torch, with PYTORCH_VERSION and PYTORCH_FLAVOR to match (" + DOCS + ")";
            case DOWNLOAD -> prefix + "DJL loaded its CPU-only libtorch " + version + " from " + dir
                    + (env("PYTORCH_FLAVOR") != null ? " (PYTORCH_FLAVOR=" + env("PYTORCH_FLAVOR") + ")"
                    : " (it found no CUDA runtime it has a build for)") + noGpu + ": set PYTORCH_FLAVOR="
                    + DJL_CUDA_FLAVOR + " for DJL's CUDA build of torch " + defaultTorchVersion()
                    + ", or leave PYTORCH_FLAVOR and PYTORCH_VERSION unset (" + DOCS + ")";
        };
    }

    /** {@code 12.8} for a text holding {@code cu128}, else null. */
    static String cudaOf(String text) {
        Matcher m = Pattern.compile("cu(\\d{2,3})(\\d)").matcher(text);
        if (!m.find()) {
            return null;
        }
        return Integer.parseInt(m.group(1)) + "." + m.group(2);
    }

    private static String outOfRange(String name, int count) {
        return "--device " + name + ": only " + count + (count == 1 ? " GPU is" : " GPUs are") + " visible ("
                + (count == 1 ? "gpu:0" : "gpu:0 to gpu:" + (count - 1)) + "; CUDA_VISIBLE_DEVICES renumbers them)";
    }

    /**
     * A first computation on the device: x * x + 1 for x = (1, 2, 3). It catches an index past the last GPU,
     * a device libtorch cannot use, and a JNI built for another torch (wrong values or types).
     */
    static void probe(Engine engine, Device device, String name) {
        float[] got;
        DataType type;
        try (NDManager m = engine.newBaseManager(device)) {
            NDArray x = m.create(new float[] {1, 2, 3});
            NDArray y = x.mul(x).add(1);
            type = y.getDataType();
            got = y.toFloatArray();
        } catch (RuntimeException e) {
            String msg = firstLine(e);
            if (msg.contains("invalid device ordinal")) {
                throw new BadInputException("--device " + name + ": there is no such GPU (CUDA: invalid device"
                        + " ordinal); nvidia-smi lists the GPUs, numbered from 0 (CUDA_VISIBLE_DEVICES renumbers"
                        + " them)", e);
            }
            throw new BadInputException("--device " + name + ": a first computation on " + device + " failed ("
                    + msg + "); the libtorch in " + LibUtils.getLibtorchPath() + " and this device do not work"
                    + " together (" + DOCS + ")", e);
        }
        float[] want = {2, 5, 10};
        if (type != DataType.FLOAT32 || !Arrays.equals(got, want)) {
            throw new BadInputException("--device " + name + ": a first computation on " + device + " gave "
                    + Arrays.toString(got) + " (" + type + ") instead of " + Arrays.toString(want) + " (float32):"
                    + " DJL's JNI does not fit the libtorch in " + LibUtils.getLibtorchPath() + " (loaded as torch "
                    + LibUtils.getVersion() + "); build the JNI against that torch (" + JNI_DOCS + ")");
        }
    }

    // --- engine failures ----------------------------------------------------------------------

    /** One line naming the cause and the fix, for a failure to load the PyTorch engine. */
    static RuntimeException explain(String name, Route route, Throwable e) {
        String prefix = "--device " + name + ": ";
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        boolean offline = chain.stream().anyMatch(t -> "Offline mode is enabled.".equals(t.getMessage()));
        Throwable net = chain.stream().filter(t -> t instanceof UnknownHostException || t instanceof ConnectException
                || t instanceof NoRouteToHostException || t instanceof SocketTimeoutException
                || t instanceof javax.net.ssl.SSLException).findFirst().orElse(null);
        String why = offline ? "offline mode is on (-Dai.djl.offline=true or DJL_OFFLINE=true)"
                : net != null ? "no network (" + net.getClass().getSimpleName() + ": " + net.getMessage() + ")"
                : null;

        // The JNI for a torch version DJL does not ship (pytorch-jni holds 2.7.1 only).
        for (Throwable t : chain) {
            Matcher m = t.getMessage() == null ? null : JNI_URL.matcher(t.getMessage());
            if (m != null && m.matches()) {
                String version = m.group(1);
                String flavor = m.group(3);
                String msg = prefix + "no DJL " + Engine.getDjlVersion() + " JNI for torch " + version + " (" + flavor
                        + ") here, and DJL could not download one from publish.djl.ai ("
                        + (why != null ? why : "it has none for this version; " + firstLine(t.getCause())) + "): DJL"
                        + " ships its JNI for torch " + defaultTorchVersion() + " only; for another torch build"
                        + " libdjl_torch.so against it and put it at " + cachedJni(version, flavor) + " (" + JNI_DOCS + ")";
                return why != null && !offline ? new DownloadException(msg, e) : new BadInputException(msg, e);
            }
        }
        // libtorch itself from publish.djl.ai.
        boolean libtorchDownload = chain.stream().anyMatch(t -> t.getMessage() != null
                && (t.getMessage().startsWith("Failed to save pytorch index file")
                || t.getMessage().startsWith("Failed to download PyTorch native library")));
        if (libtorchDownload) {
            String what = "DJL's libtorch " + torchVersion() + " (" + downloadFlavor() + ")";
            Path cache = Utils.getEngineCacheDir("pytorch");
            if (offline) {
                return new BadInputException(prefix + what + " is not in " + cache + " and " + why + ": run once"
                        + " without offline mode with access to https://publish.djl.ai (./bitnet train --device gpu"
                        + " does not set it), or use a local PyTorch through PYTORCH_LIBRARY_PATH (" + DOCS + ")", e);
            }
            return new DownloadException(prefix + "could not download " + what + " from publish.djl.ai into " + cache
                    + " (" + (why != null ? why : firstLine(e)) + "): this machine needs HTTPS access to publish.djl.ai"
                    + " once, or copy " + cache + " from a machine that has it, or use a local PyTorch through"
                    + " PYTORCH_LIBRARY_PATH (" + DOCS + ")", e);
        }
        for (Throwable t : chain) {
            String msg = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof UnsatisfiedLinkError && msg.contains("djl_torch")) {
                return new BadInputException(prefix + "DJL's JNI does not link against the libtorch it loaded (torch "
                        + torchVersion() + "): " + firstLine(t) + "; the JNI must be built against exactly that torch"
                        + " (" + JNI_DOCS + ")", e);
            }
            if (t instanceof UnsatisfiedLinkError) {
                return new BadInputException(prefix + "cannot load libtorch: " + firstLine(t) + " (" + describe(route)
                        + "; " + DOCS + ")", e);
            }
            Matcher jar = JNI_RESOURCE.matcher(msg);
            if (jar.find()) { // the pytorch-jni jar has no JNI of this flavour
                return new BadInputException(prefix + "DJL has no JNI for the flavour " + (env("PYTORCH_FLAVOR") != null
                        ? "PYTORCH_FLAVOR=" + env("PYTORCH_FLAVOR") : jar.group(1) + " it guessed") + " of torch "
                        + torchVersion() + " (its JNI comes as cpu and " + DJL_CUDA_FLAVOR + "): set PYTORCH_FLAVOR to"
                        + " cpu or " + DJL_CUDA_FLAVOR + " to match your libtorch, or build the JNI for it ("
                        + JNI_DOCS + ")", e);
            }
            if (msg.startsWith("No PyTorch native library matches your operating system")) {
                return new BadInputException(prefix + "DJL has no libtorch " + torchVersion() + " of flavour "
                        + downloadFlavor() + " for " + classifier() + " (" + DOCS + ")", e);
            }
        }
        return new BadInputException(prefix + "the PyTorch engine failed to start (" + describe(route) + "): "
                + firstLine(rootCause(e)) + " (-Dbitnet.debug=true prints the stack trace; " + DOCS + ")", e);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** The route in words, for messages. */
    static String describe(Route route) {
        return switch (route) {
            case LOCAL -> "libtorch from PYTORCH_LIBRARY_PATH=" + libraryPath();
            case JAR -> {
                Bundled b = bundledJar();
                yield "libtorch from " + (b == null ? "a pytorch-native jar" : b.jar()) + " on the classpath";
            }
            case DOWNLOAD -> "DJL's libtorch " + torchVersion() + " (" + downloadFlavor() + ") in "
                    + Utils.getEngineCacheDir("pytorch");
        };
    }

    /** The first line of a throwable's message (torch's messages run over many lines), or its class. */
    static String firstLine(Throwable t) {
        if (t == null) {
            return "unknown cause";
        }
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        String line = m.strip().lines().findFirst().orElse("").strip();
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
