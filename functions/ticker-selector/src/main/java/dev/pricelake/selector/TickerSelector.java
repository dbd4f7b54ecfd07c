package dev.pricelake.selector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.MentionsSource;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.ReferenceSource;
import dev.pricelake.core.RunId;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.actions.CorporateActionLake;
import dev.pricelake.core.actions.CorporateActionSource;
import dev.pricelake.core.actions.CorporateActionStore;
import dev.pricelake.core.actions.CorporateActions;
import dev.pricelake.core.bronze.BronzeLake;
import dev.pricelake.core.bronze.MinuteBronzeLake;
import dev.pricelake.core.bronze.Staging;
import dev.pricelake.core.fetch.FetchMethod;
import dev.pricelake.core.fetch.FetchPlan;
import dev.pricelake.core.fetch.Timespan;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.progress.RunRecord;
import dev.pricelake.core.progress.RunStatus;
import dev.pricelake.core.progress.TickerProgress;
import dev.pricelake.core.progress.TickerStatus;
import dev.pricelake.core.progress.WriterLease;
import dev.pricelake.core.recent.RetentionWindow;
import dev.pricelake.core.reference.CacheEntry;
import dev.pricelake.core.reference.ReferenceTables;
import dev.pricelake.core.reference.UniverseEntries;
import dev.pricelake.core.universe.Universe;
import dev.pricelake.core.universe.UniverseCache;
import java.io.IOException;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * SelectTickers: starts a run (choose tickers, plan the calls, record the tickers PENDING), starts a named run again
 * (a resume) or resumes one, and batches the tickers still to do. Every run first takes the lake's writer lease and
 * brings the corporate actions up to date: a symbol in the lake whose prices a split made stale, or whose history a
 * rename moved, joins the run as a re-fetch of its whole history. A daily run catches each of the lake's symbols up
 * from its own last session and backfills the new members of a configured universe.
 */
final class TickerSelector {
    /**
     * A grouped-daily answer is taken as published once it has this share of the symbols that traded on the
     * lake's last session: day-to-day listings move by far less, an unfinished day by far more.
     */
    static final double PUBLISHED_SHARE = 0.9;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ProgressStore progress;
    private final UniverseCache universes;
    private final Optional<MentionsSource> mentions;
    private final Optional<ReferenceTables> tables;
    private final ObjectStore lake;
    private final LakeUpkeep upkeep;
    private final MinuteBronzeLake minuteLake;
    private final WriterLease lease;
    private final JsonNode source;
    private final int deploymentRequestsPerMinute;
    private final TradingCalendar calendar;
    private final Clock clock;
    private final RandomGenerator random;

    /**
     * @param tables the symbols (kept current with the listings a run reads) and the universes a run may select
     * @param source how the functions reach prices ({@code {"url": ...}}, and for the local simulator its seed):
     *               recorded with each run, so a resume uses the same source
     * @param deploymentRequestsPerMinute the rate (0: no limit) the functions calling Polygon hold a run to when it gives
     *               none of its own (POLYGON_REQUESTS_PER_MINUTE), so such a run is planned at it
     */
    TickerSelector(ProgressStore progress, ReferenceSource reference, CorporateActionSource actions,
            Optional<MentionsSource> mentions, Optional<ReferenceTables> tables, Optional<CorporateActionStore> actionsDatabase,
            ObjectStore lake, JsonNode source, int deploymentRequestsPerMinute, Clock clock, RandomGenerator random) {
        this.progress = progress;
        this.universes = new UniverseCache(reference, lake, clock);
        this.mentions = mentions;
        this.tables = tables;
        this.lake = lake;
        this.calendar = TradingCalendar.nyse();
        this.upkeep = new LakeUpkeep(new CorporateActions(actions, new CorporateActionLake(lake), actionsDatabase, clock),
                actions, new CorporateActionLake(lake), new BronzeLake(lake), calendar);
        this.lease = new WriterLease(progress, clock);
        this.minuteLake = new MinuteBronzeLake(lake);
        this.source = source;
        this.deploymentRequestsPerMinute = deploymentRequestsPerMinute;
        this.clock = clock;
        this.random = random;
    }

    /** Tickers fetched one way over one range; a run is a few of these. */
    record Part(List<Ticker> tickers, FetchMethod method, DateRange range, int expectedSymbols, boolean replace,
                Map<Ticker, LocalDate> starts, Map<Ticker, Ticker> retire) {
        Part(List<Ticker> tickers, FetchMethod method, DateRange range, int expectedSymbols) {
            this(tickers, method, range, expectedSymbols, false, Map.of(), Map.of());
        }
    }

    /** What a run is made of, and how it was planned. */
    record Plan(List<Part> parts, List<FetchPlan> plans, Optional<Selection.SessionFetch> sessions) {
    }

