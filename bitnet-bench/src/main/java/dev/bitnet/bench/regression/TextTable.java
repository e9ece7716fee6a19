package dev.bitnet.bench.regression;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table: columns padded to their widest cell, numbers right-aligned. */
final class TextTable {

    private final String[] header;
    private final boolean[] rightAligned;
    private final List<String[]> rows = new ArrayList<>();

    /** Column titles; a title starting with '>' marks a right-aligned column (the '>' is dropped). */
    TextTable(String... titles) {
        header = new String[titles.length];
        rightAligned = new boolean[titles.length];
        for (int i = 0; i < titles.length; i++) {
            rightAligned[i] = titles[i].startsWith(">");
            header[i] = rightAligned[i] ? titles[i].substring(1) : titles[i];
        }
    }

    void add(String... cells) {
        if (cells.length != header.length) throw new IllegalArgumentException(cells.length + " cells for " + header.length + " columns");
        rows.add(cells);
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    String render() {
        int[] width = new int[header.length];
        for (int i = 0; i < header.length; i++) width[i] = header[i].length();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) width[i] = Math.max(width[i], row[i].length());
        }
        StringBuilder out = new StringBuilder();
        line(out, header, width);
        for (String[] row : rows) line(out, row, width);
        return out.toString();
    }

    private void line(StringBuilder out, String[] cells, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) line.append("  ");
            String pad = " ".repeat(width[i] - cells[i].length());
            line.append(rightAligned[i] ? pad + cells[i] : cells[i] + (i == cells.length - 1 ? "" : pad));
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
