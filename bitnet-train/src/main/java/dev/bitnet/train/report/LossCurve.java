package dev.bitnet.train.report;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.train.loop.MetricsWriter;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The loss-curve picture of a run, {@code loss.png} beside {@code metrics.jsonl}: the training
 * loss in bits per token (light, the raw value of every update, with a running mean over about
 * 2 % of the updates on top) and the validation bits per byte (points joined by a line: the
 * headline figure), against the training tokens. The title names the run and the last
 * validation figure.
 *
 * <p>A run keeps its picture up to date with {@link #redraw()} (after every evaluation and at the
 * end); the static {@link #write} and {@link #render} draw any {@code metrics.jsonl}.
 *
 * <p>Drawn with {@link BufferedImage} and {@link Graphics2D} only, which need no display (the
 * JDK runs headless when {@code DISPLAY} is unset), and written with {@link ImageIO}. Text needs
 * fonts: on a machine without any the JDK cannot draw it (nor can charting libraries drawn with
 * AWT, XChart included), and {@link #redraw()} warns once.
 */
public final class LossCurve {

    /** File name inside the run directory. */
    public static final String FILE = "loss.png";
    /** Picture width in pixels. */
    public static final int WIDTH = 960;
    /** Picture height in pixels. */
    public static final int HEIGHT = 540;
    /** The plot area: axes, curves and nothing else (title and legend are above it). */
    static final Rectangle PLOT = new Rectangle(76, 64, WIDTH - 76 - 24, HEIGHT - 64 - 56);
    /** Raw training loss of each update. */
    static final Color TRAINING_RAW = new Color(0xC6DBEF);
    /** Running mean of the training loss. */
    static final Color TRAINING_MEAN = new Color(0x2171B5);
    /** Validation bits per byte. */
    static final Color VALIDATION = new Color(0xD94801);

    private static final Color GRID = new Color(0xE6E6E6);
    private static final Color TEXT = new Color(0x333333);
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 14);

    private final Path runDir;
    private final String title;
    private final Consumer<String> warnings;
    private boolean warned;
    private Path picture;

    /**
     * The picture of a run, {@code runDir/loss.png}.
     *
     * @param title    the run's name for the title, e.g. {@link #title(Path, ModelConfig, boolean)}
     * @param warnings where the one warning goes when the picture cannot be drawn (the console)
     */
    public LossCurve(Path runDir, String title, Consumer<String> warnings) {
        this.runDir = runDir;
        this.title = title;
        this.warnings = warnings;
    }

    /** The title of a run's curve: the run directory's name, the preset (or shape) and the kind of model. */
    public static String title(Path runDir, ModelConfig m, boolean floatAblation) {
        Path name = runDir.toAbsolutePath().normalize().getFileName();
        String shape = m.presetName().orElseGet(() -> String.format(Locale.ROOT, "V %d, d %d, L %d, H %d, F %d",
                m.vocabSize(), m.dModel(), m.nLayers(), m.nHeads(), m.dFf()));
        return (name == null ? runDir.toString() : name.toString()) + " | " + shape + ", ctx " + m.context() + ", "
                + (floatAblation ? "float twin" : "1-bit");
    }

    /**
     * Redraws the picture from the whole {@code metrics.jsonl} (a resumed run's history included).
     * The picture is a convenience: a failure costs one warning line (the first time), never the run.
     *
     * @return the picture, or {@code null} if it could not be drawn
     */
    public Path redraw() {
        try {
            picture = write(runDir.resolve(MetricsWriter.FILE), title);
        } catch (Exception | Error e) {
            // Also Errors: AWT reports missing fonts or native libraries with them.
            picture = null;
            if (!warned) {
                warned = true;
                warnings.accept("warning: cannot draw " + runDir.resolve(FILE) + " (training goes on): " + e);
            }
        }
        return picture;
    }

    /** The picture as the last {@link #redraw()} left it, or {@code null} if it could not be drawn (or was not yet). */
    public Path picture() {
        return picture;
    }

    /**
     * Redraws {@code loss.png} beside a {@code metrics.jsonl} from its whole content, atomically
     * (a temporary file moved into place, so a reader never sees half a picture).
     *
     * @param metricsFile the run's {@code metrics.jsonl}
     * @param label       the run's name for the title, e.g. {@code "tiny-1bit | tiny, 1-bit"}
     * @return the picture's path
     */
    public static Path write(Path metricsFile, String label) throws IOException {
        BufferedImage image = render(MetricsHistory.read(metricsFile), label);
        Path target = metricsFile.resolveSibling(FILE);
        Path tmp = metricsFile.resolveSibling("." + FILE + ".tmp");
        try {
            if (!ImageIO.write(image, "png", tmp.toFile())) {
                throw new IOException("this JDK has no PNG writer");
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    /** Draws the picture ({@link #WIDTH} x {@link #HEIGHT}); an empty history gives empty axes. */
    public static BufferedImage render(MetricsHistory h, String label) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            List<MetricsHistory.Point> train = h.training();
            List<MetricsHistory.Point> val = h.validation();
            double[] mean = runningMean(train);
            g.setFont(TITLE_FONT);
            g.setColor(TEXT);
            g.drawString(title(label, val), PLOT.x, 24);
            g.setFont(FONT);
            int x = legend(g, PLOT.x, TRAINING_RAW, TRAINING_MEAN, "training loss, bits/token (each update, running mean)");
            legend(g, x + 24, VALIDATION, VALIDATION, "validation, bits/byte");
            Axes a = Axes.of(h, mean);
            grid(g, a);
            if (h.isEmpty()) {
                String s = "no metrics yet";
                g.drawString(s, PLOT.x + (PLOT.width - g.getFontMetrics().stringWidth(s)) / 2, PLOT.y + PLOT.height / 2);
                return image;
            }
            g.setClip(PLOT);
            polyline(g, a, train, train.stream().mapToDouble(MetricsHistory.Point::value).toArray(), TRAINING_RAW, 1f);
            polyline(g, a, train, mean, TRAINING_MEAN, 2f);
            polyline(g, a, val, val.stream().mapToDouble(MetricsHistory.Point::value).toArray(), VALIDATION, 2.5f);
            for (MetricsHistory.Point p : val) {
                g.fill(new Ellipse2D.Double(a.x(p.tokens()) - 4, a.y(p.value()) - 4, 8, 8));
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** The axes: tokens {@code [0, xHi]} in steps of {@code xStep}, bits {@code [yLo, yHi]} in steps of {@code yStep}, mapped onto {@link #PLOT}. */
    private record Axes(double xHi, double xStep, double yLo, double yHi, double yStep) {

        /**
         * Ranges that hold the running mean and the validation points (raw spikes may leave the
         * plot). The first updates' loss (8 bits and more) would flatten the rest: from 20 updates
         * on, the top ignores the first 5 % of them and their curve enters from above.
         */
        static Axes of(MetricsHistory h, double[] mean) {
            List<MetricsHistory.Point> train = h.training();
            long maxTokens = 1;
            double lo = h.isEmpty() ? 0 : Double.POSITIVE_INFINITY;
            double hi = h.isEmpty() ? 8 : Double.NEGATIVE_INFINITY;
            int skipTop = train.size() >= 20 ? train.size() / 20 : 0;
            for (int i = 0; i < train.size(); i++) {
                maxTokens = Math.max(maxTokens, train.get(i).tokens());
                lo = Math.min(lo, mean[i]);
                hi = i >= skipTop ? Math.max(hi, mean[i]) : hi;
            }
            for (MetricsHistory.Point p : h.validation()) {
                maxTokens = Math.max(maxTokens, p.tokens());
                lo = Math.min(lo, p.value());
                hi = Math.max(hi, p.value());
            }
            double pad = Math.max(0.05 * (hi - lo), 0.05);
            double yStep = niceStep(hi - lo + 2 * pad, 6);
            double xStep = niceStep(maxTokens, 10);
            return new Axes(Math.ceil(maxTokens / xStep) * xStep, xStep, Math.max(0, Math.floor((lo - pad) / yStep) * yStep),
                    Math.ceil((hi + pad) / yStep) * yStep, yStep);
        }

        double x(double tokens) {
            return PLOT.x + tokens / xHi * PLOT.width;
        }

        double y(double bits) {
            return PLOT.y + PLOT.height - (bits - yLo) / (yHi - yLo) * PLOT.height;
        }
    }

    private static String title(String label, List<MetricsHistory.Point> val) {
        if (val.isEmpty()) {
            return label + " | no validation yet";
        }
        MetricsHistory.Point last = val.getLast();
        return String.format(Locale.ROOT, "%s | val %.3f bits/byte at %s tokens", label, last.value(), tokens(last.tokens()));
    }

    /** A legend entry at {@code x}: a short line, light then dark, and the text; returns where the text ends. */
    private static int legend(Graphics2D g, int x, Color light, Color dark, String text) {
        int y = 42;
        g.setStroke(new BasicStroke(4f));
        g.setColor(light);
        g.drawLine(x, y, x + 10, y);
        g.setColor(dark);
        g.drawLine(x + 10, y, x + 20, y);
        g.setColor(TEXT);
        g.drawString(text, x + 26, y + 4);
        return x + 26 + g.getFontMetrics().stringWidth(text);
    }

    /** Grid lines and tick labels of both axes, the frame, and the axis titles. */
    private static void grid(Graphics2D g, Axes a) {
        FontMetrics fm = g.getFontMetrics();
        g.setStroke(new BasicStroke(1f));
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(a.yStep()) + 1e-9));
        for (int i = 0; a.yLo() + i * a.yStep() <= a.yHi() + a.yStep() / 2; i++) {
            double v = a.yLo() + i * a.yStep();
            int y = (int) Math.round(a.y(v));
            g.setColor(GRID);
            g.drawLine(PLOT.x, y, PLOT.x + PLOT.width, y);
            g.setColor(TEXT);
            String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
            g.drawString(s, PLOT.x - 8 - fm.stringWidth(s), y + fm.getAscent() / 2 - 1);
        }
        for (int i = 0; i * a.xStep() <= a.xHi() + a.xStep() / 2; i++) {
            int x = (int) Math.round(a.x(i * a.xStep()));
            g.setColor(GRID);
            g.drawLine(x, PLOT.y, x, PLOT.y + PLOT.height);
            g.setColor(TEXT);
            String s = tokens(Math.round(i * a.xStep()));
            g.drawString(s, x - fm.stringWidth(s) / 2, PLOT.y + PLOT.height + 18);
        }
        g.drawRect(PLOT.x, PLOT.y, PLOT.width, PLOT.height);
        String xLabel = "training tokens";
        g.drawString(xLabel, PLOT.x + (PLOT.width - fm.stringWidth(xLabel)) / 2, HEIGHT - 12);
        Graphics2D r = (Graphics2D) g.create();
        r.rotate(-Math.PI / 2);
        r.drawString("bits", -(PLOT.y + (PLOT.height + fm.stringWidth("bits")) / 2), 20);
        r.dispose();
    }

    private static void polyline(Graphics2D g, Axes a, List<MetricsHistory.Point> points, double[] values, Color color,
                                 float width) {
        if (points.isEmpty()) {
            return;
        }
        Path2D.Double path = new Path2D.Double();
        path.moveTo(a.x(points.getFirst().tokens()), a.y(values[0]));
        for (int i = 1; i < points.size(); i++) {
            path.lineTo(a.x(points.get(i).tokens()), a.y(values[i]));
        }
        g.setColor(color);
        g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(path);
    }

    /** Centred running mean over {@code 2k + 1} updates, {@code k} about 1 % of them (shorter at the ends). */
    static double[] runningMean(List<MetricsHistory.Point> points) {
        int n = points.size();
        int k = n / 100;
        double[] prefix = new double[n + 1];
        for (int i = 0; i < n; i++) {
            prefix[i + 1] = prefix[i] + points.get(i).value();
        }
        double[] mean = new double[n];
        for (int i = 0; i < n; i++) {
            int from = Math.max(0, i - k);
            int to = Math.min(n, i + k + 1);
            mean[i] = (prefix[to] - prefix[from]) / (to - from);
        }
        return mean;
    }

    /** A step of 1, 2 or 5 times a power of ten giving at most about {@code ticks} intervals over {@code span}. */
    static double niceStep(double span, int ticks) {
        double raw = span / ticks;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5}) {
            if (m * magnitude >= raw * (1 - 1e-9)) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    /** Token counts as tick labels: {@code 0}, {@code 500}, {@code 250k}, {@code 1M}, {@code 1.5M}, {@code 2G}. */
    static String tokens(long n) {
        int unit = n >= 1_000_000_000L ? 3 : n >= 1_000_000L ? 2 : n >= 1_000L ? 1 : 0;
        return unit == 0 ? Long.toString(n) : BigDecimal.valueOf(n / Math.pow(1000, unit)).setScale(2, RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString() + "kMG".charAt(unit - 1);
    }
}
