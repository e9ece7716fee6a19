package dev.bitnet.core.tokenizer;

import dev.bitnet.core.config.TokenizerKind;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * GPT-2's byte-level BPE ({@code r50k_base}) over a rank table: token id = BPE rank = index in
 * the table, followed by the special tokens. Core ships no table; the model file carries it, or
 * {@link #fromTiktoken} reads tiktoken's file.
 *
 * <p>Encoding splits the text with GPT-2's pattern
 * {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+} (with the
 * Unicode classes jtokkit 1.1.0 uses: {@code \s} is Unicode White_Space) and merges each piece's
 * UTF-8 bytes by lowest rank as tiktoken does. The output equals jtokkit's
 * {@code encodeOrdinary} for {@code R50K_BASE}, including its handling of a lone surrogate (it
 * is encoded as {@code ?}, as {@link String#getBytes} does, so such text does not round-trip).
 *
 * <p>Immutable and thread-safe (its only mutable state is a small bounded cache of merged
 * pieces, which changes speed, never results).
 */
public final class Gpt2Tokenizer implements Tokenizer {

    /** The name of GPT-2's only special token. */
    public static final String END_OF_TEXT = "<|endoftext|>";

    private final TokenTable table;            // every id: ranks, then special tokens
    private final int rankCount;
    private final Map<String, Integer> specialTokens;
    private final OptionalInt endOfText;
    private final PieceCache cache = new PieceCache();  // bounded, lock-free; see PieceCache

    private Gpt2Tokenizer(TokenTable table, int rankCount, Map<String, Integer> specialTokens) {
        this.table = table;
        this.rankCount = rankCount;
        this.specialTokens = specialTokens;
        Integer eot = specialTokens.get(END_OF_TEXT);
        this.endOfText = eot == null ? OptionalInt.empty() : OptionalInt.of(eot);
    }

    /**
     * A tokenizer over a rank table.
     *
     * @param mergeableRanks {@code mergeableRanks.get(i)} = bytes of token id {@code i} (= its
     *                       BPE rank); must be non-empty, without duplicates, and contain every
     *                       single byte (byte-level BPE can then encode any text)
     * @param specialTokens  name to id; the ids must be exactly the ones after the ranks
     *                       ({@code size .. size + specialTokens.size() - 1})
     * @throws IllegalArgumentException naming the offending token if the table is not valid
     */
    public static Gpt2Tokenizer of(List<byte[]> mergeableRanks, Map<String, Integer> specialTokens) {
        if (mergeableRanks == null || mergeableRanks.isEmpty()) {
            throw new IllegalArgumentException("mergeable ranks must not be empty");
        }
        if (specialTokens == null) {
            throw new IllegalArgumentException("special tokens must be given (an empty map for none)");
        }
        int n = mergeableRanks.size();
        List<byte[]> all = new ArrayList<>(n + specialTokens.size());
        for (int i = 0; i < n; i++) {
            byte[] t = mergeableRanks.get(i);
            if (t == null || t.length == 0) {
                throw new IllegalArgumentException("token " + i + " has no bytes");
            }
            all.add(t);
        }
        TreeMap<Integer, String> byId = new TreeMap<>();
        for (Map.Entry<String, Integer> e : specialTokens.entrySet()) {
            String name = e.getKey();
            Integer id = e.getValue();
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("special token with id " + id + " has no name");
            }
            if (id == null) {
                throw new IllegalArgumentException("special token '" + name + "' has no id");
            }
            if (id < n) {
                throw new IllegalArgumentException("special token '" + name + "' has id " + id
                        + ", which is a mergeable rank: special ids must follow the " + n + " ranks");
            }
            String other = byId.put(id, name);
            if (other != null) {
                throw new IllegalArgumentException("special tokens '" + other + "' and '" + name + "' share id " + id);
            }
        }
        int expected = n;
        for (Map.Entry<Integer, String> e : byId.entrySet()) {
            if (e.getKey() != expected) {
                throw new IllegalArgumentException("special token '" + e.getValue() + "' has id " + e.getKey()
                        + ", expected " + expected + ": special ids must be consecutive after the " + n + " ranks");
            }
            all.add(e.getValue().getBytes(StandardCharsets.UTF_8));
            expected++;
        }
        TokenTable table = new TokenTable(all, n);
        byte[] one = new byte[1];
        for (int b = 0; b < 256; b++) {
            one[0] = (byte) b;
            if (table.id(one, 0, 1) == TokenTable.NONE) {
                throw new IllegalArgumentException(String.format(
                        "byte 0x%02x is not a token: a byte-level BPE table must contain all 256 single bytes", b));
            }
        }
        return new Gpt2Tokenizer(table, n, Map.copyOf(specialTokens));
    }

    /**
     * Reads tiktoken's rank file ({@code r50k_base.tiktoken}: one {@code <base64 bytes> <rank>}
     * line per token, ranks 0, 1, 2, ... in order) and adds {@code <|endoftext|>} after the
     * ranks (id 50256 for r50k_base). The stream is read to its end and not closed.
     *
     * @throws IOException              if reading fails
     * @throws IllegalArgumentException naming the line if the file is not such a table
     */
    public static Gpt2Tokenizer fromTiktoken(InputStream in) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        List<byte[]> ranks = new ArrayList<>(50257);
        Base64.Decoder base64 = Base64.getDecoder();
        String line;
        int lineNo = 0;
        while ((line = r.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            int sp = line.indexOf(' ');
            if (sp <= 0 || sp != line.lastIndexOf(' ')) {
                throw new IllegalArgumentException("tiktoken line " + lineNo + ": expected '<base64> <rank>', got '"
                        + abbreviate(line) + "'");
            }
            int rank;
            byte[] bytes;
            try {
                rank = Integer.parseInt(line.substring(sp + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("tiktoken line " + lineNo + ": rank is not a number: '"
                        + abbreviate(line.substring(sp + 1)) + "'");
            }
            try {
                bytes = base64.decode(line.substring(0, sp));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tiktoken line " + lineNo + ": invalid base64 '"
                        + abbreviate(line.substring(0, sp)) + "'");
            }
            if (rank != ranks.size()) {
                throw new IllegalArgumentException("tiktoken line " + lineNo + ": rank " + rank
                        + " out of order, expected " + ranks.size());
            }
            ranks.add(bytes);
        }
        if (ranks.isEmpty()) {
            throw new IllegalArgumentException("tiktoken file has no ranks");
        }
        return of(ranks, Map.of(END_OF_TEXT, ranks.size()));
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }

    /** The rank table: element {@code i} is a copy of token {@code i}'s bytes. An unmodifiable view. */
    public List<byte[]> mergeableRanks() {
        return new AbstractList<>() {
            @Override
            public byte[] get(int index) {
                return table.bytes(Objects.checkIndex(index, rankCount));
            }

            @Override
            public int size() {
                return rankCount;
            }
        };
    }

    /** Special token name to id (unmodifiable). */
    public Map<String, Integer> specialTokens() {
        return specialTokens;
    }

    @Override
    public TokenizerKind kind() {
        return TokenizerKind.GPT2;
    }

    @Override
    public int vocabSize() {
        return table.size();
    }

    @Override
    public int[] encode(String text) {
        Gpt2PreTokenizer.Pieces pieces = Gpt2PreTokenizer.split(text);
        byte[] utf8 = pieces.utf8();
        int[] ends = pieces.ends();
        BytePairEncoder bpe = new BytePairEncoder(table, cache, text.length() / 3);
        int start = 0;
        for (int k = 0; k < pieces.count(); k++) {
            bpe.piece(utf8, start, ends[k]);
            start = ends[k];
        }
        return bpe.result();
    }

    @Override
    public byte[] tokenBytes(int token) {
        checkToken(token);
        return table.bytes(token);
    }

    /** Concatenated bytes of the tokens, copied straight from the table. */
    @Override
    public byte[] decodeBytes(int[] tokens) {
        long total = 0;
        for (int t : tokens) {
            checkToken(t);
            total += table.length(t);
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("decoded text would exceed 2 GB (" + total + " bytes)");
        }
        byte[] out = new byte[(int) total];
        int off = 0;
        for (int t : tokens) {
            off = table.copyTo(t, out, off);
        }
        return out;
    }

    @Override
    public OptionalInt endOfText() {
        return endOfText;
    }

    private void checkToken(int token) {
        if (token < 0 || token >= table.size()) {
            throw new IllegalArgumentException("token id " + token + " is outside the gpt2 vocabulary [0, "
                    + table.size() + ")");
        }
    }
}
