/**
 * LangChain4j models on the embedded bitnet runtime: {@link dev.bitnet.langchain4j.BitNetChatModel},
 * {@link dev.bitnet.langchain4j.BitNetStreamingChatModel} and {@link dev.bitnet.langchain4j.BitNetLanguageModel},
 * built from a {@code .bit2} file or a loaded {@link dev.bitnet.runtime.BitNetModel}. Chats are written
 * with {@link dev.bitnet.runtime.ChatTemplate}.
 */
package dev.bitnet.langchain4j;
