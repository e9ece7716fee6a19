package dev.bitnet.train.cli;

/**
 * Logging set-up shared by the command lines that run DJL (train, compact): DJL logs through
 * SLF4J, and its INFO lines would break progress output while its warnings should still show.
 */
public final class DjlLogging {

    private DjlLogging() {
    }

    /** Sets slf4j-simple to warnings only, unless the user chose a level; call before DJL loads. */
    public static void quiet() {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
            // Probing CUDA warns on every CPU-only machine; --device gpu reports a missing GPU itself.
            System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
        }
    }
}
