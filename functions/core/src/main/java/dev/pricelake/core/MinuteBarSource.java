package dev.pricelake.core;

import java.util.List;

/** Port to a source of one-minute bars (Polygon's aggregates range, or the local simulator behind it). */
public interface MinuteBarSource {
    /** Every minute bar of the ticker on the range's days (New York), all pages, oldest first; empty when there are none. */
    List<MinuteBar> minuteBars(Ticker ticker, DateRange range, boolean adjusted);
}
