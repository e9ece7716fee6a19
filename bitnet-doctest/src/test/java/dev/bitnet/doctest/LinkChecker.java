package dev.bitnet.doctest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Checks that the relative links of a markdown file point to files of the repository, and anchors to headings. */
final class LinkChecker {

    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:.*|^//.*");

    private LinkChecker() {
    }

    /** The broken relative links of {@code md}, as {@code FILE:LINE: message}; web links are not followed. */
    static List<String> problems(Path root, MarkdownFile md) {
        List<String> problems = new ArrayList<>();
        for (MarkdownLink link : md.links()) {
            String target = link.target();
            if (SCHEME.matcher(target).matches()) {
                continue;
            }
            int hash = target.indexOf('#');
            String file = URLDecoder.decode(hash < 0 ? target : target.substring(0, hash), StandardCharsets.UTF_8);
            String anchor = hash < 0 ? "" : target.substring(hash + 1);
            String where = md.name() + ":" + link.line() + ": ";
            Path resolved = file.isEmpty() ? md.path() : md.path().getParent().resolve(file).normalize();
            if (!resolved.startsWith(root)) {
                problems.add(where + "link " + target + " leaves the repository");
            } else if (!Files.exists(resolved)) {
                problems.add(where + "link " + target + ": no file " + root.relativize(resolved));
            } else if (!anchor.isEmpty() && resolved.getFileName().toString().endsWith(".md")
                    && !MarkdownFile.read(root, resolved).anchors().contains(anchor)) {
                problems.add(where + "link " + target + ": no heading with anchor #" + anchor + " in " + root.relativize(resolved));
            }
        }
        return problems;
    }
}
