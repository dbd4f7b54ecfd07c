package dev.pricelake.core.actions;

import dev.pricelake.core.DateRange;
import java.util.List;

/**
 * Port to PostgreSQL's copy of the corporate actions ({@code splits}, {@code dividends}, {@code ticker_changes},
 * {@code symbols_history}), which the lake's copy under {@code reference/} mirrors.
 */
public interface CorporateActionStore {
    /** The splits executed in the window become exactly these. */
    void replaceSplits(DateRange window, List<Split> splits);

    /** The dividends going ex in the window become exactly these. */
    void replaceDividends(DateRange window, List<Dividend> dividends);

    /** The ticker changes become exactly these, and symbols_history the spans they give. */
    void replaceTickerChanges(List<TickerChange> changes, List<SymbolsHistory.Span> spans);

    List<Split> splits();

    List<Dividend> dividends();

    List<TickerChange> tickerChanges();

    List<SymbolsHistory.Span> symbolsHistory();
}
