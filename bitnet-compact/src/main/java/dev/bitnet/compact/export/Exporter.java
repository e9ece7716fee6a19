package dev.bitnet.compact.export;

import dev.bitnet.compact.tokenizer.R50kBase;
import dev.bitnet.core.bits.BitPacking;
import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.config.TokenizerKind;
import dev.bitnet.core.format.Bit2FormatException;
import dev.bitnet.core.format.Bit2Writer;
import dev.bitnet.core.model.BitMath;
import dev.bitnet.core.model.ModelLayout;
import dev.bitnet.core.model.TensorSpec;
import dev.bitnet.core.model.ThresholdFolding;
import dev.bitnet.core.tokenizer.ByteTokenizer;
import dev.bitnet.core.tokenizer.Tokenizer;
import dev.bitnet.train.checkpoint.Checkpoint;
import dev.bitnet.train.checkpoint.CheckpointException;
import dev.bitnet.train.checkpoint.CheckpointMetrics;
import dev.bitnet.train.checkpoint.FloatTensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns a training checkpoint into a {@code .bit2} model, in one pass over {@link ModelLayout}:
 * <ul>
 *   <li>latent matrices {@code W} (and the tied embedding {@code E}) become their signs,
 *       {@code w >= 0} giving bit 1 ({@link BitPacking});</li>
 *   <li>each binary layer's {@code alpha} and {@code theta} become, per output, the integer range
 *       of products {@code s} whose output bit is +1 ({@link ThresholdFolding}: the float32
 *       expression is evaluated for every possible {@code s});</li>
 *   <li>raw layers keep {@code alpha} and {@code bias}; RMSNorm gains, {@code e_scale},
 *       {@code alpha_v} and {@code b_v} are copied as they are; the ALiBi slopes come from
 *       {@link BitMath#alibiSlopes(int)}.</li>
 * </ul>
 * The file also carries the tokenizer (bytes, or GPT-2's r50k_base) and metadata naming the
 * checkpoint, its SHA-256, step and validation figures, what it was trained on ({@code data},
 * when the checkpoint records it), the creation time and this tool.
 */
public final class Exporter {

    /** The tool recorded in the {@code tool} metadata entry. */
    public static final String TOOL = "bitnet-compact 0.1.0";
    /** The checkpoint's parameter file (see {@link Checkpoint}); its hash identifies the source. */
    public static final String PARAMS_FILE = "params.bin";

    private Exporter() {
    }

    /**
     * Reads a checkpoint (a checkpoint directory or a run directory, whose {@code last/} is used).
     *
     * @throws ExportException naming the path and the problem: missing, not a checkpoint, another
     *                         format or version, corrupt
     */
    public static Checkpoint read(Path path) {
        if (!Files.exists(path)) {
            throw new ExportException(path + ": no such checkpoint directory");
        }
        if (!Files.isDirectory(path)) {
            throw new ExportException(path + ": not a directory (give a checkpoint directory or a run directory)");
        }
        try {
            return Checkpoint.read(path);
        } catch (CheckpointException | UncheckedIOException e) {
            throw new ExportException(e.getMessage(), e);
        }
    }

    /**
     * Exports a checkpoint to {@code out} (written atomically: a failure leaves no file).
     *
     * @param created the creation time recorded in the metadata
     * @throws ExportException      if the checkpoint cannot be exported (the message says why)
     * @throws Bit2FormatException  if the file cannot be written
     */
    public static ExportResult export(Checkpoint checkpoint, Path out, Instant created) throws Bit2FormatException {
        long t0 = System.nanoTime();
        ModelConfig config = checkpoint.model();
        if (checkpoint.meta().floatAblation()) {
            throw new ExportException(checkpoint.dir() + ": a float-ablation checkpoint (the float twin) cannot be"
                    + " exported: .bit2 holds 1-bit models only");
        }
        Map<String, FloatTensor> params = checkpoint.params();
        checkTensors(checkpoint.dir(), config, params);
        Path paramsFile = checkpoint.dir().resolve(PARAMS_FILE);
        String sha256 = sha256(paramsFile);

        Bit2Writer w = new Bit2Writer(config, tokenizer(config.tokenizer()));
        w.putMetadata("source", sourceName(checkpoint.dir()));
        w.putMetadata("source_sha256", sha256);
        w.putMetadata("step", Integer.toString(checkpoint.step()));
        w.putMetadata("tokens", Long.toString(checkpoint.meta().tokens()));
        CheckpointMetrics m = checkpoint.metrics();
        putIfPresent(w, "val_loss", m.valLoss());
        putIfPresent(w, "val_bits_per_token", m.valBitsPerToken());
        putIfPresent(w, "val_bits_per_byte", m.valBitsPerByte());
        if (checkpoint.meta().data() != null) {
            w.putMetadata("data", checkpoint.meta().data().describe());
        }
        w.putMetadata("created", created.truncatedTo(ChronoUnit.SECONDS).toString());
        w.putMetadata("tool", TOOL);

        for (TensorSpec t : ModelLayout.tensors(config)) {
            String name = t.name();
            long[] shape = t.shape();
            if (name.endsWith(".bits")) {
                int rows = (int) shape[0];
                int cols = (int) shape[1];
                w.addBits(name, rows, cols, BitPacking.packRows(params.get(latentName(name)).data(), rows, cols));
            } else if (name.endsWith(".range")) {
                String module = name.substring(0, name.length() - ".range".length());
                int in = ModelLayout.inputWidth(config, moduleOf(name));
                w.addI32(name, fold(params.get(module + ".alpha").data(), params.get(module + ".theta").data(), in),
                        shape);
            } else if (name.equals(ModelLayout.ALIBI_SLOPES)) {
                w.addF32(name, BitMath.alibiSlopes(config.nHeads()), shape);
            } else {
                w.addF32(name, params.get(name).data(), shape);
            }
        }
        w.write(out);
        long bytes = size(out);
        return new ExportResult(out, config, checkpoint.step(), size(paramsFile), bytes, sha256,
                (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * The checkpoint as {@code run/checkpoint} (e.g. {@code tiny-run/best}): enough to find it
     * beside the file's {@code source_sha256}, without writing a local absolute path into a
     * model that may be shared.
     */
    private static String sourceName(Path checkpointDir) {
        Path p = checkpointDir.toAbsolutePath().normalize();
        int n = p.getNameCount();
        return n >= 2 ? p.subpath(n - 2, n).toString() : p.toString();
    }

    /**
     * Folds one binary layer: row {@code o} of the result is {@code {lo, hi}}, the products
     * {@code s} for which {@code (float)((float)(s * c_in) * alpha[o]) - theta[o] >= 0}.
     */
    static int[] fold(float[] alpha, float[] theta, int in) {
        int[] ranges = new int[alpha.length * 2];
        for (int o = 0; o < alpha.length; o++) {
            int[] r = ThresholdFolding.fold(alpha[o], theta[o], in);
            ranges[2 * o] = r[0];
            ranges[2 * o + 1] = r[1];
        }
        return ranges;
    }

    /**
     * The checkpoint tensors a model of this config needs, with their shapes, in file order:
     * {@code embedding.weight} for {@code embedding.bits}, {@code X.weight} for {@code X.bits},
     * {@code X.alpha} and {@code X.theta} for {@code X.range}; other tensors keep their names.
     */
    public static Map<String, long[]> checkpointTensors(ModelConfig config) {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (TensorSpec t : ModelLayout.tensors(config)) {
            String name = t.name();
            long[] shape = t.shape();
            if (name.endsWith(".bits")) {
                m.put(latentName(name), shape);
            } else if (name.endsWith(".range")) {
                String module = name.substring(0, name.length() - ".range".length());
                m.put(module + ".alpha", new long[] {shape[0]});
                m.put(module + ".theta", new long[] {shape[0]});
            } else if (!name.equals(ModelLayout.ALIBI_SLOPES)) {
                m.put(name, shape);
            }
        }
        return m;
    }

    /** Every needed tensor is present with its shape, nothing else is, and every value is finite. */
    private static void checkTensors(Path dir, ModelConfig config, Map<String, FloatTensor> params) {
        Map<String, long[]> expected = checkpointTensors(config);
        Set<String> extra = new HashSet<>(params.keySet());
        extra.removeAll(expected.keySet());
        if (!extra.isEmpty()) {
            throw new ExportException(dir + ": tensors that a " + config + " model does not have: " + extra.stream().sorted().toList());
        }
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            FloatTensor t = params.get(e.getKey());
            if (t == null) {
                throw new ExportException(dir + ": tensor '" + e.getKey() + "' is missing");
            }
            if (!Arrays.equals(t.shape(), e.getValue())) {
                throw new ExportException(dir + ": tensor '" + e.getKey() + "' has shape " + Arrays.toString(t.shape())
                        + ", expected " + Arrays.toString(e.getValue()));
            }
            float[] v = t.data();
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new ExportException(dir + ": tensor '" + e.getKey() + "' has a non-finite value " + v[i]
                            + " at " + index(e.getValue(), i));
                }
            }
        }
    }

    /** A flat index as {@code [row, col]} for matrices, {@code [i]} for vectors. */
    private static String index(long[] shape, int i) {
        return shape.length == 2 ? "[" + i / shape[1] + ", " + i % shape[1] + "] (flat index " + i + ")" : "[" + i + "]";
    }

    /** {@code embedding.bits} -> {@code embedding.weight}, {@code layers.0.attn.q.bits} -> {@code layers.0.attn.q.weight}. */
    private static String latentName(String bitsName) {
        return bitsName.substring(0, bitsName.length() - ".bits".length()) + ".weight";
    }

    /** {@code layers.3.ffn.gate.range} -> {@code ffn.gate}. */
    private static String moduleOf(String name) {
        String rest = name.substring(name.indexOf('.', "layers.".length()) + 1);
        return rest.substring(0, rest.lastIndexOf('.'));
    }

    /** The tokenizer a model of this kind carries in its file. */
    public static Tokenizer tokenizer(TokenizerKind kind) {
        return kind == TokenizerKind.GPT2 ? R50kBase.tokenizer() : ByteTokenizer.INSTANCE;
    }

    private static void putIfPresent(Bit2Writer w, String key, Double value) {
        if (value != null) {
            w.putMetadata(key, Double.toString(value));
        }
    }

    /** SHA-256 of a file, lowercase hex. */
    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }
}
