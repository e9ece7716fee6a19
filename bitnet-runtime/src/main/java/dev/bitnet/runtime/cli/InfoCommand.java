package dev.bitnet.runtime.cli;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.format.Bit2File;
import dev.bitnet.core.format.Bit2FormatException;
import dev.bitnet.core.format.DType;
import dev.bitnet.core.format.TensorInfo;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code info}: what a model file holds, and whether its checksums hold. */
final class InfoCommand implements Command {

    @Override
    public String name() {
        return "info";
    }

    @Override
    public String summary() {
        return "config, parameters, tensors, metadata and checksum status of a model file";
    }

    @Override
    public String help() {
        return """
                usage: bitnet info [--model FILE] [--json]

                Prints the model's configuration, parameter count, file size, a summary of its
                tensors, its metadata, and whether every tensor's CRC32C checksum matches.

                  --model FILE             the .bit2 model file (default: the launcher's bundled model,
                                           models/default.bit2)
                  --json                   print one JSON object instead of text
                """;
    }

    @Override
    public Set<String> valued() {
        return Set.of("model");
    }

    @Override
    public Set<String> flags() {
        return Set.of("json");
    }

    @Override
    public int run(Args a, Io io) throws Exception {
        PrintStream out = io.out();
        Path p = CliSupport.modelPath(a);
        String checksums = "ok";
        Bit2File file;
        try {
            file = Bit2File.open(p, true);
        } catch (Bit2FormatException e) {
            // Header problems fail again here and are reported as they are; data problems leave
            // a readable header, so show it with the failure.
            file = Bit2File.open(p, false);
            checksums = "FAILED: " + e.getMessage();
        }
        try (Bit2File f = file) {
            ModelConfig c = f.config();
            long size = Files.size(p);
            Map<DType, long[]> byType = new EnumMap<>(DType.class); // count, bytes
            for (TensorInfo t : f.tensors()) {
                long[] s = byType.computeIfAbsent(t.dtype(), k -> new long[2]);
                s[0]++;
                s[1] += t.length();
            }
            String layout = "ok";
            try {
                f.requireModelLayout();
            } catch (Bit2FormatException e) {
                layout = "FAILED: " + e.getMessage();
            }
            if (a.has("json")) {
                Json config = new Json().add("vocab_size", c.vocabSize()).add("d_model", c.dModel())
                        .add("n_layers", c.nLayers()).add("n_heads", c.nHeads()).add("d_ff", c.dFf())
                        .add("context", c.context()).add("tokenizer", c.tokenizer().id());
                Json tensors = new Json();
                byType.forEach((t, s) -> tensors.raw(t.name().toLowerCase(Locale.ROOT),
                        new Json().add("count", s[0]).add("bytes", s[1]).toString()));
                Json meta = new Json();
                f.metadata().forEach(meta::add);
                out.println(new Json().add("file", p.toString()).add("file_bytes", size)
                        .add("format_version", f.formatVersion()).raw("config", config.toString())
                        .add("parameters", c.parameterCount()).raw("tensors", tensors.toString())
                        .raw("metadata", meta.toString()).add("checksums", checksums).add("layout", layout));
                return 0;
            }
            out.printf(Locale.ROOT, "file        %s (%,d bytes, format version %d)%n", p, size, f.formatVersion());
            out.printf(Locale.ROOT, "config      %s%n", c);
            out.printf(Locale.ROOT, "parameters  %,d%n", c.parameterCount());
            out.printf(Locale.ROOT, "tensors     %d", f.tensors().size());
            byType.forEach((t, s) -> out.printf(Locale.ROOT, ", %d %s (%,d bytes)", s[0], t, s[1]));
            out.println();
            out.println("layout      " + layout);
            out.println("checksums   " + checksums);
            if (f.metadata().isEmpty()) {
                out.println("metadata    (none)");
            }
            for (Map.Entry<String, String> e : f.metadata().entrySet()) {
                out.printf("metadata    %s = %s%n", e.getKey(), e.getValue());
            }
        }
        return 0;
    }
}
