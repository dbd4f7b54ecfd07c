package dev.pricelake.core.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.core.Bar;
import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.NotAuthorizedException;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.RateLimitedException;
import dev.pricelake.core.ReferenceSource;
import dev.pricelake.core.ReferenceSource.TickerDetails;
import dev.pricelake.core.RunId;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TransientUpstreamException;
import dev.pricelake.core.bronze.BronzeLake;
import dev.pricelake.core.fetch.FetchPlan;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.progress.RunRecord;
import dev.pricelake.core.progress.RunStatus;
import dev.pricelake.core.progress.RunSummary;
import dev.pricelake.core.progress.TickerProgress;
import dev.pricelake.core.progress.TickerStatus;
import dev.pricelake.core.universe.Universe;
import dev.pricelake.core.universe.UniverseCache;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * {@code symbols refresh}: the listing (from the lake's 24-hour universe cache) updates every listed symbol's
 * name, type, exchange and active flag; ticker details are fetched only for symbols without them, with details
 * older than the maximum age, that a listing no longer shows active, or that are in the lake but not the table.
 * The details to fetch are a run in the progress table ({@code symbols-...}), so a refresh stopped by the rate
 * limit, its time budget or a crash is resumed by the next one. Every refresh then reclassifies every symbol
 * (SIC table, ETF rules) and recomputes market caps from the lake's last closes, with no API call, and writes
 * the table to the lake as Parquet.
 */
public final class SymbolRefresh {
    /** Names the latest refresh run, so the next refresh finds it to resume. */
    public static final String POINTER = "reference/symbols/refresh.json";
    /** Details written to the table (and their tickers marked done) this many at a time. */
    static final int FLUSH = 50;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ReferenceSource source;
    private final SymbolStore symbols;
    private final ProgressStore progress;
    private final ObjectStore lake;
    private final UniverseCache universes;
    private final Clock clock;
    private final RandomGenerator random;

    public SymbolRefresh(ReferenceSource source, SymbolStore symbols, ProgressStore progress, ObjectStore lake, Clock clock,
            RandomGenerator random) {
        this.source = source;
        this.symbols = symbols;
        this.progress = progress;
        this.lake = lake;
        this.universes = new UniverseCache(source, lake, clock);
        this.clock = clock;
        this.random = random;
    }

    /**
     * @param maxDetailsAge details older than this are fetched again
     * @param deadline      stop starting details calls after this (a Lambda's time budget), or null for none
     */
    public record Request(Universe.Query query, Duration maxDetailsAge, SicTable sic, EtfClassifier etfs, Instant deadline) {
    }

    /**
     * @param runId     the refresh run that fetched details (null when none were needed)
     * @param remaining details of that run not fetched yet: the next refresh resumes them
     * @param stoppedBy why details stopped before the end (the rate limit's message, the time budget), or null
     * @param rowsChanged rows the reclassification and the lake's closes changed
     */
    public record Result(RunId runId, RunStatus status, boolean resumed, int listed, int symbols, int detailsNeeded,
                         int detailsFetched, int detailsNotFound, int detailsFailed, int remaining, String stoppedBy,
                         int lakeCloses, int rowsChanged) {
    }

    private static final class Counts {
        int needed;
        int fetched;
        int notFound;
        int failed;
    }

    public Result refresh(Request request, Consumer<String> log) {
        Universe universe = universes.get(request.query(), false);
        symbols.upsertListings(universe.tickers(), clock.instant());
        Counts counts = new Counts();
        RunId runId = null;
        boolean resumed = false;
        String stoppedBy = null;
        Optional<RunRecord> unfinished = pointer().flatMap(progress::run).filter(r -> r.status() != RunStatus.COMPLETE);
        if (unfinished.isPresent()) {
            runId = unfinished.get().runId();
            resumed = true;
            List<Ticker> left = notSucceeded(runId);
            log.accept(String.format(Locale.ROOT, "resuming refresh %s: %,d of %,d symbols still need details", runId,
                    left.size(), unfinished.get().tickers().size()));
            counts.needed += left.size();
            stoppedBy = fetch(runId, left, request, counts, log);
        }
        BronzeLake bronze = new BronzeLake(lake);
        List<Ticker> inLake = bronze.symbols();
        if (stoppedBy == null) {
            List<Ticker> needed = needed(request, universe, inLake);
            if (!needed.isEmpty()) {
                log.accept(estimate(needed.size()));
                runId = start(request, needed);
                resumed = false;
                counts.needed += needed.size();
                stoppedBy = fetch(runId, needed, request, counts, log);
            }
        }
        Map<Ticker, Bar> closes = bronze.lastBars(inLake);
        List<Symbol> before = symbols.all();
        List<Symbol> after = recomputed(before, closes, request);
        int changed = 0;
        for (int i = 0; i < before.size(); i++) {
            changed += after.get(i).sameAs(before.get(i)) ? 0 : 1;
        }
        symbols.upsert(after, clock.instant());
        List<Symbol> all = symbols.all();
        lake.put(SymbolsParquet.KEY, SymbolsParquet.write(all));
        RunStatus status = runId == null ? RunStatus.COMPLETE : progress.run(runId).orElseThrow().status();
        int remaining = runId == null ? 0 : notSucceeded(runId).size();
        return new Result(runId, status, resumed, universe.tickers().size(), all.size(), counts.needed, counts.fetched,
                counts.notFound, counts.failed, remaining, stoppedBy, closes.size(), changed);
    }

    /** Says what a first (or large) refresh costs, since at the free plan's pace it takes hours. */
    static String estimate(int calls) {
        long seconds = FetchPlan.FREE_PLAN_CALL_INTERVAL.multipliedBy(calls).toSeconds();
        String time = seconds < 120 ? seconds + " s" : seconds < 7200 ? String.format(Locale.ROOT, "%.0f min", seconds / 60.0)
                : String.format(Locale.ROOT, "%.1f hours", seconds / 3600.0);
        return String.format(Locale.ROOT, "%,d symbols need ticker details: %,d calls, at least %s at the free plan's 5"
                + " requests a minute; a refresh stopped by the rate limit or a time budget is resumed by the next one",
                calls, calls, time);
    }

    /** New symbols first, then the oldest details. */
    private List<Ticker> needed(Request request, Universe universe, List<Ticker> inLake) {
        Instant staleBefore = clock.instant().minus(request.maxDetailsAge());
        Set<Ticker> listedActive = new HashSet<>();
        universe.tickers().stream().filter(ReferenceSource.ListedTicker::active).forEach(t -> listedActive.add(t.ticker()));
        Set<String> types = request.query().types();
        List<Symbol> rows = new ArrayList<>();
        Set<Ticker> known = new HashSet<>();
        for (Symbol s : symbols.all()) {
            known.add(s.ticker());
            Instant fetched = s.detailsUpdatedAt();
            boolean stale = fetched == null || (s.active() && fetched.isBefore(staleBefore));
            boolean vanished = s.active() && (types.isEmpty() || types.contains(s.type())) && !listedActive.contains(s.ticker())
                    && fetched != null && fetched.isBefore(universe.fetchedAt());
            if (stale || vanished) {
                rows.add(s);
            }
        }
        rows.sort(Comparator.comparing((Symbol s) -> s.detailsUpdatedAt() == null ? Instant.MIN : s.detailsUpdatedAt())
                .thenComparing(Symbol::ticker));
        List<Ticker> needed = new ArrayList<>();
        inLake.stream().filter(t -> !known.contains(t)).forEach(needed::add);
        rows.forEach(s -> needed.add(s.ticker()));
        return needed;
    }

    private RunId start(Request request, List<Ticker> tickers) {
        RunId runId = RunId.symbols(clock.instant(), random);
        ObjectNode input = JSON.createObjectNode();
        input.put("mode", "symbols");
        input.put("types", request.query().names());
        input.put("include_delisted", request.query().includeDelisted());
        input.put("max_age_days", request.maxDetailsAge().toDays());
        Map<Ticker, Integer> batchOf = new HashMap<>();
        tickers.forEach(t -> batchOf.put(t, 0));
        if (!progress.createRun(new RunRecord(runId, input.toString(), tickers, RunStatus.RUNNING, 0, clock.instant(), null,
                Map.of(), null), batchOf)) {
            throw new IllegalStateException("run " + runId + " already exists");
        }
        ObjectNode pointer = JSON.createObjectNode();
        pointer.put("run_id", runId.value());
        lake.put(POINTER, pointer.toString().getBytes(StandardCharsets.UTF_8));
        return runId;
    }

    private Optional<RunId> pointer() {
        return lake.get(POINTER).flatMap(bytes -> {
            try {
                JsonNode node = JSON.readTree(bytes);
                return Optional.of(new RunId(node.path("run_id").asText()));
            } catch (IOException | RuntimeException damaged) {
                // A damaged pointer loses nothing: the table itself says which details are still missing.
                return Optional.empty();
            }
        });
    }

    private List<Ticker> notSucceeded(RunId runId) {
        return progress.tickers(runId).stream().filter(t -> t.status() != TickerStatus.SUCCEEDED)
                .map(TickerProgress::ticker).toList();
    }

    /** Fetches the tickers' details into the table; returns why it stopped early, or null when it did not. */
    private String fetch(RunId runId, List<Ticker> tickers, Request request, Counts counts, Consumer<String> log) {
        int epoch = progress.beginAttempt(runId, clock.instant());
        Map<Ticker, Symbol> known = new HashMap<>();
        symbols.all().forEach(s -> known.put(s.ticker(), s));
        Map<Ticker, Symbol> pending = new LinkedHashMap<>();
        String stoppedBy = null;
        int done = 0;
        try {
            for (Ticker t : tickers) {
                if (request.deadline() != null && clock.instant().isAfter(request.deadline())) {
                    stoppedBy = "the time budget ran out";
                    break;
                }
                if (!progress.claim(runId, t, epoch, 0, clock.instant()).claimed()) {
                    continue;
                }
                Optional<TickerDetails> details;
                try {
                    details = source.details(t);
                } catch (RateLimitedException e) {
                    progress.markStopped(runId, t, epoch, TickerStatus.RATE_LIMITED, e.getMessage(), clock.instant());
                    stoppedBy = e.getMessage();
                    break;
                } catch (TransientUpstreamException | MalformedDataException e) {
                    progress.markStopped(runId, t, epoch, TickerStatus.FAILED, e.getMessage(), clock.instant());
                    counts.failed++;
                    continue;
                }
                Instant now = clock.instant();
                Symbol old = known.get(t);
                if (details.isPresent()) {
                    counts.fetched++;
                    pending.put(t, classify(fromDetails(details.get(), old, now), request));
                } else {
                    // Unknown to the details endpoint: remember that it was asked, so it is not asked again daily.
                    counts.notFound++;
                    Symbol base = old != null ? old : Symbol.listed(t, null, null, null, false, now);
                    pending.put(t, base.withDetailsUpdatedAt(now));
                }
                if (pending.size() >= FLUSH) {
                    flush(runId, epoch, pending);
                }
                if (++done % 500 == 0) {
                    log.accept(String.format(Locale.ROOT, "details: %,d of %,d", done, tickers.size()));
                }
            }
        } catch (NotAuthorizedException e) {
            flush(runId, epoch, pending);
            RunSummary s = RunSummary.of(runId, progress.tickers(runId));
            progress.finishRun(runId, RunStatus.FAILED, s.counts(), e.getMessage(), clock.instant());
            throw e;
        }
        flush(runId, epoch, pending);
        RunSummary s = RunSummary.of(runId, progress.tickers(runId));
        progress.finishRun(runId, s.status(), s.counts(), null, clock.instant());
        return stoppedBy;
    }

    /** Writes the fetched rows, then marks their tickers done: a crash in between only repeats a few calls. */
    private void flush(RunId runId, int epoch, Map<Ticker, Symbol> pending) {
        if (pending.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        symbols.upsert(List.copyOf(pending.values()), now);
        for (Ticker t : pending.keySet()) {
            progress.markFetched(runId, t, epoch, 0, 0, now);
            progress.markSucceeded(runId, t, epoch, now);
        }
        pending.clear();
    }

    static Symbol fromDetails(TickerDetails d, Symbol old, Instant now) {
        Long shares = d.shareClassSharesOutstanding() != null ? d.shareClassSharesOutstanding() : d.weightedSharesOutstanding();
        Double close = old == null ? null : old.lastClose();
        return new Symbol(d.ticker(), blankToNull(d.name()), d.type(), d.primaryExchange(), d.active(), d.listDate(),
                d.delistedUtc(), d.cik(), d.compositeFigi(), d.sicCode(), d.sicDescription(), null, null, shares,
                Symbol.marketCap(shares, close, d.marketCap()), d.marketCap(), close,
                old == null ? null : old.lastCloseDate(), null, null, now, now);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    /** Sector and industry from the SIC code; an ETF's type, issuer and sector from its name. */
    static Symbol classify(Symbol s, Request request) {
        if (s.isEtf()) {
            EtfClassifier.Classification c = request.etfs().classify(s.name());
            return s.withClassification(c.sector(), null, c.etfType(), c.issuer());
        }
        Optional<SicTable.Classification> c = request.sic().classify(s.sicCode());
        return s.withClassification(c.map(SicTable.Classification::sector).orElse(null),
                c.map(SicTable.Classification::industry).orElse(null), null, null);
    }

    /** Every row reclassified, with the lake's last close and the market cap it gives. */
    private static List<Symbol> recomputed(List<Symbol> rows, Map<Ticker, Bar> closes, Request request) {
        List<Symbol> out = new ArrayList<>(rows.size());
        for (Symbol s : rows) {
            Bar last = closes.get(s.ticker());
            Symbol c = classify(s, request);
            out.add(last != null ? c.withLastClose(last.close(), last.date()) : c.withLastClose(c.lastClose(), c.lastCloseDate()));
        }
        return out;
    }
}
