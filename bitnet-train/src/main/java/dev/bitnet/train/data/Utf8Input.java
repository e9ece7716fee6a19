package dev.bitnet.train.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 text from a (decompressed) stream, as lines or as chunks cut where GPT-2's
 * pre-tokenizer would cut anyway. Invalid UTF-8 is rejected with the file name and the byte
 * offset in the decompressed stream: we do not train on silently replaced characters. A leading
 * byte order mark is dropped.
 */
final class Utf8Input {

    /** Chunk size in chars for {@link #nextChunk()}: large enough to amortise, small enough to bound memory. */
    static final int CHUNK = 1 << 20;

    private final InputStream in;
    private final String name;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16);
    private final CharBuffer chars = CharBuffer.allocate(1 << 16);
    private final StringBuilder text = new StringBuilder();
    private final int chunk;
    private int pos;       // start of the unread text in `text`
    private long consumed; // decompressed bytes before bytes[0]
    private boolean eof;
    private boolean started;

    Utf8Input(InputStream in, String name) {
        this(in, name, CHUNK);
    }

    /** With a given chunk size (tests use small ones to exercise the cutting). */
    Utf8Input(InputStream in, String name, int chunk) {
        this.in = in;
        this.name = name;
        this.chunk = chunk;
    }

    /** The next line without its line terminator ({@code \n} or {@code \r\n}), or null at the end. */
    String nextLine() throws IOException {
        int scan = pos;
        while (true) {
            int nl = text.indexOf("\n", scan);
            if (nl >= 0) {
                int end = nl > pos && text.charAt(nl - 1) == '\r' ? nl - 1 : nl;
                String line = text.substring(pos, end);
                pos = nl + 1;
                return line;
            }
            if (eof) {
                if (pos == text.length()) {
                    return null;
                }
                String line = text.substring(pos);
                pos = text.length();
                return line;
            }
            scan = text.length() - pos;
            compact();
            fill();
        }
    }

    /**
     * The next piece of text, about {@link #CHUNK} chars, or null at the end. Cuts only before a
     * {@code \n} that is followed by a printable non-space ASCII char: GPT-2's pre-tokenizer splits
     * there too (a whitespace run before a non-space char ends with its last char as a token of its
     * own), so encoding the chunks one by one gives exactly the tokens of the whole text. Text
     * without such a place is read whole.
     */
    String nextChunk() throws IOException {
        compact();
        int searched = 0; // text[0, searched) holds no cut beyond the chunk size
        while (true) {
            int len = text.length();
            if (eof && len <= chunk) {
                if (len == 0) {
                    return null;
                }
                return take(len);
            }
            if (len > chunk) {
                int cut = lastCut(Math.min(len - 2, chunk));
                if (cut < 0) {
                    cut = firstCut(Math.max(searched, chunk), len - 2);
                    searched = len - 1;
                }
                if (cut > 0) {
                    return take(cut);
                }
                if (eof) {
                    return take(len);
                }
            }
            fill();
        }
    }

    private String take(int end) {
        String s = text.substring(0, end);
        pos = end;
        compact();
        return s;
    }

    private boolean isCut(int i) {
        char next = text.charAt(i + 1);
        return text.charAt(i) == '\n' && next > ' ' && next < 0x7F;
    }

    private int lastCut(int from) {
        for (int i = from; i > 0; i--) {
            if (isCut(i)) {
                return i;
            }
        }
        return -1;
    }

    private int firstCut(int from, int to) {
        for (int i = Math.max(from, 1); i <= to; i++) {
            if (isCut(i)) {
                return i;
            }
        }
        return -1;
    }

    private void compact() {
        text.delete(0, pos);
        pos = 0;
    }

    /** Decodes the next block of the stream into {@code text}; sets {@code eof} at the end. */
    private void fill() throws IOException {
        int n;
        try {
            n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        } catch (IOException | RuntimeException e) {
            throw new CorpusException(name + ": cannot read (corrupt or truncated file?): " + e.getMessage(), e);
        }
        if (n > 0) {
            bytes.position(bytes.position() + n);
        }
        boolean end = n < 0;
        bytes.flip();
        while (true) {
            CoderResult r = decoder.decode(bytes, chars, end);
            drain();
            if (r.isError()) {
                throw invalid(consumed + bytes.position());
            }
            if (r.isUnderflow()) {
                break;
            }
        }
        if (end) {
            if (bytes.hasRemaining()) {
                throw invalid(consumed + bytes.position());
            }
            decoder.flush(chars);
            drain();
            eof = true;
        }
        consumed += bytes.position();
        bytes.compact();
        if (!started && text.length() > 0) {
            started = true;
            if (text.charAt(0) == '\uFEFF') {
                text.deleteCharAt(0);
            }
        }
    }

    private void drain() {
        chars.flip();
        text.append(chars);
        chars.clear();
    }

    private CorpusException invalid(long offset) {
        return new CorpusException(name + ": invalid UTF-8 at byte offset " + offset
                + " (of the decompressed text); the corpus must be UTF-8 text");
    }
}
