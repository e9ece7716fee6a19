package dev.bitnet.doctest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The complete Java examples of docs/*.md compile and run like the README's. A block that starts
 * with {@code import} lines is a complete example and must compile with exactly those imports; a
 * block without imports is an API sketch with free variables (a {@code path}, a {@code config})
 * and is not compiled.
 */
class DocsJavaExamplesTest {

    @Test
    void completeDocsJavaExamplesCompileAndRun(@TempDir Path work) throws Exception {
        Path root = RepositoryRoot.find();
        JavaExamples.writeModel(work);
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> problems = new ArrayList<>();
        int n = 0;
        for (Path file : RepositoryRoot.markdownFiles(root)) {
            if (file.equals(root.resolve("README.md"))) {
                continue; // ReadmeJavaExampleTest
            }
            MarkdownFile md = MarkdownFile.read(root, file);
            for (FencedBlock block : md.blocks()) {
                if (!block.language().equals("java") || block.lines().isEmpty() || !block.lines().getFirst().startsWith("import ")) {
                    continue;
                }
                JavaSnippet snippet = JavaSnippet.wrap("DocsExample" + ++n, block);
                List<String> errors = JavaExamples.compile(snippet, classes, md.name());
                if (!errors.isEmpty()) {
                    problems.addAll(errors);
                    continue;
                }
                ExampleRun run = JavaExamples.run(snippet.className(), classes, work);
                if (run.exitCode() != 0 || run.stdout().isBlank()) {
                    problems.add(md.name() + ":" + block.firstLine() + ": the example exited with " + run.exitCode()
                            + (run.stdout().isBlank() ? " and printed nothing" : "") + "; stderr:\n" + run.stderr());
                }
            }
        }
        assertThat(n).as("complete Java examples (blocks starting with imports) in docs/").isPositive();
        assertThat(problems).as("docs Java examples that do not compile or run").isEmpty();
    }
}
