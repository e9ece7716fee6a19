package dev.bitnet.bench.regression;

import dev.bitnet.bench.kernel.RooflineBenchmark;
import dev.bitnet.bench.regression.Report.AbsoluteChange;
import dev.bitnet.bench.regression.Report.RatioVerdict;
import dev.bitnet.bench.regression.Report.Verdict;
import dev.bitnet.bench.roofline.Roofline;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The report as the tables {@code ./bitnet bench} prints. */
public final class ReportText {

    private ReportText() {}

    /** The ratio table, the absolute table with its caveat, notes, and the one-line verdict. */
    public static String render(Report report) {
        StringBuilder out = new StringBuilder();
        int percent = (int) Math.round(report.threshold() * 100);
        out.append("RATIOS measured within this run (speed-up of the first over the second; ")
                .append(!report.hasBaseline() ? "no baseline given"
                        : report.otherCpu() != null ? "compared with a baseline from another CPU, not judged"
                        : "judged against the baseline, threshold " + percent + "%")
                .append(")\n");
        TextTable ratios = new TextTable("kind", "benchmark", "params", "mode", ">ratio", ">baseline ratio", ">change", "verdict");
        for (RatioVerdict v : report.ratios()) {
            Ratio r = v.ratio();
            ratios.add(r.kind().label(), r.name(), BenchResult.paramsText(r.params()),
                    r.numerator().mode().shortLabel() + threads(r.numerator()),
                    withError(r.value(), r.error()), number(v.baseline()), change(v.change()),
                    ratioVerdict(v.verdict()) + (v.noisy() ? " (noisy)" : ""));
        }
        out.append(ratios.isEmpty() ? "(no pairs: see the naming convention in docs/benchmarks.md)\n" : ratios.render());

        out.append("\nABSOLUTE scores")
                .append(report.hasBaseline()
                        ? " against the baseline. CAVEAT: absolute speed on a shared machine drifts with its load"
                          + " by more than any sensible threshold; '*' marks are hints only and never fail the run.\n"
                        : "\n");
        TextTable absolutes = new TextTable("benchmark", "params", "mode", ">score ± error", "unit", ">baseline score", ">change", "verdict");
        for (AbsoluteChange a : report.absolutes()) {
            BenchResult r = a.result();
            absolutes.add(r.shortName(), BenchResult.paramsText(r.params()), r.mode().shortLabel() + threads(r),
                    withError(r.score(), r.error()), r.unit(),
                    a.baseline() == null ? "-" : number(r.inUnit(a.baseline().opsPerSecond())),
                    change(a.change()), absoluteVerdict(a.verdict()));
        }
        out.append(absolutes.render());

        out.append(roofline(report.roofline()));

        if (!report.unpaired().isEmpty()) {
            out.append("\nUnpaired (named for a pair, partner not in this run):\n");
            report.unpaired().forEach(u -> out.append("  ").append(u).append('\n'));
        }
        if (!report.notRun().isEmpty()) {
            out.append("\n").append(report.notRun().size()).append(" baseline ratio(s) not measured in this run (left out by --include?)\n");
        }
        long noisy = report.ratios().stream().filter(RatioVerdict::noisy).count();
        if (noisy > 0) {
            out.append('\n').append(noisy).append(" ratio(s) marked (noisy): error wider than the threshold, so the verdict"
                    + " may be noise (a loaded machine? --quick?). Rerun before trusting them.\n");
        }
        out.append('\n');
        int regressions = report.regressions().size();
        if (!report.hasBaseline()) {
            out.append("No baseline: nothing judged.\n");
        } else if (report.otherCpu() != null) {
            long lower = report.ratios().stream().filter(v -> v.verdict() == Verdict.LOWER).count();
            out.append("The baseline is from another CPU (").append(report.otherCpu()).append("): the ratios are compared, ")
                    .append(lower).append(" lower by more than ").append(percent).append("%, but not judged, since a")
                    .append(" ratio such as vector/scalar differs between CPUs. To judge, save a baseline on this CPU")
                    .append(" (--save-baseline FILE) and compare against it.\n");
        } else if (regressions == 0) {
            out.append("No regressions: no ratio fell by more than ").append(percent).append("%.\n");
        } else {
            out.append(regressions).append(" REGRESSION(S): ratio(s) fell by more than ").append(percent).append("%:\n");
            for (RatioVerdict v : report.regressions()) {
                out.append("  ").append(v.ratio().kind().label()).append(' ').append(v.ratio().name())
                        .append(v.ratio().params().isEmpty() ? "" : " [" + BenchResult.paramsText(v.ratio().params()) + "]")
                        .append(": ")
                        .append(number(v.baseline())).append(" -> ").append(number(v.ratio().value()))
                        .append(" (").append(change(v.change())).append(v.noisy() ? ", noisy" : "").append(")\n");
            }
        }
        return out.toString();
    }

