package dev.pricelake.core.actions;

import dev.pricelake.core.DateRange;
import dev.pricelake.core.RateLimitedException;
import dev.pricelake.core.actions.CorporateActionLake.Coverage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Keeps the lake's corporate actions current, fetching only what is new: each kind has a coverage (every record
 * dated from {@code since} to {@code through} has been fetched), and a refresh asks the source for the dates after
 * {@code through} (with a look back, since the source adds late records), then, within a time budget, for older
 * dates down to where the lake's history begins. Each window replaces the lake's and PostgreSQL's records of those
 * dates whole, so refreshing twice leaves the same data as once. A rate limit met while fetching older dates ends
 * the history for this refresh (what was fetched is kept); one met on the new dates is the caller's to retry.
 */
public final class CorporateActions {
    /** Splits are sometimes listed days after they executed; dividends are declared ahead, so a week suffices. */
    static final Period SPLITS_LOOK_BACK = Period.ofDays(30);
    static final Period DIVIDENDS_LOOK_BACK = Period.ofDays(7);
    /**
     * Older history comes a window at a time: about a page of splits a year, a few pages of dividends a month across
     * the US market. A window that brought less than a page makes the next one twice as long (up to a year), so a
     * small source is not asked month by month.
     */
    static final int SPLITS_HISTORY_MONTHS = 12;
    static final int DIVIDENDS_HISTORY_MONTHS = 1;
    private static final int PAGE = 1000;
    private static final int LONGEST_STEP_MONTHS = 12;

    private final CorporateActionSource source;
    private final CorporateActionLake lake;
    private final Optional<CorporateActionStore> database;
    private final Clock clock;

    public CorporateActions(CorporateActionSource source, CorporateActionLake lake, Optional<CorporateActionStore> database,
            Clock clock) {
        this.source = source;
        this.lake = lake;
        this.database = database;
        this.clock = clock;
    }

    /**
     * @param newSplits the splits this refresh found new or changed
     * @param windows   the windows asked for, oldest last ("splits 2024-05-11..2024-06-10", ...)
     */
    public record Refresh(List<Split> newSplits, int newDividends, Optional<Coverage> splits, Optional<Coverage> dividends,
                          List<String> windows) {
        public Refresh {
            newSplits = List.copyOf(newSplits);
            windows = List.copyOf(windows);
        }
    }

    /** One kind's way through a refresh. */
    private static final class Channel<T> {
        final String name;
        final Period lookBack;
        final Function<DateRange, List<T>> fetch;
        final BiFunction<DateRange, List<T>, List<T>> toLake;
        final BiConsumer<DateRange, List<T>> toDatabase;
        int historyMonths;

        Channel(String name, Period lookBack, int historyMonths, Function<DateRange, List<T>> fetch,
                BiFunction<DateRange, List<T>, List<T>> toLake, BiConsumer<DateRange, List<T>> toDatabase) {
            this.name = name;
            this.lookBack = lookBack;
            this.historyMonths = historyMonths;
            this.fetch = fetch;
            this.toLake = toLake;
            this.toDatabase = toDatabase;
        }
    }