    /**
     * @param execution the state machine execution asking, when there is one: a run it starts unnamed is named after
     *                  it, so a retry of this step finds the run its first attempt created and continues it
     */
    Selection select(BackfillRequest request, Optional<Execution> execution) {
        if (request.isResume()) {
            return resume(runOf(request.runId()), request);
        }
        if (request.isNamed()) {
            Optional<RunRecord> existing = progress.run(request.runId());
            if (existing.isPresent()) {
                requireSameStart(request, storedInput(existing.get()));
                return resume(existing.get(), request);
            }
            return start(request, request.runId(), execution);
        }
        RunId runId = execution.map(e -> RunId.backfill(e.startedAt(), e.id())).orElseGet(() -> RunId.backfill(clock.instant(), random));
        return continued(runId, execution).orElseGet(() -> start(request, runId, execution));
    }

    private Selection start(BackfillRequest request, RunId runId, Optional<Execution> execution) {
        List<Ticker> tickers = resolve(request.selection());
        if (tickers.isEmpty()) {
            throw new InvalidInputException("selection", "selects no tickers");
        }
        LocalDate observed = observation(request.range().end(), request.asOf(), "end");
        if (request.range().start().isAfter(observed)) {
            throw new InvalidInputException("start", request.range().start() + " has no closed session yet (the last one is "
                    + observed + ": a session's bars are fetched the day after it)");
        }
        if (request.timespan() == Timespan.DAY) {
            upkeep.requireLakeAdjustment(request.adjusted(), tickers);
        }
        return underLease(runId, () -> {
            // Flat files are as traded: adjusting them as adjusted=true does needs every split up to now, not to the range's end.
            LocalDate splitsThrough = request.flatFiles() && request.adjusted()
                    ? observation(today(), request.asOf(), "end") : observed;
            LakeUpkeep.Work work = forTimespan(upkeep.reconcile(splitsThrough, request.range().start(), request.adjusted(),
                    Optional.empty()), request.timespan());
            ObjectNode input = request.toJson();
            input.set("source", source);
            input.put("observed_through", observed.toString());
            work.record(input);
            Set<Ticker> all = new LinkedHashSet<>(tickers);
            all.addAll(work.replace().keySet());
            return begin(runId, execution, input, List.copyOf(all), backfillPlan(input, List.copyOf(all)), new Batching(request.batchSizeGiven() ? request.batchSize() : null,
                    request.maxConcurrency(), request.adjusted(), request.asOf(), request.requestsPerMinute(), request.timespan(),
                    request.minuteRetentionDays()),
                    work);
        });
    }

    /**
     * A minute run writes minute bronze only: the day lake's histories that splits or renames made stale are left to
     * the next day run, which the corporate actions refreshed here still tell it about.
     */
    private static LakeUpkeep.Work forTimespan(LakeUpkeep.Work work, Timespan timespan) {
        return timespan == Timespan.DAY ? work : new LakeUpkeep.Work(Map.of(), Map.of(), work.refresh(), work.renames());
    }

    /**
     * The run this execution created in an earlier attempt of this step (which then failed or timed out): it goes
     * on from where it is, as a resume would, rather than leaving it orphaned or reporting it as someone else's.
     */
    private Optional<Selection> continued(RunId runId, Optional<Execution> execution) {
        Optional<RunRecord> run = progress.run(runId).filter(r -> execution.isPresent() && r.createdBy(execution.get().id()));
        if (run.isEmpty()) {
            return Optional.empty();
        }
        if (run.get().status() == RunStatus.COMPLETE) {
            return Optional.of(Selection.done(runId, "run " + runId + " is COMPLETE: an earlier attempt of this execution"
                    + " finished it"));
        }
        return Optional.of(resume(run.get(), null));
    }

    /** A named run started again must ask for what it asked the first time. */
    private static void requireSameStart(BackfillRequest request, JsonNode stored) {
        ObjectNode asked = request.toJson();
        List<String> differences = new ArrayList<>();
        for (String field : BackfillRequest.IDENTITY) {
            if (field.equals("source")) {
                continue;
            }
            JsonNode was = stored.path(field);
            JsonNode now = asked.path(field);
            if (!was.equals(now)) {
                differences.add(field + " " + (was.isMissingNode() ? "(none)" : text(was)) + " then, " + text(now) + " now");
            }
        }
        if (!differences.isEmpty()) {
            throw new InvalidInputException("run_id", "run " + request.runId() + " exists with another input: "
                    + String.join("; ", differences) + ". Resume it with its own input, or give this start another run_id");
        }
    }

    private static String text(JsonNode value) {
        return value.isTextual() ? value.asText() : value.toString();
    }

