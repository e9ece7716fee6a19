package dev.bitnet.doctest;

import dev.bitnet.compact.export.Exporter;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.model.RandomModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Java example, as a user would paste it into a {@code main} method: it compiles
 * against the modules and, run in a directory holding a random tiny {@code model.bit2}, prints
 * generated text.
 */
class ReadmeJavaExampleTest {

    @Test
    void readmeJavaExamplesCompileAndGenerateText(@TempDir Path work) throws Exception {
        Path root = RepositoryRoot.find();
        MarkdownFile readme = MarkdownFile.read(root, root.resolve("README.md"));
        List<FencedBlock> examples = readme.blocks().stream().filter(b -> b.language().equals("java")).toList();
        assertThat(examples).as("```java blocks in README.md").isNotEmpty();

        ModelConfig tiny = ModelConfig.preset("tiny");
        RandomModel.write(tiny, Exporter.tokenizer(tiny.tokenizer()), 1, work.resolve("model.bit2"));
        Path classes = Files.createDirectories(work.resolve("classes"));
        for (int i = 0; i < examples.size(); i++) {
            JavaSnippet snippet = JavaSnippet.wrap("ReadmeExample" + (i + 1), examples.get(i));
            assertThat(compile(snippet, classes, readme.name())).as("compiling " + readme.name() + " example " + (i + 1)).isEmpty();
            Run run = run(snippet.className(), classes, work);
            assertThat(run.exitCode()).as("exit code of the example; stderr:%n%s", run.stderr()).isZero();
            assertThat(run.stdout()).as("text the example prints").isNotBlank();
        }
    }

    /** Compiles against this test's class path; returns the errors as {@code README.md:LINE: message}. */
    private static List<String> compile(JavaSnippet snippet, Path classes, String file) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK compiler (tests run on a JDK, not a JRE)").isNotNull();
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

    private record Run(int exitCode, String stdout, String stderr) {
    }

    /** Runs the example in its own JVM with {@code dir} as the working directory, as a user would. */
    private static Run run(String mainClass, Path classes, Path dir) throws Exception {
        Path out = dir.resolve(mainClass + ".out");
        Path err = dir.resolve(mainClass + ".err");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--add-modules=jdk.incubator.vector", "-cp",
                classes + File.pathSeparator + System.getProperty("java.class.path"), mainClass)
                .directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(mainClass + " did not finish within 60 s; stderr:\n" + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
