package dev.bitnet.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of the bitnet modules, from the Maven build ({@code version.properties}, filtered
 * from the POM), so that every command's {@code --version} and the launcher say the same.
 */
public final class Version {

    private static final String VERSION = read();

    private Version() {
    }

    /** The project version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String get() {
        return VERSION;
    }

    /** What {@code --version} prints: {@code bitnet 0.1.0-SNAPSHOT}. */
    public static String line() {
        return "bitnet " + VERSION;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from bitnet-core's classes");
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version");
            if (v == null || v.isBlank() || v.startsWith("${")) {
                throw new IllegalStateException("version.properties was not filtered by Maven: version=" + v);
            }
            return v;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bitnet-core's version.properties", e);
        }
    }
}
