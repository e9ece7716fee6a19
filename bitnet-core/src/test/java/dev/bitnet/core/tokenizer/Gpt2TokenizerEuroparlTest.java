package dev.bitnet.core.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Token-for-token equality with jtokkit's r50k_base on the whole Europarl sample. */
class Gpt2TokenizerEuroparlTest {

    @Test
    void everyEuroparlLineEncodesLikeJtokkitAndRoundTrips() {
        Gpt2Tokenizer ours = R50k.tokenizer();
        List<String> lines = R50k.europarlLines();
        assertThat(lines).hasSizeGreaterThan(17_000);
        long chars = 0;
        long tokens = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int[] got = ours.encode(line);
            int[] want = R50k.oracle(line);
            if (!Arrays.equals(got, want)) {
                fail("line " + (i + 1) + " differs from jtokkit at token " + Arrays.mismatch(got, want)
                        + "\n ours:    " + Arrays.toString(got) + "\n jtokkit: " + Arrays.toString(want)
                        + "\n text: " + line);
            }
            assertThat(ours.decode(got)).as("round trip of line %d", i + 1).isEqualTo(line);
            chars += line.length();
            tokens += got.length;
        }
        // The whole file as one text: pieces may span what were line boundaries.
        String all = String.join("\n", lines.subList(0, 2000));
        assertThat(ours.encode(all)).isEqualTo(R50k.oracle(all));
        assertThat(chars).isGreaterThan(19_000_000L);
        assertThat(tokens).isGreaterThan(chars / 8);
    }
}
