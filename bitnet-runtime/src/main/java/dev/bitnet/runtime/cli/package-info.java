/** The {@code bitnet generate | chat | eval | info} command line ({@link dev.bitnet.runtime.cli.RuntimeCli}). */
package dev.bitnet.runtime.cli;
