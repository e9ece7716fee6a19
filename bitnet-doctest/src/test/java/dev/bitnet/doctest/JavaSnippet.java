package dev.bitnet.doctest;

import java.util.ArrayList;
import java.util.List;

/**
 * A documentation snippet made into a compilable class: its leading {@code import} lines stay at
 * the top, the statements after them become the body of {@code main}, and every line of the
 * generated source remembers the markdown line it came from.
 */
final class JavaSnippet {

    private final String className;
    private final String source;
    /** For each line of {@link #source} (0-based), the markdown line it came from, or 0 for a generated line. */
    private final List<Integer> origin;

    private JavaSnippet(String className, String source, List<Integer> origin) {
        this.className = className;
        this.source = source;
        this.origin = origin;
    }

    /** Wraps {@code block} into {@code public class className { public static void main(String[] args) throws Exception { ... } }}. */
    static JavaSnippet wrap(String className, FencedBlock block) {
        StringBuilder src = new StringBuilder();
        List<Integer> origin = new ArrayList<>();
        List<String> lines = block.lines();
        int body = 0;
        while (body < lines.size() && (lines.get(body).isBlank() || lines.get(body).startsWith("import "))) {
            body++;
        }
        for (int i = 0; i < body; i++) {
            add(src, origin, lines.get(i), block.firstLine() + i);
        }
        add(src, origin, "public class " + className + " {", 0);
        add(src, origin, "    public static void main(String[] args) throws Exception {", 0);
        for (int i = body; i < lines.size(); i++) {
            add(src, origin, "        " + lines.get(i), block.firstLine() + i);
        }
        add(src, origin, "    }", 0);
        add(src, origin, "}", 0);
        return new JavaSnippet(className, src.toString(), List.copyOf(origin));
    }

    private static void add(StringBuilder src, List<Integer> origin, String line, int markdownLine) {
        src.append(line).append('\n');
        origin.add(markdownLine);
    }

    String className() {
        return className;
    }

    String source() {
        return source;
    }

    /** The markdown line of a 1-based line of {@link #source}, or 0 when the wrapper made it. */
    int markdownLine(long sourceLine) {
        return sourceLine >= 1 && sourceLine <= origin.size() ? origin.get((int) sourceLine - 1) : 0;
    }
}
