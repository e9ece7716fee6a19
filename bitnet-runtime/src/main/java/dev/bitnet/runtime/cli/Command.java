package dev.bitnet.runtime.cli;

import java.io.BufferedReader;
import java.io.PrintStream;
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

    /** Options that take none ({@code --help} is always accepted). */
    Set<String> flags();

    /** Runs the command; returns the exit code. Bad input is thrown as {@link UsageException} or one of the clear exceptions {@link RuntimeCli} reports. */
    int run(Args args, BufferedReader in, PrintStream out, PrintStream err) throws Exception;
}
