package dev.bitnet.server;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official OpenAI SDK for JavaScript ({@code openai} on npm, version in src/test/node/package.json)
 * against the server, run by Node: chat, streamed chat, completions, streamed completions, the
 * model list and two errors. Skipped, with the reason, where Node or the package is missing
 * ({@code .ci/run} installs the package into target/node).
 */
class OfficialOpenAiSdkTest {

    static final Path PACKAGE = Path.of("target", "node", "node_modules", "openai", "package.json");

    @Test
    void theOfficialSdkGetsTheRuntimesAnswersAndItsErrors() throws Exception {
        Optional<Path> node = onPath("node");
        skipUnless(node.isPresent(), "no node on the PATH (apt-get install nodejs)");
        skipUnless(Files.exists(PACKAGE), "the openai npm package is not in bitnet-server/target/node"
                + " (cp src/test/node/package.json target/node/ && npm install --prefix target/node, as .ci/run does)");
        try (TestServer s = new TestServer(2, 8)) {
            // Node resolves an ES module's imports from the script's own folder: run a copy next to node_modules.
            Path script = Files.copy(Path.of("src", "test", "node", "openai-client.mjs"), Path.of("target", "node", "openai-client.mjs"),
                    StandardCopyOption.REPLACE_EXISTING);
            Path stderr = Path.of("target", "node", "openai-client.err");
            Process p = new ProcessBuilder(node.get().toString(), script.toAbsolutePath().toString(), s.baseUrl())
                    .redirectError(stderr.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
            String err = Files.readString(stderr);
            assertThat(p.exitValue()).as("node's exit status; stderr:%n%s", err).isZero();
            JsonObject r = JsonParser.parseString(out.strip()).getAsJsonObject();

            String answer = s.runtimeAnswer("What did the President say?", 30);
            JsonObject chat = r.getAsJsonObject("chat");
            assertThat(chat.get("text").getAsString()).isEqualTo(answer);
            assertThat(chat.get("finish").getAsString()).isEqualTo("length");
            assertThat(chat.getAsJsonObject("usage").get("completion_tokens").getAsInt()).isEqualTo(30);
            JsonObject chatStream = r.getAsJsonObject("chatStream");
            assertThat(chatStream.get("text").getAsString()).isEqualTo(answer);
            assertThat(chatStream.get("pieces").getAsInt()).isGreaterThan(1);
            assertThat(chatStream.get("finish").getAsString()).isEqualTo("length");
            assertThat(chatStream.getAsJsonObject("usage").get("completion_tokens").getAsInt()).isEqualTo(30);

            String completion = s.runtimeCompletion("The President said", 20);
            assertThat(r.getAsJsonObject("completion").get("text").getAsString()).isEqualTo(completion);
            assertThat(r.getAsJsonObject("completion").getAsJsonObject("usage").get("prompt_tokens").getAsInt()).isEqualTo(18);
            assertThat(r.getAsJsonObject("completionStream").get("text").getAsString()).isEqualTo(completion);
            assertThat(r.getAsJsonArray("models").get(0).getAsString()).isEqualTo(TestServer.MODEL_ID);

            JsonObject unknown = r.getAsJsonObject("unknownModel");
            assertThat(unknown.get("error").getAsString()).isEqualTo("NotFoundError");
            assertThat(unknown.get("code").getAsString()).isEqualTo("model_not_found");
            JsonObject hot = r.getAsJsonObject("badTemperature");
            assertThat(hot.get("error").getAsString()).isEqualTo("BadRequestError");
            assertThat(hot.get("param").getAsString()).isEqualTo("temperature");
        }
    }

    private static void skipUnless(boolean ok, String why) {
        if (!ok) {
            String reason = "OfficialOpenAiSdkTest skipped: " + why;
            System.err.println(reason);
            Assumptions.abort(reason);
        }
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        return path == null ? Optional.empty() : Stream.of(path.split(File.pathSeparator)).map(d -> Path.of(d, program))
                .filter(Files::isExecutable).findFirst();
    }
}
