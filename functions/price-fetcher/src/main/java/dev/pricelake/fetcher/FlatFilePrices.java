package dev.pricelake.fetcher;

import dev.pricelake.core.Bar;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.FlatFileSource;
import dev.pricelake.core.PriceSource;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.actions.CorporateActionLake;
import dev.pricelake.core.actions.SplitAdjustment;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Grouped days read from the flat files instead of the grouped-daily endpoint: one file a session, no rate limit. The
 * files are as traded, so an adjusted run's bars are split-adjusted with the splits the lake knows, which gives what
 * {@code adjusted=true} serves. A session the files cannot give (no file yet, or older than the splits the lake has
 * fetched) comes from grouped daily instead, and is recorded in {@link #fallbacks()} so the run says so.
 */
final class FlatFilePrices implements PriceSource {
    /** A session taken from grouped daily instead, and why. */
    record Fallback(LocalDate session, String reason) {
    }

    private final FlatFileSource files;
    private final PriceSource api;
    private final CorporateActionLake actions;
    private final List<Fallback> fallbacks;
    private SplitAdjustment adjustment;
    private Optional<LocalDate> splitsSince;

    FlatFilePrices(FlatFileSource files, PriceSource api, CorporateActionLake actions) {
        this(files, api, actions, new ArrayList<>());
    }

    private FlatFilePrices(FlatFileSource files, PriceSource api, CorporateActionLake actions, List<Fallback> fallbacks) {
        this.files = files;
        this.api = api;
        this.actions = actions;
        this.fallbacks = fallbacks;
    }

    List<Fallback> fallbacks() {
        return List.copyOf(fallbacks);
    }

    @Override
    public List<Bar> dailyBars(Ticker ticker, DateRange range, boolean adjusted) {
        return api.dailyBars(ticker, range, adjusted);
    }

    @Override
    public GroupedDay groupedDaily(LocalDate date, boolean adjusted) {
        if (adjusted && !splitsKnownOn(date)) {
            fallbacks.add(new Fallback(date, "the lake knows splits " + splitsSince.map(d -> "from " + d + " on").orElse("of no date")
                    + ", so a file of that day cannot be adjusted yet"));
            return api.groupedDaily(date, true);
        }
        Optional<GroupedDay> day = files.day(date);
        if (day.isEmpty()) {
            fallbacks.add(new Fallback(date, "no flat file at " + files.location()));
            return api.groupedDaily(date, adjusted);
        }
        if (!adjusted) {
            return day.get();
        }
        List<Bar> bars = new ArrayList<>(day.get().bars().size());
        day.get().bars().forEach(b -> bars.add(adjustment.adjust(b)));
        return new GroupedDay(date, bars, day.get().unrecognizedSymbols());
    }

    /** Whether the lake has fetched every split executed after this date; read once, when the first day needs it. */
    private boolean splitsKnownOn(LocalDate date) {
        if (adjustment == null) {
            adjustment = SplitAdjustment.of(actions);
            splitsSince = actions.state().splits().map(CorporateActionLake.Coverage::since);
        }
        return splitsSince.isPresent() && !date.isBefore(splitsSince.get());
    }

    @Override
    public PriceSource atRate(Integer requestsPerMinute) {
        return new FlatFilePrices(files, api.atRate(requestsPerMinute), actions, fallbacks);
    }
}
