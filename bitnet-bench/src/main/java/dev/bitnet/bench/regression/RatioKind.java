package dev.bitnet.bench.regression;

/** What a same-run ratio compares. */
public enum RatioKind {
    /** Vector API kernel over the scalar reference, same benchmark and params. */
    VECTOR_SCALAR("vector/scalar"),
    /** 1-bit kernel over the float baseline at the same shape ({@link CrossPair#ONE_BIT_VS_FLOAT}). */
    ONE_BIT_FLOAT("1-bit/float");

    private final String label;

    RatioKind(String label) {
        this.label = label;
    }

    /** The short label shown in tables and written to the summary. */
    public String label() {
        return label;
    }
}
