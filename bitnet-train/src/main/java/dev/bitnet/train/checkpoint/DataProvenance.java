package dev.bitnet.train.checkpoint;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a model was trained on, as recorded in {@code checkpoint.json} ({@code data}) and carried
 * into the exported {@code .bit2} ({@code data} metadata entry, see {@link #describe()}). Inputs
 * are named as they were given on the command line, by file name only (no absolute paths leak
 * into a shared model file); a directory ends in {@code /}.
 *
 * @param train        names of the training inputs, in the order given
 * @param validation   names of the validation inputs; empty when the validation tokens are held
 *                     out of the training data or there is no validation
 * @param valFraction  the held-out fraction of the training tokens, or {@code null} when
 *                     validation inputs were given (or there is no validation)
 * @param trainTokens  number of training tokens (after the hold-out)
 * @param valTokens    number of validation tokens (0 if none)
 */
public record DataProvenance(List<String> train, List<String> validation, Double valFraction, long trainTokens,
                             long valTokens) {

    /** {@link #describe()} lists at most this many inputs of each kind (a shell glob can give thousands). */
    static final int LISTED = 10;

    public DataProvenance {
        // Gson leaves a missing list null: read it as empty.
        train = train == null ? List.of() : List.copyOf(train);
        validation = validation == null ? List.of() : List.copyOf(validation);
    }

    /**
     * The provenance of a run's data.
     *
     * @param trainInputs the {@code --data} paths
     * @param valInputs   the {@code --val} paths (empty when none were given)
     * @param valFraction the held-out fraction used when {@code valInputs} is empty
     */
    public static DataProvenance of(List<Path> trainInputs, List<Path> valInputs, double valFraction,
                                    long trainTokens, long valTokens) {
        boolean heldOut = valInputs.isEmpty() && valTokens > 0;
        return new DataProvenance(trainInputs.stream().map(DataProvenance::name).toList(),
                valInputs.stream().map(DataProvenance::name).toList(), heldOut ? valFraction : null, trainTokens,
                valTokens);
    }

    /** {@code kjv.txt}, or {@code corpus/} for a directory: the file name only. */
    static String name(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        String name = abs.getFileName() == null ? abs.toString() : abs.getFileName().toString();
        return Files.isDirectory(abs) && !name.endsWith("/") ? name + "/" : name;
    }

    /**
     * One line for people: {@code train: a.txt, b.txt (43,278,871 tokens); validation: c.txt
     * (137,437 tokens)}, or {@code ...; validation: held-out 1% of training (137,437 tokens)}, or
     * {@code ...; validation: none}. Beyond {@value #LISTED} inputs it lists the first ones and
     * says how many more there are.
     */
    public String describe() {
        String val;
        if (valTokens == 0) {
            val = "none";
        } else if (!validation.isEmpty()) {
            val = names(validation) + tokens(valTokens);
        } else {
            val = "held-out " + percent(valFraction) + " of training" + tokens(valTokens);
        }
        return "train: " + names(train) + tokens(trainTokens) + "; validation: " + val;
    }

    private static String names(List<String> names) {
        if (names.size() <= LISTED) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, LISTED)) + " and " + (names.size() - LISTED) + " more";
    }

    private static String tokens(long n) {
        return String.format(Locale.ROOT, " (%,d tokens)", n);
    }

    private static String percent(Double fraction) {
        if (fraction == null) {
            return "a part";
        }
        return BigDecimal.valueOf(fraction).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }
}