    /** The roofline table, a hint when the run has end-to-end figures but no roofline, or nothing. */
    static String roofline(RooflineFractions f) {
        if (f.endToEndResults() == 0) return "";
        if (f.roofline() == null) {
            return "\nNo roofline fractions: the run lacks RooflineBenchmark's xorPopcount at bytes=" + RooflineBenchmark.L1_BYTES
                    + " or its sum at bytes=" + RooflineBenchmark.MEMORY_BYTES
                    + " (add: -i RooflineBenchmark -p bytes=" + RooflineBenchmark.L1_BYTES + "," + RooflineBenchmark.MEMORY_BYTES + ").\n";
        }
        Roofline r = f.roofline();
        StringBuilder out = new StringBuilder();
        out.append("\nROOFLINE of this run: popcount ").append(number(r.popcountBitsPerSecond() / 1e9))
                .append(" G weight bits/s per core (data in L1), memory ").append(number(r.memoryBytesPerSecond() / 1e9))
                .append(" GB/s. Bound = the tokens/s each allows (popcount x threads); % = measured / bound.\n");
        TextTable table = new TextTable("benchmark", "params", "mode", ">tokens/s", ">popcount bound", ">% of popcount",
                ">memory bound", ">% of memory");
        for (RooflineFractions.Row row : f.rows()) {
            BenchResult b = row.result();
            String params = BenchResult.paramsText(b.params())
                    + (row.keys() > 0 && row.keys() != Integer.parseInt(b.params().get("context")) ? " (" + row.keys() + " keys)" : "");
            table.add(b.shortName(), params, b.mode().shortLabel(), number(row.tokensPerSecond()),
                    number(row.popcountBound()), percent(row.popcountFraction()),
                    number(row.memoryBound()), percent(row.memoryFraction()));
        }
        return out.append(table.render()).toString();
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    private static String ratioVerdict(Verdict v) {
        return switch (v) {
            case REGRESSION -> "REGRESSION";
            case NOT_JUDGED -> "-";
            default -> v.word();
        };
    }

    // the '*' says: a hint, never a failure
    private static String absoluteVerdict(Verdict v) {
        return switch (v) {
            case REGRESSION, IMPROVED -> v.absoluteWord() + "*";
            case NOT_JUDGED -> "-";
            default -> v.absoluteWord();
        };
    }

    private static String threads(BenchResult r) {
        return r.threads() == 1 ? "" : " t" + r.threads();
    }

    private static String withError(double value, double error) {
        return Double.isNaN(error) ? number(value) : number(value) + " ± " + number(error);
    }

    private static String change(double change) {
        return Double.isNaN(change) ? "-" : String.format(Locale.ROOT, "%+.1f%%", change * 100);
    }

    /** Four significant digits; scientific notation outside 0.001 .. 10^7. */
    static String number(double x) {
        if (Double.isNaN(x)) return "-";
        if (x == 0) return "0";
        double a = Math.abs(x);
        if (a < 1e-3 || a >= 1e7) return String.format(Locale.ROOT, "%.3e", x);
        return new BigDecimal(x).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** A plain-text table: columns padded to their widest cell, numbers right-aligned. */
    private static final class TextTable {

        private final String[] header;
        private final boolean[] rightAligned;
        private final List<String[]> rows = new ArrayList<>();

        /** Column titles; a title starting with '>' marks a right-aligned column (the '>' is dropped). */
        TextTable(String... titles) {
            header = new String[titles.length];
            rightAligned = new boolean[titles.length];
            for (int i = 0; i < titles.length; i++) {
                rightAligned[i] = titles[i].startsWith(">");
                header[i] = rightAligned[i] ? titles[i].substring(1) : titles[i];
            }
        }

        void add(String... cells) {
            if (cells.length != header.length) throw new IllegalArgumentException(cells.length + " cells for " + header.length + " columns");
            rows.add(cells);
        }

        boolean isEmpty() {
            return rows.isEmpty();
        }

        String render() {
            int[] width = new int[header.length];
            for (int i = 0; i < header.length; i++) width[i] = header[i].length();
            for (String[] row : rows) {
                for (int i = 0; i < row.length; i++) width[i] = Math.max(width[i], row[i].length());
            }
            StringBuilder out = new StringBuilder();
            line(out, header, width);
            for (String[] row : rows) line(out, row, width);
            return out.toString();
        }

        private void line(StringBuilder out, String[] cells, int[] width) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cells.length; i++) {
                if (i > 0) line.append("  ");
                String pad = " ".repeat(width[i] - cells[i].length());
                line.append(rightAligned[i] ? pad + cells[i] : cells[i] + (i == cells.length - 1 ? "" : pad));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
