package dev.bitnet.doctest;

/**
 * One command of the {@code bitnet} launcher script.
 *
 * @param name   what is typed after {@code ./bitnet}
 * @param kind   how the launcher runs it
 * @param target the main class ({@link Kind#JAVA}) or the script path from the root ({@link Kind#SCRIPT}); "" otherwise
 */
record LauncherCommand(String name, Kind kind, String target) {

    /** How the launcher runs a command. */
    enum Kind {
        /** A main class, with the command name as its first argument. */
        JAVA,
        /** A shell script of the repository. */
        SCRIPT,
        /** {@code mvn verify}, which gets the remaining arguments. */
        MAVEN,
        /** The launcher's own usage text. */
        USAGE,
        /** The launcher's own version line. */
        VERSION
    }
}
