package dev.bitnet.runtime;

import dev.bitnet.core.config.ModelConfig;
import dev.bitnet.core.config.TokenizerKind;
import dev.bitnet.runtime.sampling.Sampler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Generation, scoring and the session's life cycle on random byte-level models. */
class SessionTest {

    private static final ModelConfig SMALL = new ModelConfig(256, 128, 2, 4, 256, 32, TokenizerKind.BYTES);

    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void writeModel() throws Exception {
        model = TestModels.random(SMALL, 11, dir);
    }

    /** With 1 to 3 threads: greedy decoding takes the argmax the head's threads find, which must be the logits' argmax. */
    @Test
    void greedyGenerationFollowsTheArgmaxOfTheLogits() throws Exception {
        for (int threads = 1; threads <= 3; threads++) {
            greedyFollowsArgmax(threads);
        }
    }

    private void greedyFollowsArgmax(int threads) throws Exception {
        try (BitNetModel m = BitNetModel.load(model); Session s = m.newSession(threads)) {
            int[] prompt = m.tokenizer().encode("The quick brown fox");
            GenerationResult r = s.generate(prompt, GenerationOptions.greedy(20), GenerationListener.NONE);
            assertThat(r.generatedTokens()).isEqualTo(20);
            assertThat(r.promptTokens()).isEqualTo(prompt.length);
            assertThat(r.stopReason()).isEqualTo(StopReason.MAX_TOKENS);

            // Redo it by hand: argmax of the logits after each token.
            int[] seq = prompt.clone();
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                float[][] l = m.logits(seq);
                int next = Sampler.argmax(l[l.length - 1]);
                expected.add(next);
                seq = java.util.Arrays.copyOf(seq, seq.length + 1);
                seq[seq.length - 1] = next;
            }
            byte[] bytes = new byte[20];
            for (int i = 0; i < 20; i++) {
                bytes[i] = (byte) (int) expected.get(i);
            }
            assertThat(r.text()).isEqualTo(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
            // The last sampled token is kept and fed before the next call.
            assertThat(s.position()).isEqualTo(prompt.length + 20);
        }
    }

    @Test
    void streamedPiecesMakeUpTheText() throws Exception {
        try (BitNetModel m = BitNetModel.load(model); Session s = m.newSession()) {
            StringBuilder streamed = new StringBuilder();
            List<String> pieces = new ArrayList<>();
            GenerationResult r = s.generate("Hello", GenerationOptions.builder().seed(3).maxTokens(60).build(), p -> {
                pieces.add(p);
                streamed.append(p);
            });
            assertThat(pieces).allMatch(p -> !p.isEmpty());
            assertThat(streamed.toString()).isEqualTo(r.text());
        }
    }

    @Test
    void sameSeedSameText() throws Exception {
        GenerationOptions o = GenerationOptions.builder().temperature(1.2f).topK(50).topP(0.9f)
                .repetitionPenalty(1.3f).seed(1234).maxTokens(40).build();
        try (BitNetModel m = BitNetModel.load(model)) {
            String a;
            String b;
            String c;
            try (Session s = m.newSession()) {
                a = s.generate("Once", o, GenerationListener.NONE).text();
            }
            try (Session s = m.newSession(1)) {
                b = s.generate("Once", o, GenerationListener.NONE).text();
            }
            try (Session s = m.newSession()) {
                c = s.generate("Once", GenerationOptions.builder().temperature(1.2f).seed(99).maxTokens(40).build(),
                        GenerationListener.NONE).text();
            }
            assertThat(a).isEqualTo(b).isNotEqualTo(c);
        }
    }

    @Test
    void stopStringEndsGenerationAndIsNotPartOfTheText() throws Exception {
        try (BitNetModel m = BitNetModel.load(model); Session s = m.newSession()) {
            String full = s.generate("abc", GenerationOptions.greedy(30), GenerationListener.NONE).text();
            // Pick a stop string from the middle of what greedy decoding produces.
            String stop = full.substring(10, 12);
            int at = full.indexOf(stop);
            s.reset();
            StringBuilder streamed = new StringBuilder();
            GenerationResult r = s.generate("abc", GenerationOptions.builder().temperature(0).maxTokens(30)
                    .stopStrings(List.of(stop)).build(), streamed::append);
            assertThat(r.stopReason()).isEqualTo(StopReason.STOP_STRING);
            assertThat(r.text()).isEqualTo(full.substring(0, at));
            assertThat(streamed.toString()).isEqualTo(r.text());
        }
    }

    @Test
    void endOfTextStopsGeneration() throws Exception {
        ModelConfig gpt2 = new ModelConfig(50257, 64, 1, 2, 64, 32, TokenizerKind.GPT2);
        Path src = TestModels.random(gpt2, 5, dir);
        Path eot = TestModels.withHeadBias(src, 50256, 1000f, dir.resolve("eot.bit2"));
        try (BitNetModel m = BitNetModel.load(eot); Session s = m.newSession()) {
            GenerationResult r = s.generate("Hello world", GenerationOptions.builder().seed(1).maxTokens(10).build(),
                    GenerationListener.NONE);
            assertThat(r.stopReason()).isEqualTo(StopReason.END_OF_TEXT);
            assertThat(r.generatedTokens()).isZero();
            assertThat(r.text()).isEmpty();
        }
    }

