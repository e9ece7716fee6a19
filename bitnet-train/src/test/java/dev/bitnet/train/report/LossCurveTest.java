package dev.bitnet.train.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class LossCurveTest {

    /**
     * A metrics.jsonl as the trainer writes it: 400 updates of 4,096 tokens whose loss falls
     * from ln 256 nats towards 2.6 with noise, an evaluation every 50 updates, one skipped
     * update and the torn last line of a killed run.
     */
    private static Path metrics(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        for (int step = 1; step <= 400; step++) {
            long tokens = step * 4096L;
            double loss = 1.8 + (Math.log(256) - 1.8) * Math.exp(-step / 60.0) + 0.1 * rnd.nextGaussian();
            if (step == 123) {
                lines.add(String.format(Locale.ROOT, "{\"step\":%d,\"tokens\":%d,\"skipped\":\"non-finite loss NaN\","
                        + "\"lr\":0.005,\"tau\":0.9,\"tokens_per_s\":1400.0,\"rss_mb\":2500.0,\"elapsed_s\":%.1f}",
                        step, tokens, step * 3.0));
            } else {
                lines.add(String.format(Locale.ROOT, "{\"step\":%d,\"tokens\":%d,\"loss\":%.6f,\"lr\":0.005,"
                        + "\"tau\":0.9,\"grad_norm\":0.8,\"tokens_per_s\":1400.0,\"rss_mb\":2500.0,\"elapsed_s\":%.1f}",
                        step, tokens, loss, step * 3.0));
            }
            if (step % 50 == 0) {
                double valLoss = 2.0 + (Math.log(256) - 2.0) * Math.exp(-step / 80.0);
                lines.add(String.format(Locale.ROOT, "{\"step\":%d,\"tokens\":%d,\"val_loss\":%.6f,"
                        + "\"val_bits_per_token\":%.6f,\"val_bits_per_byte\":%.6f,\"elapsed_s\":%.1f}",
                        step, tokens, valLoss, valLoss / Math.log(2), valLoss / Math.log(2), step * 3.0));
            }
        }
        lines.add("{\"step\":401,\"tokens\":1642");
        Path file = dir.resolve("metrics.jsonl");
        Files.write(file, lines);
        return file;
    }

    @Test
    void historyReadsTrainingLossInBitsAndValidationBitsPerByteSkippingSkippedAndTornLines(@TempDir Path dir)
            throws IOException {
        MetricsHistory h = MetricsHistory.read(metrics(dir));
        assertThat(h.training()).hasSize(399);
        assertThat(h.validation()).hasSize(8);
        assertThat(h.validation().getLast().tokens()).isEqualTo(400 * 4096L);
        assertThat(h.training().getFirst().value()).isBetween(7.0, 8.5); // ~ln 256 nats = 8 bits
        assertThat(MetricsHistory.read(dir.resolve("none.jsonl")).isEmpty()).isTrue();
    }

    @Test
    void drawsBothCurvesInThePlotAreaAndReplacesThePictureAtomically(@TempDir Path dir) throws IOException {
        Path file = metrics(dir);
        Path png = LossCurve.write(file, "tiny-test | tiny, ctx 256, 1-bit");
        assertThat(png).isEqualTo(dir.resolve(LossCurve.FILE));
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(LossCurve.WIDTH);
        assertThat(image.getHeight()).isEqualTo(LossCurve.HEIGHT);
        int val = count(image, LossCurve.PLOT, LossCurve.VALIDATION);
        int mean = count(image, LossCurve.PLOT, LossCurve.TRAINING_MEAN);
        int raw = count(image, LossCurve.PLOT, LossCurve.TRAINING_RAW);
        System.out.printf("curve pixels: validation %d, running mean %d, raw %d%n", val, mean, raw);
        // 8 points of 8 px diameter at least, and lines across most of the plot's width.
        assertThat(val).isGreaterThan(8 * 30);
        assertThat(mean).isGreaterThan(LossCurve.PLOT.width);
        assertThat(raw).isGreaterThan(LossCurve.PLOT.width);
        // The validation curve spans the x range of the evaluations: 50 to 400 updates of 0..400.
        int[] xs = xRange(image, LossCurve.PLOT, LossCurve.VALIDATION);
        assertThat(xs[0]).isLessThan(LossCurve.PLOT.x + LossCurve.PLOT.width / 5);
        assertThat(xs[1]).isGreaterThan(LossCurve.PLOT.x + LossCurve.PLOT.width * 3 / 4);

        // Redrawn with more history: the file is replaced, no temporary file is left.
        Files.writeString(file, "{\"step\":401,\"tokens\":1642496,\"val_loss\":1.5,\"val_bits_per_token\":2.1,"
                + "\"val_bits_per_byte\":2.1,\"elapsed_s\":1203.0}\n", java.nio.file.StandardOpenOption.APPEND);
        LossCurve.write(file, "tiny-test");
        assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(LossCurve.WIDTH);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("metrics.jsonl",
                    LossCurve.FILE);
        }
    }

    @Test
    void emptyAndOnePointHistoriesDrawWithoutCurvesOrWithOnePoint(@TempDir Path dir) throws IOException {
        Path empty = dir.resolve("metrics.jsonl");
        BufferedImage none = ImageIO.read(LossCurve.write(empty, "new-run").toFile());
        assertThat(none.getWidth()).isEqualTo(LossCurve.WIDTH);
        assertThat(count(none, LossCurve.PLOT, LossCurve.VALIDATION)).isZero();
        assertThat(count(none, LossCurve.PLOT, LossCurve.TRAINING_MEAN)).isZero();

        BufferedImage one = LossCurve.render(new MetricsHistory(List.of(new MetricsHistory.Point(4096, 7.9)),
                List.of(new MetricsHistory.Point(4096, 7.5))), "one-step");
        assertThat(count(one, LossCurve.PLOT, LossCurve.VALIDATION)).isPositive();
    }

    @Test
    void tickLabelsAndStepsAreRound() {
        assertThat(LossCurve.tokens(0)).isEqualTo("0");
        assertThat(LossCurve.tokens(500)).isEqualTo("500");
        assertThat(LossCurve.tokens(250_000)).isEqualTo("250k");
        assertThat(LossCurve.tokens(1_000_000)).isEqualTo("1M");
        assertThat(LossCurve.tokens(1_500_000)).isEqualTo("1.5M");
        assertThat(LossCurve.tokens(1_228_800)).isEqualTo("1.23M");
        assertThat(LossCurve.tokens(2_000_000_000L)).isEqualTo("2G");
        assertThat(LossCurve.niceStep(3_276_800, 8)).isEqualTo(500_000);
        assertThat(LossCurve.niceStep(4.4, 6)).isEqualTo(1);
        assertThat(LossCurve.niceStep(0.1, 6)).isEqualTo(0.02, org.assertj.core.data.Offset.offset(1e-12));
        double[] mean = LossCurve.runningMean(List.of(new MetricsHistory.Point(1, 1), new MetricsHistory.Point(2, 3)));
        assertThat(mean).containsExactly(1, 3); // fewer than 100 updates: no smoothing
    }

    /** Pixels inside {@code area} within a small distance of {@code c} (anti-aliasing blends edges). */
    private static int count(BufferedImage image, Rectangle area, Color c) {
        int n = 0;
        for (int y = area.y + 1; y < area.y + area.height; y++) {
            for (int x = area.x + 1; x < area.x + area.width; x++) {
                if (near(image.getRGB(x, y), c)) {
                    n++;
                }
            }
        }
        return n;
    }

    private static int[] xRange(BufferedImage image, Rectangle area, Color c) {
        int lo = Integer.MAX_VALUE;
        int hi = Integer.MIN_VALUE;
        for (int y = area.y + 1; y < area.y + area.height; y++) {
            for (int x = area.x + 1; x < area.x + area.width; x++) {
                if (near(image.getRGB(x, y), c)) {
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
            }
        }
        return new int[] {lo, hi};
    }

    private static boolean near(int rgb, Color c) {
        Color p = new Color(rgb);
        return Math.abs(p.getRed() - c.getRed()) + Math.abs(p.getGreen() - c.getGreen())
                + Math.abs(p.getBlue() - c.getBlue()) <= 24;
    }
}
