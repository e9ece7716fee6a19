package dev.bitnet.core.format;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.tokenizer.Tokenizer;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** STUB: the format helper replaces this file. Signatures are the contract. */
public final class Bit2File implements AutoCloseable {
    /** Opens and fully verifies (header and every tensor's CRC32C). */
    public static Bit2File open(Path file) throws Bit2FormatException { return open(file, true); }
    /** Opens; verifyData=false checks the header CRC only. */
    public static Bit2File open(Path file, boolean verifyData) throws Bit2FormatException { throw new UnsupportedOperationException(); }
    public Path path() { throw new UnsupportedOperationException(); }
    public int formatVersion() { throw new UnsupportedOperationException(); }
    public ModelConfig config() { throw new UnsupportedOperationException(); }
    public Tokenizer tokenizer() { throw new UnsupportedOperationException(); }
    /** Free-form metadata in file order. */
    public Map<String, String> metadata() { throw new UnsupportedOperationException(); }
    public boolean dataVerified() { throw new UnsupportedOperationException(); }
    public List<TensorInfo> tensors() { throw new UnsupportedOperationException(); }
    /** @throws Bit2FormatException if absent */
    public TensorInfo info(String name) throws Bit2FormatException { throw new UnsupportedOperationException(); }
    /** Read-only view of the mapped data, 64-byte aligned, valid until close(). */
    public MemorySegment segment(String name) throws Bit2FormatException { throw new UnsupportedOperationException(); }
    public float[] floats(String name) throws Bit2FormatException { throw new UnsupportedOperationException(); }
    public int[] ints(String name) throws Bit2FormatException { throw new UnsupportedOperationException(); }
    public long[] longs(String name) throws Bit2FormatException { throw new UnsupportedOperationException(); }
    /** Checks the file holds exactly the tensors of ModelLayout.tensors(config()) with those dtypes and shapes. */
    public void requireModelLayout() throws Bit2FormatException { throw new UnsupportedOperationException(); }
    @Override public void close() { }
}
