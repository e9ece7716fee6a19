package dev.bitnet.core.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns a stream of tokens into text pieces as they arrive. Byte-level tokens can split a UTF-8
 * character; the incomplete tail is held back until the bytes that complete it arrive (or
 * {@link #flush()} is called). Not thread-safe: one per generation.
 */
public final class StreamingDecoder {

    private final Tokenizer tokenizer;
    private byte[] pending = new byte[0];

    /** A decoder over the given tokenizer's token bytes. */
    public StreamingDecoder(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Adds a token and returns the text that is now complete (possibly empty). */
    public String push(int token) {
        byte[] b = tokenizer.tokenBytes(token);
        byte[] all = Arrays.copyOf(pending, pending.length + b.length);
        System.arraycopy(b, 0, all, pending.length, b.length);
        int cut = completePrefix(all);
        pending = Arrays.copyOfRange(all, cut, all.length);
        return new String(all, 0, cut, StandardCharsets.UTF_8);
    }

    /** Returns whatever is held back (an incomplete character decodes to U+FFFD) and resets. */
    public String flush() {
        String s = new String(pending, StandardCharsets.UTF_8);
        pending = new byte[0];
        return s;
    }

    /** Length of the prefix that does not end inside an incomplete UTF-8 sequence. */
    private static int completePrefix(byte[] b) {
        int n = b.length;
        // A UTF-8 sequence is at most 4 bytes: only the last 3 can start an incomplete one.
        for (int back = 1; back <= Math.min(3, n); back++) {
            int lead = b[n - back] & 0xFF;
            if ((lead & 0xC0) == 0x80) {
                continue; // continuation byte: keep looking for the lead
            }
            int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
            return need > back ? n - back : n;
        }
        return n;
    }
}
