package dev.bitnet.core.tokenizer;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Token-for-token equality with jtokkit's r50k_base on Europarl (21 MB, 11 languages): the
 * first 4 MB and a seeded quarter of the remaining lines, about 8 MB in all, so that the
 * class stays well under a minute on a busy machine. (The whole file was compared once too.)
 */
class Gpt2TokenizerEuroparlTest {

    private static final long FIRST_BYTES = 4_000_000;

    @Test
    void europarlEncodesLikeJtokkitAndRoundTrips() {
        Gpt2Tokenizer ours = R50k.tokenizer();
        List<String> lines = R50k.europarlLines();
        assertThat(lines).hasSizeGreaterThan(17_000);
        Random random = new Random(20261126);
        long bytes = 0;
        long tokens = 0;
        int compared = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (bytes >= FIRST_BYTES && random.nextInt(4) != 0) {
                continue;
            }
            String line = lines.get(i);
            int[] got = ours.encode(line);
            int[] want = R50k.oracle(line);
            if (!Arrays.equals(got, want)) {
                fail("line " + (i + 1) + " differs from jtokkit at token " + Arrays.mismatch(got, want)
                        + "\n ours:    " + Arrays.toString(got) + "\n jtokkit: " + Arrays.toString(want)
                        + "\n text: " + line);
            }
            assertThat(ours.decode(got)).as("round trip of line %d", i + 1).isEqualTo(line);
            bytes += line.getBytes(StandardCharsets.UTF_8).length;
            tokens += got.length;
            compared++;
        }
        // Many lines as one text: newlines join pieces differently than line ends do.
        String joined = String.join("\n", lines.subList(0, 1000));
        assertThat(ours.encode(joined)).isEqualTo(R50k.oracle(joined));
        assertThat(bytes).isGreaterThan(7_000_000L);
        assertThat(compared).isGreaterThan(6_000);
        assertThat(tokens).isGreaterThan(bytes / 4);
    }
}
