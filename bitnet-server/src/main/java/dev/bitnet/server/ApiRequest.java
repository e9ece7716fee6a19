package dev.bitnet.server;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.bitnet.runtime.ChatTemplate;
import dev.bitnet.runtime.GenerationOptions;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A completion or chat completion request, read from its JSON body and checked field by field.
 * Fields the API defines but this server cannot honour (tools, n > 1, logprobs, ...) are refused
 * rather than ignored; fields it does not know are ignored, as OpenAI's clients send many.
 *
 * @param chat         whether it is a chat completion
 * @param prompt       the text the model continues (for a chat, written with {@link ChatTemplate})
 * @param options      sampling and stopping (for a chat, with the end-of-answer stop)
 * @param stream       whether to answer with server-sent events
 * @param includeUsage whether a streamed answer ends with a usage chunk ({@code stream_options.include_usage})
 */
record ApiRequest(boolean chat, String prompt, GenerationOptions options, boolean stream, boolean includeUsage) {

    /** The largest {@code max_tokens} a request may ask for. */
    static final int MAX_TOKENS_LIMIT = 4096;
    /** New tokens when the request does not say. */
    static final int DEFAULT_MAX_TOKENS = 256;
    /** OpenAI's limit on stop sequences. */
    static final int MAX_STOPS = 4;

    private static final Set<String> CHAT_ROLES = Set.of("system", "developer", "user", "assistant");

    /** Reads a chat completion request. */
    static ApiRequest chat(String body, String modelId) throws ApiError {
        JsonObject o = object(body);
        checkCommon(o, modelId);
        refuseIfSet(o, "tools", "tool calls are not supported by bitnet models");
        refuseIfSet(o, "functions", "function calls are not supported by bitnet models");
        if (o.has("response_format") && !o.get("response_format").isJsonNull()) {
            JsonElement type = o.get("response_format").isJsonObject() ? o.getAsJsonObject("response_format").get("type") : null;
            if (type == null || !type.isJsonPrimitive() || !type.getAsString().equals("text")) {
                throw ApiError.invalid("response_format", "only the text response format is supported by bitnet models");
            }
        }
        if (isTrue(o, "logprobs")) {
            throw ApiError.invalid("logprobs", "logprobs are not supported by this server");
        }
        JsonElement messages = o.get("messages");
        if (messages == null || !messages.isJsonArray() || messages.getAsJsonArray().isEmpty()) {
            throw ApiError.invalid("messages", "messages must be a non-empty array of {role, content} objects");
        }
        List<ChatTemplate.Message> turns = new ArrayList<>();
        JsonArray array = messages.getAsJsonArray();
        for (int i = 0; i < array.size(); i++) {
            turns.add(message(array.get(i), "messages[" + i + "]"));
        }
        String prompt;
        try {
            prompt = ChatTemplate.prompt(turns);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalid("messages", e.getMessage());
        }
        Integer maxTokens = intField(o, "max_completion_tokens", 1, MAX_TOKENS_LIMIT);
        if (maxTokens == null) {
            maxTokens = intField(o, "max_tokens", 1, MAX_TOKENS_LIMIT);
        }
        GenerationOptions options = ChatTemplate.options(options(o, maxTokens));
        return new ApiRequest(true, prompt, options, isTrue(o, "stream"), includeUsage(o));
    }

    /** Reads a (legacy) completion request: one prompt string. */
    static ApiRequest completion(String body, String modelId) throws ApiError {
        JsonObject o = object(body);
        checkCommon(o, modelId);
        if (isTrue(o, "echo")) {
            throw ApiError.invalid("echo", "echo is not supported by this server");
        }
        refuseIfSet(o, "suffix", "suffix (insertion) is not supported by bitnet models");
        refuseIfSet(o, "logprobs", "logprobs are not supported by this server");
        intField(o, "best_of", 1, 1); // more candidates than the one returned: not supported
        JsonElement p = o.get("prompt");
        if (p != null && p.isJsonArray() && p.getAsJsonArray().size() == 1) {
            p = p.getAsJsonArray().get(0);
        }
        if (p == null || !isString(p)) {
            throw ApiError.invalid("prompt", "prompt must be a string (or an array of one string)");
        }
        String prompt = p.getAsString();
        if (prompt.isEmpty()) {
            throw ApiError.invalid("prompt", "prompt must not be empty");
        }
        GenerationOptions options = options(o, intField(o, "max_tokens", 1, MAX_TOKENS_LIMIT));
        return new ApiRequest(false, prompt, options, isTrue(o, "stream"), includeUsage(o));
    }

