package dev.bitnet.doctest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The commands of the root {@code bitnet} launcher, read from the script itself: the
 * {@code target_of} case list (command to main class) and the built-in arms of the main
 * {@code case "$cmd"} (help, version, test, quickstart).
 */
final class Launcher {

    private static final Pattern TARGET_ARM = Pattern.compile("^\\s*([\\w|-]+)\\)\\s*echo \"(\\S+) (\\S+)\".*$");
    private static final Pattern MAIN_ARM = Pattern.compile("^ {4}([^\\s()*][^\\s()]*)\\)\\s*(.*)$");
    private static final Pattern SCRIPT_EXEC = Pattern.compile("exec \"\\$ROOT/([^\"]+)\"");

    private final Map<String, LauncherCommand> commands;

    private Launcher(Map<String, LauncherCommand> commands) {
        this.commands = commands;
    }

    /** Reads {@code ROOT/bitnet}; fails naming the script when its structure is not the one expected. */
    static Launcher read(Path root) {
        Path script = root.resolve("bitnet");
        List<String> lines;
        try {
            lines = Files.readAllLines(script, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the launcher " + script, e);
        }
        Map<String, LauncherCommand> commands = new LinkedHashMap<>();
        int targetOf = indexOf(lines, "target_of() {", script);
        for (int i = targetOf + 1; i < lines.size() && !lines.get(i).trim().equals("esac"); i++) {
            Matcher m = TARGET_ARM.matcher(lines.get(i));
            if (m.matches()) {
                for (String name : m.group(1).split("\\|")) {
                    commands.put(name, new LauncherCommand(name, LauncherCommand.Kind.JAVA, m.group(3)));
                }
            }
        }
        if (commands.isEmpty()) {
            throw new IllegalStateException(script + ": no command in the target_of case list");
        }
        int main = indexOf(lines, "case \"$cmd\" in", script);
        for (int i = main + 1; i < lines.size() && !lines.get(i).equals("esac"); i++) {
            Matcher m = MAIN_ARM.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            String body = armBody(lines, i, m.group(2));
            LauncherCommand.Kind kind;
            String target = "";
            Matcher exec = SCRIPT_EXEC.matcher(body);
            if (exec.find()) {
                kind = LauncherCommand.Kind.SCRIPT;
                target = exec.group(1);
            } else if (body.contains("exec mvn ")) {
                kind = LauncherCommand.Kind.MAVEN;
            } else if (body.trim().startsWith("usage")) {
                kind = LauncherCommand.Kind.USAGE;
            } else if (body.trim().startsWith("version")) {
                kind = LauncherCommand.Kind.VERSION;
            } else {
                throw new IllegalStateException(script + ":" + (i + 1) + ": cannot tell what the arm '" + m.group(1) + "' runs");
            }
            for (String name : m.group(1).split("\\|")) {
                commands.put(name, new LauncherCommand(name, kind, target));
            }
        }
        return new Launcher(commands);
    }

    /** The command typed as {@code name}, if the launcher has it. */
    Optional<LauncherCommand> command(String name) {
        return Optional.ofNullable(commands.get(name));
    }

    /** Every command name (aliases such as {@code --help} included), in script order. */
    List<String> names() {
        return new ArrayList<>(commands.keySet());
    }

    private static int indexOf(List<String> lines, String text, Path script) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().equals(text)) {
                return i;
            }
        }
        throw new IllegalStateException(script + ": no line '" + text + "'");
    }

    /** The arm's text: the rest of its first line and the lines up to the next arm or the esac. */
    private static String armBody(List<String> lines, int arm, String rest) {
        StringBuilder body = new StringBuilder(rest);
        for (int j = arm + 1; j < lines.size() && !MAIN_ARM.matcher(lines.get(j)).matches() && !lines.get(j).equals("esac")
                && !lines.get(j).startsWith("    *)"); j++) {
            body.append('\n').append(lines.get(j));
        }
        return body.toString();
    }
}
