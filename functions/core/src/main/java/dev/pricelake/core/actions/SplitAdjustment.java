package dev.pricelake.core.actions;

import dev.pricelake.core.Bar;
import dev.pricelake.core.MinuteBar;
import dev.pricelake.core.Ticker;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Split-adjusts bars as traded with the splits the lake knows, as Polygon's {@code adjusted=true} does: a bar's prices
 * are divided by the ratio of every split its company executed after the bar's date, its volume multiplied by it, its
 * trade count kept. A company that changed its ticker after the bar takes the splits of its later tickers too.
 */
public final class SplitAdjustment {
    /** A rename chain longer than this is a cycle in the data, not a company's history. */
    private static final int MOST_RENAMES = 32;
    private final Map<Ticker, List<Split>> splits = new HashMap<>();
    private final Map<Ticker, List<TickerChange>> renames = new HashMap<>();

    public SplitAdjustment(List<Split> known, List<TickerChange> changes) {
        for (Split s : known) {
            splits.computeIfAbsent(s.ticker(), t -> new ArrayList<>()).add(s);
        }
        splits.values().forEach(list -> list.sort(Comparator.comparing(Split::executionDate)));
        for (TickerChange c : changes) {
            renames.computeIfAbsent(c.from(), t -> new ArrayList<>()).add(c);
        }
        renames.values().forEach(list -> list.sort(Comparator.comparing(TickerChange::date)));
    }

    /** The lake's splits and ticker changes. */
    public static SplitAdjustment of(CorporateActionLake lake) {
        return new SplitAdjustment(lake.splits(), lake.tickerChanges());
    }

    public Bar adjust(Bar asTraded) {
        double ratio = laterRatio(asTraded.symbol(), asTraded.date());
        if (ratio == 1) {
            return asTraded;
        }
        return new Bar(asTraded.symbol(), asTraded.date(), asTraded.open() / ratio, asTraded.high() / ratio,
                asTraded.low() / ratio, asTraded.close() / ratio, asTraded.volume() * ratio,
                asTraded.vwap() == null ? null : asTraded.vwap() / ratio, asTraded.transactions());
    }

    /** A minute as traded on {@code session} (its New York date), adjusted as that session's day bar is. */
    public MinuteBar adjust(MinuteBar asTraded, LocalDate session) {
        double ratio = laterRatio(asTraded.symbol(), session);
        if (ratio == 1) {
            return asTraded;
        }
        return new MinuteBar(asTraded.symbol(), asTraded.start(), asTraded.open() / ratio, asTraded.high() / ratio,
                asTraded.low() / ratio, asTraded.close() / ratio, asTraded.volume() * ratio,
                asTraded.vwap() == null ? null : asTraded.vwap() / ratio, asTraded.transactions());
    }

    /** The product, oldest first, of the ratios of the splits executed after {@code date} by the company then trading as the ticker. */
    double laterRatio(Ticker ticker, LocalDate date) {
        double ratio = 1;
        Ticker name = ticker;
        LocalDate after = date;
        for (int hop = 0; hop <= MOST_RENAMES; hop++) {
            TickerChange next = null;
            for (TickerChange c : renames.getOrDefault(name, List.of())) {
                if (c.date().isAfter(after)) {
                    next = c;
                    break;
                }
            }
            for (Split s : splits.getOrDefault(name, List.of())) {
                if (s.executionDate().isAfter(after) && (next == null || s.executionDate().isBefore(next.date()))) {
                    ratio *= s.ratio();
                }
            }
            if (next == null) {
                return ratio;
            }
            name = next.to();
            after = next.date().minusDays(1);
        }
        throw new IllegalStateException("the lake's ticker changes from " + ticker + " after " + date + " go round in a circle");
    }
}
