package dev.bitnet.train.data;

import dev.bitnet.core.config.TokenizerKind;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the prepared tokens are: training = tokens {@code [0, trainTokens)} of the concatenation of
 * {@code trainShards}; validation = tokens {@code [valOffset, valOffset + valTokens)} of the
 * concatenation of {@code valShards}. With a held-out fraction, {@code valShards} are the training
 * shards and {@code valOffset == trainTokens} (the validation tokens are the training tail).
 *
 * @param kind        the tokenizer the tokens were made with (and checked against)
 * @param trainFiles  the training input files, directories expanded
 * @param trainShards llm.c token shards, in order
 * @param trainTokens number of training tokens
 * @param valFiles    the validation input files, directories expanded (empty when the
 *                    validation tokens are held out of the training data)
 * @param valShards   shards holding the validation tokens (empty if there is no validation data)
 * @param valOffset   index of the first validation token in {@code valShards}
 * @param valTokens   number of validation tokens (0 if none)
 */
public record PreparedCorpus(TokenizerKind kind, List<Path> trainFiles, List<Path> trainShards, long trainTokens,
                             List<Path> valFiles, List<Path> valShards, long valOffset, long valTokens) {

    public PreparedCorpus {
        trainFiles = List.copyOf(trainFiles);
        valFiles = List.copyOf(valFiles);
        trainShards = List.copyOf(trainShards);
        valShards = List.copyOf(valShards);
    }

    /** Whether there are validation tokens. */
    public boolean hasValidation() {
        return valTokens > 0;
    }

    /** Maps the training tokens. The caller closes the dataset. */
    public TokenDataset openTrain() throws IOException {
        return TokenDataset.open(trainShards, 0, trainTokens);
    }

    /**
     * Maps the validation tokens. The caller closes the dataset.
     *
     * @throws IllegalStateException if there are none
     */
    public TokenDataset openVal() throws IOException {
        if (!hasValidation()) {
            throw new IllegalStateException("no validation data: give validation inputs or a held-out fraction");
        }
        return TokenDataset.open(valShards, valOffset, valTokens);
    }
}
