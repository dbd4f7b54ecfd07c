package dev.pricelake.core.actions;

import dev.pricelake.core.Ticker;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A company that traded as {@code from} trades as {@code to} from {@code date} on (FB to META on 2022-06-09).
 *
 * @param compositeFigi the company's OpenFIGI composite id, when the source gives it
 * @param cik           its SEC central index key, when the source gives it
 */
public record TickerChange(Ticker from, Ticker to, LocalDate date, String compositeFigi, String cik) {
    public TickerChange {
        Objects.requireNonNull(from, "old ticker");
        Objects.requireNonNull(to, "new ticker");
        Objects.requireNonNull(date, "date");
        if (from.equals(to)) {
            throw new IllegalArgumentException("a ticker change needs two tickers, not " + from + " twice");
        }
    }
}
