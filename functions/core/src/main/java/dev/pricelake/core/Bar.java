package dev.pricelake.core;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One daily bar as the source reported it. Values are not checked here so that a bad bar can still be
 * represented, quarantined and counted; {@link BarValidator} decides whether it may enter the lake.
 *
 * @param vwap         volume-weighted average price, null when the source did not send one
 * @param transactions number of trades, null when the source did not send one
 */
public record Bar(Ticker symbol, LocalDate date, double open, double high, double low, double close,
                  double volume, Double vwap, Long transactions) implements Ohlcv {
    public Bar {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(date, "date");
    }
}
