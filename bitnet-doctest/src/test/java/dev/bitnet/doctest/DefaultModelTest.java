package dev.bitnet.doctest;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.config.TokenizerKind;
import dev.bitnet.runtime.BitNetModel;
import dev.bitnet.runtime.GenerationListener;
import dev.bitnet.runtime.GenerationOptions;
import dev.bitnet.runtime.GenerationResult;
import dev.bitnet.runtime.Session;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model committed in {@code models/} is what the launcher uses without {@code --model}: it
 * must be the file the launcher names, small, complete, carry its provenance, and write text.
 */
class DefaultModelTest {

    static final String FILE = "models/default.bit2";

    @Test
    void theLauncherNamesTheCommittedModel() throws Exception {
        Path root = RepositoryRoot.find();
        assertThat(Files.readString(root.resolve("bitnet"))).contains("-Dbitnet.default.model=\"$ROOT/" + FILE + "\"");
        assertThat(root.resolve(FILE)).isRegularFile();
        assertThat(Files.size(root.resolve(FILE))).as("committed models stay under 8 MB").isLessThan(8L << 20);
    }

    @Test
    void itIsTheD512ShapeWithItsProvenanceAndWritesEnglishLetters() throws Exception {
        try (BitNetModel model = BitNetModel.load(RepositoryRoot.find().resolve(FILE));
             Session session = model.newSession()) {
            assertThat(model.checksumsVerified()).isTrue();
            assertThat(model.config()).isEqualTo(new ModelConfig(256, 512, 6, 8, 1536, 256, TokenizerKind.BYTES));
            Map<String, String> meta = model.metadata();
            assertThat(meta).containsKeys("data", "step", "tokens", "val_bits_per_byte", "source_sha256");
            assertThat(meta.get("data")).contains("moby_dick.txt", "sotu_tail1.txt");
            // The trained model is well under the byte-frequency level (~4.4 bits/byte) and the old tiny model (3.1).
            assertThat(Double.parseDouble(meta.get("val_bits_per_byte"))).isLessThan(3.0);

            GenerationResult r = session.generate("The President said that ",
                    GenerationOptions.builder().temperature(0f).maxTokens(200).build(), GenerationListener.NONE);
            String text = r.text();
            long letters = text.chars().filter(c -> Character.isLetter(c) || c == ' ').count();
            assertThat(letters).as(text).isGreaterThan(text.length() * 8L / 10);
            assertThat(text.split(" +")).as(text).hasSizeGreaterThan(20);
        }
    }
}