    Selection daily(DailyRequest request, Optional<Execution> execution) {
        boolean minutes = request.timespan() == Timespan.MINUTE;
        RunId day = minutes ? RunId.dailyMinute(request.asOf()) : RunId.daily(request.asOf());
        RunId runId = day;
        Optional<Selection> continued = continued(runId, execution);
        if (continued.isPresent()) {
            return continued.get();
        }
        Optional<RunRecord> existing = progress.run(runId);
        if (existing.isPresent()) {
            if (!request.force()) {
                RunStatus status = existing.get().status();
                return Selection.done(runId, "run " + runId + " already exists (" + status + "): a repeated trigger for the"
                        + " same day does nothing; to run the day again, use force" + (status == RunStatus.COMPLETE ? ""
                        : ", and to finish it, resume it with {\"run_id\": \"" + runId + "\"}"));
            }
            int rerun = 2;
            while (progress.run(day.rerun(rerun)).isPresent()) {
                // A retry of this step finds the rerun its first attempt created.
                Optional<Selection> again = continued(day.rerun(rerun), execution);
                if (again.isPresent()) {
                    return again.get();
                }
                rerun++;
            }
            runId = day.rerun(rerun);
        }
        RunId id = runId;
        LocalDate observed = observation(request.asOf().minusDays(1), request.asOf(), "as_of");
        if (minutes) {
            return underLease(id, () -> dailyMinutes(id, request, observed, execution));
        }
        return underLease(id, () -> {
            LakeUpkeep.Lake state = upkeep.read();
            boolean adjusted = state.adjustment().map(a -> a.adjusted()).orElse(request.adjusted());
            LakeUpkeep.Work work = upkeep.reconcile(observed, state.firstBar().orElse(observed), adjusted, Optional.of(state));
            Map<Ticker, LocalDate> behind = state.behind(observed, calendar);
            work.replace().keySet().forEach(behind::remove);
            work.retire().keySet().forEach(behind::remove);
            List<Ticker> newMembers = new ArrayList<>();
            Set<Ticker> inLake = new HashSet<>(state.symbols());
            List<Ticker> members = request.universe() != null ? universeMembers(request.universe())
                    : request.universeEntry() != null ? entryMembers("universe_entry", request.universeEntry()) : List.of();
            members.stream().filter(t -> !inLake.contains(t) && !work.replace().containsKey(t)).forEach(newMembers::add);
            if (behind.isEmpty() && newMembers.isEmpty() && work.replace().isEmpty()) {
                // Nothing recorded: a later run of the same day (after a backfill, say) is not blocked by this one.
                lease.release(id);
                return Selection.done(id, nothingToFetch(state.lastSession(), request.asOf()));
            }
            // The symbols caught up that traded on the lake's last session: a published grouped day has most of them.
            LocalDate lastSession = state.lastSession();
            long tradedOnLast = behind.keySet().stream()
                    .filter(t -> lastSession != null && lastSession.equals(state.summaries().get(t).last())).count();
            ObjectNode stored = dailyInput(request, adjusted, observed, behind, tradedOnLast, newMembers);
            stored.set("source", source);
            work.record(stored);
            List<Ticker> tickers = new ArrayList<>(new TreeMap<>(behind).keySet());
            tickers.addAll(newMembers);
            work.replace().keySet().stream().filter(t -> !tickers.contains(t)).forEach(tickers::add);
            return begin(id, execution, stored, tickers, dailyPlan(stored, tickers), new Batching(request.batchSize(),
                    request.maxConcurrency(), adjusted, request.asOf(), request.requestsPerMinute(), Timespan.DAY,
                    RetentionWindow.DEFAULT_MINUTE_DAYS), work);
        });
    }

    /**
     * The daily run of minute bars: each symbol of minute bronze from the session after its last stored minute, and
     * each selected symbol not in minute bronze yet from the history start, to the last closed session. It writes
     * minute bronze only, as a minute backfill does.
     */
    private Selection dailyMinutes(RunId id, DailyRequest request, LocalDate observed, Optional<Execution> execution) {
        Map<Ticker, LocalDate> starts = new TreeMap<>();
        SortedMap<Ticker, LocalDate> stored = minuteLake.lastSessions();
        stored.forEach((ticker, last) -> {
            LocalDate next = calendar.onOrAfter(last.plusDays(1));
            if (!next.isAfter(observed)) {
                starts.put(ticker, next);
            }
        });
        Set<Ticker> selected = new LinkedHashSet<>(request.tickers());
        if (request.universe() != null) {
            selected.addAll(universeMembers(request.universe()));
        }
        if (request.universeEntry() != null) {
            selected.addAll(entryMembers("universe_entry", request.universeEntry()));
        }
        LocalDate historyStart = calendar.onOrAfter(request.historyStartOrDefault());
        if (!historyStart.isAfter(observed)) {
            selected.stream().filter(t -> !stored.containsKey(t)).forEach(t -> starts.put(t, historyStart));
        }
        if (starts.isEmpty()) {
            lease.release(id);
            return Selection.done(id, stored.isEmpty() && selected.isEmpty()
                    ? "nothing to fetch: the lake has no minute bars yet and no symbols are selected; start with a backfill"
                            + " with timespan minute, or select symbols"
                    : "nothing to fetch: every minute symbol is caught up to the last closed session before "
                            + request.asOf() + ", " + observed);
        }
        LocalDate first = starts.values().stream().min(LocalDate::compareTo).orElseThrow();
        LakeUpkeep.Work work = forTimespan(upkeep.reconcile(observed, first, request.adjusted(), Optional.empty()),
                Timespan.MINUTE);
        ObjectNode input = dailyInput(request, request.adjusted(), observed, starts, 0, List.of());
        input.put("timespan", Timespan.MINUTE.json());
        input.put(RetentionWindow.MINUTE_DAYS_FIELD, request.minuteRetentionDays());
        request.tickers().forEach(t -> input.withArray("tickers").add(t.value()));
        if (request.universe() != null) {
            input.put("minute_universe", true);
        }
        input.set("source", source);
        work.record(input);
        List<Ticker> tickers = List.copyOf(starts.keySet());
        return begin(id, execution, input, tickers, dailyMinutePlan(input, tickers), new Batching(request.batchSize(),
                request.maxConcurrency(), request.adjusted(), request.asOf(), request.requestsPerMinute(), Timespan.MINUTE,
                request.minuteRetentionDays()), work);
    }

