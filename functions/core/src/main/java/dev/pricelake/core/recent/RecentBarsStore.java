package dev.pricelake.core.recent;

import dev.pricelake.core.Bar;
import dev.pricelake.core.Ticker;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** Port to PostgreSQL's copy of the recent bars ({@code raw_ohlcv}) and its archive. */
public interface RecentBarsStore {
    /**
     * Writes the bars where they belong: those inside the window to raw_ohlcv, older ones to raw_ohlcv_archive
     * (each upserted, unchanged rows untouched), and removes each symbol's rows of those dates from the other table,
     * so no key is ever in both. Returns how many bars went to each table.
     */
    Counts write(List<Bar> bars, RetentionWindow window, Instant updatedAt);

    /**
     * The symbol's rows in both tables, and those of the tickers it took over ({@code retired}, after a rename),
     * become exactly these bars, in one transaction: a history fetched again after a split or a rename.
     */
    Counts replace(Ticker symbol, List<Ticker> retired, List<Bar> bars, RetentionWindow window, Instant updatedAt);

    /**
     * Moves every row dated before {@code cutoff} from raw_ohlcv to raw_ohlcv_archive: whole years as
     * partitions, the boundary year row by row, all in one transaction. Running it again moves nothing.
     */
    RetentionResult moveOlderThan(LocalDate cutoff);

    /** The symbol's rows in raw_ohlcv dated on or after {@code from}, oldest first (verification reads them). */
    List<Bar> bars(Ticker symbol, LocalDate from);

    /** Row counts of both tables, for checks and reports. */
    Counts counts();

    record Counts(long recent, long archive) {
    }

    record RetentionResult(LocalDate cutoff, long rowsMoved, List<Integer> yearsMovedWhole, long rowsMovedOneByOne) {
        public RetentionResult {
            yearsMovedWhole = List.copyOf(yearsMovedWhole);
        }
    }
}
