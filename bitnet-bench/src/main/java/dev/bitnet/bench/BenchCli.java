package dev.bitnet.bench;

import dev.bitnet.bench.regression.BenchResult;
import dev.bitnet.bench.regression.Cpu;
import dev.bitnet.bench.regression.JmhResultsFile;
import dev.bitnet.bench.regression.JmhResultsFile.BadFileException;
import dev.bitnet.bench.regression.Pairing;
import dev.bitnet.bench.regression.Report;
import dev.bitnet.bench.regression.ReportText;
import dev.bitnet.bench.regression.SummaryJson;
import dev.bitnet.train.cli.CliConventions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./bitnet bench}: runs the chosen JMH benchmarks, writes JMH's JSON (with the CPU it ran
 * on) and a summary, and judges the ratios measured within the run against a baseline run from
 * the same CPU. Exit status ({@link CliConventions}): 0 no regression (or a baseline from another
 * CPU, compared but not judged), 1 a ratio regressed or the run failed, 2 bad input.
 */
@Command(name = "bitnet bench", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = {
            "Runs JMH benchmarks, writes JMH's JSON results and a summary, and judges them against a baseline run.",
            "Judged are ratios measured within one run (vector/scalar, 1-bit/float), each compared with the same ratio"
                + " in the baseline: a ratio that fell by more than the threshold is a regression. Absolute scores are"
                + " shown too, but they drift on shared machines and never fail the run.",
            "A results file names the CPU it was measured on; a baseline from another CPU is compared but not judged.",
            "JMH's progress goes to stderr, the tables to stdout.",
            ""},
        footer = {"",
            "Exit status: 0 no regression, 1 at least one ratio regressed or the run failed, 2 bad option or file",
            "(or no benchmark matched --include).",
            "",
            "Examples:",
            "  ./bitnet bench --quick -i MatVecBenchmark -p shape=512x2048 \\",
            "      -b docs/bench-baseline.json",
            "  ./bitnet bench --save-baseline docs/bench-baseline.json",
            "  ./bitnet bench --results bench-results.json -t 0.05 \\",
            "      -b docs/bench-baseline.json",
            "",
            "How pairs are named, and the summary's fields: docs/benchmarks.md."})
public final class BenchCli implements Callable<Integer> {

