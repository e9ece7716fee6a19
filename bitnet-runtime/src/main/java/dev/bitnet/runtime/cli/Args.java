package dev.bitnet.runtime.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parsed options of one command: {@code --name value}, {@code --name=value} or a bare
 * {@code --flag}. Options taking a value may repeat ({@link #all}); anything not declared is an error.
 */
final class Args {

    private final String command;
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private Args(String command) {
        this.command = command;
    }

    /**
     * Parses {@code args} against the declared options.
     *
     * @param valued names (without {@code --}) of options that take a value
     * @param flags  names of options that take none
     */
    static Args parse(String command, List<String> args, Set<String> valued, Set<String> flags) throws UsageException {
        Args a = new Args(command);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name)) {
                if (value != null) {
                    throw new UsageException("--" + name + " takes no value");
                }
                value = "true";
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    value = args.get(++i);
                }
            } else {
                throw new UsageException("unknown option --" + name);
            }
            a.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return a;
    }

    /** The command these options belong to. */
    String command() {
        return command;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** The last value given for an option, or null. */
    String get(String name) {
        List<String> v = values.get(name);
        return v == null ? null : v.get(v.size() - 1);
    }

    /** Every value given for a repeatable option. */
    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    int intValue(String name, int fallback) throws UsageException {
        String v = get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + ": expected an integer, got '" + v + "'");
        }
    }

    long longValue(String name) throws UsageException {
        String v = get(name);
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + ": expected an integer, got '" + v + "'");
        }
    }

    float floatValue(String name, float fallback) throws UsageException {
        String v = get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Float.parseFloat(v.strip());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + ": expected a number, got '" + v + "'");
        }
    }
}
