package dev.bitnet.doctest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every relative link of README.md and docs/*.md points to an existing file (and heading, for an anchor). */
class RelativeLinksTest {

    @Test
    void relativeLinksPointToExistingFilesAndHeadings() {
        Path root = RepositoryRoot.find();
        List<String> problems = new ArrayList<>();
        int links = 0;
        for (Path file : RepositoryRoot.markdownFiles(root)) {
            MarkdownFile md = MarkdownFile.read(root, file);
            links += md.links().size();
            problems.addAll(LinkChecker.problems(root, md));
        }
        assertThat(links).as("links found").isPositive();
        assertThat(problems).as("broken relative links").isEmpty();
    }

    @Test
    void reportsMissingFilesAnchorsAndEscapes(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/b.md"), "# B\n\n## Measured figures (2 cores)\n\n```\n# not a heading\n```\n");
        Files.writeString(root.resolve("README.md"), String.join("\n",
                "See [b](docs/b.md), [fig](docs/b.md#measured-figures-2-cores) and [web](https://example.org/x.md).",
                "Broken: [c](docs/c.md), [anchor](docs/b.md#not-a-heading), [up](../outside.md).",
                "Code is skipped: `[x](nowhere.md)`",
                "```",
                "[y](nowhere.md)",
                "```",
                "[ref]: docs/missing.md",
                ""));
        List<String> problems = LinkChecker.problems(root, MarkdownFile.read(root, root.resolve("README.md")));
        assertThat(problems).containsExactly(
                "README.md:2: link docs/c.md: no file docs/c.md",
                "README.md:2: link docs/b.md#not-a-heading: no heading with anchor #not-a-heading in docs/b.md",
                "README.md:2: link ../outside.md leaves the repository",
                "README.md:7: link docs/missing.md: no file docs/missing.md");
    }
}
