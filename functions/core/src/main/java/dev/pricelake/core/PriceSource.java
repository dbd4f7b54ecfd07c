package dev.pricelake.core;

import java.time.LocalDate;
import java.util.List;

/** Port to a source of daily bars (Polygon's aggregates endpoints, or the local simulator behind them). */
public interface PriceSource {
    /** Every daily bar of the ticker in the range, all pages, oldest first; empty when there are none. */
    List<Bar> dailyBars(Ticker ticker, DateRange range, boolean adjusted);

    /** The bars of every symbol for one day. */
    GroupedDay groupedDaily(LocalDate date, boolean adjusted);

    /**
     * This source held to a run's requests a minute (0: no limit; null: the rate it was built with), shared with
     * every process that calls the same API account. A source that calls no rate-limited API returns itself.
     */
    default PriceSource atRate(Integer requestsPerMinute) {
        return this;
    }

    /**
     * One day's bars of the whole market. Symbols that are not valid {@link Ticker}s are reported, not
     * silently dropped, so a caller can count them.
     */
    record GroupedDay(LocalDate date, List<Bar> bars, List<String> unrecognizedSymbols) {
        public GroupedDay {
            bars = List.copyOf(bars);
            unrecognizedSymbols = List.copyOf(unrecognizedSymbols);
        }
    }
}
