package dev.bitnet.train.data;

import dev.bitnet.core.config.TokenizerKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenShardTest {

    @TempDir
    Path dir;

    @Test
    void writesAndMapsTokens() throws IOException {
        int[] tokens = new Random(1).ints(10_001, 0, 65536).toArray();
        tokens[0] = 0;
        tokens[1] = 65535;
        Path p = dir.resolve("a.bin");
        TokenShard.write(p, tokens);

        assertThat(Files.size(p)).isEqualTo(1024 + 2L * tokens.length);
        try (TokenShard s = TokenShard.open(p)) {
            assertThat(s.size()).isEqualTo(tokens.length);
            assertThat(s.get(0)).isEqualTo(0);
            assertThat(s.get(1)).isEqualTo(65535);
            assertThat(s.get(10_000)).isEqualTo(tokens[10_000]);
            int[] copy = new int[tokens.length + 2];
            s.copy(0, copy, 1, tokens.length);
            for (int i = 0; i < tokens.length; i++) {
                assertThat(copy[i + 1]).isEqualTo(tokens[i]);
            }
            assertThatThrownBy(() -> s.get(tokens.length)).isInstanceOf(IndexOutOfBoundsException.class);
        }
        assertThat(dir.toFile().list()).containsExactly("a.bin");
    }

    /** A shard laid out byte by byte as llm.c's write_datafile does (numpy int32 header, uint16 tokens). */
    @Test
    void readsShardWrittenPerLlmcSpec() throws IOException {
        int[] tokens = {50256, 464, 2068, 7586, 21831, 50256, 0, 1};
        ByteBuffer b = ByteBuffer.allocate(256 * 4 + tokens.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(20240520).putInt(1).putInt(tokens.length);
        b.position(256 * 4);
        for (int t : tokens) {
            b.put((byte) (t & 0xFF)).put((byte) (t >>> 8));
        }
        Path p = dir.resolve("fineweb_val_000000.bin");
        Files.write(p, b.array());

        try (TokenShard s = TokenShard.open(p)) {
            assertThat(s.size()).isEqualTo(tokens.length);
            for (int i = 0; i < tokens.length; i++) {
                assertThat(s.get(i)).isEqualTo(tokens[i]);
            }
            s.checkVocabulary(TokenizerKind.GPT2);
        }
        byte[] ours = writeAndRead(tokens);
        assertThat(ours).isEqualTo(b.array());
    }

    private byte[] writeAndRead(int[] tokens) throws IOException {
        Path p = dir.resolve("ours.bin");
        TokenShard.write(p, tokens);
        return Files.readAllBytes(p);
    }

    @Test
    void rejectsBadHeadersNamingTheFile() throws IOException {
        Path good = dir.resolve("good.bin");
        TokenShard.write(good, new int[] {1, 2, 3});
        byte[] bytes = Files.readAllBytes(good);

        Path magic = dir.resolve("magic.bin");
        byte[] m = bytes.clone();
        m[0] ^= 1;
        Files.write(magic, m);
        assertThatThrownBy(() -> TokenShard.open(magic)).isInstanceOf(CorpusException.class)
                .hasMessageContaining(magic.toString()).hasMessageContaining("magic").hasMessageContaining("20240520");

        Path v2 = dir.resolve("v2.bin");
        byte[] v = bytes.clone();
        v[4] = 2;
        Files.write(v2, v);
        assertThatThrownBy(() -> TokenShard.open(v2)).isInstanceOf(CorpusException.class)
                .hasMessageContaining(v2.toString()).hasMessageContaining("version 2");

        Path truncated = dir.resolve("truncated.bin");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 1));
        assertThatThrownBy(() -> TokenShard.open(truncated)).isInstanceOf(CorpusException.class)
                .hasMessageContaining(truncated.toString()).hasMessageContaining("3 tokens")
                .hasMessageContaining((bytes.length - 1) + " bytes");

        Path tiny = dir.resolve("tiny.bin");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> TokenShard.open(tiny)).isInstanceOf(CorpusException.class)
                .hasMessageContaining(tiny.toString()).hasMessageContaining("shorter than");

        Path missing = dir.resolve("missing.bin");
        assertThatThrownBy(() -> TokenShard.open(missing)).isInstanceOf(CorpusException.class)
                .hasMessageContaining("not found").hasMessageContaining(missing.toString());
    }

    @Test
    void rejectsTokensOutsideTheVocabulary() throws IOException {
        Path p = dir.resolve("gpt2.bin");
        TokenShard.write(p, new int[] {10, 255, 256, 3});
        try (TokenShard s = TokenShard.open(p)) {
            s.checkVocabulary(TokenizerKind.GPT2);
            assertThatThrownBy(() -> s.checkVocabulary(TokenizerKind.BYTES)).isInstanceOf(CorpusException.class)
                    .hasMessageContaining(p.toString()).hasMessageContaining("token 2 is 256")
                    .hasMessageContaining("256 of tokenizer bytes");
        }
    }

    @Test
    void neverLeavesAHalfWrittenShard() throws IOException {
        Path p = dir.resolve("x.bin");
        assertThatThrownBy(() -> TokenShard.write(p, new int[] {1, 2, 70_000}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
        assertThat(dir.toFile().list()).isEmpty();

        try (ShardWriter w = ShardWriter.create(p)) {
            w.add(new int[] {1, 2, 3}, 0, 3);
            // not committed
        }
        assertThat(dir.toFile().list()).isEmpty();
    }
}
