package dev.bitnet.bench.kernel;

/**
 * A benchmark matrix shape, written {@code "rowsxcols"} in {@code @Param} values (e.g.
 * {@code "50257x512"}: the 75m preset's tied embedding as an output head).
 */
record MatrixShape(int rows, int cols) {

    static MatrixShape parse(String s) {
        int x = s.indexOf('x');
        if (x < 0) {
            throw new IllegalArgumentException("shape must be rowsxcols, got '" + s + "'");
        }
        return new MatrixShape(Integer.parseInt(s.substring(0, x)), Integer.parseInt(s.substring(x + 1)));
    }
}
