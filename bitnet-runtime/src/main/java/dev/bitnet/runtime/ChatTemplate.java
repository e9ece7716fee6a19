package dev.bitnet.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * How a conversation is written for bitnet's models, which are base models trained on plain
 * text: each user turn is a line {@code User: ...}, each answer a line {@code Assistant: ...},
 * and the model answers after a final {@code Assistant:}. A system message is written as plain
 * text where it stands. The answer ends where the model starts the next user turn
 * ({@value #END_OF_ANSWER}), which {@link #options} adds as a stop string. {@code bitnet chat},
 * the LangChain4j models and the server all use this one template.
 *
 * <pre>{@code
 * String prompt = ChatTemplate.prompt(List.of(
 *         ChatTemplate.Message.system("A conversation about whales."),
 *         ChatTemplate.Message.user("What is a whale?")));
 * // "A conversation about whales.\nUser: What is a whale?\nAssistant:"
 * GenerationResult r = session.generate(prompt, ChatTemplate.options(options), ChatTemplate.answerListener(listener));
 * String answer = ChatTemplate.answer(r.text());
 * }</pre>
 */
public final class ChatTemplate {

    /** Written before each user turn. */
    public static final String USER = "\nUser: ";
    /** Written before each answer; the prompt ends with it without the space. */
    public static final String ASSISTANT = "\nAssistant:";
    /** The start of the next user turn: it ends an answer (a stop string). */
    public static final String END_OF_ANSWER = "\nUser:";

    private ChatTemplate() {
    }

    /** Who wrote a message. */
    public enum Role {
        /** Instructions or context, written as plain text. */
        SYSTEM,
        /** The person asking. */
        USER,
        /** The model's earlier answers. */
        ASSISTANT
    }

    /**
     * One message of a conversation.
     *
     * @param role who wrote it
     * @param text what was written; leading and trailing whitespace is not part of the prompt
     */
    public record Message(Role role, String text) {

        /** @throws IllegalArgumentException if role or text is null */
        public Message {
            if (role == null || text == null) {
                throw new IllegalArgumentException("a chat message needs a role and a text, got role " + role
                        + " and " + (text == null ? "no text" : "a text"));
            }
        }

        /** A system message. */
        public static Message system(String text) {
            return new Message(Role.SYSTEM, text);
        }

        /** A user message. */
        public static Message user(String text) {
            return new Message(Role.USER, text);
        }

        /** An earlier answer of the model. */
        public static Message assistant(String text) {
            return new Message(Role.ASSISTANT, text);
        }
    }

    /**
     * The prompt for a conversation: system messages as plain text, {@code \nUser: TEXT} for each
     * user message, {@code \nAssistant: TEXT} for each answer, then {@code \nAssistant:} for the
     * model to answer. When the last message is an answer, the prompt ends with it and the model
     * continues that answer.
     *
     * @throws IllegalArgumentException if there is no user message
     */
    public static String prompt(List<Message> messages) {
        if (messages == null || messages.stream().noneMatch(m -> m.role() == Role.USER)) {
            throw new IllegalArgumentException("a chat needs at least one user message");
        }
        StringBuilder p = new StringBuilder();
        for (Message m : messages) {
            String text = m.text().strip();
            switch (m.role()) {
                case SYSTEM -> p.append(text);
                case USER -> p.append(USER).append(text);
                case ASSISTANT -> p.append(ASSISTANT).append(' ').append(text);
            }
        }
        if (messages.getLast().role() != Role.ASSISTANT) {
            p.append(ASSISTANT);
        }
        return p.toString();
    }

    /** The options with {@value #END_OF_ANSWER} added to their stop strings (once). */
    public static GenerationOptions options(GenerationOptions options) {
        if (options.stopStrings().contains(END_OF_ANSWER)) {
            return options;
        }
        List<String> stops = new ArrayList<>(options.stopStrings());
        stops.add(END_OF_ANSWER);
        return options.toBuilder().stopStrings(stops).build();
    }

    /** The answer in a generated text: without the whitespace the model writes after {@code Assistant:}. */
    public static String answer(String generated) {
        return generated.stripLeading();
    }

    /**
     * A listener that passes on the {@link #answer} only: the leading whitespace of the generation
     * is dropped, the rest passed on piece by piece. Use one per generation.
     */
    public static GenerationListener answerListener(GenerationListener listener) {
        return new GenerationListener() {
            private boolean started;

            @Override
            public void onText(String piece) {
                if (!started) {
                    piece = piece.stripLeading();
                    started = !piece.isEmpty();
                }
                if (!piece.isEmpty()) {
                    listener.onText(piece);
                }
            }
        };
    }
}
