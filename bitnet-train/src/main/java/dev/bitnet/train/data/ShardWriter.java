package dev.bitnet.train.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Streams tokens into one {@link TokenShard} file. Tokens go to a temporary file beside the target;
 * {@link #commit()} writes the header and renames it into place, so a reader never sees a
 * half-written shard. Closing without committing deletes the temporary file.
 */
public final class ShardWriter implements AutoCloseable {

    /** The most tokens one shard can hold: the header stores the count as int32. */
    public static final long MAX_TOKENS = Integer.MAX_VALUE;

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    private long count;
    private boolean done;

    private ShardWriter(Path target, Path temp, FileChannel channel) {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
    }

    /** Starts a shard that {@link #commit()} will place at {@code target} (replacing any file there). */
    public static ShardWriter create(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        ch.write(ByteBuffer.allocate(TokenShard.HEADER_BYTES)); // header placeholder, filled by commit()
        return new ShardWriter(target, temp, ch);
    }

    /** Tokens written so far. */
    public long count() {
        return count;
    }

    /**
     * Appends {@code tokens[off..off+len)}.
     *
     * @throws IllegalArgumentException if a token does not fit in uint16 or the shard would exceed {@link #MAX_TOKENS}
     */
    public void add(int[] tokens, int off, int len) throws IOException {
        if (count + len > MAX_TOKENS) {
            throw new IllegalArgumentException("a shard holds at most " + MAX_TOKENS + " tokens: " + target);
        }
        int end = off + len;
        while (off < end) {
            if (buffer.remaining() < 2) {
                flush();
            }
            int n = Math.min(end - off, buffer.remaining() / 2);
            int pos = buffer.position();
            for (int i = 0; i < n; i++) {
                int t = tokens[off + i];
                if ((t & ~0xFFFF) != 0) {
                    throw new IllegalArgumentException("token " + t + " does not fit in uint16 (shard " + target + ")");
                }
                buffer.putShort(pos + 2 * i, (short) t);
            }
            buffer.position(pos + 2 * n);
            off += n;
            count += n;
        }
    }

    private void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    /** Writes the header, syncs and renames the file into place. */
    public void commit() throws IOException {
        flush();
        ByteBuffer header = ByteBuffer.allocate(TokenShard.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0, TokenShard.MAGIC).putInt(4, TokenShard.VERSION).putInt(8, (int) count);
        channel.write(header, 0);
        channel.force(true);
        channel.close();
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        done = true;
    }

    /** Deletes the temporary file unless {@link #commit()} succeeded. */
    @Override
    public void close() throws IOException {
        if (!done) {
            done = true;
            channel.close();
            Files.deleteIfExists(temp);
        }
    }
}
