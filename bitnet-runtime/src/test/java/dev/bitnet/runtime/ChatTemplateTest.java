package dev.bitnet.runtime;

import dev.bitnet.runtime.ChatTemplate.Message;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChatTemplateTest {

    @Test
    void writesTurnsAsUserAndAssistantLines() {
        assertThat(ChatTemplate.prompt(List.of(Message.user(" What is a whale? "))))
                .isEqualTo("\nUser: What is a whale?\nAssistant:");
        assertThat(ChatTemplate.prompt(List.of(Message.system("A talk about whales."), Message.user("Hi"),
                Message.assistant("Hello."), Message.user("What is a whale?"))))
                .isEqualTo("A talk about whales.\nUser: Hi\nAssistant: Hello.\nUser: What is a whale?\nAssistant:");
        // An answer last: the model continues it.
        assertThat(ChatTemplate.prompt(List.of(Message.user("Hi"), Message.assistant("Hello, I"))))
                .isEqualTo("\nUser: Hi\nAssistant: Hello, I");
    }

    @Test
    void aChatNeedsAUserMessage() {
        assertThatThrownBy(() -> ChatTemplate.prompt(List.of(Message.system("only context"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a chat needs at least one user message");
        assertThatThrownBy(() -> Message.user(null)).hasMessage("a chat message needs a role and a text, got role USER and no text");
    }

    @Test
    void optionsGainTheEndOfAnswerStopOnceAndKeepTheRest() {
        GenerationOptions given = GenerationOptions.builder().temperature(0.5f).topK(7).topP(0.9f).maxTokens(33)
                .repetitionPenalty(1.2f).seed(5).stopStrings(List.of("END")).build();
        GenerationOptions chat = ChatTemplate.options(given);
        assertThat(chat.stopStrings()).containsExactly("END", "\nUser:");
        assertThat(chat.temperature()).isEqualTo(0.5f);
        assertThat(chat.topK()).isEqualTo(7);
        assertThat(chat.topP()).isEqualTo(0.9f);
        assertThat(chat.maxTokens()).isEqualTo(33);
        assertThat(chat.repetitionPenalty()).isEqualTo(1.2f);
        assertThat(chat.seed()).hasValue(5);
        assertThat(ChatTemplate.options(chat).stopStrings()).containsExactly("END", "\nUser:");
    }

    @Test
    void theAnswerListenerDropsOnlyTheLeadingWhitespace() {
        List<String> pieces = new ArrayList<>();
        GenerationListener l = ChatTemplate.answerListener(pieces::add);
        for (String p : new String[] {" ", " \n", " Hello", " there ", "\n"}) {
            l.onText(p);
        }
        assertThat(pieces).containsExactly("Hello", " there ", "\n");
        assertThat(ChatTemplate.answer(" \n Hello there \n")).isEqualTo("Hello there \n");
    }
}
