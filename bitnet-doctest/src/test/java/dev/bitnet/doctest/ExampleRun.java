package dev.bitnet.doctest;

/**
 * How a compiled documentation example ended.
 *
 * @param exitCode the JVM's exit code
 * @param stdout   what it printed to stdout
 * @param stderr   what it printed to stderr
 */
record ExampleRun(int exitCode, String stdout, String stderr) {
}