    private static JsonObject object(String body) throws ApiError {
        JsonElement e;
        try {
            JsonReader reader = new JsonReader(new StringReader(body));
            reader.setStrictness(Strictness.STRICT);
            e = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new JsonParseException("text after the JSON value");
            }
        } catch (JsonParseException | IOException | IllegalStateException ex) {
            String why = ex.getCause() != null && ex.getCause().getMessage() != null ? ex.getCause().getMessage() : ex.getMessage();
            // Gson adds a line pointing to its troubleshooting guide: the client needs only the first
            throw ApiError.invalid(null, "The request body is not valid JSON: " + why.lines().findFirst().orElse(why));
        }
        if (!e.isJsonObject()) {
            throw ApiError.invalid(null, "The request body must be a JSON object");
        }
        return e.getAsJsonObject();
    }

    private static void checkCommon(JsonObject o, String modelId) throws ApiError {
        JsonElement model = o.get("model");
        if (model != null && !model.isJsonNull()) {
            if (!isString(model)) {
                throw ApiError.invalid("model", "model must be a string");
            }
            if (!model.getAsString().equals(modelId)) {
                throw ApiError.unknownModel(model.getAsString(), modelId);
            }
        }
        Integer n = intField(o, "n", 1, Integer.MAX_VALUE);
        if (n != null && n != 1) {
            throw ApiError.invalid("n", "n must be 1: this server writes one choice per request, got " + n);
        }
        for (String penalty : new String[] {"presence_penalty", "frequency_penalty"}) {
            Double v = numberField(o, penalty);
            if (v != null && v != 0) {
                throw ApiError.invalid(penalty, penalty + " is not supported by bitnet models (use repetition_penalty), got " + v);
            }
        }
    }

    private static GenerationOptions options(JsonObject o, Integer maxTokens) throws ApiError {
        GenerationOptions.Builder b = GenerationOptions.builder().maxTokens(maxTokens == null ? DEFAULT_MAX_TOKENS : maxTokens);
        Double temperature = numberField(o, "temperature");
        if (temperature != null) {
            if (!(temperature >= 0 && temperature <= 2)) {
                throw ApiError.invalid("temperature", "temperature must be in [0, 2], got " + temperature);
            }
            b.temperature(temperature.floatValue());
        }
        Double topP = numberField(o, "top_p");
        if (topP != null) {
            if (!(topP > 0 && topP <= 1)) {
                throw ApiError.invalid("top_p", "top_p must be in (0, 1], got " + topP);
            }
            b.topP(topP.floatValue());
        }
        Integer topK = intField(o, "top_k", 0, Integer.MAX_VALUE);
        if (topK != null) {
            b.topK(topK);
        }
        Double penalty = numberField(o, "repetition_penalty");
        if (penalty != null) {
            if (!(penalty > 0 && penalty <= 10)) {
                throw ApiError.invalid("repetition_penalty", "repetition_penalty must be in (0, 10], got " + penalty);
            }
            b.repetitionPenalty(penalty.floatValue());
        }
        JsonElement seed = o.get("seed");
        if (seed != null && !seed.isJsonNull()) {
            try {
                if (!isNumber(seed) || !isWhole(seed.getAsBigDecimal())) {
                    throw new ArithmeticException();
                }
                b.seed(seed.getAsBigDecimal().longValueExact());
            } catch (ArithmeticException e) {
                throw ApiError.invalid("seed", "seed must be a 64-bit integer, got " + seed);
            }
        }
        b.stopStrings(stops(o.get("stop")));
        return b.build();
    }

    private static List<String> stops(JsonElement stop) throws ApiError {
        List<String> stops = new ArrayList<>();
        if (stop == null || stop.isJsonNull()) {
            return stops;
        }
        if (isString(stop)) {
            stops.add(stop.getAsString());
        } else if (stop.isJsonArray()) {
            for (JsonElement s : stop.getAsJsonArray()) {
                if (!isString(s)) {
                    throw ApiError.invalid("stop", "stop must be a string or an array of strings, got " + s);
                }
                stops.add(s.getAsString());
            }
        } else {
            throw ApiError.invalid("stop", "stop must be a string or an array of strings, got " + stop);
        }
        if (stops.size() > MAX_STOPS) {
            throw ApiError.invalid("stop", "at most " + MAX_STOPS + " stop sequences, got " + stops.size());
        }
        if (stops.contains("")) {
            throw ApiError.invalid("stop", "stop sequences must not be empty");
        }
        return stops;
    }

    private static ChatTemplate.Message message(JsonElement e, String where) throws ApiError {
        if (!e.isJsonObject()) {
            throw ApiError.invalid(where, where + " must be an object with a role and a content");
        }
        JsonObject m = e.getAsJsonObject();
        JsonElement role = m.get("role");
        if (role == null || !isString(role) || !CHAT_ROLES.contains(role.getAsString())) {
            throw ApiError.invalid(where + ".role", where + ".role must be one of system, developer, user, assistant"
                    + " (tool messages are not supported), got " + role);
        }
        String text = content(m.get("content"), where + ".content", role.getAsString().equals("assistant"));
        return switch (role.getAsString()) {
            case "system", "developer" -> ChatTemplate.Message.system(text);
            case "user" -> ChatTemplate.Message.user(text);
            default -> ChatTemplate.Message.assistant(text);
        };
    }

    /** A message's text: a string, or an array of text parts. Only an assistant's may be null. */
    private static String content(JsonElement c, String where, boolean mayBeNull) throws ApiError {
        if (c == null || c.isJsonNull()) {
            if (mayBeNull) {
                return "";
            }
            throw ApiError.invalid(where, where + " is missing");
        }
        if (isString(c)) {
            return c.getAsString();
        }
        if (!c.isJsonArray()) {
            throw ApiError.invalid(where, where + " must be a string or an array of text parts");
        }
        StringBuilder text = new StringBuilder();
        for (JsonElement part : c.getAsJsonArray()) {
            JsonObject p = part.isJsonObject() ? part.getAsJsonObject() : null;
            JsonElement type = p == null ? null : p.get("type");
            if (type == null || !isString(type) || !type.getAsString().equals("text") || p.get("text") == null || !isString(p.get("text"))) {
                throw ApiError.invalid(where, "bitnet models read text only: every part of " + where
                        + " must be {\"type\": \"text\", \"text\": ...}, got " + part);
            }
            text.append(p.get("text").getAsString());
        }
        return text.toString();
    }

    private static boolean includeUsage(JsonObject o) throws ApiError {
        JsonElement so = o.get("stream_options");
        if (so == null || so.isJsonNull()) {
            return false;
        }
        if (!so.isJsonObject()) {
            throw ApiError.invalid("stream_options", "stream_options must be an object");
        }
        return isTrue(so.getAsJsonObject(), "include_usage");
    }

    private static void refuseIfSet(JsonObject o, String field, String message) throws ApiError {
        JsonElement e = o.get(field);
        if (e != null && !e.isJsonNull() && !(e.isJsonArray() && e.getAsJsonArray().isEmpty())) {
            throw ApiError.invalid(field, message);
        }
    }

    private static boolean isTrue(JsonObject o, String field) throws ApiError {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) {
            return false;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw ApiError.invalid(field, field + " must be true or false, got " + e);
        }
        return e.getAsBoolean();
    }

    private static Double numberField(JsonObject o, String field) throws ApiError {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!isNumber(e)) {
            throw ApiError.invalid(field, field + " must be a number, got " + e);
        }
        return e.getAsDouble();
    }

    private static Integer intField(JsonObject o, String field, int min, int max) throws ApiError {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!isNumber(e) || !isWhole(e.getAsBigDecimal())) {
            throw ApiError.invalid(field, field + " must be an integer, got " + e);
        }
        BigDecimal v = e.getAsBigDecimal();
        if (v.compareTo(BigDecimal.valueOf(min)) < 0 || v.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw ApiError.invalid(field, field + " must be in [" + min + ", " + max + "], got " + e);
        }
        return v.intValueExact();
    }

    private static boolean isWhole(BigDecimal v) {
        return v.stripTrailingZeros().scale() <= 0;
    }

    private static boolean isString(JsonElement e) {
        return e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
    }

    private static boolean isNumber(JsonElement e) {
        return e.isJsonPrimitive() && ((JsonPrimitive) e).isNumber();
    }
}
