package dev.pricelake.core;

/**
 * What a bar of any length holds besides its time: the day's {@link Bar} and the {@link MinuteBar} share their
 * validation rules and their bronze columns through it.
 */
public sealed interface Ohlcv permits Bar, MinuteBar {
    Ticker symbol();

    double open();

    double high();

    double low();

    double close();

    double volume();

    /** Null when the source did not send one. */
    Double vwap();

    /** Null when the source did not send one. */
    Long transactions();
}
