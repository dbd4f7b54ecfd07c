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
import dev.pricelake.core.bronze.BronzeLake;
import dev.pricelake.core.bronze.Staging;
import dev.pricelake.core.fetch.FetchMethod;
import dev.pricelake.core.fetch.FetchPlan;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.progress.RunRecord;
import dev.pricelake.core.progress.RunStatus;
import dev.pricelake.core.progress.TickerProgress;
import dev.pricelake.core.progress.TickerStatus;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Starts a run (choose tickers, plan the calls, record the tickers PENDING) or resumes one, and batches the
 * tickers still to do. A daily run tracks the lake's symbols (the sessions after the lake's last one) and the
 * new members of a configured universe (their history).
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
    private final TradingCalendar calendar;
    private final Clock clock;
    private final RandomGenerator random;

    /** @param tables the symbols (kept current with the listings a run reads) and the universes a run may select */
    TickerSelector(ProgressStore progress, ReferenceSource reference, Optional<MentionsSource> mentions,
            Optional<ReferenceTables> tables, ObjectStore lake, Clock clock, RandomGenerator random) {
        this.progress = progress;
        this.universes = new UniverseCache(reference, lake, clock);
        this.mentions = mentions;
        this.tables = tables;
        this.lake = lake;
        this.calendar = TradingCalendar.nyse();
        this.clock = clock;
        this.random = random;
    }

    /** Tickers fetched one way over one range; a run is one or two of these. */
    private record Part(List<Ticker> tickers, FetchMethod method, DateRange range, int expectedSymbols) {
    }

    /** What a run is made of, and how it was planned. */
    private record Plan(List<Part> parts, List<FetchPlan> plans, Optional<Selection.SessionFetch> sessions) {
    }

    /**
     * @param execution the state machine execution asking, when there is one: its run is named after it, so a
     *                  retry of this step finds the run its first attempt created and continues it
     */
    Selection select(BackfillRequest request, Optional<Execution> execution) {
        if (request.isResume()) {
            return resume(runOf(request.runId()), request);
        }
        RunId runId = execution.map(e -> RunId.backfill(e.startedAt(), e.id())).orElseGet(() -> RunId.backfill(clock.instant(), random));
        return continued(runId, execution).orElseGet(() -> start(request, runId, execution));
    }

    private Selection start(BackfillRequest request, RunId runId, Optional<Execution> execution) {
        List<Ticker> tickers = resolve(request.selection());
        if (tickers.isEmpty()) {
            throw new InvalidInputException("selection", "selects no tickers");
        }
        Plan plan = backfillPlan(tickers, request.range(), request.adjusted(), request.fetch());
        return begin(runId, execution, request.toJson(), tickers, plan, new Batching(request.batchSize(), request.maxConcurrency(),
                request.adjusted(), request.asOf(), request.requestsPerMinute()));
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

    /**
     * Range calls cover the whole range; grouped calls cover its sessions before today in New York, since
     * today's and later days are not published.
     */
    private Plan backfillPlan(List<Ticker> tickers, DateRange range, boolean adjusted, FetchMethod forced) {
        LocalDate yesterday = today().minusDays(1);
        Optional<DateRange> published = published(range.start(), range.end().isAfter(yesterday) ? yesterday : range.end());
        FetchPlan plan = FetchPlan.choose(tickers.size(), published.map(calendar::sessionsBetween).orElse(0),
                published.isEmpty() ? FetchMethod.RANGE : forced);
        if (plan.method() == FetchMethod.RANGE) {
            return new Plan(List.of(new Part(tickers, FetchMethod.RANGE, range, 0)), List.of(plan), Optional.empty());
        }
        return new Plan(List.of(new Part(tickers, FetchMethod.GROUPED, published.get(), 0)), List.of(plan),
                Optional.of(new Selection.SessionFetch(published.get(), adjusted, 0)));
    }

    Selection daily(DailyRequest request, Optional<Execution> execution) {
        RunId runId = RunId.daily(request.asOf());
        Optional<Selection> continued = continued(runId, execution);
        if (continued.isPresent()) {
            return continued.get();
        }
        Optional<RunRecord> existing = progress.run(runId);
        if (existing.isPresent()) {
            RunStatus status = existing.get().status();
            return Selection.done(runId, "run " + runId + " already exists (" + status + "): a repeated trigger for the"
                    + " same day does nothing" + (status == RunStatus.COMPLETE ? ""
                    : "; to finish it, resume it with {\"run_id\": \"" + runId + "\"}"));
        }
        BronzeLake bronze = new BronzeLake(lake);
        List<Ticker> symbols = bronze.symbols();
        Map<Ticker, LocalDate> lastDates = bronze.lastDates(symbols);
        LocalDate lastSession = lastDates.values().stream().max(LocalDate::compareTo).orElse(null);
        long tradedOnLast = lastDates.values().stream().filter(d -> d.equals(lastSession)).count();
        Optional<DateRange> missing = lastSession == null ? Optional.empty()
                : published(lastSession.plusDays(1), request.asOf().minusDays(1));
        List<Ticker> tracked = missing.isPresent() ? symbols : List.of();
        List<Ticker> newMembers = new ArrayList<>();
        Set<Ticker> inLake = new HashSet<>(symbols);
        if (request.universe() != null) {
            universeMembers(request.universe()).stream().filter(t -> !inLake.contains(t)).forEach(newMembers::add);
        } else if (request.universeEntry() != null) {
            entryMembers("universe_entry", request.universeEntry()).stream().filter(t -> !inLake.contains(t))
                    .forEach(newMembers::add);
        }
        ObjectNode stored = dailyInput(request, missing, (int) Math.ceil(PUBLISHED_SHARE * tradedOnLast), newMembers);
        if (tracked.isEmpty() && newMembers.isEmpty()) {
            String message = nothingToFetch(lastSession, request.asOf());
            RunRecord run = new RunRecord(runId, stored.toString(), List.of(), RunStatus.RUNNING, 0, clock.instant(), null,
                    Map.of(), null, execution.map(Execution::id).orElse(null));
            if (progress.createRun(run, Map.of())) {
                progress.beginAttempt(runId, clock.instant());
                progress.finishRun(runId, RunStatus.COMPLETE, Map.of("succeeded", 0L, "bars", 0L), null, clock.instant());
            }
            return Selection.done(runId, message);
        }
        List<Ticker> tickers = new ArrayList<>(tracked);
        tickers.addAll(newMembers);
        return begin(runId, execution, stored, tickers, dailyPlan(stored, tickers), new Batching(request.batchSize(),
                request.maxConcurrency(), request.adjusted(), request.asOf(), request.requestsPerMinute()));
    }

    /** The daily run as stored: everything its resume needs to plan the same work again. */
    private ObjectNode dailyInput(DailyRequest request, Optional<DateRange> missing, int expectedSymbols,
            List<Ticker> newMembers) {
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
        node.put("batch_size", request.batchSize());
        node.put("max_concurrency", request.maxConcurrency());
        node.put("adjusted", request.adjusted());
        if (request.requestsPerMinute() != null) {
            node.put("requests_per_minute", request.requestsPerMinute());
        }
        missing.ifPresent(m -> {
            node.put("sessions_start", m.start().toString());
            node.put("sessions_end", m.end().toString());
        });
        node.put("expected_symbols", expectedSymbols);
        newMembers.forEach(t -> node.withArray("new_members").add(t.value()));
        return node;
    }

    /** The tracked symbols over the missing sessions (the cheaper way), new members over their history (range). */
    private Plan dailyPlan(JsonNode stored, Collection<Ticker> tickers) {
        Set<Ticker> newMembers = stored.has("new_members") ? new HashSet<>(Events.tickers(stored, "new_members")) : Set.of();
        List<Ticker> tracked = tickers.stream().filter(t -> !newMembers.contains(t)).toList();
        List<Ticker> joining = tickers.stream().filter(newMembers::contains).toList();
        boolean adjusted = Events.bool(stored, "adjusted", true);
        List<Part> parts = new ArrayList<>();
        List<FetchPlan> plans = new ArrayList<>();
        Optional<Selection.SessionFetch> sessions = Optional.empty();
        if (!tracked.isEmpty()) {
            DateRange missing = DateRange.parse(Events.text(stored, "sessions_start"), Events.text(stored, "sessions_end"));
            int expected = Events.integer(stored, "expected_symbols");
            FetchPlan plan = FetchPlan.choose(tracked.size(), calendar.sessionsBetween(missing), BackfillRequest.forcedFetch(stored));
            plans.add(plan);
            parts.add(new Part(tracked, plan.method(), missing, expected));
            if (plan.method() == FetchMethod.GROUPED) {
                sessions = Optional.of(new Selection.SessionFetch(missing, adjusted, expected));
            }
        }
        if (!joining.isEmpty()) {
            DateRange history = new DateRange(Events.date(stored, "history_start"), Events.date(stored, "as_of").minusDays(1));
            plans.add(FetchPlan.choose(joining.size(), calendar.sessionsBetween(history), FetchMethod.RANGE));
            parts.add(new Part(joining, FetchMethod.RANGE, history, 0));
        }
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

    /** Another attempt of the run: its tickers not SUCCEEDED, with the run's own input except what {@code request} changes. */
    private Selection resume(RunRecord run, BackfillRequest request) {
        JsonNode stored = storedInput(run);
        int epoch = progress.beginAttempt(run.runId(), clock.instant());
        List<Ticker> remaining = progress.tickers(run.runId()).stream()
                .filter(t -> t.status() != TickerStatus.SUCCEEDED)
                .map(TickerProgress::ticker)
                .toList();
        boolean given = request != null;
        int batchSize = given && request.batchSizeGiven() ? request.batchSize() : Events.integer(stored, "batch_size");
        int concurrency = given && request.maxConcurrencyGiven() ? request.maxConcurrency()
                : Events.integer(stored, "max_concurrency");
        LocalDate asOf = given && request.asOf() != null ? request.asOf() : Events.date(stored, "as_of");
        boolean adjusted = Events.bool(stored, "adjusted", true);
        Integer requestsPerMinute = given && request.requestsPerMinute() != null ? request.requestsPerMinute()
                : Events.requestsPerMinute(stored);
        Plan plan;
        if ("daily".equals(stored.path("mode").asText())) {
            plan = dailyPlan(stored, remaining);
        } else {
            BackfillRequest original = BackfillRequest.parse(stored);
            plan = backfillPlan(remaining, original.range(), adjusted, original.fetch());
        }
        return selection(run.runId(), epoch, true, remaining.size(), plan,
                new Batching(batchSize, concurrency, adjusted, asOf, requestsPerMinute));
    }

    /** How a run's tickers go through the state machine: batch size, batches at a time, and what each batch carries. */
    private record Batching(int batchSize, int maxConcurrency, boolean adjusted, LocalDate asOf, Integer requestsPerMinute) {
    }

    private Selection begin(RunId runId, Optional<Execution> execution, ObjectNode input, List<Ticker> tickers, Plan plan, Batching batching) {
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
        return selection(runId, epoch, false, tickers.size(), plan, batching);
    }

    /**
     * The attempt's batches, written to the lake as one JSON array for the state machine's distributed Map to read
     * (an attempt rewrites only its own file, so a retry writes the same one).
     */
    private Selection selection(RunId runId, int epoch, boolean resumed, int tickers, Plan plan, Batching batching) {
        List<Batch> batches = batches(runId, epoch, plan, batching);
        ArrayNode list = JSON.createArrayNode();
        batches.forEach(b -> list.add(Events.toJson(b)));
        String key = Staging.batchesKey(runId, epoch);
        try {
            lake.put(key, JSON.writeValueAsBytes(list));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("writing the batch list of " + runId, e);
        }
        return new Selection(runId, epoch, resumed, tickers, batching.maxConcurrency(), batches, key, plan.sessions(),
                plan.plans(), false, null, batching.requestsPerMinute());
    }

    private static List<Batch> batches(RunId runId, int epoch, Plan plan, Batching batching) {
        List<Batch> batches = new ArrayList<>();
        int size = batching.batchSize();
        for (Part part : plan.parts()) {
            List<Ticker> tickers = part.tickers();
            for (int i = 0; i < tickers.size(); i += size) {
                batches.add(new Batch(runId, epoch, batches.size(), tickers.subList(i, Math.min(tickers.size(), i + size)),
                        part.range(), batching.adjusted(), batching.asOf(), part.method(), part.expectedSymbols(),
                        batching.requestsPerMinute()));
            }
        }
        return batches;
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
            return "nothing to fetch: the lake's last session is " + lastSession + ", so it already has every session before "
                    + asOf;
        }
        List<String> closed = new ArrayList<>();
        for (LocalDate d = lastSession.plusDays(1); d.isBefore(asOf); d = d.plusDays(1)) {
            closed.add(d + " (" + closedReason(d) + ")");
        }
        String message = "nothing to fetch: no session between the lake's last session " + lastSession + " and " + asOf
                + ": " + String.join(", ", closed);
        return calendar.isSession(asOf) ? message : message + "; " + asOf + " itself is " + closedReason(asOf);
    }

    private static String closedReason(LocalDate day) {
        return day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY ? "a weekend"
                : "an exchange holiday";
    }

    private LocalDate today() {
        return clock.instant().atZone(DailyRequest.NEW_YORK).toLocalDate();
    }

    private static JsonNode storedInput(RunRecord run) {
        try {
            return JSON.readTree(run.input());
        } catch (IOException e) {
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
