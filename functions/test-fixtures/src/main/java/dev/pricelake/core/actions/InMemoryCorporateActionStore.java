package dev.pricelake.core.actions;

import dev.pricelake.core.DateRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@link CorporateActionStore} in memory; the contract test holds it and PostgreSQL to the same rules. */
public final class InMemoryCorporateActionStore implements CorporateActionStore {
    private final List<Split> splits = new ArrayList<>();
    private final List<Dividend> dividends = new ArrayList<>();
    private final List<TickerChange> changes = new ArrayList<>();
    private final List<SymbolsHistory.Span> spans = new ArrayList<>();

    @Override
    public synchronized void replaceSplits(DateRange window, List<Split> fetched) {
        splits.removeIf(s -> window.contains(s.executionDate()));
        fetched.stream().filter(s -> window.contains(s.executionDate())).forEach(s -> {
            splits.removeIf(o -> o.ticker().equals(s.ticker()) && o.executionDate().equals(s.executionDate()));
            splits.add(s);
        });
    }

    @Override
    public synchronized void replaceDividends(DateRange window, List<Dividend> fetched) {
        dividends.removeIf(d -> window.contains(d.exDividendDate()));
        fetched.stream().filter(d -> window.contains(d.exDividendDate())).forEach(d -> {
            dividends.removeIf(o -> o.ticker().equals(d.ticker()) && o.exDividendDate().equals(d.exDividendDate())
                    && o.type().equals(d.type()));
            dividends.add(d);
        });
    }

    @Override
    public synchronized void replaceTickerChanges(List<TickerChange> all, List<SymbolsHistory.Span> history) {
        changes.clear();
        changes.addAll(all);
        spans.clear();
        spans.addAll(history);
    }

    @Override
    public synchronized List<Split> splits() {
        return splits.stream().sorted(Comparator.comparing(Split::executionDate).thenComparing(Split::ticker)).toList();
    }

    @Override
    public synchronized List<Dividend> dividends() {
        return dividends.stream().sorted(Comparator.comparing(Dividend::exDividendDate).thenComparing(Dividend::ticker)
                .thenComparing(Dividend::type)).toList();
    }

    @Override
    public synchronized List<TickerChange> tickerChanges() {
        return changes.stream().sorted(Comparator.comparing(TickerChange::date).thenComparing(TickerChange::from)).toList();
    }

    @Override
    public synchronized List<SymbolsHistory.Span> symbolsHistory() {
        return spans.stream().sorted(Comparator.comparing(SymbolsHistory.Span::symbol)
                .thenComparing(s -> s.validFrom() == null ? java.time.LocalDate.MIN : s.validFrom())).toList();
    }
}
