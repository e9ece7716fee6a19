package dev.bitnet.runtime;

import java.util.List;

/**
 * Passes decoded text on to a listener, holding back any tail that could still become a stop
 * string, and cutting the output where a stop string appears. Collects the text it passed on.
 */
final class StopStringFilter {

    private final List<String> stops;
    private final GenerationListener listener;
    private final StringBuilder held = new StringBuilder();
    private final StringBuilder emitted = new StringBuilder();

    StopStringFilter(List<String> stops, GenerationListener listener) {
        this.stops = stops;
        this.listener = listener;
    }

    /** Adds a decoded piece; returns true when a stop string was reached (text before it has been passed on). */
    boolean accept(String piece) {
        if (piece.isEmpty()) {
            return false;
        }
        held.append(piece);
        int cut = -1;
        for (String s : stops) {
            int at = held.indexOf(s);
            if (at >= 0 && (cut < 0 || at < cut)) {
                cut = at;
            }
        }
        if (cut >= 0) {
            emit(cut);
            held.setLength(0);
            return true;
        }
        emit(held.length() - longestStopPrefixSuffix());
        return false;
    }

    /** Passes on whatever is held back (the output ended without a stop string). */
    void flush() {
        emit(held.length());
    }

    /** All text passed on so far. */
    String text() {
        return emitted.toString();
    }

    /** Length of the longest tail of {@code held} that is a proper prefix of some stop string. */
    private int longestStopPrefixSuffix() {
        String h = held.toString();
        int best = 0;
        for (String s : stops) {
            for (int len = Math.min(s.length() - 1, h.length()); len > best; len--) {
                if (h.regionMatches(h.length() - len, s, 0, len)) {
                    best = len;
                    break;
                }
            }
        }
        return best;
    }

    private void emit(int n) {
        if (n > 0) {
            String piece = held.substring(0, n);
            held.delete(0, n);
            emitted.append(piece);
            listener.onText(piece);
        }
    }
}
