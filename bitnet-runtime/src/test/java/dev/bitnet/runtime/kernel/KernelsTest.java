package dev.bitnet.runtime.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.System.Logger.Level;
import org.junit.jupiter.api.Test;

/** The provider's choice, as a function of the property, the module and the VM mode. */
class KernelsTest {

    private static final String JIT = "mixed mode, sharing";

    @Test
    void picksPanamaWhenTheModuleIsPresent() {
        assertThat(Kernels.select(null, true, JIT).panama()).isTrue();
        assertThat(Kernels.select("auto", true, JIT).panama()).isTrue();
    }

    @Test
    void forcedScalarWinsOverTheModule() {
        Kernels.Selection s = Kernels.select("scalar", true, JIT);
        assertThat(s.panama()).isFalse();
        assertThat(s.level()).isEqualTo(Level.INFO);
        assertThat(s.message()).contains("-Dbitnet.kernels=scalar");
    }

    @Test
    void withoutTheModuleFallsBackAndSaysHowToEnableIt() {
        Kernels.Selection s = Kernels.select(null, false, JIT);
        assertThat(s.panama()).isFalse();
        assertThat(s.level()).isEqualTo(Level.WARNING);
        assertThat(s.message()).contains("--add-modules jdk.incubator.vector");
    }

    @Test
    void interpretedJvmUsesScalar() {
        assertThat(Kernels.select(null, true, "interpreted mode, sharing").panama()).isFalse();
    }

    @Test
    void unknownPropertyValueIsOneClearError() {
        assertThatThrownBy(() -> Kernels.select("vectr", true, JIT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("system property bitnet.kernels must be 'auto' or 'scalar', got 'vectr'");
    }

    @Test
    void thisJvmPicksPanama() {
        // Surefire adds the module and does not set the property.
        assertThat(Kernels.preferred().name()).startsWith("vector-");
        assertThat(Kernels.scalar().name()).isEqualTo("scalar");
    }
}
