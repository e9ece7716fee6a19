package dev.bitnet.train.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Streams tensors into a {@link TensorFile} one at a time (so a large model never needs two
 * copies in Java memory). The tensor count is patched into the header on {@link #close()},
 * which also forces the file to disk.
 */
public final class TensorFileWriter implements AutoCloseable {

    private static final int COUNT_OFFSET = TensorFile.MAGIC.length + 4;

    private final FileChannel ch;
    private final Set<String> names = new HashSet<>();
    private final ByteBuffer chunk = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);

    /** Creates (or truncates) {@code file} and writes the header. */
    public TensorFileWriter(Path file) throws IOException {
        ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        ByteBuffer h = ByteBuffer.allocate(COUNT_OFFSET + 4).order(ByteOrder.LITTLE_ENDIAN);
        h.put(TensorFile.MAGIC).putInt(TensorFile.VERSION).putInt(0).flip();
        writeFully(h);
    }

    /** Appends one tensor. */
    public void write(String name, long[] shape, float[] data) throws IOException {
        new FloatTensor(shape, data); // validates shape against data
        if (!names.add(name)) {
            throw new IllegalArgumentException("tensor '" + name + "' written twice");
        }
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer h = ByteBuffer.allocate(8 + nameBytes.length + 8 * shape.length).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(nameBytes.length).put(nameBytes).putInt(shape.length);
        for (long d : shape) {
            h.putLong(d);
        }
        writeFully(h.flip());
        CRC32C crc = new CRC32C();
        int done = 0;
        while (done < data.length) {
            int n = Math.min(data.length - done, chunk.capacity() / 4);
            chunk.clear();
            chunk.asFloatBuffer().put(data, done, n);
            chunk.limit(n * 4);
            crc.update(chunk.duplicate());
            writeFully(chunk);
            done += n;
        }
        ByteBuffer c = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue()).flip();
        writeFully(c);
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            ByteBuffer c = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(names.size()).flip();
            while (c.hasRemaining()) {
                ch.write(c, COUNT_OFFSET + c.position());
            }
            ch.force(true);
        } finally {
            ch.close();
        }
    }
}