    @Option(names = {"-i", "--include"}, paramLabel = "REGEX",
            description = "Run benchmarks whose name matches (JMH regex, found anywhere in the fully qualified name); repeatable. Default: all.")
    List<String> includes = new ArrayList<>();

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=V1,V2",
            description = "Run only these values of a @Param (JMH's -p), e.g. shape=512x2048; repeatable.")
    List<String> params = new ArrayList<>();

    @Option(names = "--quick",
            description = "Smoke run: 1 fork, 3 x 1 s warm-up, 5 x 0.5 s measurement (instead of each benchmark's own settings).")
    boolean quick;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", defaultValue = "bench-results.json",
            description = "JMH's JSON results (default: ${DEFAULT-VALUE}). The summary goes next to it as NAME.summary.json.")
    Path out;

    @Option(names = {"-b", "--baseline"}, paramLabel = "FILE",
            description = "JMH JSON results of an earlier run to judge against (e.g. docs/bench-baseline.json).")
    Path baseline;

    @Option(names = "--save-baseline", paramLabel = "FILE",
            description = "Also copy this run's JMH results to FILE, to commit as the next baseline.")
    Path saveBaseline;

    @Option(names = {"-t", "--threshold"}, paramLabel = "FRACTION", defaultValue = "0.10",
            description = "A ratio that fell by more than this fraction of its baseline value is a regression (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--results", paramLabel = "FILE",
            description = "Do not run: judge this existing JMH JSON results file (with --baseline).")
    Path results;

    private final PrintStream stdout;
    private final PrintStream stderr;

    BenchCli(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Entry point; the launcher passes the command name ("bench") first, as for every command. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command with {@code args} as the launcher passes them (a leading "bench" is dropped); returns the exit status. */
    static int run(String[] args, PrintStream stdout, PrintStream stderr) {
        if (args.length > 0 && args[0].equals("bench")) args = Arrays.copyOfRange(args, 1, args.length);
        return CliConventions.commandLine(new BenchCli(stdout, stderr), new PrintWriter(stdout, true),
                new PrintWriter(stderr, true)).execute(args);
    }

    @Override
    public Integer call() {
        try {
            checkOptions();
            // the baseline first: a bad one should stop us before a long run, and
            // --save-baseline may overwrite it
            List<BenchResult> before = baseline == null ? null : JmhResultsFile.read(baseline);
            Optional<Cpu> baselineCpu = baseline == null ? Optional.empty() : JmhResultsFile.cpu(baseline);
            Path resultsFile = results != null ? results : runBenchmarks();
            List<BenchResult> current = JmhResultsFile.read(resultsFile);
            Optional<Cpu> currentCpu = JmhResultsFile.cpu(resultsFile);
            String otherCpu = null;
            if (baselineCpu.isPresent() && currentCpu.isPresent() && !baselineCpu.equals(currentCpu)) {
                otherCpu = "baseline: " + baselineCpu.get().describe() + "; this run: " + currentCpu.get().describe();
            } else if (baseline != null && (baselineCpu.isEmpty() || currentCpu.isEmpty())) {
                stdout.println("Note: " + (baselineCpu.isEmpty() ? baseline : resultsFile) + " does not name its CPU;"
                        + " judged as if both runs were on the same one.");
            }
            Report report = Report.judge(current, before, threshold, Pairing.CROSS_PAIRS, otherCpu);
            stdout.print(ReportText.render(report));
            Path summary = summaryFile(resultsFile);
            SummaryJson.write(SummaryJson.of(report, resultsFile, baseline), summary);
            stdout.println("Results: " + resultsFile + "   summary: " + summary);
            if (saveBaseline != null) {
                copyWhole(resultsFile, saveBaseline);
                stdout.println("Saved as baseline: " + saveBaseline);
            }
            return report.exitCode();
        } catch (CannotJudge | BadFileException e) {
            stderr.println("bitnet bench: " + e.getMessage());
            return CliConventions.BAD_INPUT;
        } catch (RunFailed e) {
            stderr.println("bitnet bench: " + e.getMessage());
            return CliConventions.FAILURE;
        } catch (IOException e) {
            stderr.println("bitnet bench: " + e);
            return CliConventions.FAILURE;
        }
    }

    private void checkOptions() throws CannotJudge {
        if (!(threshold > 0 && threshold < 1)) {
            throw new CannotJudge("--threshold must be a fraction between 0 and 1 (0.10 = 10%), got " + threshold);
        }
        if (results != null && (quick || !includes.isEmpty() || !params.isEmpty())) {
            throw new CannotJudge("--include, --param and --quick choose what to run; with --results nothing is run");
        }
        for (String p : params) {
            int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1) {
                throw new CannotJudge("--param: expected NAME=V1,V2,..., got '" + p + "'");
            }
        }
        for (String regex : includes) {
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new CannotJudge("--include: not a regular expression: '" + regex + "': " + e.getDescription());
            }
        }
    }

    /**
     * Runs JMH; its JSON, with this machine's CPU added, goes to a temporary file moved to
     * {@link #out} only when the run succeeds.
     */
    private Path runBenchmarks() throws CannotJudge, RunFailed, BadFileException, IOException {
        Path target = out.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".tmp");
        try {
            ChainedOptionsBuilder options = new OptionsBuilder()
                    .resultFormat(ResultFormatType.JSON)
                    .result(tmp.toString())
                    .shouldFailOnError(true);
            includes.forEach(options::include);
            for (String p : params) {
                int eq = p.indexOf('=');
                options.param(p.substring(0, eq), p.substring(eq + 1).split(","));
            }
            if (quick) {
                // a loaded 2-core machine needs about 2 s before C2 has compiled the vector loops
                options.forks(1)
                        .warmupIterations(3).warmupTime(TimeValue.seconds(1))
                        .measurementIterations(5).measurementTime(TimeValue.milliseconds(500));
            }
            // stdout is for the tables: JMH's progress goes to stderr
            new Runner(options.build(), OutputFormatFactory.createFormatInstance(stderr, VerboseMode.NORMAL)).run();
            JmhResultsFile.stampCpu(tmp, Cpu.current());
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return out;
        } catch (NoBenchmarksException e) {
            throw new CannotJudge("no benchmark matches " + (includes.isEmpty() ? "(none compiled?)" : "--include " + includes)
                    + (params.isEmpty() ? "" : " with --param " + params));
        } catch (RunnerException | RuntimeException e) {
            // JMH reports a failed benchmark or no compiled benchmarks this way
            throw new RunFailed("the JMH run failed: " + e.getMessage());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    // results.json -> results.summary.json
    private static Path summaryFile(Path resultsFile) {
        String name = resultsFile.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return resultsFile.resolveSibling(stem + ".summary.json");
    }

    private static void copyWhole(Path from, Path to) throws IOException {
        Path target = to.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A bad option, or nothing matched: nothing to judge. The message is the whole story. */
    private static final class CannotJudge extends Exception {
        CannotJudge(String message) {
            super(message);
        }
    }

    /** The JMH run failed (a benchmark threw, another run holds JMH's lock). */
    private static final class RunFailed extends Exception {
        RunFailed(String message) {
            super(message);
        }
    }
}
