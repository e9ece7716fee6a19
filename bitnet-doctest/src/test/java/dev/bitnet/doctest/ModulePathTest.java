package dev.bitnet.doctest;

import dev.bitnet.compact.export.Exporter;
import dev.bitnet.bench.BenchCli;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.runtime.BitNetModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An application that embeds the runtime, compiled and run in its own JVM on the class path and
 * on the module path: it loads the default model ({@code models/default.bit2}) and
 * generates a few tokens, with the Panama kernels when {@code jdk.incubator.vector} is added and
 * the scalar ones when not, the same text every time. On the module path the compiler keeps the
 * runtime's engine from the application; the runtime exports it to bitnet-compact and
 * bitnet-bench only.
 */
class ModulePathTest {

    private static final String APP = """
            package example.app;

            import dev.bitnet.runtime.BitNetModel;
            import dev.bitnet.runtime.GenerationOptions;
            import dev.bitnet.runtime.GenerationResult;
            import dev.bitnet.runtime.Session;
            import java.nio.file.Path;

            public class Generate {
                public static void main(String[] args) throws Exception {
                    try (BitNetModel model = BitNetModel.load(Path.of(args[0])); Session session = model.newSession()) {
                        GenerationResult r = session.generate("Call me Ishmael.", GenerationOptions.greedy(12), piece -> { });
                        System.out.println(model.kernelsName() + " kernels, " + r.generatedTokens() + " tokens: " + r.text());
                    }
                }
            }
            """;
    private static final String MODULE = "module example.app { requires dev.bitnet.runtime; }\n";
    private static final String VECTOR = "--add-modules=jdk.incubator.vector";

    @Test
    void anApplicationGeneratesTheSameTextOnTheClassPathAndOnTheModulePath(@TempDir Path work) throws Exception {
        Path model = RepositoryRoot.find().resolve("models/default.bit2");
        String runtime = path(location(ModelConfig.class), location(BitNetModel.class));

        Path classPathApp = work.resolve("cp");
        assertThat(javac(work, List.of("-classpath", runtime, "-d", classPathApp.toString()), APP)).isEmpty();
        ExampleRun onClassPath = JavaExamples.java(work, "cp", List.of(VECTOR,
                "-cp", path(classPathApp, location(ModelConfig.class), location(BitNetModel.class)),
                "example.app.Generate", model.toString()));

        Path moduleApp = work.resolve("mp");
        assertThat(javac(work, List.of("--module-path", runtime, "-d", moduleApp.toString()), APP, MODULE)).isEmpty();
        String modulePath = path(moduleApp, location(ModelConfig.class), location(BitNetModel.class));
        ExampleRun onModulePath = JavaExamples.java(work, "mp", List.of(VECTOR,
                "--module-path", modulePath, "-m", "example.app/example.app.Generate", model.toString()));
        ExampleRun scalar = JavaExamples.java(work, "mp-scalar", List.of(
                "--module-path", modulePath, "-m", "example.app/example.app.Generate", model.toString()));

        for (ExampleRun run : List.of(onClassPath, onModulePath, scalar)) {
            assertThat(run.exitCode()).as("exit code; stderr:%n%s", run.stderr()).isZero();
        }
        assertThat(onClassPath.stdout()).matches("vector-\\d+ kernels, [1-9]\\d* tokens: (?s).+\\n");
        assertThat(onModulePath.stdout()).isEqualTo(onClassPath.stdout());
        String text = onClassPath.stdout().substring(onClassPath.stdout().indexOf(" kernels"));
        assertThat(scalar.stdout()).isEqualTo("scalar" + text);
        assertThat(scalar.stderr()).contains("run java with --add-modules jdk.incubator.vector");
    }

    @Test
    void onTheModulePathTheEngineIsNotPartOfTheApi(@TempDir Path work) throws Exception {
        String app = APP.replace("import java.nio.file.Path;", "import java.nio.file.Path;\nimport dev.bitnet.runtime.engine.Weights;");
        String runtime = path(location(ModelConfig.class), location(BitNetModel.class));
        assertThat(javac(work, List.of("--module-path", runtime, "-d", work.resolve("mp").toString()), app, MODULE))
                .contains("package dev.bitnet.runtime.engine is not visible");
        // On the class path there are no module boundaries: the same source compiles.
        assertThat(javac(work, List.of("-classpath", runtime, "-d", work.resolve("cp").toString()), app)).isEmpty();
    }

    @Test
    void theRuntimeExportsItsEngineToCompactAndBenchOnly() throws Exception {
        Path compact = location(Exporter.class);
        Path bench = location(BenchCli.class);
        // Their module names come from their jars' Automatic-Module-Name, so this needs `mvn verify`
        // (or package), not `mvn test`, which puts their class directories on the class path.
        assumeTrue(Files.isRegularFile(compact) && Files.isRegularFile(bench), "bitnet-compact and bitnet-bench as jars");
        ModuleFinder finder = ModuleFinder.of(location(ModelConfig.class), location(BitNetModel.class), compact, bench);
        Configuration cf = ModuleLayer.boot().configuration()
                .resolve(finder, ModuleFinder.of(), Set.of("dev.bitnet.runtime", "dev.bitnet.compact", "dev.bitnet.bench"));
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
        Module runtime = layer.findModule("dev.bitnet.runtime").orElseThrow();
        String engine = "dev.bitnet.runtime.engine";
        assertThat(runtime.isExported(engine, layer.findModule("dev.bitnet.compact").orElseThrow())).isTrue();
        assertThat(runtime.isExported(engine, layer.findModule("dev.bitnet.bench").orElseThrow())).isTrue();
        assertThat(runtime.isExported(engine)).as("exported to every module").isFalse();
        assertThat(runtime.isExported("dev.bitnet.runtime")).isTrue();
    }

    /** Compiles the sources into the options' {@code -d}; returns javac's error output, empty when it compiled. */
    private static String javac(Path work, List<String> options, String... sources) throws IOException {
        Path src = Files.createTempDirectory(work, "src");
        List<String> args = new ArrayList<>(options);
        args.add("-proc:none");
        for (String source : sources) {
            Path file = src.resolve(source.startsWith("module ") ? "module-info.java" : "example/app/Generate.java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source);
            args.add(file.toString());
        }
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = ToolProvider.getSystemJavaCompiler().run(null, errors, errors, args.toArray(String[]::new));
        return rc == 0 ? "" : errors.toString(StandardCharsets.UTF_8);
    }

    /** The class directory or jar a class was loaded from. */
    private static Path location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static String path(Path... entries) {
        return String.join(File.pathSeparator, Arrays.stream(entries).map(Path::toString).toList());
    }
}
