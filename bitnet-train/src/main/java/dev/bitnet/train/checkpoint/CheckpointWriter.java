package dev.bitnet.train.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.bitnet.train.optim.AdamW;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

/**
 * Writes a checkpoint directory atomically: everything goes to a hidden temporary directory
 * beside the target and is forced to disk; only then is the previous checkpoint renamed to
 * {@code <name>.old}, the new one renamed into place and the old one deleted. At every moment a
 * complete checkpoint exists under {@code <name>} or {@code <name>.old} (see
 * {@link Checkpoint#resolve(java.nio.file.Path)}). If writing the temporary directory fails (a
 * full disk, say), it is deleted before the error is rethrown: a partial copy left behind would
 * keep the disk full.
 */
public final class CheckpointWriter {

    private CheckpointWriter() {
    }

    /**
     * Writes {@code target} (e.g. {@code run/last}).
     *
     * @param params    the model's parameters by name (copied to the host one at a time)
     * @param optimizer whose moments to save, or {@code null} to save parameters only
     */
    public static void write(Path target, CheckpointMeta meta, Map<String, NDArray> params, AdamW optimizer)
            throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        String name = target.getFileName().toString();
        Path tmp = parent.resolve("." + name + ".tmp");
        Path old = parent.resolve(name + Checkpoint.OLD_SUFFIX);
        deleteRecursively(tmp);
        Files.createDirectory(tmp);
        try {
            writeArrays(tmp.resolve(Checkpoint.PARAMS_FILE), params);
            if (optimizer != null) {
                try (NDManager views = NDManager.newBaseManager()) {          // owns the moment views only
                    writeArrays(tmp.resolve(Checkpoint.OPTIMIZER_FILE), optimizer.moments(views));
                }
            }
            Path metaFile = tmp.resolve(Checkpoint.META_FILE);
            Files.writeString(metaFile, Checkpoint.GSON.toJson(
                    Checkpoint.metaJson(meta, optimizer == null ? null : optimizer.step())) + "\n");
            force(metaFile);
            force(tmp);
        } catch (Throwable t) {
            try {
                deleteRecursively(tmp);
            } catch (IOException | RuntimeException cleanup) {
                t.addSuppressed(cleanup);
            }
            throw t;
        }
        if (Files.exists(target)) {
            deleteRecursively(old);
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        force(parent);
        deleteRecursively(old);
    }

    private static void writeArrays(Path file, Map<String, NDArray> arrays) throws IOException {
        try (TensorFileWriter w = new TensorFileWriter(file)) {
            for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
                NDArray a = e.getValue();
                w.write(e.getKey(), a.getShape().getShape(), a.toFloatArray());
            }
        }
    }

    private static void force(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
