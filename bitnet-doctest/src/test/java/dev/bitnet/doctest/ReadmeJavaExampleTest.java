package dev.bitnet.doctest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

        JavaExamples.writeModel(work);
        Path classes = Files.createDirectories(work.resolve("classes"));
        for (int i = 0; i < examples.size(); i++) {
            JavaSnippet snippet = JavaSnippet.wrap("ReadmeExample" + (i + 1), examples.get(i));
            assertThat(JavaExamples.compile(snippet, classes, readme.name()))
                    .as("compile errors of the README example at line %d", examples.get(i).firstLine()).isEmpty();
            ExampleRun run = JavaExamples.run(snippet.className(), classes, work);
            assertThat(run.exitCode()).as("exit code of the README example; stderr:%n%s", run.stderr()).isZero();
            assertThat(run.stdout()).as("text the README example prints").isNotBlank();
        }
    }
}
