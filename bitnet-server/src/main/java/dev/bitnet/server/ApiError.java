package dev.bitnet.server;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;

/**
 * A request the server refuses, answered with an OpenAI-shaped error body:
 * {@code {"error": {"message", "type", "param", "code"}}} and the matching HTTP status.
 */
final class ApiError extends Exception {

    private final int status;
    private final String type;
    private final String param;
    private final String code;

    private ApiError(int status, String type, String param, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** 400: the request is malformed or a value is out of range; {@code param} names the field (or null). */
    static ApiError invalid(String param, String message) {
        return new ApiError(400, "invalid_request_error", param, null, message);
    }

    /** 404: a model this server does not run. */
    static ApiError unknownModel(String requested, String served) {
        return new ApiError(404, "invalid_request_error", "model", "model_not_found",
                "The model '" + requested + "' does not exist; this server runs '" + served + "'");
    }

    /** 404: no such endpoint. */
    static ApiError notFound(String method, String path) {
        return new ApiError(404, "invalid_request_error", null, "unknown_url", "Unknown request URL: " + method + " " + path);
    }

    /** 405: the endpoint exists but not for this method. */
    static ApiError methodNotAllowed(String method, String path, String allowed) {
        return new ApiError(405, "invalid_request_error", null, "method_not_allowed",
                method + " is not allowed on " + path + "; use " + allowed);
    }

    /** 413: the body is larger than the server reads. */
    static ApiError tooLarge(long limit) {
        return new ApiError(413, "invalid_request_error", null, "request_too_large",
                "The request body is larger than " + limit + " bytes");
    }

    /** 429: every generation slot is busy and the queue is full. */
    static ApiError busy(int parallel, int queue) {
        return new ApiError(429, "rate_limit_error", null, "queue_full", "The server is busy: " + parallel
                + " generations are running and " + queue + " are waiting; retry later");
    }

    /** 500: the server failed; the message says how. */
    static ApiError internal(String message) {
        return new ApiError(500, "server_error", null, null, message);
    }

    int status() {
        return status;
    }

    /** The error body. */
    JsonObject toJson() {
        JsonObject error = new JsonObject();
        error.addProperty("message", getMessage());
        error.addProperty("type", type);
        if (param == null) {
            error.add("param", JsonNull.INSTANCE);
        } else {
            error.addProperty("param", param);
        }
        if (code == null) {
            error.add("code", JsonNull.INSTANCE);
        } else {
            error.addProperty("code", code);
        }
        JsonObject body = new JsonObject();
        body.add("error", error);
        return body;
    }
}
