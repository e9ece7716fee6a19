package dev.bitnet.doctest;

import java.util.Map;

/**
 * What a command accepts on its command line.
 *
 * @param options     each option with its dashes, mapped to the most values it takes after it
 *                    (0 for a flag, {@link Integer#MAX_VALUE} for a list such as train's {@code --data})
 * @param positionals whether it takes arguments that are not options
 */
record CommandSyntax(Map<String, Integer> options, boolean positionals) {
}
