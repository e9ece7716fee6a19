package dev.bitnet.runtime.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The options {@link RuntimeCli}'s commands accept, as {@link Args#parse} gets them from each
 * command's {@code valued()} and {@code flags()}. It lives in the runtime's package (a split
 * package, fine on the class path) because {@link Command} is package-private.
 */
public final class RuntimeCommandOptions {

    private static final List<Command> COMMANDS = List.of(new GenerateCommand(), new ChatCommand(),
            new EvalCommand(), new InfoCommand());
    private static final Pattern USAGE_LINE = Pattern.compile("^  (\\S+)\\s{2,}\\S.*$", Pattern.MULTILINE);

    private RuntimeCommandOptions() {
    }

    /**
     * The options of {@code command}, each with its dashes ({@code --model}, {@code --help}, {@code --version}) and
     * the number of values it takes (0 or 1), or empty when {@link RuntimeCli} has no such command.
     * The commands take no positional arguments.
     *
     * @throws IllegalStateException when RuntimeCli lists commands this class does not know (a new command)
     */
    public static Optional<Map<String, Integer>> of(String command) {
        Set<String> known = COMMANDS.stream().map(Command::name).collect(Collectors.toCollection(TreeSet::new));
        Set<String> listed = listedCommands();
        if (!listed.equals(known)) {
            throw new IllegalStateException("RuntimeCli's usage lists the commands " + listed + " but RuntimeCommandOptions knows "
                    + known + ": add the new command to its list");
        }
        return COMMANDS.stream().filter(c -> c.name().equals(command)).findFirst().map(c -> {
            Map<String, Integer> options = new TreeMap<>();
            options.put("--help", 0);
            options.put("--version", 0);
            c.valued().forEach(o -> options.put("--" + o, 1));
            c.flags().forEach(o -> options.put("--" + o, 0));
            return options;
        });
    }

    /** The command names RuntimeCli's own usage text lists. */
    private static Set<String> listedCommands() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        RuntimeCli.run(new String[] {"help"}, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        Set<String> names = new TreeSet<>();
        Matcher m = USAGE_LINE.matcher(err.toString(StandardCharsets.UTF_8) + out.toString(StandardCharsets.UTF_8));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
