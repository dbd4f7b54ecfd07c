package dev.pricelake.core.actions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.core.DateRange;
import dev.pricelake.core.Ticker;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every {@link CorporateActionStore} must do; each implementation runs these through a subclass. */
public abstract class CorporateActionStoreContract {
    private static final Ticker A = Ticker.of("AAA");
    private static final Ticker B = Ticker.of("BBB");

    protected abstract CorporateActionStore store();

    private static Split split(Ticker t, String date, double from, double to) {
        return new Split(t, LocalDate.parse(date), from, to);
    }

    private static Dividend dividend(Ticker t, String ex, double cash, String type) {
        return new Dividend(t, LocalDate.parse(ex), LocalDate.parse(ex).plusDays(14), null, LocalDate.parse(ex).minusDays(20),
                cash, type.equals("CD") ? "USD" : null, type.equals("CD") ? 4 : 0, type);
    }

    @Test
    void aWindowOfSplitsIsReplacedWholeAndOthersStay() {
        store().replaceSplits(DateRange.parse("2024-01-01", "2024-01-31"),
                List.of(split(A, "2024-01-10", 1, 4), split(B, "2024-01-20", 10, 1)));
        store().replaceSplits(DateRange.parse("2024-02-01", "2024-02-29"), List.of(split(A, "2024-02-15", 1, 2)));
        // The source withdrew B's split and corrected A's ratio; the February one is outside the window.
        store().replaceSplits(DateRange.parse("2024-01-01", "2024-01-31"), List.of(split(A, "2024-01-10", 1, 5),
                split(B, "2024-03-01", 1, 3)));
        store().replaceSplits(DateRange.parse("2024-01-01", "2024-01-31"), List.of(split(A, "2024-01-10", 1, 5)));

        assertThat(store().splits()).containsExactly(split(A, "2024-01-10", 1, 5), split(A, "2024-02-15", 1, 2));
    }

    @Test
    void dividendsKeepEveryFieldAndTwoTypesOnOneDay() {
        List<Dividend> may = List.of(dividend(A, "2024-05-10", 0.25, "CD"), dividend(A, "2024-05-10", 1.0, "SC"),
                dividend(B, "2024-05-13", 0.5, "CD"));
        store().replaceDividends(DateRange.parse("2024-05-01", "2024-05-31"), may);
        store().replaceDividends(DateRange.parse("2024-05-01", "2024-05-31"), may);
        assertThat(store().dividends()).containsExactlyElementsOf(may);
        store().replaceDividends(DateRange.parse("2024-05-11", "2024-05-31"), List.of());
        assertThat(store().dividends()).containsExactlyElementsOf(may.subList(0, 2));
    }

    @Test
    void tickerChangesAndTheirHistoryAreReplacedTogether() {
        List<TickerChange> changes = List.of(new TickerChange(Ticker.of("FB"), Ticker.of("META"), LocalDate.of(2022, 6, 9),
                "BBG000MM2P62", "0001326801"));
        List<SymbolsHistory.Span> spans = new SymbolsHistory(changes).spans();
        store().replaceTickerChanges(changes, spans);
        store().replaceTickerChanges(changes, spans);
        assertThat(store().tickerChanges()).containsExactlyElementsOf(changes);
        assertThat(store().symbolsHistory()).containsExactly(
                new SymbolsHistory.Span(Ticker.of("META"), Ticker.of("FB"), null, LocalDate.of(2022, 6, 8), "BBG000MM2P62", "0001326801"),
                new SymbolsHistory.Span(Ticker.of("META"), Ticker.of("META"), LocalDate.of(2022, 6, 9), null, "BBG000MM2P62",
                        "0001326801"));
    }
}
