package dev.bitnet.bench.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TrainingSpeedTest {

    @Test
    void measuresRealUpdatesOnTheCpuAndWritesTheFigures(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("speed.json");
        int code = new CommandLine(new TrainingSpeed()).execute("--device", "cpu", "--run", "tiny:2x32",
                "--warmup", "1", "--updates", "2", "--json", out.toString());
        assertThat(code).isZero();
        JsonArray runs = JsonParser.parseString(Files.readString(out)).getAsJsonObject().getAsJsonArray("runs");
        assertThat(runs).hasSize(1);
        JsonObject r = runs.get(0).getAsJsonObject();
        assertThat(r.get("preset").getAsString()).isEqualTo("tiny");
        assertThat(r.get("context").getAsInt()).isEqualTo(32);
        assertThat(r.get("medianTokensPerS").getAsDouble()).isPositive();
        assertThat(r.get("medianSecondsPerUpdate").getAsDouble() * r.get("medianTokensPerS").getAsDouble())
                .isCloseTo(2 * 32, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(r.get("peakGpuMib").getAsLong()).as("no GPU memory on the CPU").isEqualTo(-1);
        assertThat(r.get("lastLoss").getAsDouble()).isFinite();
    }

    @Test
    void aMalformedRunIsABadInput() {
        assertThat(new CommandLine(new TrainingSpeed()).execute("--device", "cpu", "--run", "tiny-2x32"))
                .isEqualTo(CommandLine.ExitCode.USAGE);
    }
}