    @Test
    void cancelFromAnotherThreadStopsGeneration() throws Exception {
        try (BitNetModel m = BitNetModel.load(model); Session s = m.newSession()) {
            CountDownLatch started = new CountDownLatch(1);
            ExecutorService ex = Executors.newSingleThreadExecutor();
            try {
                Future<GenerationResult> f = ex.submit(() -> s.generate("x",
                        GenerationOptions.builder().seed(1).maxTokens(1_000_000).build(), p -> started.countDown()));
                started.await();
                s.cancel();
                GenerationResult r = f.get();
                assertThat(r.stopReason()).isEqualTo(StopReason.CANCELLED);
                assertThat(r.generatedTokens()).isLessThan(1_000_000);
            } finally {
                ex.shutdownNow();
            }
        }
    }

    @Test
    void concurrentSessionsGiveTheSameResultsAsAlone() throws Exception {
        try (BitNetModel m = BitNetModel.load(model)) {
            int sessions = 6;
            List<String> alone = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                try (Session s = m.newSession(1 + i % 2)) {
                    alone.add(s.generate("Prompt " + i, options(i), GenerationListener.NONE).text());
                }
            }
            ExecutorService ex = Executors.newFixedThreadPool(sessions);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<String>> results = new ArrayList<>();
                for (int i = 0; i < sessions; i++) {
                    int id = i;
                    results.add(ex.submit(() -> {
                        try (Session s = m.newSession(1 + id % 2)) {
                            go.await();
                            return s.generate("Prompt " + id, options(id), GenerationListener.NONE).text();
                        }
                    }));
                }
                go.countDown();
                for (int i = 0; i < sessions; i++) {
                    assertThat(results.get(i).get()).as("session " + i).isEqualTo(alone.get(i));
                }
            } finally {
                ex.shutdownNow();
            }
        }
    }

    private static GenerationOptions options(int i) {
        return GenerationOptions.builder().seed(100 + i).temperature(i % 3 == 0 ? 0f : 0.9f).maxTokens(150).build();
    }

    @Test
    void generationRunsFarBeyondTheTrainedContextWithBoundedCache() throws Exception {
        try (BitNetModel m = BitNetModel.load(model); Session s = m.newSession()) {
            GenerationResult r = s.generate("go", GenerationOptions.builder().seed(2).maxTokens(10 * SMALL.context()).build(),
                    GenerationListener.NONE);
            assertThat(r.generatedTokens()).isEqualTo(10 * SMALL.context());
            long perSlot = 2L * SMALL.nLayers() * SMALL.nHeads() * 8; // one word per head for k and v
            assertThat(s.cacheBytes()).isLessThanOrEqualTo(perSlot * (m.attentionWindow() + 64));
        }
    }

    @Test
    void logProbsAgreeWithLogitsAndContinueAcrossCalls() throws Exception {
        try (BitNetModel m = BitNetModel.load(model)) {
            int[] tokens = TestModels.tokens(150, 256, 9);
            float[][] logits = m.logits(tokens);
            double[] whole;
            try (Session s = m.newSession()) {
                whole = s.logProbs(tokens);
            }
            assertThat(whole[0]).isNaN();
            for (int i = 1; i < tokens.length; i++) {
                assertThat(whole[i]).isCloseTo(logSoftmax(logits[i - 1], tokens[i]), within(1e-9));
            }
            try (Session s = m.newSession()) {
                double[] a = s.logProbs(java.util.Arrays.copyOfRange(tokens, 0, 70));
                double[] b = s.logProbs(java.util.Arrays.copyOfRange(tokens, 70, 150));
                assertThat(a[0]).isNaN();
                for (int i = 1; i < 150; i++) {
                    assertThat(i < 70 ? a[i] : b[i - 70]).as("token " + i).isEqualTo(whole[i]);
                }
            }
        }
    }

    private static double logSoftmax(float[] l, int t) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : l) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : l) {
            sum += Math.exp(v - max);
        }
        return l[t] - max - Math.log(sum);
    }

    @Test
    void generationContinuesTheConversation() throws Exception {
        try (BitNetModel m = BitNetModel.load(model); Session s = m.newSession()) {
            GenerationResult first = s.generate("abc", GenerationOptions.greedy(5), GenerationListener.NONE);
            GenerationResult second = s.generate("d", GenerationOptions.greedy(5), GenerationListener.NONE);
            int[] all = m.tokenizer().encode("abc" + first.text() + "d");
            try (Session fresh = m.newSession()) {
                GenerationResult once = fresh.generate(all, GenerationOptions.greedy(5), GenerationListener.NONE);
                assertThat(second.text()).isEqualTo(once.text());
            }
            s.reset();
            assertThat(s.position()).isZero();
        }
    }

    @Test
    void badInputGetsClearErrors() throws Exception {
        try (BitNetModel m = BitNetModel.load(model); Session s = m.newSession()) {
            assertThatThrownBy(() -> s.generate("", GenerationOptions.defaults(), GenerationListener.NONE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("prompt must not be empty");
            assertThatThrownBy(() -> s.logits(new int[] {1, 256}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("token id 256 at index 1 is outside the vocabulary [0, 256)");
            assertThatThrownBy(() -> s.logProbs(new int[0]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("token sequence must not be empty");
            assertThatThrownBy(() -> m.newSession(0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("threads must be >= 1, got 0");
        }
    }

    @Test
    void closedModelAndSessionRefuseWork() throws Exception {
        BitNetModel m = BitNetModel.load(model);
        Session s = m.newSession();
        s.close();
        assertThatThrownBy(() -> s.logits(new int[] {1})).isInstanceOf(IllegalStateException.class)
                .hasMessage("session is closed");
        Session t = m.newSession();
        m.close();
        assertThatThrownBy(() -> t.logits(new int[] {1})).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
        t.close();
    }
}
