package dev.bitnet.bench.regression;

/** What a same-run ratio compares. */
public enum RatioKind {
    /** Vector API kernel over the scalar reference, same benchmark and params. */
    VECTOR_SCALAR("vector/scalar"),
    /** 1-bit kernel over the float baseline at the same shape (a {@link CrossPair}). */
    ONE_BIT_FLOAT("1-bit/float"),
    /** Our implementation over an independent reference doing the same work (a {@link CrossPair}). */
    OURS_REFERENCE("ours/reference");

    private final String label;

    RatioKind(String label) {
        this.label = label;
    }

    /** The short label shown in tables and written to the summary. */
    public String label() {
        return label;
    }
}
