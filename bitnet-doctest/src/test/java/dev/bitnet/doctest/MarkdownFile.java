package dev.bitnet.doctest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The parts of a markdown file the doc tests check: fenced blocks, links and heading anchors. */
final class MarkdownFile {

    private static final Pattern FENCE = Pattern.compile("^\\s*(`{3,}|~{3,})\\s*([^\\s`]*).*$");
    private static final Pattern INLINE_CODE = Pattern.compile("(`+)(?:(?!\\1).)+?\\1");
    private static final Pattern INLINE_LINK = Pattern.compile("\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern REFERENCE_DEFINITION = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*<?([^\\s>]+)>?.*$");
    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}#{1,6}\\s+(.*?)\\s*#*\\s*$");

    private final String name;
    private final Path path;
    private final List<String> lines;

    MarkdownFile(String name, Path path, List<String> lines) {
        this.name = name;
        this.path = path;
        this.lines = List.copyOf(lines);
    }

    /** Reads {@code file}; its name in messages is its path relative to {@code root}. */
    static MarkdownFile read(Path root, Path file) {
        try {
            return new MarkdownFile(root.relativize(file).toString(), file, Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The path relative to the repository root, as messages show it. */
    String name() {
        return name;
    }

    Path path() {
        return path;
    }

    /** Every fenced block, in order. An unclosed fence runs to the end of the file, as on GitHub. */
    List<FencedBlock> blocks() {
        List<FencedBlock> blocks = new ArrayList<>();
        String fence = null;
        String language = null;
        int first = 0;
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = FENCE.matcher(lines.get(i));
            if (fence == null) {
                if (m.matches()) {
                    fence = m.group(1);
                    language = m.group(2).toLowerCase(Locale.ROOT);
                    first = i + 1;
                }
            } else if (m.matches() && m.group(2).isEmpty() && m.group(1).charAt(0) == fence.charAt(0)
                    && m.group(1).length() >= fence.length()) {
                blocks.add(new FencedBlock(language, first + 1, lines.subList(first, i)));
                fence = null;
            }
        }
        if (fence != null) {
            blocks.add(new FencedBlock(language, first + 1, lines.subList(first, lines.size())));
        }
        return blocks;
    }

    /** The targets of inline links, images and reference definitions outside code blocks and code spans. */
    List<MarkdownLink> links() {
        List<MarkdownLink> links = new ArrayList<>();
        for (int i : proseLines()) {
            String text = INLINE_CODE.matcher(lines.get(i)).replaceAll("");
            Matcher m = INLINE_LINK.matcher(text);
            while (m.find()) {
                links.add(new MarkdownLink(i + 1, m.group(1)));
            }
            Matcher d = REFERENCE_DEFINITION.matcher(text);
            if (d.matches()) {
                links.add(new MarkdownLink(i + 1, d.group(1)));
            }
        }
        return links;
    }

    /** The inline code spans outside fenced blocks. */
    List<CodeSpan> codeSpans() {
        List<CodeSpan> spans = new ArrayList<>();
        for (int i : proseLines()) {
            Matcher m = INLINE_CODE.matcher(lines.get(i));
            while (m.find()) {
                String span = m.group();
                int ticks = m.group(1).length();
                spans.add(new CodeSpan(i + 1, span.substring(ticks, span.length() - ticks).trim()));
            }
        }
        return spans;
    }

    /** The anchors GitHub gives the headings (lower case, punctuation dropped, spaces to hyphens, -1, -2 for repeats). */
    Set<String> anchors() {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i : proseLines()) {
            Matcher m = HEADING.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            String text = m.group(1).replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
            String slug = text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "").replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum);
            anchors.add(n == 1 ? slug : slug + "-" + (n - 1));
        }
        return anchors;
    }

    /** The indexes (0-based) of the lines outside fenced blocks and their fences, in order. */
    private List<Integer> proseLines() {
        boolean[] code = new boolean[lines.size()];
        for (FencedBlock b : blocks()) {
            int closingFence = b.firstLine() - 1 + b.lines().size();
            for (int i = b.firstLine() - 2; i <= closingFence; i++) {
                if (i < lines.size()) {
                    code[i] = true;
                }
            }
        }
        List<Integer> prose = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!code[i]) {
                prose.add(i);
            }
        }
        return prose;
    }
}
