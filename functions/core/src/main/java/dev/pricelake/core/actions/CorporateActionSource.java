package dev.pricelake.core.actions;

import dev.pricelake.core.DateRange;
import dev.pricelake.core.Ticker;
import java.time.LocalDate;
import java.util.List;

/** Port to corporate actions (Polygon's reference endpoints, or the simulator behind them). */
public interface CorporateActionSource {
    /** Every split executed in the range, all pages, oldest first. */
    List<Split> splits(DateRange executionDates);

    /** Every cash dividend going ex in the range, all pages, oldest first. */
    List<Dividend> dividends(DateRange exDividendDates);

    /**
     * The ticker changes of the company that traded as {@code ticker} on {@code tradedOn}, oldest first: empty when
     * it never changed ticker or the source does not know it.
     */
    List<TickerChange> tickerChanges(Ticker ticker, LocalDate tradedOn);
}