    /**
     * A minute daily run's calls: every ticker over its own sessions, by range calls (one per ticker and two months),
     * or from the minute flat files of the sessions from the earliest start on (a session without a file by range calls).
     */
    private Plan dailyMinutePlan(JsonNode stored, List<Ticker> tickers) {
        Map<Ticker, LocalDate> starts = new TreeMap<>(Events.tickerDates(stored, "catch_up"));
        starts.keySet().retainAll(tickers);
        if (starts.isEmpty()) {
            return new Plan(List.of(), List.of(), Optional.empty());
        }
        LocalDate observed = Events.date(stored, "observed_through");
        DateRange span = new DateRange(starts.values().stream().min(LocalDate::compareTo).orElseThrow(), observed);
        boolean flatFiles = BackfillRequest.flatFiles(stored);
        FetchPlan plan = flatFiles
                ? FetchPlan.minuteFiles(starts.size(), calendar.sessionsBetween(span), span.start(), span.end())
                : FetchPlan.minutes(starts.size(), calendar.sessionsBetween(span), span.start(), span.end());
        Part part = new Part(List.copyOf(starts.keySet()), plan.method(), span, 0, false, starts, Map.of());
        return new Plan(List.of(part), List.of(plan), flatFiles
                ? Optional.of(new Selection.SessionFetch(span, Events.bool(stored, "adjusted", true), 0, true))
                : Optional.empty());
    }

    /** The daily run as stored: everything its resume needs to plan the same work again. */
    private static ObjectNode dailyInput(DailyRequest request, boolean adjusted, LocalDate observed,
            Map<Ticker, LocalDate> behind, long tradedOnLast, List<Ticker> newMembers) {
        ObjectNode node = Events.object();
        node.put("mode", "daily");
        node.put("as_of", request.asOf().toString());
        if (request.universe() != null) {
            node.put("universe", request.universe().names());
            node.put("include_delisted", request.universe().includeDelisted());
        }
        if (request.universeEntry() != null) {
            node.put("universe_entry", request.universeEntry().toString());
        }
        node.put("history_start", request.historyStartOrDefault().toString());
        node.put("fetch", request.fetch() == null ? "auto" : request.fetch().json());
        if (request.flatFiles()) {
            node.put("flat_files", true);
        }
        if (request.batchSize() != null) {
            node.put("batch_size", request.batchSize());
        }
        node.put("max_concurrency", request.maxConcurrency());
        node.put("adjusted", adjusted);
        if (request.requestsPerMinute() != null) {
            node.put("requests_per_minute", request.requestsPerMinute());
        }
        node.put("observed_through", observed.toString());
        node.set("catch_up", Events.toJson(behind));
        node.put("expected_symbols", (int) Math.ceil(PUBLISHED_SHARE * tradedOnLast));
        newMembers.forEach(t -> node.withArray("new_members").add(t.value()));
        return node;
    }

