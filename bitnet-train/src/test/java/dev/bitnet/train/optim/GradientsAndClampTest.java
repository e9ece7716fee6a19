package dev.bitnet.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GradientsAndClampTest {

    @Test
    void globalNormIsTheNormOfAllGradientsTogether() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {3f, 0f, -4f});
            NDArray b = m.create(new float[][] {{12f}, {0f}});
            assertThat(Gradients.globalNorm(List.of(a, b))).isCloseTo(13f, within(1e-5f));
            assertThat(m.getManagedArrays()).hasSize(2); // temporaries freed
        }
    }

    @Test
    void clipScaleBringsTheNormDownToTheLimitOnly() {
        assertThat(Gradients.clipScale(13, 1)).isCloseTo(1 / 13.0, within(1e-15));
        assertThat(Gradients.clipScale(0.5, 1)).isEqualTo(1.0);
        assertThat(Gradients.clipScale(1, 1)).isEqualTo(1.0);
        assertThat(Gradients.clipScale(100, 0)).isEqualTo(1.0);
    }

    @Test
    void latentClampWritesExactBoundsInPlaceAndLeavesNothingBehind() {
        try (NDManager root = NDManager.newBaseManager()) {
            NDArray w = root.create(new float[][] {{0.5f, -1.25f, 1.0000001f}, {-0.999f, 7f, -1f}});
            w.setRequiresGradient(true);
            try (NDManager step = root.newSubManager()) {
                LatentClamp.apply(List.of(w), step);
            }
            assertThat(w.toFloatArray()).containsExactly(0.5f, -1f, 1f, -0.999f, 1f, -1f);
            assertThat(root.getManagedArrays()).hasSize(1);
        }
    }
}
