package dev.bitnet.doctest;

import dev.bitnet.runtime.cli.RuntimeCommandOptions;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a launcher command accepts, read from the command's own parser, never from a hand list. */
final class CommandOptions {

    /** A case arm of a script's argument loop, {@code --run) ... RUN=$2; shift ;;}: its patterns and body. */
    private static final Pattern SCRIPT_OPTION_ARM = Pattern.compile("^\\s*(-[\\w|-]*)\\)(.*)$");

    private CommandOptions() {
    }

    /**
     * The syntax of {@code command}; empty for {@code test}, whose arguments go to Maven unchecked.
     *
     * @throws IllegalStateException when the command's parser cannot be found or read
     */
    static Optional<CommandSyntax> of(Path root, LauncherCommand command) {
        return switch (command.kind()) {
            case JAVA -> Optional.of(ofMainClass(command));
            case SCRIPT -> Optional.of(ofScript(root.resolve(command.target())));
            case MAVEN -> Optional.empty();
            case USAGE, VERSION -> Optional.of(new CommandSyntax(Map.of(), false));
        };
    }

    private static CommandSyntax ofMainClass(LauncherCommand command) {
        String main = command.target();
        if (main.equals("dev.bitnet.runtime.cli.RuntimeCli")) {
            return new CommandSyntax(RuntimeCommandOptions.of(command.name()).orElseThrow(() -> new IllegalStateException(
                    "the launcher sends '" + command.name() + "' to RuntimeCli, which has no such command")), false);
        }
        Class<?> cls;
        try {
            cls = Class.forName(main);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the launcher's main class " + main + " of '" + command.name()
                    + "' is not on the test class path (a dependency of bitnet-doctest missing?)", e);
        }
        if (!cls.isAnnotationPresent(CommandLine.Command.class)) {
            throw new IllegalStateException(main + " (command '" + command.name() + "') is neither RuntimeCli nor a picocli"
                    + " command: teach CommandOptions to read its options");
        }
        CommandSpec top = CommandSpec.forAnnotatedObject(cls);
        CommandSpec spec;
        if (top.subcommands().isEmpty()) {
            spec = top; // e.g. BenchCli, which drops the leading command name itself
        } else if (top.subcommands().containsKey(command.name())) {
            spec = top.subcommands().get(command.name()).getCommandSpec();
        } else {
            throw new IllegalStateException("the launcher sends '" + command.name() + "' to " + main
                    + ", whose subcommands are " + top.subcommands().keySet());
        }
        Map<String, Integer> options = new TreeMap<>();
        for (OptionSpec o : spec.options()) {
            for (String name : o.names()) {
                options.put(name, o.arity().max());
            }
        }
        return new CommandSyntax(options, !spec.positionalParameters().isEmpty());
    }

    /** The options a script's argument loop has case arms for; an arm reading {@code $2} takes a value. */
    private static CommandSyntax ofScript(Path script) {
        List<String> lines;
        try {
            lines = Files.readAllLines(script, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + script, e);
        }
        Map<String, Integer> options = new TreeMap<>();
        for (String line : lines) {
            Matcher m = SCRIPT_OPTION_ARM.matcher(line);
            if (m.find()) {
                for (String name : m.group(1).split("\\|")) {
                    options.put(name, m.group(2).contains("$2") ? 1 : 0);
                }
            }
        }
        if (options.isEmpty()) {
            throw new IllegalStateException(script + ": no option arm such as '--name)' in its argument loop");
        }
        return new CommandSyntax(options, false);
    }
}
