package dev.pricelake.core;

import java.time.LocalDate;
import java.util.Optional;

/**
 * Port to Massive's (Polygon's) flat files: one file a session with every US stock's day bar as traded (unadjusted,
 * no VWAP), published the next day. No rate limit applies to them.
 */
public interface FlatFileSource {
    /**
     * The session's bars of every symbol, read from its file (streamed, one session at a time); empty when no file is
     * published for it (yet). Symbols that are not valid {@link Ticker}s are reported in the day, not dropped silently.
     */
    Optional<PriceSource.GroupedDay> day(LocalDate session);

    /** Where the files come from (endpoint and bucket), as errors and reports name it. */
    String location();
}
