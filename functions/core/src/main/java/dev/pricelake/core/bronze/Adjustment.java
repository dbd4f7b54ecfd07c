package dev.pricelake.core.bronze;

import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.MixedAdjustmentException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * How a bronze file's prices are adjusted, as its footer records it ({@code pricelake.adjustment}):
 * {@code splits-through:2024-06-10} (every bar reflects each split executed on or before that date, as Polygon's
 * adjusted prices fetched then do) or {@code unadjusted} (prices as traded).
 *
 * @param splitsThrough the last date whose splits every bar reflects; null for unadjusted prices
 */
public record Adjustment(LocalDate splitsThrough) {
    public static final String KEY = "pricelake.adjustment";
    public static final Adjustment UNADJUSTED = new Adjustment(null);
    private static final String SPLITS_THROUGH = "splits-through:";

    public static Adjustment splitsThrough(LocalDate date) {
        if (date == null) {
            throw new IllegalArgumentException("a split-adjusted file names the date it is adjusted through");
        }
        return new Adjustment(date);
    }

    public boolean adjusted() {
        return splitsThrough != null;
    }

    public String encode() {
        return adjusted() ? SPLITS_THROUGH + splitsThrough : "unadjusted";
    }

    public static Adjustment parse(String text, String source) {
        if ("unadjusted".equals(text)) {
            return UNADJUSTED;
        }
        if (text != null && text.startsWith(SPLITS_THROUGH)) {
            try {
                return splitsThrough(LocalDate.parse(text.substring(SPLITS_THROUGH.length())));
            } catch (DateTimeParseException e) {
                // Reported below with the rest.
            }
        }
        throw new MalformedDataException(source, KEY + " '" + text + "' is neither unadjusted nor splits-through:YYYY-MM-DD");
    }

    /**
     * What a file holds once bars adjusted {@code incoming} join bars adjusted this way: the earlier date, since
     * only then does every bar reflect it. Split-adjusted and unadjusted bars never join.
     */
    public Adjustment with(Adjustment incoming, String file) {
        if (adjusted() != incoming.adjusted()) {
            throw new MixedAdjustmentException(file + " holds " + describe() + " bars; bars fetched " + incoming.describe()
                    + " are not merged into it (keep an unadjusted lake in its own --data-dir)");
        }
        return adjusted() && incoming.splitsThrough.isBefore(splitsThrough) ? incoming : this;
    }

    public String describe() {
        return adjusted() ? "split-adjusted (through " + splitsThrough + ")" : "unadjusted";
    }
}
