package dev.bitnet.compact.verify;

import dev.bitnet.core.config.ModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Parity on a random, perturbed model of the {@code 75m} preset (see {@link PresetShapeParity}). */
class Preset75mParityTest {

    @Test
    void randomModelOfThe75mPreset(@TempDir Path dir) throws Exception {
        PresetShapeParity.check(ModelConfig.preset("75m"), dir);
    }
}
