package dev.pricelake.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One one-minute bar as the source reported it, unchecked like {@link Bar} so a bad one can still be quarantined.
 *
 * @param start        the minute's first instant (UTC)
 * @param vwap         volume-weighted average price, null when the source did not send one
 * @param transactions number of trades, null when the source did not send one
 */
public record MinuteBar(Ticker symbol, Instant start, double open, double high, double low, double close,
                        double volume, Double vwap, Long transactions) implements Ohlcv {
    public MinuteBar {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(start, "start");
    }
}
