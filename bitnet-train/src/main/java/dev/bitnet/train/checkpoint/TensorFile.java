package dev.bitnet.train.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;
import java.util.zip.CRC32C;

/**
 * A small, documented file of named float32 tensors, readable without DJL (the exporter reads
 * checkpoints with it). All integers are little-endian:
 * <pre>
 *   magic   8 bytes  "BNTENSOR"
 *   version u32      1
 *   count   u32      number of tensors
 *   count times:
 *     name_len u32, name  UTF-8 bytes
 *     rank     u32, dims  rank x i64 (outermost first)
 *     data     product(dims) x float32, row-major
 *     crc      u32      CRC32C of the data bytes
 * </pre>
 */
public final class TensorFile {

    /** The first eight bytes of every tensor file. */
    public static final byte[] MAGIC = "BNTENSOR".getBytes(StandardCharsets.US_ASCII);
    /** The format version this code writes and reads. */
    public static final int VERSION = 1;

    private static final int MAX_NAME = 1 << 16;
    private static final int MAX_RANK = 8;

    private TensorFile() {
    }

    /**
     * Reads every tensor of a file, in file order.
     *
     * @throws CheckpointException naming the file and what is wrong (magic, version, a tensor's CRC, truncation)
     */
    public static SequencedMap<String, FloatTensor> read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Reader r = new Reader(ch, file);
            byte[] magic = r.bytes(MAGIC.length);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new CheckpointException(file + ": not a bitnet tensor file (magic "
                        + new String(magic, StandardCharsets.ISO_8859_1).replaceAll("\\p{Cntrl}", "?")
                        + ", expected BNTENSOR)");
            }
            int version = r.u32();
            if (version != VERSION) {
                throw new CheckpointException(file + ": tensor file version " + version + " is not supported (expected "
                        + VERSION + ")");
            }
            int count = r.u32();
            SequencedMap<String, FloatTensor> out = new LinkedHashMap<>();
            for (int t = 0; t < count; t++) {
                int nameLen = r.u32();
                if (nameLen <= 0 || nameLen > MAX_NAME) {
                    throw new CheckpointException(file + ": tensor " + t + " has a bad name length " + nameLen);
                }
                String name = new String(r.bytes(nameLen), StandardCharsets.UTF_8);
                int rank = r.u32();
                if (rank < 0 || rank > MAX_RANK) {
                    throw new CheckpointException(file + ": tensor '" + name + "' has a bad rank " + rank);
                }
                long[] shape = new long[rank];
                long n = 1;
                for (int i = 0; i < rank; i++) {
                    shape[i] = r.i64();
                    if (shape[i] < 0 || shape[i] > Integer.MAX_VALUE) {
                        throw new CheckpointException(file + ": tensor '" + name + "' has a bad dimension " + shape[i]);
                    }
                    n *= shape[i];
                    if (n > Integer.MAX_VALUE - 8) {
                        throw new CheckpointException(file + ": tensor '" + name + "' is too large for one array");
                    }
                }
                float[] data = new float[(int) n];
                CRC32C crc = new CRC32C();
                r.floats(data, crc, name);
                int stored = r.u32();
                if (stored != (int) crc.getValue()) {
                    throw new CheckpointException(file + ": tensor '" + name + "' fails its CRC32C check (file is corrupt)");
                }
                if (out.put(name, new FloatTensor(shape, data)) != null) {
                    throw new CheckpointException(file + ": tensor '" + name + "' appears twice");
                }
            }
            if (ch.position() != ch.size()) {
                throw new CheckpointException(file + ": " + (ch.size() - ch.position()) + " unexpected bytes after the last tensor");
            }
            return out;
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file + ": no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Writes tensors in map order (see {@link TensorFileWriter} to stream them one by one). */
    public static void write(Path file, Map<String, FloatTensor> tensors) throws IOException {
        try (TensorFileWriter w = new TensorFileWriter(file)) {
            for (Map.Entry<String, FloatTensor> e : tensors.entrySet()) {
                w.write(e.getKey(), e.getValue().shape(), e.getValue().data());
            }
        }
    }

    private static final class Reader {
        private final FileChannel ch;
        private final Path file;
        private final ByteBuffer small = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        Reader(FileChannel ch, Path file) {
            this.ch = ch;
            this.file = file;
        }

        private void fill(ByteBuffer b, String what) throws IOException {
            while (b.hasRemaining()) {
                if (ch.read(b) < 0) {
                    throw new CheckpointException(file + ": truncated while reading " + what);
                }
            }
            b.flip();
        }

        int u32() throws IOException {
            small.clear().limit(4);
            fill(small, "a header");
            return small.getInt();
        }

        long i64() throws IOException {
            small.clear().limit(8);
            fill(small, "a header");
            return small.getLong();
        }

        byte[] bytes(int n) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(n);
            fill(b, "a header");
            return b.array();
        }

        void floats(float[] out, CRC32C crc, String name) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            int done = 0;
            while (done < out.length) {
                int n = Math.min(out.length - done, b.capacity() / 4);
                b.clear().limit(n * 4);
                fill(b, "tensor '" + name + "'");
                crc.update(b.duplicate());
                b.asFloatBuffer().get(out, done, n);
                done += n;
            }
        }
    }
}
