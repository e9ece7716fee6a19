package dev.bitnet.server;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web chat page in headless Chromium, as a person uses it: type a message, watch the answer
 * stream in, stop a long one, then get a whole greedy answer with its tokens/s. Skipped, with the
 * reason, where there is no Chromium ({@code apt-get install chromium}; .ci/run installs it).
 */
class WebPageTest {

    @Test
    void typeAMessageWatchItStreamStopItAndGetAnAnswer(@TempDir Path profile, @TempDir Path models) throws Exception {
        Optional<Path> chromium = HeadlessChromium.find();
        if (chromium.isEmpty()) {
            String reason = "WebPageTest skipped: no Chromium at /usr/bin/chromium (apt-get install chromium)";
            System.err.println(reason);
            Assumptions.abort(reason);
        }
        try (TestServer s = new TestServer(TestServer.slowModel(models), 2, 4);
             HeadlessChromium browser = new HeadlessChromium(chromium.get(), profile, s.server.url())) {
            browser.await("the model's name", "document.getElementById('model').textContent === 'model: slow'", 60);

            // A long answer streams in piece by piece until Stop ends it.
            browser.eval("document.getElementById('max-tokens').value = '4096'");
            browser.typeAndEnter("message", "Tell me everything about the sea.");
            browser.await("streamed text while the answer is still running",
                    "document.querySelectorAll('.turn.assistant span')[0].textContent.length > 20"
                            + " && !document.getElementById('stop').disabled", 60);
            browser.eval("document.getElementById('stop').click()");
            browser.await("the stopped reply", "document.getElementById('stats').textContent.startsWith('stopped after')", 60);
            assertThat(browser.eval("document.getElementById('send').disabled").getAsBoolean()).isFalse();
            s.awaitLog("for the stopped stream", l -> l.contains("cancelled (client disconnected)"));

            // A new chat, greedy and short: the page shows exactly the runtime's answer, and tokens/s.
            browser.eval("document.getElementById('clear').click()");
            browser.eval("document.getElementById('temperature').value = '0'");
            browser.eval("document.getElementById('max-tokens').value = '40'");
            browser.typeAndEnter("message", "What did the President say?");
            browser.await("the finished answer with its speed", "document.getElementById('stats').textContent.includes('tokens/s')"
                    + " && !document.getElementById('send').disabled", 60);
            assertThat(browser.eval("document.querySelector('.turn.user span').textContent").getAsString())
                    .isEqualTo("What did the President say?");
            assertThat(browser.eval("document.querySelector('.turn.assistant span').textContent").getAsString())
                    .isEqualTo(s.runtimeAnswer("What did the President say?", 40));
            assertThat(browser.eval("document.getElementById('stats').textContent").getAsString()).startsWith("40 tokens, ");
            Files.write(Path.of("target", "web-chat.png"), browser.screenshot()); // for a person to look at
        }
    }
}
