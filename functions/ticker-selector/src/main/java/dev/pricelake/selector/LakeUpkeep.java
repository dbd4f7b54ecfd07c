package dev.pricelake.selector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.actions.CorporateActionLake;
import dev.pricelake.core.actions.CorporateActionSource;
import dev.pricelake.core.actions.CorporateActions;
import dev.pricelake.core.actions.Split;
import dev.pricelake.core.actions.SymbolsHistory;
import dev.pricelake.core.actions.TickerChange;
import dev.pricelake.core.bronze.Adjustment;
import dev.pricelake.core.bronze.BronzeLake;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What every run does before it fetches, so the lake keeps equal to a fresh backfill: brings the corporate actions
 * up to date, looks into symbols that went silent (a rename, a delisting, a halt), and finds the symbols whose
 * bronze a split made stale (adjusted through a date before the split) or whose history a rename moved under
 * another ticker. Those are fetched again whole; the decision rests on the files themselves, so a run that dies
 * before the re-fetch leaves the next run the same decision.
 */
final class LakeUpkeep {
    /** How long a run spends fetching older corporate actions (history) before it gets to its own work. */
    static final Duration HISTORY_BUDGET = Duration.ofSeconds(60);
    /** Silent symbols looked into per run: two calls each, so a lake with many delistings is worked through in turns. */
    static final int SILENCES_PER_RUN = 25;
    private final CorporateActions actions;
    private final CorporateActionSource source;
    private final CorporateActionLake actionLake;
    private final BronzeLake bronze;
    private final TradingCalendar calendar;

    LakeUpkeep(CorporateActions actions, CorporateActionSource source, CorporateActionLake actionLake, BronzeLake bronze,
            TradingCalendar calendar) {
        this.actions = actions;
        this.source = source;
        this.actionLake = actionLake;
        this.bronze = bronze;
        this.calendar = calendar;
    }

    /** Every symbol of the lake at a glance, as a daily run plans from it. */
    record Lake(Map<Ticker, BronzeLake.Summary> summaries) {
        List<Ticker> symbols() {
            return List.copyOf(summaries.keySet());
        }

        /** How the lake is adjusted: every file the same way (runs refuse to mix). */
        Optional<Adjustment> adjustment() {
            return summaries.values().stream().findFirst().map(s -> s.provenance().adjustment());
        }

        Optional<LocalDate> firstBar() {
            return summaries.values().stream().map(BronzeLake.Summary::first).filter(Objects::nonNull).min(LocalDate::compareTo);
        }

        /** The lake's last session: the latest bar of any symbol; null for a lake without bars. */
        LocalDate lastSession() {
            return summaries.values().stream().map(BronzeLake.Summary::last).filter(Objects::nonNull)
                    .max(LocalDate::compareTo).orElse(null);
        }

        /** Each symbol the source was last asked about before {@code observed}, with the first session it lacks. */
        Map<Ticker, LocalDate> behind(LocalDate observed, TradingCalendar calendar) {
            Map<Ticker, LocalDate> out = new TreeMap<>();
            summaries.forEach((symbol, s) -> {
                LocalDate next = calendar.onOrAfter(s.provenance().coveredThrough().plusDays(1));
                if (!next.isAfter(observed)) {
                    out.put(symbol, next);
                }
            });
            return out;
        }
    }

    Lake read() {
        return new Lake(bronze.summaries(bronze.symbols(), calendar));
    }

    /** A history fetched again from {@code start}, and why. */
    record Replace(LocalDate start, List<String> reasons) {
        Replace {
            reasons = List.copyOf(reasons);
        }
    }

    /**
     * @param replace  symbols whose whole history is fetched again, from their first date
     * @param retire   old tickers whose history moves under the new one (their files and rows go)
     * @param renames  ticker changes found by looking into silent symbols in this run
     */
    record Work(Map<Ticker, Replace> replace, Map<Ticker, Ticker> retire, CorporateActions.Refresh refresh,
                List<TickerChange> renames) {
        /** Adds this work to the run's stored input, keeping what earlier attempts recorded. */
        void record(ObjectNode input) {
            ObjectNode replaced = input.has("replace") ? (ObjectNode) input.get("replace") : input.putObject("replace");
            replace.forEach((t, r) -> {
                ObjectNode entry = replaced.putObject(t.value());
                entry.put("start", r.start().toString());
                r.reasons().forEach(entry.withArray("reasons")::add);
            });
            ObjectNode retired = input.has("retire") ? (ObjectNode) input.get("retire") : input.putObject("retire");
            retire.forEach((old, now) -> retired.put(old.value(), now.value()));
        }

        /** The re-fetches the stored input does not have yet. */
        Set<Ticker> newIn(JsonNode stored) {
            Set<Ticker> out = new HashSet<>();
            replace.keySet().forEach(t -> {
                if (!stored.path("replace").has(t.value())) {
                    out.add(t);
                }
            });
            return out;
        }
    }

