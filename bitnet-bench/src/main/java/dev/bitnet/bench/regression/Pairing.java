package dev.bitnet.bench.regression;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The ratios found in one run's results, and the results that should have had a partner but
 * did not. The naming convention (docs/benchmarks.md):
 * <ul>
 *   <li>methods of one class named {@code <stem>Vector} and {@code <stem>Scalar}, or
 *       {@code vector<Stem>} and {@code scalar<Stem>}, or just {@code vector} and {@code scalar},
 *       at equal params, mode and threads, give a vector/scalar ratio named
 *       {@code Class.<stem>} (just {@code Class} for the last form);</li>
 *   <li>a {@code @Param} named {@code kernel} or {@code kernels}: each value other than
 *       {@code scalar} is paired with {@code scalar} of the same method at otherwise equal
 *       params, mode and threads, giving a vector/scalar ratio named {@code Class.method};</li>
 *   <li>each {@link CrossPair} (those {@code ./bitnet bench} judges: {@link #CROSS_PAIRS}): the
 *       numerator and denominator benchmarks at equal mode, threads and equal values of the
 *       params both have, giving a ratio of the pair's kind.</li>
 * </ul>
 *
 * @param ratios   the pairs found
 * @param unpaired one line per result that follows a convention but has no partner in the run
 */
public record Pairing(List<Ratio> ratios, List<String> unpaired) {

    // the names of the @Param that selects the kernel inside one benchmark method
    private static final List<String> KERNEL_PARAMS = List.of("kernel", "kernels");

    private static final String SCALAR = "scalar";
    private static final String BENCH = "dev.bitnet.bench.";

    /**
     * The pairs of different benchmarks {@code ./bitnet bench} judges. Add a line when a
     * benchmark gets a twin to compare with.
     */
    public static final List<CrossPair> CROSS_PAIRS = List.of(
            // the same matrix-vector product, one bit against float32 per weight, both vectorised
            new CrossPair(Ratio.Kind.ONE_BIT_FLOAT, "matVec (vector kernels)",
                    BENCH + "kernel.BinaryMatVecBenchmark.vector", BENCH + "kernel.FloatMatVecBenchmark.vector"),
            // one decoded token of the same preset (tiny, 75m): the 1-bit runtime against its float32 twin (floattwin)
            new CrossPair(Ratio.Kind.ONE_BIT_FLOAT, "1-bit/float end-to-end decode",
                    BENCH + "runtime.EndToEndBenchmark.decode", BENCH + "floattwin.FloatTwinBenchmark.decode"),
            // GPT-2 encoding of the same text: bitnet-core against jtokkit, a reference that does not change
            new CrossPair(Ratio.Kind.OURS_REFERENCE, "GPT-2 encode (bitnet/jtokkit)",
                    BENCH + "TokenizerBenchmark.bitnet", BENCH + "TokenizerBenchmark.jtokkit"));

    /**
     * Two different benchmarks whose ratio is worth watching: {@code numerator} and
     * {@code denominator} are fully qualified benchmark methods, paired wherever their common
     * {@code @Param}s have equal values (same shape).
     *
     * @param kind        what the ratio compares
     * @param name        the ratio's name in reports
     * @param numerator   the benchmark expected to be faster
     * @param denominator the reference benchmark
     */
    public record CrossPair(Ratio.Kind kind, String name, String numerator, String denominator) {}

    public Pairing {
        ratios = List.copyOf(ratios);
        unpaired = List.copyOf(unpaired);
    }

    /** Pairs {@code results} by the naming convention and the {@code crossPairs} table. */
    public static Pairing of(List<BenchResult> results, List<CrossPair> crossPairs) {
        Map<String, BenchResult> byKey = new HashMap<>();
        for (BenchResult r : results) byKey.put(r.key(), r);
        List<Ratio> ratios = new ArrayList<>();
        List<String> unpaired = new ArrayList<>();
        for (BenchResult r : results) {
            methodPair(r, byKey, ratios, unpaired);
            kernelParamPair(r, byKey, ratios, unpaired);
        }
        for (CrossPair pair : crossPairs) crossPair(pair, results, ratios, unpaired);
        return new Pairing(ratios, unpaired);
    }

    private static void methodPair(BenchResult r, Map<String, BenchResult> byKey,
                                   List<Ratio> ratios, List<String> unpaired) {
        String method = r.methodName();
        boolean vector;
        String stem;
        String partner;
        if (method.equals("vector") || method.equals(SCALAR)) {
            vector = method.equals("vector");
            stem = "";
            partner = vector ? SCALAR : "vector";
        } else if (endsWithWord(method, "Vector") || endsWithWord(method, "Scalar")) {
            vector = method.endsWith("Vector");
            stem = method.substring(0, method.length() - SCALAR.length());
            partner = stem + (vector ? "Scalar" : "Vector");
        } else if (startsWithWord(method, "vector") || startsWithWord(method, SCALAR)) {
            vector = method.startsWith("vector");
            String rest = method.substring(SCALAR.length());
            stem = Character.toLowerCase(rest.charAt(0)) + rest.substring(1);
            partner = (vector ? SCALAR : "vector") + rest;
        } else {
            return;
        }
        BenchResult other = byKey.get(BenchResult.key(r.className() + "." + partner, r.mode(), r.threads(), r.params()));
        if (other == null) {
            unpaired.add(describe(r) + ": no " + partner + " with the same params, mode and threads in this run");
        } else if (vector) {
            String type = r.shortName().substring(0, r.shortName().length() - method.length() - 1);
            ratios.add(new Ratio(Ratio.Kind.VECTOR_SCALAR, stem.isEmpty() ? type : type + "." + stem,
                    r.params(), r, other));
        }
    }

    // "matVecVector": a word "Vector" after a non-empty stem
    private static boolean endsWithWord(String method, String word) {
        return method.length() > word.length() && method.endsWith(word);
    }

    // "vectorBatch": a word "vector" before a capitalised rest
    private static boolean startsWithWord(String method, String word) {
        return method.length() > word.length() && method.startsWith(word)
                && Character.isUpperCase(method.charAt(word.length()));
    }

    private static void kernelParamPair(BenchResult r, Map<String, BenchResult> byKey,
                                        List<Ratio> ratios, List<String> unpaired) {
        for (String param : KERNEL_PARAMS) {
            String kernel = r.params().get(param);
            if (kernel == null) continue;
            if (kernel.equals(SCALAR)) {
                boolean anyPartner = byKey.values().stream().anyMatch(o -> isKernelPartner(o, r, param));
                if (!anyPartner) {
                    unpaired.add(describe(r) + ": no other " + param + " value with the same params, mode and threads in this run");
                }
                continue;
            }
            SortedMap<String, String> scalarParams = new TreeMap<>(r.params());
            scalarParams.put(param, SCALAR);
            BenchResult base = byKey.get(BenchResult.key(r.benchmark(), r.mode(), r.threads(), scalarParams));
            if (base == null) {
                unpaired.add(describe(r) + ": no " + param + "=scalar with the same params, mode and threads in this run");
            } else {
                ratios.add(new Ratio(Ratio.Kind.VECTOR_SCALAR, r.shortName(), r.params(), r, base));
            }
        }
    }

    // o is `scalar` run with another value of `param`, everything else equal
    private static boolean isKernelPartner(BenchResult o, BenchResult scalar, String param) {
        if (!o.benchmark().equals(scalar.benchmark()) || o.mode() != scalar.mode() || o.threads() != scalar.threads()) {
            return false;
        }
        String kernel = o.params().get(param);
        if (kernel == null || kernel.equals(SCALAR)) return false;
        SortedMap<String, String> asScalar = new TreeMap<>(o.params());
        asScalar.put(param, SCALAR);
        return asScalar.equals(scalar.params());
    }

    private static void crossPair(CrossPair pair, List<BenchResult> results,
                                  List<Ratio> ratios, List<String> unpaired) {
        List<BenchResult> denominators = results.stream().filter(r -> r.benchmark().equals(pair.denominator())).toList();
        List<BenchResult> matchedDenominators = new ArrayList<>();
        for (BenchResult num : results) {
            if (!num.benchmark().equals(pair.numerator())) continue;
            List<BenchResult> matches = denominators.stream().filter(d -> sameShape(num, d)).toList();
            if (matches.size() == 1) {
                BenchResult den = matches.getFirst();
                SortedMap<String, String> params = new TreeMap<>(den.params());
                params.putAll(num.params());
                ratios.add(new Ratio(pair.kind(), pair.name(), params, num, den));
                matchedDenominators.add(den);
            } else if (matches.isEmpty()) {
                unpaired.add(describe(num) + ": no " + BenchResult.shortName(pair.denominator())
                        + " with equal shared params, mode and threads in this run (" + pair.name() + ")");
            } else {
                unpaired.add(describe(num) + ": " + matches.size() + " results of " + BenchResult.shortName(pair.denominator())
                        + " match its shared params; pair ambiguous (" + pair.name() + ")");
            }
        }
        for (BenchResult den : denominators) {
            if (!matchedDenominators.contains(den)) {
                unpaired.add(describe(den) + ": no " + BenchResult.shortName(pair.numerator())
                        + " paired with it in this run (" + pair.name() + ")");
            }
        }
    }

    // same mode and threads, and equal values for every param both results have
    private static boolean sameShape(BenchResult a, BenchResult b) {
        if (a.mode() != b.mode() || a.threads() != b.threads()) return false;
        for (Map.Entry<String, String> e : a.params().entrySet()) {
            String other = b.params().get(e.getKey());
            if (other != null && !other.equals(e.getValue())) return false;
        }
        return true;
    }

    private static String describe(BenchResult r) {
        return r.shortName() + " [" + BenchResult.paramsText(r.params()) + "] " + r.mode().shortLabel() + " t" + r.threads();
    }
}
