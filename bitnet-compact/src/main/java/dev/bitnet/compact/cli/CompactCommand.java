package dev.bitnet.compact.cli;

import dev.bitnet.compact.export.ExportException;
import dev.bitnet.compact.export.ExportResult;
import dev.bitnet.compact.export.Exporter;
import dev.bitnet.compact.verify.ParityOptions;
import dev.bitnet.compact.verify.ParityReport;
import dev.bitnet.compact.verify.ParityVerifier;
import dev.bitnet.compact.verify.VerifyText;
import dev.bitnet.train.checkpoint.Checkpoint;
import dev.bitnet.train.cli.BadInputException;
import dev.bitnet.train.cli.CliConventions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code compact}: exports a training checkpoint to a {@code .bit2} model ({@link Exporter}),
 * optionally checking bit-exact parity with the trainer first ({@link ParityVerifier}).
 *
 * <p>Exit status: 0 done; 2 bad input (missing or foreign directory, unsupported checkpoint,
 * float-ablation model, missing or non-finite tensor, unusable verify text), nothing written;
 * 1 a failure, including a failed parity check, nothing written either: with {@code --verify}
 * the model goes to a hidden temporary file beside {@code --out} and is renamed to it only
 * after the check passes.
 */
@Command(name = "compact", mixinStandardHelpOptions = true,
        description = "Exports a training checkpoint to a .bit2 model (binarized weights, folded thresholds).")
final class CompactCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "DIR",
            description = "A checkpoint directory, or a run directory (its last/ is used).")
    Path checkpoint;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The .bit2 file to write.")
    Path out;

    @Option(names = "--verify",
            description = "Check that trainer and runtime give bit-identical logits (>= 2,048 positions) and the same"
                    + " 64-token greedy continuation before keeping the file.")
    boolean verify;

    @Option(names = "--verify-text", paramLabel = "FILE",
            description = "UTF-8 text for --verify (default: the bundled first chapters of Moby Dick).")
    Path verifyText;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        Path tmp = null;
        try {
            if (verifyText != null && !verify) {
                throw new ExportException("--verify-text needs --verify");
            }
            Path target = out.toAbsolutePath();
            if (Files.isDirectory(target)) {
                throw new ExportException("--out: " + out + " is a directory");
            }
            if (!Files.isDirectory(target.getParent())) {
                throw new ExportException("--out: directory " + target.getParent() + " does not exist");
            }
            Checkpoint c = Exporter.read(checkpoint);
            String text = verify ? VerifyText.read(verifyText) : null;
            Path written = target;
            if (verify) {
                tmp = target.resolveSibling("." + target.getFileName() + ".unverified");
                written = tmp;
            }
            ExportResult r = Exporter.export(c, written, Instant.now());
            o.printf(Locale.ROOT, "exported %s (step %d, %s) in %.1f s%n", c.dir(), c.step(), c.model(), r.millis() / 1e3);
            if (verify) {
                ParityOptions options = ParityOptions.full(c.model());
                o.printf(Locale.ROOT, "verifying on %s: %d x %d positions, %d greedy tokens ...%n",
                        VerifyText.describe(verifyText), options.windows(), options.windowLength(), options.greedyTokens());
                o.flush();
                ParityReport p = ParityVerifier.verify(c, tmp, text, options);
                if (!p.passed()) {
                    CliConventions.error(spec.commandLine(), p.summary());
                    CliConventions.error(spec.commandLine(), out
                            + " not written: the exported model does not compute the trainer's function");
                    return CliConventions.FAILURE;
                }
                o.println(p.summary());
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                tmp = null;
            }
            o.printf(Locale.ROOT, "wrote %s: checkpoint parameters %,d bytes (%s), .bit2 %,d bytes, ratio %.1fx%n",
                    out, r.checkpointBytes(), Exporter.PARAMS_FILE, r.modelBytes(), r.ratio());
            return 0;
        } catch (ExportException e) {
            throw new BadInputException(e.getMessage(), e);
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // The command already failed; that error is the one to report.
        }
    }
}
