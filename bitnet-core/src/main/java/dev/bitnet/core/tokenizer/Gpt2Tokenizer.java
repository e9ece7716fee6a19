package dev.bitnet.core.tokenizer;

import dev.bitnet.core.config.TokenizerKind;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** STUB: the tokenizer helper replaces this file. Signatures are the contract. */
public final class Gpt2Tokenizer implements Tokenizer {
    /** mergeableRanks.get(i) = bytes of token id i (= BPE rank i); specialTokens: name -> id (ids after the ranks). */
    public static Gpt2Tokenizer of(List<byte[]> mergeableRanks, Map<String, Integer> specialTokens) { throw new UnsupportedOperationException(); }
    /** Parses tiktoken's "base64 rank" lines (r50k_base.tiktoken) and adds <|endoftext|> = 50256. */
    public static Gpt2Tokenizer fromTiktoken(InputStream in) throws IOException { throw new UnsupportedOperationException(); }
    public List<byte[]> mergeableRanks() { throw new UnsupportedOperationException(); }
    public Map<String, Integer> specialTokens() { throw new UnsupportedOperationException(); }
    @Override public TokenizerKind kind() { return TokenizerKind.GPT2; }
    @Override public int vocabSize() { throw new UnsupportedOperationException(); }
    @Override public int[] encode(String text) { throw new UnsupportedOperationException(); }
    @Override public byte[] tokenBytes(int token) { throw new UnsupportedOperationException(); }
    @Override public OptionalInt endOfText() { throw new UnsupportedOperationException(); }
}