    /**
     * Each symbol catches up from its own next session. Sessions from a cutoff on come by grouped-daily calls (one per
     * session, whatever the number of symbols); symbols further behind get a range call each. The cutoff is where the
     * two cost the fewest calls together; a forced way of fetching takes every symbol that way.
     */
    private Plan dailyPlan(JsonNode stored, List<Ticker> tickers) {
        Set<Ticker> newMembers = stored.has("new_members") ? new HashSet<>(Events.tickers(stored, "new_members")) : Set.of();
        Map<Ticker, LocalDate> replace = replaceStarts(stored);
        Map<Ticker, LocalDate> behind = new TreeMap<>(Events.tickerDates(stored, "catch_up"));
        behind.keySet().retainAll(tickers);
        LocalDate observed = Events.date(stored, "observed_through");
        boolean adjusted = Events.bool(stored, "adjusted", true);
        FetchMethod forced = BackfillRequest.forcedFetch(stored);
        List<Part> parts = new ArrayList<>();
        List<FetchPlan> plans = new ArrayList<>();
        Optional<Selection.SessionFetch> sessions = Optional.empty();
        if (!behind.isEmpty()) {
            LocalDate cutoff = cutoff(behind, observed, forced);
            List<Ticker> grouped = behind.entrySet().stream().filter(e -> !e.getValue().isBefore(cutoff)).map(Map.Entry::getKey).toList();
            Map<Ticker, LocalDate> laggards = new TreeMap<>(behind);
            laggards.keySet().removeAll(grouped);
            if (!grouped.isEmpty()) {
                DateRange missing = new DateRange(cutoff, observed);
                int expected = Events.integer(stored, "expected_symbols");
                FetchPlan plan = choose(grouped.size(), calendar.sessionsBetween(missing), forced,
                        Events.requestsPerMinute(stored), BackfillRequest.flatFiles(stored));
                plans.add(plan);
                parts.add(new Part(grouped, plan.method(), missing, expected));
                if (plan.method() == FetchMethod.GROUPED) {
                    sessions = Optional.of(new Selection.SessionFetch(missing, adjusted, expected,
                            BackfillRequest.flatFiles(stored)));
                }
            }
            if (!laggards.isEmpty()) {
                LocalDate first = laggards.values().stream().min(LocalDate::compareTo).orElseThrow();
                DateRange span = new DateRange(first, observed);
                plans.add(choose(laggards.size(), calendar.sessionsBetween(span), FetchMethod.RANGE,
                        Events.requestsPerMinute(stored), false));
                parts.add(new Part(List.copyOf(laggards.keySet()), FetchMethod.RANGE, span, 0, false, laggards, Map.of()));
            }
        }
        List<Ticker> joining = tickers.stream().filter(newMembers::contains).filter(t -> !replace.containsKey(t)).toList();
        if (!joining.isEmpty()) {
            DateRange history = new DateRange(Events.date(stored, "history_start"), observed);
            plans.add(choose(joining.size(), calendar.sessionsBetween(history), FetchMethod.RANGE,
                    Events.requestsPerMinute(stored), false));
            parts.add(new Part(joining, FetchMethod.RANGE, history, 0));
        }
        addReplacePart(stored, tickers, observed, parts, plans);
        return new Plan(parts, plans, sessions);
    }

    /** {@link FetchPlan#choose} at the rate the fetching functions will call at: the run's own, else the deployment's. */
    private FetchPlan choose(int tickers, int sessions, FetchMethod forced, Integer runRequestsPerMinute, boolean flatFiles) {
        return FetchPlan.choose(tickers, sessions, forced,
                runRequestsPerMinute != null ? runRequestsPerMinute : deploymentRequestsPerMinute, flatFiles);
    }

    /** The first session fetched by grouped calls: fewest grouped calls plus range calls for those behind it. */
    private LocalDate cutoff(Map<Ticker, LocalDate> behind, LocalDate observed, FetchMethod forced) {
        List<LocalDate> starts = behind.values().stream().distinct().sorted().toList();
        if (forced == FetchMethod.GROUPED) {
            return starts.getFirst();
        }
        if (forced == FetchMethod.RANGE) {
            return observed.plusDays(1);
        }
        LocalDate best = starts.getFirst();
        long bestCalls = Long.MAX_VALUE;
        for (LocalDate c : starts) {
            long before = behind.values().stream().filter(d -> d.isBefore(c)).count();
            long calls = calendar.sessionsBetween(new DateRange(c, observed)) + before;
            if (calls < bestCalls) {
                best = c;
                bestCalls = calls;
            }
        }
        // All by range when that is cheaper still.
        return behind.size() < bestCalls ? observed.plusDays(1) : best;
    }

    /** The histories fetched again, each from its own first date, replacing what the lake holds. */
    private void addReplacePart(JsonNode stored, List<Ticker> tickers, LocalDate observed, List<Part> parts,
            List<FetchPlan> plans) {
        Map<Ticker, LocalDate> starts = replaceStarts(stored);
        starts.keySet().retainAll(tickers);
        if (starts.isEmpty()) {
            return;
        }
        LocalDate first = starts.values().stream().min(LocalDate::compareTo).orElseThrow();
        DateRange span = new DateRange(first, observed);
        plans.add(choose(starts.size(), calendar.sessionsBetween(span), FetchMethod.RANGE,
                Events.requestsPerMinute(stored), false));
        Map<Ticker, Ticker> retire = new TreeMap<>();
        stored.path("retire").fields().forEachRemaining(e -> retire.put(Ticker.of(e.getKey()), Ticker.of(e.getValue().asText())));
        parts.add(new Part(List.copyOf(starts.keySet()), FetchMethod.RANGE, span, 0, true, starts, retire));
    }

