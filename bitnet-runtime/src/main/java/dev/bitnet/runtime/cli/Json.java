package dev.bitnet.runtime.cli;

import java.util.Locale;

/** A one-line JSON object written field by field, enough for the CLI's {@code --json} output. */
final class Json {

    private final StringBuilder sb = new StringBuilder("{");

    Json add(String key, String value) {
        key(key);
        quote(value);
        return this;
    }

    Json add(String key, long value) {
        key(key);
        sb.append(value);
        return this;
    }

    Json add(String key, double value) {
        key(key);
        sb.append(Double.isFinite(value) ? String.format(Locale.ROOT, "%.6g", value) : "null");
        return this;
    }

    Json add(String key, boolean value) {
        key(key);
        sb.append(value);
        return this;
    }

    /** Adds an already serialised JSON value. */
    Json raw(String key, String json) {
        key(key);
        sb.append(json);
        return this;
    }

    @Override
    public String toString() {
        return sb + "}";
    }

    private void key(String key) {
        if (sb.length() > 1) {
            sb.append(',');
        }
        quote(key);
        sb.append(':');
    }

    private void quote(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
