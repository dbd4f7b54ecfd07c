package dev.pricelake.core.actions;

import dev.pricelake.core.Ticker;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A cash dividend as Polygon lists it. The lake stores dividends and never applies them: Polygon's adjusted prices
 * are adjusted for splits only; the total-return view in PostgreSQL applies them on request.
 *
 * @param cashAmount per share as declared (not adjusted for later splits)
 * @param frequency  payments a year (0 one-off, 1, 2, 4, 12, ...)
 * @param type       Polygon's dividend_type: CD regular, SC special, LT and ST capital gains
 */
public record Dividend(Ticker ticker, LocalDate exDividendDate, LocalDate payDate, LocalDate recordDate,
                       LocalDate declarationDate, double cashAmount, String currency, int frequency, String type) {
    public Dividend {
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(exDividendDate, "ex_dividend_date");
        Objects.requireNonNull(type, "dividend_type");
        if (!(cashAmount >= 0) || Double.isInfinite(cashAmount)) {
            throw new IllegalArgumentException("a dividend of " + ticker + " on " + exDividendDate
                    + " needs a cash_amount of zero or more, not " + cashAmount);
        }
        if (frequency < 0) {
            throw new IllegalArgumentException("a dividend's frequency cannot be negative: " + frequency);
        }
    }
}
