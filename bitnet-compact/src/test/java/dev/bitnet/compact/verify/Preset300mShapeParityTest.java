package dev.bitnet.compact.verify;

import dev.bitnet.core.config.ModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Parity on a random, perturbed model of the {@code 300m} widths with 2 layers (see {@link PresetShapeParity}). */
class Preset300mShapeParityTest {

    @Test
    void randomModelOfThe300mWidths(@TempDir Path dir) throws Exception {
        ModelConfig p = ModelConfig.preset("300m");
        PresetShapeParity.check(new ModelConfig(p.vocabSize(), p.dModel(), 2, p.nHeads(), p.dFf(), p.context(),
                p.tokenizer()), dir);
    }
}
