package dev.bitnet.doctest;

import dev.bitnet.compact.export.Exporter;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.format.Bit2FormatException;
import dev.bitnet.core.model.RandomModel;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Compiles documentation snippets against this module's test class path (every bitnet module)
 * and runs them in their own JVM, as a user pasting them into a {@code main} method would.
 */
final class JavaExamples {

    private static final long RUN_TIMEOUT_SECONDS = 60;

    private JavaExamples() {
    }

    /** Writes the random tiny model the examples load as {@code model.bit2} into {@code dir}. */
    static void writeModel(Path dir) throws Bit2FormatException {
        ModelConfig tiny = ModelConfig.preset("tiny");
        RandomModel.write(tiny, Exporter.tokenizer(tiny.tokenizer()), 1, dir.resolve("model.bit2"));
    }

    /** Compiles into {@code classes}; returns the errors as {@code FILE:LINE: message}, empty when it compiled. */
    static List<String> compile(JavaSnippet snippet, Path classes, String file) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no system Java compiler: the tests must run on a JDK, not a JRE");
        }
        JavaFileObject source = new SimpleJavaFileObject(URI.create("string:///" + snippet.className() + ".java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return snippet.source();
            }
        };
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d", classes.toString(), "-proc:none");
        boolean ok = javac.getTask(null, null, diagnostics, options, null, List.of(source)).call();
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                int line = snippet.markdownLine(d.getLineNumber());
                errors.add(file + ":" + (line > 0 ? line : "(wrapper)") + ": " + d.getMessage(Locale.ROOT));
            }
        }
        if (!ok && errors.isEmpty()) {
            errors.add(file + ": javac failed without an error message; the generated source:\n" + snippet.source());
        }
        return errors;
    }

    /** Compiles source files (a project's {@code src/main/java}) into {@code classes}; returns the errors, empty when it compiled. */
    static List<String> compile(List<Path> sources, Path classes) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no system Java compiler: the tests must run on a JDK, not a JRE");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of("--release", "25", "-classpath", System.getProperty("java.class.path"),
                "-d", classes.toString(), "-proc:none");
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources)).call();
            List<String> errors = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    errors.add(d.getSource().getName() + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT));
                }
            }
            if (!ok && errors.isEmpty()) {
                errors.add("javac failed without an error message on " + sources);
            }
            return errors;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a compiled example's main class in its own JVM, with {@code dir} as the working directory. */
    static ExampleRun run(String mainClass, Path classes, Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("--add-modules=jdk.incubator.vector", "-cp",
                classes + File.pathSeparator + System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return java(dir, mainClass, command);
    }

    /**
     * Runs {@code java ARGS} (this JDK's) in {@code dir}; {@code name} names the files in
     * {@code dir} its output goes to.
     */
    static ExampleRun java(Path dir, String name, List<String> args) throws IOException, InterruptedException {
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(args);
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(String.join(" ", args) + " did not finish within " + RUN_TIMEOUT_SECONDS + " s; stderr:\n"
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new ExampleRun(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
