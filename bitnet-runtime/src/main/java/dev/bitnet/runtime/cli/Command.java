package dev.bitnet.runtime.cli;

import java.util.Set;

/** One command of {@link RuntimeCli}. */
interface Command {

    /** The name typed on the command line. */
    String name();

    /** One line for the command list. */
    String summary();

    /** The full {@code --help} text. */
    String help();

    /** Options that take a value. */
    Set<String> valued();

    /** Options that take none ({@code --help} and {@code --version} are always accepted). */
    Set<String> flags();

    /**
     * Runs the command; returns the exit code. Bad input is thrown as {@link UsageException} (or
     * one of the clear exceptions {@link RuntimeCli} reports), a failure as {@link CommandFailure}.
     */
    int run(Args args, Io io) throws Exception;
}
