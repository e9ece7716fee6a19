package dev.bitnet.train.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TensorFileTest {

    private static Map<String, FloatTensor> sample() {
        Random r = new Random(7);
        float[] big = new float[300_001]; // crosses the 1 MiB I/O chunk
        for (int i = 0; i < big.length; i++) {
            big[i] = (float) r.nextGaussian();
        }
        Map<String, FloatTensor> m = new LinkedHashMap<>();
        m.put("embedding.weight", new FloatTensor(new long[] {3, 100_000}, Arrays.copyOf(big, 300_000)));
        m.put("layers.0.attn.q.alpha", new FloatTensor(new long[] {5}, new float[] {1f, -0f, Float.MIN_VALUE, 3.4e38f, Float.NaN}));
        m.put("scalar", new FloatTensor(new long[] {}, new float[] {42f}));
        m.put("empty", new FloatTensor(new long[] {0, 5}, new float[0]));
        return m;
    }

    @Test
    void roundTripKeepsNamesOrderShapesAndBits(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("params.bin");
        Map<String, FloatTensor> in = sample();
        TensorFile.write(f, in);
        Map<String, FloatTensor> out = TensorFile.read(f);
        assertThat(out.keySet()).containsExactlyElementsOf(in.keySet());
        for (String name : in.keySet()) {
            assertThat(out.get(name)).as(name).isEqualTo(in.get(name));
        }
        // Layout: magic, version, count, then the first tensor's name length and name.
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[8];
        b.get(magic);
        assertThat(new String(magic, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("BNTENSOR");
        assertThat(b.getInt()).isEqualTo(1);
        assertThat(b.getInt()).isEqualTo(4);
        assertThat(b.getInt()).isEqualTo("embedding.weight".length());
    }

    @Test
    void aFlippedDataByteFailsTheCrcNamingTheTensor(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("params.bin");
        TensorFile.write(f, sample());
        byte[] bytes = Files.readAllBytes(f);
        bytes[1000] ^= 0x10;
        Files.write(f, bytes);
        assertThatThrownBy(() -> TensorFile.read(f))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("'embedding.weight' fails its CRC32C check");
    }

    @Test
    void truncatedForeignAndFutureFilesAreRefusedClearly(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("params.bin");
        TensorFile.write(f, sample());
        byte[] bytes = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.bin");
        Files.write(cut, Arrays.copyOf(bytes, 500_000));
        assertThatThrownBy(() -> TensorFile.read(cut)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("truncated while reading tensor 'embedding.weight'");

        Path foreign = dir.resolve("model.pt");
        Files.writeString(foreign, "PK\u0003\u0004 not a tensor file");
        assertThatThrownBy(() -> TensorFile.read(foreign)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("not a bitnet tensor file");

        byte[] future = bytes.clone();
        future[8] = 2;
        Path v2 = dir.resolve("v2.bin");
        Files.write(v2, future);
        assertThatThrownBy(() -> TensorFile.read(v2)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("version 2 is not supported");

        assertThatThrownBy(() -> TensorFile.read(dir.resolve("missing.bin"))).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("no such file");
    }
}
