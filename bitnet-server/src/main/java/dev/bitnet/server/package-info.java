/**
 * An OpenAI-compatible HTTP server and web chat page on the embedded runtime:
 * {@link dev.bitnet.server.BitNetServer}, configured by {@link dev.bitnet.server.ServerOptions}.
 * Built on the JDK's {@code com.sun.net.httpserver}; request and response bodies with Gson.
 */
package dev.bitnet.server;
