package dev.bitnet.compact.verify;

import dev.bitnet.compact.export.ExportException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The real text a parity check runs on: a file the user names ({@code --verify-text}), else the
 * bundled first two chapters of Moby Dick (public domain, about 20 KB: ~20,000 byte tokens,
 * ~4,800 GPT-2 tokens). Checkpoints do not record their validation files, so there is no
 * "run's own data" to fall back to.
 */
public final class VerifyText {

    /** The bundled text. */
    public static final String RESOURCE = "/dev/bitnet/compact/verify/moby-dick-1-2.txt";

    private VerifyText() {
    }

    /**
     * The text of {@code file}, or the bundled text when {@code file} is null.
     *
     * @throws ExportException if the file is missing, unreadable or not UTF-8
     */
    public static String read(Path file) {
        try {
            byte[] bytes;
            if (file == null) {
                try (InputStream in = VerifyText.class.getResourceAsStream(RESOURCE)) {
                    if (in == null) {
                        throw new IllegalStateException("bundled verify text " + RESOURCE + " is missing from the class path");
                    }
                    bytes = in.readAllBytes();
                }
            } else {
                bytes = Files.readAllBytes(file);
            }
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new ExportException("--verify-text: no such file: " + file, e);
        } catch (CharacterCodingException e) {
            throw new ExportException("--verify-text: " + file + " is not UTF-8 text", e);
        } catch (IOException e) {
            throw new ExportException("--verify-text: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** How a report names the text: the file, or the bundled resource. */
    public static String describe(Path file) {
        return file == null ? "bundled Moby Dick ch. 1-2" : file.toString();
    }
}
