package dev.bitnet.doctest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code ./bitnet COMMAND --option ...} line of README.md and docs/*.md names a command the
 * launcher has and only options that command's parser accepts.
 */
class CommandLineDocsTest {

    private static Path root;
    private static Launcher launcher;
    private static CommandLineChecker checker;

    @BeforeAll
    static void readLauncher() {
        root = RepositoryRoot.find();
        launcher = Launcher.read(root);
        checker = new CommandLineChecker(root, launcher);
    }

    @Test
    void documentedCommandLinesUseRealCommandsAndOptions() {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Path file : RepositoryRoot.markdownFiles(root)) {
            for (DocumentedCommand c : CommandLineChecker.commands(MarkdownFile.read(root, file))) {
                problems.addAll(checker.problems(c));
                checked++;
            }
        }
        assertThat(checked).as("documented ./bitnet lines found").isPositive();
        assertThat(problems).as("documented command lines that the code does not accept").isEmpty();
    }

    @Test
    void everyLauncherCommandHasReadableOptions() {
        assertThat(launcher.names()).contains("generate", "train", "compact", "random", "serve", "bench", "quickstart", "test", "help",
                "--version");
        for (String name : launcher.names()) {
            LauncherCommand command = launcher.command(name).orElseThrow();
            CommandOptions.of(root, command).ifPresent(syntax -> {
                if (command.kind() != LauncherCommand.Kind.USAGE && command.kind() != LauncherCommand.Kind.VERSION) {
                    assertThat(syntax.options()).as("options of bitnet " + name).containsKeys("--help", "--version");
                }
            });
        }
    }

    /** The checker itself: a wrong command, wrong options and arguments in every place they can hide, and right lines passing. */
    @Test
    void reportsEachWrongCommandAndOption() {
        MarkdownFile md = new MarkdownFile("T.md", root.resolve("T.md"), List.of(
                "Text with ./bitnet generate --not-checked outside code, but `./bitnet eval --data t.txt --bogus` in a span.",
                "```bash",
                "./bitnet generate --model m.bit2 --prompt \"a --quoted text\" --nope [--json] [--stop TEXT]...",
                "./bitnet frobnicate --x",
                "$ bitnet info --model m.bit2 \\",
                "    --verbose   # and --also here",
                "./bitnet random --preset tiny --out a.bit2 && ./bitnet bench -i X -z --quick",
                "./bitnet quickstart --short --run d --fast",
                "./bitnet train --preset tiny --data c.txt --out r --device gpu",
                "./bitnet compact --checkpoint r --out t.bit2 --verify --verify-text t.txt",
                "./bitnet test -DskipTests",
                "./bitnet help",
                "bitnet chat     --model M.bit2 [--top-k 40] [sampling options]",
                "                [--wobble N]",
                "./bitnet info model.bit2",
                "./bitnet train --data a.txt b/ --out r --steps=5 && ./bitnet generate --prompt hi > out.txt 2>&1",
                "./bitnet bench extra --quick -o r.json ...",
                "mvn -q -pl bitnet-runtime -am compile exec:exec -Dbitnet.args=\"info --model tiny.bit2 --verbose\"",
                "```",
                "```java",
                "./bitnet generate --in-java-block",
                "```"));
        List<String> problems = new ArrayList<>();
        for (DocumentedCommand c : CommandLineChecker.commands(md)) {
            problems.addAll(checker.problems(c));
        }
        assertThat(problems).containsExactly(
                "T.md:1: unknown option --bogus for bitnet eval",
                "T.md:3: unknown option --nope for bitnet generate",
                "T.md:4: unknown command 'frobnicate' for ./bitnet (the launcher has " + String.join(", ", launcher.names()) + ")",
                "T.md:6: unknown option --verbose for bitnet info",
                "T.md:6: unknown option --also for bitnet info",
                "T.md:7: unknown option -z for bitnet bench",
                "T.md:8: unknown option --fast for bitnet quickstart",
                "T.md:14: unknown option --wobble for bitnet chat",
                "T.md:15: unexpected argument 'model.bit2' for bitnet info (it takes options only)",
                "T.md:17: unexpected argument 'extra' for bitnet bench (it takes options only)",
                "T.md:18: unknown option --verbose for bitnet info");
    }
}
