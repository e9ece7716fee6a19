package dev.bitnet.core.format;

/**
 * How many metadata entries and tensors {@link Bit2File#open(java.nio.file.Path, boolean, Bit2Limits)}
 * accepts. Each costs the reader a few hundred bytes of heap for only a few bytes of file, so
 * without a bound a small file could make it retain hundreds of megabytes. The other sizes of a
 * file (names, values and tokens, the header) are capped by the format itself and cost memory
 * in proportion to the file.
 *
 * <p>{@link Bit2Writer} never writes more than the defaults, so every file it writes opens with
 * {@link #DEFAULTS}; raise a limit only to read a file from another writer.
 *
 * @param maxMetadataEntries metadata entries accepted, 0 to 2^20
 *                           (default {@value #MAX_METADATA_ENTRIES})
 * @param maxTensors         tensors accepted, 0 to 2^20 (default {@value #MAX_TENSORS})
 */
public record Bit2Limits(int maxMetadataEntries, int maxTensors) {

    /** Metadata entries a file may hold by default, and the most {@link Bit2Writer} writes. */
    public static final int MAX_METADATA_ENTRIES = 4096;
    /** Tensors a file may hold by default (a model of L layers has 6 + 18 L), and the most {@link Bit2Writer} writes. */
    public static final int MAX_TENSORS = 65_536;
    /** The default limits. */
    public static final Bit2Limits DEFAULTS = new Bit2Limits(MAX_METADATA_ENTRIES, MAX_TENSORS);

    /** @throws IllegalArgumentException if a limit is outside {@code [0, 1048576]} */
    public Bit2Limits {
        check("maxMetadataEntries", maxMetadataEntries);
        check("maxTensors", maxTensors);
    }

    private static void check(String name, int value) {
        if (value < 0 || value > Bit2Format.MAX_COUNT) {
            throw new IllegalArgumentException(name + " must be in [0, " + Bit2Format.MAX_COUNT + "], got " + value);
        }
    }
}
