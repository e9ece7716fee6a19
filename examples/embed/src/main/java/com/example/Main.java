package com.example;

import dev.bitnet.runtime.BitNetModel;
import dev.bitnet.runtime.GenerationOptions;
import dev.bitnet.runtime.GenerationResult;
import dev.bitnet.runtime.Session;

import java.io.IOException;
import java.nio.file.Path;

public class Main {
    // Loading throws Bit2FormatException, an IOException naming the file and the problem.
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : "model.bit2");
        try (BitNetModel model = BitNetModel.load(file);       // maps and checks the file
             Session session = model.newSession()) {            // one conversation
            GenerationOptions options = GenerationOptions.builder()
                    .temperature(0.8f).topP(0.95f).seed(42).maxTokens(200).build();
            GenerationResult r = session.generate("Once upon a time", options, System.out::print);
            System.err.printf("%n%d tokens at %.0f tokens/s%n", r.generatedTokens(), r.generationTokensPerSecond());
        }
    }
}