    private static Map<Ticker, LocalDate> replaceStarts(JsonNode stored) {
        Map<Ticker, LocalDate> out = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = stored.path("replace").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            out.put(Ticker.of(e.getKey()), LocalDate.parse(e.getValue().path("start").asText()));
        }
        return out;
    }

    /**
     * A backfill's tickers over its range (the cheaper way; grouped calls cover the closed sessions only), and the
     * histories fetched again.
     */
    private Plan backfillPlan(JsonNode stored, List<Ticker> tickers) {
        BackfillRequest original = BackfillRequest.parse(((ObjectNode) stored.deepCopy()).remove(List.of("source", "observed_through",
                "replace", "retire")));
        LocalDate observed = Events.date(stored, "observed_through");
        Map<Ticker, LocalDate> replace = replaceStarts(stored);
        List<Ticker> plain = tickers.stream().filter(t -> !replace.containsKey(t)).toList();
        List<Part> parts = new ArrayList<>();
        List<FetchPlan> plans = new ArrayList<>();
        Optional<Selection.SessionFetch> sessions = Optional.empty();
        if (!plain.isEmpty()) {
            DateRange range = original.range();
            LocalDate yesterday = today().minusDays(1);
            DateRange closed = new DateRange(range.start(), range.end().isAfter(yesterday) ? yesterday : range.end());
            Optional<DateRange> published = published(closed.start(), closed.end());
            FetchPlan plan = original.timespan() == Timespan.MINUTE
                    ? original.flatFiles() && published.isPresent()
                            ? FetchPlan.minuteFiles(plain.size(), calendar.sessionsBetween(published.get()), closed.start(), closed.end())
                            : FetchPlan.minutes(plain.size(), calendar.sessionsBetween(closed), closed.start(), closed.end())
                    : choose(plain.size(), published.map(calendar::sessionsBetween).orElse(0),
                            published.isEmpty() ? FetchMethod.RANGE : original.fetch(), original.requestsPerMinute(),
                            original.flatFiles());
            plans.add(plan);
            if (plan.method() == FetchMethod.RANGE) {
                parts.add(new Part(plain, FetchMethod.RANGE, closed, 0));
            } else {
                parts.add(new Part(plain, FetchMethod.GROUPED, published.get(), 0));
                sessions = Optional.of(new Selection.SessionFetch(published.get(), original.adjusted(), 0, original.flatFiles()));
            }
        }
        addReplacePart(stored, tickers, observed, parts, plans);
        return new Plan(parts, plans, sessions);
    }

    private RunRecord runOf(RunId runId) {
        if (runId.isSymbols()) {
            throw new InvalidInputException("run_id", runId + " is a symbols refresh, not a run of this state"
                    + " machine: the next symbols refresh resumes it (./pricelake symbols refresh)");
        }
        return progress.run(runId).orElseThrow(() -> new InvalidInputException("run_id",
                "no run " + runId + " in the progress table: check the run_id, or start a new run"));
    }

    /**
     * Another attempt of the run: its tickers not SUCCEEDED, with the run's own input except what {@code request}
     * changes (null: nothing), and the histories that splits or renames learned of since made stale.
     */
    private Selection resume(RunRecord run, BackfillRequest request) {
        RunId runId = run.runId();
        ObjectNode stored = storedInput(run);
        boolean given = request != null;
        return underLease(runId, () -> {
            boolean adjusted = Events.bool(stored, "adjusted", true);
            LocalDate observed = Events.date(stored, "observed_through");
            boolean daily = "daily".equals(stored.path("mode").asText());
            LocalDate since = daily ? Events.date(stored, "observed_through")
                    : DateRange.parse(Events.text(stored, "start"), Events.text(stored, "end")).start();
            Timespan timespan = Events.timespan(stored);
            LakeUpkeep.Work work = forTimespan(upkeep.reconcile(observed, since, adjusted, Optional.empty()), timespan);
            Set<Ticker> fresh = work.newIn(stored);
            if (!fresh.isEmpty() || !work.retire().isEmpty()) {
                Map<Ticker, TickerStatus> statuses = new HashMap<>();
                progress.tickers(runId).forEach(t -> statuses.put(t.ticker(), t.status()));
                // A ticker fetched before a split it now needs is fetched again, whole.
                List<Ticker> added = fresh.stream().filter(t -> !statuses.containsKey(t)).sorted().toList();
                List<Ticker> reopened = fresh.stream().filter(statuses::containsKey)
                        .filter(t -> statuses.get(t) == TickerStatus.SUCCEEDED || statuses.get(t) == TickerStatus.FETCHED)
                        .sorted().toList();
                work.record(stored);
                progress.extendRun(runId, stored.toString(), added, reopened, Map.of(), clock.instant());
            }
            int epoch = progress.beginAttempt(runId, clock.instant());
            lease.hold(runId, epoch);
            List<Ticker> remaining = progress.tickers(runId).stream()
                    .filter(t -> t.status() != TickerStatus.SUCCEEDED)
                    .map(TickerProgress::ticker)
                    .toList();
            // A run stored without batch_size re-batches by its plan's defaults, as its first attempt did.
            Integer batchSize = given && request.batchSizeGiven() ? Integer.valueOf(request.batchSize())
                    : stored.hasNonNull("batch_size") ? Integer.valueOf(Events.integer(stored, "batch_size")) : null;
            int concurrency = given && request.maxConcurrencyGiven() ? request.maxConcurrency()
                    : Events.integer(stored, "max_concurrency");
            LocalDate asOf = given && request.asOf() != null ? request.asOf() : Events.date(stored, "as_of");
            Integer requestsPerMinute = given && request.requestsPerMinute() != null ? request.requestsPerMinute()
                    : Events.requestsPerMinute(stored);
            Plan plan = !daily ? backfillPlan(stored, remaining)
                    : timespan == Timespan.MINUTE ? dailyMinutePlan(stored, remaining) : dailyPlan(stored, remaining);
            return selection(runId, epoch, true, remaining.size(), plan,
                    new Batching(batchSize, concurrency, adjusted, asOf, requestsPerMinute, timespan,
                            Events.minuteRetentionDays(stored)), work);
        });
    }

    /** Runs the work holding the lake's writer lease; gives the lease back if the work fails. */
    private Selection underLease(RunId runId, java.util.function.Supplier<Selection> work) {
        lease.take(runId);
        try {
            return work.get();
        } catch (RuntimeException e) {
            lease.release(runId);
            throw e;
        }
    }

    /**
     * How a run's tickers go through the state machine: batch size (null: each part's method's default), batches at a
     * time, and what each batch carries.
     */
    private record Batching(Integer batchSize, int maxConcurrency, boolean adjusted, LocalDate asOf, Integer requestsPerMinute,
                            Timespan timespan, int minuteRetentionDays) {
    }

    private Selection begin(RunId runId, Optional<Execution> execution, ObjectNode input, List<Ticker> tickers, Plan plan,
            Batching batching, LakeUpkeep.Work work) {
        Map<Ticker, Integer> batchOf = new HashMap<>();
        for (Batch b : batches(runId, 1, plan, batching)) {
            b.tickers().forEach(t -> batchOf.put(t, b.batch()));
        }
        RunRecord run = new RunRecord(runId, input.toString(), tickers, RunStatus.RUNNING, 0, clock.instant(), null,
                Map.of(), null, execution.map(Execution::id).orElse(null));
        if (!progress.createRun(run, batchOf)) {
            throw new IllegalStateException("run " + runId + " already exists");
        }
        int epoch = progress.beginAttempt(runId, clock.instant());
        lease.hold(runId, epoch);
        return selection(runId, epoch, false, tickers.size(), plan, batching, work);
    }

    /**
     * The attempt's batches, written to the lake as one JSON array for the state machine's distributed Map to read
     * (an attempt rewrites only its own file, so a retry writes the same one).
     */
    private Selection selection(RunId runId, int epoch, boolean resumed, int tickers, Plan plan, Batching batching,
            LakeUpkeep.Work work) {
        List<Batch> batches = batches(runId, epoch, plan, batching);
        ArrayNode list = JSON.createArrayNode();
        batches.forEach(b -> list.add(Events.toJson(b)));
        String key = Staging.batchesKey(runId, epoch);
        writeJson(key, list, "the batch list of " + runId);
        Optional<String> flatFilesKey = plan.sessions().filter(Selection.SessionFetch::flatFiles).map(s -> {
            ArrayNode files = JSON.createArrayNode();
            calendar.sessions(s.range()).forEach(session -> files.add(session.toString()));
            String filesKey = Staging.flatFilesKey(runId, epoch);
            writeJson(filesKey, files, "the flat files of " + runId);
            return filesKey;
        });
        return new Selection(runId, epoch, resumed, tickers, batching.maxConcurrency(), batches, key, plan.sessions(),
                flatFilesKey, plan.plans(), false, null, batching.requestsPerMinute(), Optional.of(work));
    }

    private void writeJson(String key, ArrayNode list, String what) {
        try {
            lake.put(key, JSON.writeValueAsBytes(list));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("writing " + what, e);
        }
    }

    private static List<Batch> batches(RunId runId, int epoch, Plan plan, Batching batching) {
        List<Batch> batches = new ArrayList<>();
        for (Part part : plan.parts()) {
            // Minute bars are 390 a session a symbol: a batch of them stays small whichever way they come.
            boolean bulk = part.method() != FetchMethod.RANGE && batching.timespan() == Timespan.DAY;
            int size = batching.batchSize() != null ? batching.batchSize()
                    : bulk ? BackfillRequest.DEFAULT_BULK_BATCH_SIZE : BackfillRequest.DEFAULT_BATCH_SIZE;
            List<Ticker> tickers = part.tickers();
            for (int i = 0; i < tickers.size(); i += size) {
                List<Ticker> slice = tickers.subList(i, Math.min(tickers.size(), i + size));
                Map<Ticker, LocalDate> starts = new TreeMap<>(part.starts());
                starts.keySet().retainAll(slice);
                Map<Ticker, Ticker> retire = new TreeMap<>(part.retire());
                retire.values().retainAll(slice);
                batches.add(new Batch(runId, epoch, batches.size(), slice, part.range(), batching.adjusted(), batching.asOf(),
                        part.method(), part.expectedSymbols(), batching.requestsPerMinute(), part.replace(), starts, retire,
                        batching.timespan(), batching.minuteRetentionDays()));
            }
        }
        return batches;
    }

    /**
     * The last session a run fetches and whose splits its prices reflect: on or before {@code end}, before
     * {@code asOf} (today in New York when absent), and before today, since no bar of a session that has not
     * closed and been published (the next morning) is ever stored.
     */
    private LocalDate observation(LocalDate end, LocalDate asOf, String field) {
        LocalDate yesterday = today().minusDays(1);
        LocalDate limit = end.isAfter(yesterday) ? yesterday : end;
        if (asOf != null && !asOf.isAfter(limit)) {
            limit = asOf.minusDays(1);
        }
        if (limit.isBefore(TradingCalendar.FIRST_SESSION)) {
            throw new InvalidInputException(field, end + " is before the first session the calendar knows, "
                    + TradingCalendar.FIRST_SESSION);
        }
        return calendar.onOrBefore(limit);
    }

    /** The range trimmed to its first and last sessions, or empty when it holds none. */
    private Optional<DateRange> published(LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            return Optional.empty();
        }
        List<LocalDate> sessions = calendar.sessions(new DateRange(from, to));
        return sessions.isEmpty() ? Optional.empty() : Optional.of(new DateRange(sessions.getFirst(), sessions.getLast()));
    }

    private String nothingToFetch(LocalDate lastSession, LocalDate asOf) {
        if (lastSession == null) {
            return "nothing to fetch: the lake has no bars yet and no universe is configured; start with a backfill";
        }
        if (!lastSession.isBefore(asOf.minusDays(1))) {
            return "nothing to fetch: every symbol of the lake is caught up to its last session " + lastSession
                    + ", so the lake already has every session before " + asOf;
        }
        List<String> closed = new ArrayList<>();
        for (LocalDate d = lastSession.plusDays(1); d.isBefore(asOf); d = d.plusDays(1)) {
            closed.add(d + " (" + closedReason(d) + ")");
        }
        String message = "nothing to fetch: no session between the lake's last session " + lastSession + " and " + asOf
                + ": " + String.join(", ", closed);
        return calendar.isSession(asOf) ? message : message + "; " + asOf + " itself is " + closedReason(asOf);
    }

    private String closedReason(LocalDate day) {
        if (day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY) {
            return "a weekend";
        }
        return calendar.isSession(day) ? "not closed yet" : "an exchange holiday";
    }

    private LocalDate today() {
        return clock.instant().atZone(DailyRequest.NEW_YORK).toLocalDate();
    }

    private static ObjectNode storedInput(RunRecord run) {
        try {
            return (ObjectNode) JSON.readTree(run.input());
        } catch (IOException | ClassCastException e) {
            throw new IllegalStateException("run " + run.runId() + " has an unreadable stored input", e);
        }
    }

    /**
     * A listed universe's tickers. The listing says each one's name, type, exchange and whether it is active: the
     * symbols table takes that at no API cost, so it knows every ticker a run selects.
     */
    private List<Ticker> universeMembers(Universe.Query query) {
        Universe universe = universes.get(query, false);
        tables.ifPresent(t -> t.symbols().upsertListings(universe.tickers(), clock.instant()));
        return universe.tickers().stream().map(ReferenceSource.ListedTicker::ticker).sorted().toList();
    }

    private List<Ticker> entryMembers(String field, CacheEntry.Id id) {
        return UniverseEntries.members(tables.orElseThrow(() -> new InvalidInputException(field,
                "needs PostgreSQL's cache_entries, which this deployment does not have")).universes(), field, id);
    }

    private List<Ticker> resolve(BackfillRequest.Selection selection) {
        return switch (selection) {
            case BackfillRequest.Selection.Tickers t -> t.tickers();
            case BackfillRequest.Selection.UniverseMembers u -> universeMembers(u.query());
            case BackfillRequest.Selection.UniverseEntry e -> entryMembers("selection.universe_entry", e.id());
            case BackfillRequest.Selection.TopMentions m -> mentions.orElseThrow(() -> new InvalidInputException(
                    "selection.top_mentions", "needs the PostgreSQL mentions table, which this deployment does not have yet"))
                    .topMentioned(m.count(), m.minArticles());
        };
    }
}
