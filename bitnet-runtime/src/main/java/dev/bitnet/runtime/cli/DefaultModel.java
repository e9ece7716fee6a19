package dev.bitnet.runtime.cli;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where {@code generate} and {@code chat} find a model when {@code --model} is not given.
 * There is no bundled or downloaded default model yet, so the lookup finds nothing and the
 * commands ask for {@code --model}; this is the one place to change when there is one.
 */
final class DefaultModel {

    /** The message shown when no model is given and none is found. */
    static final String MISSING = "no model given; pass --model FILE";

    private DefaultModel() {
    }

    /** The default model file, if there is one. */
    static Optional<Path> find() {
        return Optional.empty();
    }
}
