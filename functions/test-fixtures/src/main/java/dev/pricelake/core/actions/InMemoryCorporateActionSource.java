package dev.pricelake.core.actions;

import dev.pricelake.core.DateRange;
import dev.pricelake.core.Ticker;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Corporate actions from lists a test fills, answering windows as the source would; it records the windows asked. */
public final class InMemoryCorporateActionSource implements CorporateActionSource {
    private final List<Split> splits = new ArrayList<>();
    private final List<Dividend> dividends = new ArrayList<>();
    private final List<TickerChange> changes = new ArrayList<>();
    private final List<String> asked = new ArrayList<>();

    public synchronized InMemoryCorporateActionSource add(Split split) {
        splits.add(split);
        return this;
    }

    public synchronized InMemoryCorporateActionSource add(Dividend dividend) {
        dividends.add(dividend);
        return this;
    }

    public synchronized InMemoryCorporateActionSource add(TickerChange change) {
        changes.add(change);
        return this;
    }

    /** "splits 2024-01-01..2024-02-01", "changes FB 2022-06-01", ... in the order asked. */
    public synchronized List<String> asked() {
        return List.copyOf(asked);
    }

    @Override
    public synchronized List<Split> splits(DateRange executionDates) {
        asked.add("splits " + executionDates);
        return splits.stream().filter(s -> executionDates.contains(s.executionDate())).toList();
    }

    @Override
    public synchronized List<Dividend> dividends(DateRange exDividendDates) {
        asked.add("dividends " + exDividendDates);
        return dividends.stream().filter(d -> exDividendDates.contains(d.exDividendDate())).toList();
    }

    @Override
    public synchronized List<TickerChange> tickerChanges(Ticker ticker, LocalDate tradedOn) {
        asked.add("changes " + ticker + " " + tradedOn);
        // The company that traded as the ticker then: follow its changes from there, and the ones that led to it.
        List<Ticker> company = new ArrayList<>(List.of(ticker));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (TickerChange c : changes) {
                if (company.contains(c.from()) && !company.contains(c.to())) {
                    company.add(c.to());
                    grew = true;
                }
                if (company.contains(c.to()) && !company.contains(c.from())) {
                    company.add(c.from());
                    grew = true;
                }
            }
        }
        return changes.stream().filter(c -> company.contains(c.from())).toList();
    }
}