    /**
     * Fetches every split and dividend dated up to {@code through} that is new since the last refresh, then, while
     * {@code historyBudget} lasts, older ones down to {@code since}.
     */
    public Refresh refresh(LocalDate through, LocalDate since, Duration historyBudget) {
        Instant started = clock.instant();
        List<String> windows = new ArrayList<>();
        Channel<Split> splits = new Channel<>("splits", SPLITS_LOOK_BACK, SPLITS_HISTORY_MONTHS, source::splits,
                lake::replaceSplits, (w, r) -> database.ifPresent(db -> db.replaceSplits(w, r)));
        Channel<Dividend> dividends = new Channel<>("dividends", DIVIDENDS_LOOK_BACK, DIVIDENDS_HISTORY_MONTHS, source::dividends,
                lake::replaceDividends, (w, r) -> database.ifPresent(db -> db.replaceDividends(w, r)));
        List<Split> newSplits = new ArrayList<>();
        int[] newDividends = new int[1];
        CorporateActionLake.State state = lake.state();
        Optional<Coverage> splitCoverage = forward(splits, state.splits(), through, windows, newSplits::addAll);
        state = new CorporateActionLake.State(splitCoverage, state.dividends(), state.silencesChecked());
        lake.save(state);
        Optional<Coverage> dividendCoverage = forward(dividends, state.dividends(), through, windows,
                found -> newDividends[0] += found.size());
        state = new CorporateActionLake.State(splitCoverage, dividendCoverage, state.silencesChecked());
        lake.save(state);
        boolean more = true;
        while (more && Duration.between(started, clock.instant()).compareTo(historyBudget) < 0) {
            try {
                Optional<Coverage> olderSplits = backward(splits, splitCoverage, since, windows, newSplits::addAll);
                more = !olderSplits.equals(splitCoverage);
                splitCoverage = olderSplits;
                state = new CorporateActionLake.State(splitCoverage, dividendCoverage, state.silencesChecked());
                lake.save(state);
                Optional<Coverage> olderDividends = backward(dividends, dividendCoverage, since, windows,
                        found -> newDividends[0] += found.size());
                more |= !olderDividends.equals(dividendCoverage);
                dividendCoverage = olderDividends;
                state = new CorporateActionLake.State(splitCoverage, dividendCoverage, state.silencesChecked());
                lake.save(state);
            } catch (RateLimitedException e) {
                // Older records can wait for the next run; the run's own bars cannot.
                windows.add("older records paused at the rate limit");
                break;
            }
        }
        return new Refresh(newSplits, newDividends[0], splitCoverage, dividendCoverage, windows);
    }

    private <T> Optional<Coverage> forward(Channel<T> channel, Optional<Coverage> coverage, LocalDate through,
            List<String> windows, java.util.function.Consumer<List<T>> found) {
        if (coverage.isPresent() && !coverage.get().through().isBefore(through)) {
            return coverage;
        }
        LocalDate from = coverage.map(c -> c.through().minus(channel.lookBack)).orElse(through.minus(channel.lookBack));
        DateRange window = new DateRange(from, through);
        found.accept(fetch(channel, window, windows));
        LocalDate since = coverage.map(c -> c.since().isBefore(from) ? c.since() : from).orElse(from);
        return Optional.of(new Coverage(since, through, clock.instant()));
    }

    private <T> Optional<Coverage> backward(Channel<T> channel, Optional<Coverage> coverage, LocalDate since,
            List<String> windows, java.util.function.Consumer<List<T>> found) {
        if (coverage.isEmpty() || !coverage.get().since().isAfter(since)) {
            return coverage;
        }
        LocalDate end = coverage.get().since().minusDays(1);
        LocalDate step = coverage.get().since().minusMonths(channel.historyMonths);
        DateRange window = new DateRange(step.isBefore(since) ? since : step, end);
        List<T> records = channel.fetch.apply(window);
        found.accept(store(channel, window, records, windows));
        if (records.size() < PAGE) {
            channel.historyMonths = Math.min(LONGEST_STEP_MONTHS, channel.historyMonths * 2);
        }
        return Optional.of(new Coverage(window.start(), coverage.get().through(), coverage.get().fetchedAt()));
    }

    private <T> List<T> fetch(Channel<T> channel, DateRange window, List<String> windows) {
        return store(channel, window, channel.fetch.apply(window), windows);
    }

    private <T> List<T> store(Channel<T> channel, DateRange window, List<T> records, List<String> windows) {
        List<T> changed = channel.toLake.apply(window, records);
        channel.toDatabase.accept(window, records);
        windows.add(channel.name + " " + window + " (" + records.size() + ")");
        return changed;
    }

    /** Records ticker changes in the lake and PostgreSQL, with the symbols history they give. */
    public void recordTickerChanges(List<TickerChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        lake.addTickerChanges(changes);
        List<TickerChange> all = lake.tickerChanges();
        database.ifPresent(db -> db.replaceTickerChanges(all, new SymbolsHistory(all).spans()));
    }
}
