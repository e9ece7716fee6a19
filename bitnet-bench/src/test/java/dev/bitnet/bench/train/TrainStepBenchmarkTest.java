package dev.bitnet.bench.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.train.loop.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The benchmark's trainer really trains, and its trial sets up, updates, checks and cleans up as JMH would run it. */
class TrainStepBenchmarkTest {

    @BeforeAll
    static void onePyTorchThread() {
        // Every test here runs on one thread; the engine reads the count once, when it starts.
        RandomTokenTraining.startEngine(1);
    }

    @Test
    void aRepeatedBatchIsLearned() throws Exception {
        ModelConfig model = ModelConfig.preset("tiny").withContext(64);
        // context + 1 tokens: every row of every update is the same window.
        try (RandomTokenTraining t = RandomTokenTraining.start(model, TrainStepBenchmark.config(10, 4, 1), 65)) {
            Map<String, Double> before = t.latentFingerprint();
            List<Double> losses = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Trainer.StepResult r = t.step();
                assertThat(r.skipped()).isNull();
                assertThat(r.loss()).isFinite();
                losses.add(r.loss());
            }
            System.out.println("tiny 4 x 64, one window repeated: losses " + losses);
            // Random byte tokens start near ln 256 = 5.55; one memorised window falls well below.
            assertThat(losses.getFirst()).isBetween(4.5, 7.0);
            assertThat(losses.getLast()).isLessThan(losses.getFirst() - 0.8);
            Map<String, Double> after = t.latentFingerprint();
            assertThat(after).hasSameSizeAs(before).hasSizeGreaterThan(4);
            before.forEach((name, fingerprint) -> assertThat(after.get(name)).as(name).isNotEqualTo(fingerprint));
        }
    }

    @Test
    void tinyTrialRunsAnUpdateAndCleansUp() throws Exception {
        TrainStepBenchmark.Tiny state = new TrainStepBenchmark.Tiny();
        state.threads = 1;
        state.setup();
        Path dir = state.training.directory();
        assertThat(dir).isDirectory();
        double loss = new TrainStepBenchmark().tiny(state);
        assertThat(loss).isFinite().isPositive();
        state.check();
        assertThat(dir).doesNotExist();
    }

    @Test
    void anEngineAlreadyRunningWithOtherThreadsIsRefused() {
        // Sets the properties, but the engine started with one thread in @BeforeAll.
        try {
            assertThatThrownBy(() -> RandomTokenTraining.startEngine(2))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not the 2 asked for");
        } finally {
            RandomTokenTraining.startEngine(1);
        }
    }
}
