package dev.pricelake.core.actions;

import dev.pricelake.core.DateRange;
import dev.pricelake.core.Ticker;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Which ticker a company traded as on each date, from the ticker changes the lake knows: the lake keeps a renamed
 * company's whole history under its current ticker, and this says what it was called when.
 */
public final class SymbolsHistory {
    /**
     * The company now trading as {@code symbol} traded as {@code ticker} from {@code validFrom} (null: since it
     * listed) to {@code validTo} (null: to date).
     */
    public record Span(Ticker symbol, Ticker ticker, LocalDate validFrom, LocalDate validTo, String compositeFigi,
                       String cik) {
    }

    /** A stretch of one history fetched under one ticker. */
    public record Segment(Ticker tradedAs, DateRange range) {
    }

    private final Map<Ticker, List<TickerChange>> into = new HashMap<>();
    private final Map<Ticker, List<TickerChange>> outOf = new HashMap<>();

    public SymbolsHistory(List<TickerChange> changes) {
        for (TickerChange c : changes) {
            into.computeIfAbsent(c.to(), t -> new ArrayList<>()).add(c);
            outOf.computeIfAbsent(c.from(), t -> new ArrayList<>()).add(c);
        }
        into.values().forEach(l -> l.sort(Comparator.comparing(TickerChange::date)));
        outOf.values().forEach(l -> l.sort(Comparator.comparing(TickerChange::date)));
    }

    /**
     * The change that moved the company trading as {@code ticker} on {@code tradedOn} to another ticker afterwards,
     * followed to the ticker it trades as last: empty when it kept its ticker.
     */
    public Optional<TickerChange> renamedAfter(Ticker ticker, LocalDate tradedOn) {
        TickerChange last = null;
        Ticker current = ticker;
        LocalDate after = tradedOn;
        for (int hops = 0; hops < 20; hops++) {
            TickerChange next = firstAfter(outOf.get(current), after);
            if (next == null) {
                break;
            }
            last = next;
            current = next.to();
            after = next.date();
        }
        return last == null ? Optional.empty()
                : Optional.of(new TickerChange(ticker, last.to(), firstAfter(outOf.get(ticker), tradedOn).date(),
                        last.compositeFigi(), last.cik()));
    }

    private static TickerChange firstAfter(List<TickerChange> changes, LocalDate after) {
        if (changes == null) {
            return null;
        }
        for (TickerChange c : changes) {
            if (c.date().isAfter(after)) {
                return c;
            }
        }
        return null;
    }

    /** The tickers the company now trading as {@code current} traded as over the range, oldest first. */
    public List<Segment> segments(Ticker current, DateRange range) {
        List<Segment> out = new ArrayList<>();
        for (Span span : walk(current, range.end())) {
            LocalDate from = span.validFrom() == null || span.validFrom().isBefore(range.start()) ? range.start() : span.validFrom();
            LocalDate to = span.validTo() == null || span.validTo().isAfter(range.end()) ? range.end() : span.validTo();
            if (!to.isBefore(from)) {
                out.add(new Segment(span.ticker(), new DateRange(from, to)));
            }
        }
        return out.reversed();
    }

    /** {@code FB:2019-01-02..2022-06-08,META:2022-06-09..2024-06-10}, or empty when it kept one ticker over the range. */
    public String tradedAs(Ticker current, DateRange range) {
        List<Segment> segments = segments(current, range);
        if (segments.size() == 1 && segments.getFirst().tradedAs().equals(current)) {
            return "";
        }
        return String.join(",", segments.stream().map(s -> s.tradedAs() + ":" + s.range()).toList());
    }

    /** Every renamed company's spans, by its current ticker: what symbols_history holds. */
    public List<Span> spans() {
        List<Span> out = new ArrayList<>();
        TreeSet<Ticker> finals = new TreeSet<>();
        into.forEach((to, changes) -> {
            LocalDate lastArrival = changes.getLast().date();
            if (firstAfter(outOf.get(to), lastArrival) == null) {
                finals.add(to);
            }
        });
        for (Ticker symbol : finals) {
            out.addAll(walk(symbol, null).reversed());
        }
        return out;
    }

    /** Back from the ticker trading on {@code at} (null: today), newest span first. */
    private List<Span> walk(Ticker current, LocalDate at) {
        List<Span> spans = new ArrayList<>();
        Ticker ticker = current;
        LocalDate validTo = at;
        String figi = null;
        String cik = null;
        for (int hops = 0; hops < 20; hops++) {
            TickerChange arrival = lastOnOrBefore(into.get(ticker), validTo);
            LocalDate openEnded = hops == 0 ? null : validTo;
            if (arrival == null) {
                spans.add(new Span(current, ticker, null, openEnded, figi, cik));
                break;
            }
            figi = figi != null ? figi : arrival.compositeFigi();
            cik = cik != null ? cik : arrival.cik();
            spans.add(new Span(current, ticker, arrival.date(), openEnded, figi, cik));
            validTo = arrival.date().minusDays(1);
            ticker = arrival.from();
        }
        List<Span> withIds = new ArrayList<>();
        for (Span s : spans) {
            withIds.add(new Span(s.symbol(), s.ticker(), s.validFrom(), s.validTo(), figi, cik));
        }
        return withIds;
    }

    private static TickerChange lastOnOrBefore(List<TickerChange> changes, LocalDate on) {
        if (changes == null) {
            return null;
        }
        TickerChange found = null;
        for (TickerChange c : changes) {
            if (on == null || !c.date().isAfter(on)) {
                found = c;
            }
        }
        return found;
    }
}
