/** The {@code serve} and {@code serve-bench} commands of the {@code bitnet} launcher (picocli). */
package dev.bitnet.server.cli;
