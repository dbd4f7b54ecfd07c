package dev.pricelake.core;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Port to Massive's (Polygon's) flat files: one file a session with every US stock's day bar as traded (unadjusted,
 * no VWAP), and one with every US stock's minute bars, published the next day. No rate limit applies to them.
 */
public interface FlatFileSource {
    /**
     * The session's bars of every symbol, read from its file (streamed, one session at a time); empty when no file is
     * published for it (yet). Symbols that are not valid {@link Ticker}s are reported in the day, not dropped silently.
     */
    Optional<PriceSource.GroupedDay> day(LocalDate session);

    /**
     * The session's minutes of {@code symbols}, as traded and in the file's order, read from its minute file; empty when no
     * file is published for it (yet). The file holds the whole market's minutes (millions of rows): it is streamed and
     * only the symbols' rows are kept.
     */
    Optional<List<MinuteBar>> minutes(LocalDate session, Set<Ticker> symbols);

    /** Where the files come from (endpoint and bucket), as errors and reports name it. */
    String location();
}
