package dev.pricelake.fetcher;

import dev.pricelake.core.Bar;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.FlatFileSource;
import dev.pricelake.core.MinuteBar;
import dev.pricelake.core.MinuteBarSource;
import dev.pricelake.core.PriceSource;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.actions.CorporateActionLake;
import dev.pricelake.core.actions.SplitAdjustment;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Grouped days read from the flat files instead of the grouped-daily endpoint: one file a session, no rate limit. The
 * files are as traded, so an adjusted run's bars are split-adjusted with the splits the lake knows, which gives what
 * {@code adjusted=true} serves. A session the files cannot give (no file yet, or older than the splits the lake has
 * fetched) comes from grouped daily instead, and is recorded in {@link #fallbacks()} so the run says so. Minutes come
 * the same way from the minute files, a session the files cannot give from each ticker's range call.
 */
final class FlatFilePrices implements PriceSource {
    /** A session taken from the REST API instead ({@code instead}: grouped daily, or range calls for minutes), and why. */
    record Fallback(LocalDate session, String reason, String instead) {
        static final String GROUPED = "grouped daily";
        static final String RANGE = "range calls";
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

    /** Whether the session's day bars came from its file, which serves them again with no rate limit, not from grouped daily. */
    boolean servedFromFile(LocalDate session) {
        return fallbacks.stream().noneMatch(f -> f.session().equals(session));
    }

    @Override
    public List<Bar> dailyBars(Ticker ticker, DateRange range, boolean adjusted) {
        return api.dailyBars(ticker, range, adjusted);
    }

    @Override
    public GroupedDay groupedDaily(LocalDate date, boolean adjusted) {
        if (adjusted && !splitsKnownOn(date)) {
            fallbacks.add(new Fallback(date, unadjustable(), Fallback.GROUPED));
            return api.groupedDaily(date, true);
        }
        Optional<GroupedDay> day = files.day(date);
        if (day.isEmpty()) {
            fallbacks.add(new Fallback(date, "no flat file at " + files.location(), Fallback.GROUPED));
            return api.groupedDaily(date, adjusted);
        }
        if (!adjusted) {
            return day.get();
        }
        List<Bar> bars = new ArrayList<>(day.get().bars().size());
        day.get().bars().forEach(b -> bars.add(adjustment.adjust(b)));
        return new GroupedDay(date, bars, day.get().unrecognizedSymbols());
    }

    /**
     * The session's minutes of the tickers from its minute file, split-adjusted as the session's day bars are; where the
     * file cannot serve (none yet, or the splits are not known that far back), each ticker's range call for the session
     * instead, recorded as a fallback.
     */
    Map<Ticker, List<MinuteBar>> minutes(LocalDate session, Set<Ticker> tickers, boolean adjusted) {
        Optional<String> cannot = adjusted && !splitsKnownOn(session) ? Optional.of(unadjustable()) : Optional.empty();
        Optional<List<MinuteBar>> file = cannot.isPresent() ? Optional.empty() : files.minutes(session, tickers);
        Map<Ticker, List<MinuteBar>> byTicker = new TreeMap<>();
        if (file.isEmpty()) {
            if (!(api instanceof MinuteBarSource rest)) {
                throw new IllegalStateException("this function's price source serves no minute bars");
            }
            fallbacks.add(new Fallback(session, cannot.orElse("no minute flat file at " + files.location()), Fallback.RANGE));
            for (Ticker ticker : tickers) {
                byTicker.put(ticker, rest.minuteBars(ticker, new DateRange(session, session), adjusted));
            }
            return byTicker;
        }
        for (MinuteBar minute : file.get()) {
            byTicker.computeIfAbsent(minute.symbol(), t -> new ArrayList<>())
                    .add(adjusted ? adjustment.adjust(minute, session) : minute);
        }
        return byTicker;
    }

    private String unadjustable() {
        return "the lake knows splits " + splitsSince.map(d -> "from " + d + " on").orElse("of no date")
                + ", so a file of that day cannot be adjusted yet";
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
    public FlatFilePrices atRate(Integer requestsPerMinute) {
        return new FlatFilePrices(files, api.atRate(requestsPerMinute), actions, fallbacks);
    }
}