    /**
     * Refreshes the corporate actions through {@code observed} (and, within a budget, back towards {@code since}),
     * then decides which of the lake's symbols are fetched again. With the daily run's view of the lake, symbols that
     * went silent are looked into for renames first.
     */
    Work reconcile(LocalDate observed, LocalDate since, boolean adjusted, Optional<Lake> lake) {
        CorporateActions.Refresh refresh = actions.refresh(observed, since, HISTORY_BUDGET);
        List<TickerChange> found = lake.map(l -> lookIntoSilences(l, observed)).orElse(List.of());
        List<TickerChange> changes = actionLake.tickerChanges();
        SymbolsHistory history = new SymbolsHistory(changes);
        Map<Ticker, List<Split>> splits = new TreeMap<>();
        if (adjusted) {
            for (Split s : actionLake.splits()) {
                if (!s.executionDate().isAfter(observed)) {
                    splits.computeIfAbsent(s.ticker(), t -> new ArrayList<>()).add(s);
                }
            }
        }
        Set<Ticker> inLake = new HashSet<>(lake.map(Lake::symbols).orElseGet(bronze::symbols));
        Set<Ticker> candidates = new HashSet<>(splits.keySet());
        changes.forEach(c -> candidates.add(c.from()));
        candidates.retainAll(inLake);
        Map<Ticker, BronzeLake.Summary> summaries = lake.map(Lake::summaries)
                .orElseGet(() -> bronze.summaries(List.copyOf(candidates), calendar));
        Map<Ticker, Replace> replace = new TreeMap<>();
        Map<Ticker, Ticker> retire = new TreeMap<>();
        for (Ticker symbol : new TreeMap<>(summaries).keySet()) {
            if (!candidates.contains(symbol)) {
                continue;
            }
            BronzeLake.Summary file = summaries.get(symbol);
            LocalDate tradedUntil = file.last() != null ? file.last() : file.provenance().coveredThrough();
            Optional<TickerChange> renamed = history.renamedAfter(symbol, tradedUntil)
                    .filter(c -> !c.date().isAfter(observed));
            if (renamed.isPresent()) {
                Ticker now = renamed.get().to();
                retire.put(symbol, now);
                LocalDate start = file.provenance().covered().start();
                BronzeLake.Summary target = summaries.containsKey(now) ? summaries.get(now)
                        : bronze.summaries(List.of(now), calendar).get(now);
                if (target != null && target.provenance().covered().start().isBefore(start)) {
                    start = target.provenance().covered().start();
                }
                add(replace, now, start, "renamed " + symbol + " to " + now + " on " + renamed.get().date());
                continue;
            }
            LocalDate through = file.provenance().adjustment().splitsThrough();
            for (Split s : splits.getOrDefault(symbol, List.of())) {
                if (through != null && s.executionDate().isAfter(through)) {
                    add(replace, symbol, file.provenance().covered().start(), "split " + s.describe());
                }
            }
        }
        return new Work(replace, retire, refresh, found);
    }

    private static void add(Map<Ticker, Replace> replace, Ticker symbol, LocalDate start, String reason) {
        Replace before = replace.get(symbol);
        List<String> reasons = new ArrayList<>(before == null ? List.of() : before.reasons());
        reasons.add(reason);
        LocalDate from = before != null && before.start().isBefore(start) ? before.start() : start;
        replace.put(symbol, new Replace(from, reasons));
    }

    /**
     * A symbol the source had nothing for on sessions after its last bar went silent: renamed, delisted or halted.
     * Each silence is looked into once (the ticker's company on its last day, then that company's ticker changes).
     */
    private List<TickerChange> lookIntoSilences(Lake lake, LocalDate observed) {
        CorporateActionLake.State state = actionLake.state();
        Map<Ticker, LocalDate> checked = new TreeMap<>(state.silencesChecked());
        List<TickerChange> found = new ArrayList<>();
        int looked = 0;
        for (BronzeLake.Summary s : lake.summaries().values()) {
            if (looked >= SILENCES_PER_RUN) {
                break;
            }
            if (s.last() == null || !s.last().isBefore(s.provenance().coveredThrough()) || s.last().equals(checked.get(s.symbol()))) {
                continue;
            }
            looked++;
            found.addAll(source.tickerChanges(s.symbol(), s.last()));
            checked.put(s.symbol(), s.last());
        }
        if (looked > 0) {
            actions.recordTickerChanges(found);
            CorporateActionLake.State now = actionLake.state();
            actionLake.save(new CorporateActionLake.State(now.splits(), now.dividends(), checked));
        }
        return found;
    }

    /**
     * A run's prices must be adjusted the way the lake's are: split-adjusted and unadjusted bars never share a
     * file, and one lake holds one kind (so PostgreSQL and silver are one kind too).
     */
    void requireLakeAdjustment(boolean adjusted, List<Ticker> tickers) {
        List<Ticker> symbols = bronze.symbols();
        if (symbols.isEmpty()) {
            return;
        }
        Set<Ticker> inLake = new HashSet<>(symbols);
        Ticker probe = tickers.stream().filter(inLake::contains).findFirst().orElse(symbols.getFirst());
        BronzeLake.Summary file = bronze.summaries(List.of(probe), calendar).get(probe);
        if (file != null && file.provenance().adjustment().adjusted() != adjusted) {
            throw new InvalidInputException("adjusted", (adjusted ? "true" : "false") + ": the lake holds "
                    + file.provenance().adjustment().describe() + " bars (" + probe + " among them), and a run never mixes"
                    + " split-adjusted and unadjusted bars; keep an " + (adjusted ? "adjusted" : "unadjusted")
                    + " lake in its own data dir (bucket)");
        }
    }
}
