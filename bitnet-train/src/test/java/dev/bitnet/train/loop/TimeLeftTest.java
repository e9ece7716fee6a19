package dev.bitnet.train.loop;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The ETA from given update end times (no clock is read). */
class TimeLeftTest {

    private static final long S = 1_000_000_000L;

    @Test
    void leavesOutTheSlowFirstUpdateAndAveragesTheRest() {
        TimeLeft t = new TimeLeft();
        t.updateEnded(100 * S);                      // the first update: engine start and compilation
        assertThat(t.seconds(10)).isNaN();
        t.updateEnded(102 * S);
        assertThat(t.seconds(10)).isCloseTo(20, within(1e-9));
        t.updateEnded(106 * S);                      // 2 s then 4 s: the plain mean while the average is young
        assertThat(t.seconds(10)).isCloseTo(10 * (0.9 * 0.1 * 2 + 0.1 * 4) / (1 - 0.81), within(1e-9));
    }

    @Test
    void followsAChangeOfPaceAndSpreadsAnEvaluationOverTheUpdates() {
        TimeLeft t = new TimeLeft();
        long now = 0;
        t.updateEnded(now);
        for (int i = 0; i < 200; i++) {
            t.updateEnded(now += 3 * S);
        }
        assertThat(t.seconds(100)).isCloseTo(300, within(1e-6));
        t.updateEnded(now += 30 * S);                // an evaluation after the update: one long interval
        assertThat(t.seconds(100)).isCloseTo(300 + 100 * 0.1 * 27, within(1e-6));
        for (int i = 0; i < 200; i++) {
            t.updateEnded(now += S);                 // the machine got quieter
        }
        assertThat(t.seconds(100)).isCloseTo(100, within(1e-3));
    }
}
