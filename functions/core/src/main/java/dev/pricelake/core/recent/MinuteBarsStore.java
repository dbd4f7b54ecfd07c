package dev.pricelake.core.recent;

import dev.pricelake.core.Ticker;
import dev.pricelake.core.bronze.MinuteRow;
import java.time.Instant;
import java.util.List;

/**
 * Port to PostgreSQL's copy of the recent one-minute bars ({@code ohlcv_minute}). Minute bronze is their archive, so
 * retention deletes what leaves the window rather than moving it.
 */
public interface MinuteBarsStore {
    /**
     * Inserts or updates the minutes by (symbol, ts) in one bulk statement; a minute equal to the stored one keeps its
     * row and its ingested_at, so the same minutes again change nothing. Returns how many were sent.
     */
    long upsert(List<MinuteRow> rows);

    /** Deletes every minute that started before {@code cutoff}; returns how many. Running it again deletes nothing. */
    long deleteOlderThan(Instant cutoff);

    /**
     * The symbol's minutes that start from {@code from} (inclusive) until {@code until} (exclusive), oldest first, with
     * when each row was written; verification reads them a month at a time, so no call holds a whole window.
     */
    List<MinuteRow> rows(Ticker symbol, Instant from, Instant until);

    /** How many minutes the table holds. */
    long count();
}
