package dev.pricelake.selector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.RunId;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.fetch.FetchMethod;
import dev.pricelake.core.fetch.Timespan;
import dev.pricelake.core.recent.RetentionWindow;
import dev.pricelake.core.reference.CacheEntry;
import dev.pricelake.core.universe.Universe;
import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The state machine's input. A new run names its range and selection, and may name itself ({@code run_id}): the
 * same start again then resumes it, and a start with that name but another input is refused. A resume names only
 * its run_id (and may change batch_size, max_concurrency, as_of and requests_per_minute), since everything else
 * comes from the stored run.
 *
 * @param requestsPerMinute the run's own Polygon rate (a paid plan's), or null for the deployment's
 * @param timespan          day bars (default) or minute bars of the selected symbols
 * @param minuteRetentionDays with minute bars: the calendar days before as_of whose minutes go to ohlcv_minute
 */
record BackfillRequest(RunId runId, DateRange range, Selection selection, int batchSize, int maxConcurrency,
                       boolean adjusted, LocalDate asOf, boolean batchSizeGiven, boolean maxConcurrencyGiven,
                       FetchMethod fetch, Integer requestsPerMinute, boolean flatFiles, Timespan timespan,
                       int minuteRetentionDays) {
    /** A range plan's batch: its calls, at the free plan's rate, bound a batch's time. */
    static final int DEFAULT_BATCH_SIZE = 50;
    /**
     * A grouped or flat-file plan's batch: its tickers' bars are already staged, so a batch's time is per-ticker local
     * work (about 0.05 s a ticker a year of sessions), far inside Lambda's 15 minutes, and its state (tickers only)
     * far inside 256 KiB; larger batches share each batch's fixed costs among more tickers.
     */
    static final int DEFAULT_BULK_BATCH_SIZE = 250;
    static final int DEFAULT_MAX_CONCURRENCY = 2;
    private static final Set<String> FIELDS = Set.of("run_id", "mode", "start", "end", "selection", "batch_size",
            "max_concurrency", "adjusted", "as_of", "fetch", "requests_per_minute", "flat_files", "timespan", "minute_universe",
            RetentionWindow.MINUTE_DAYS_FIELD);
    private static final Set<String> RESUME_FIELDS = Set.of("run_id", "mode", "batch_size", "max_concurrency", "as_of",
            "requests_per_minute");

    /** Which tickers a new run covers. */
    sealed interface Selection {
        record Tickers(List<Ticker> tickers) implements Selection {
        }

        record UniverseMembers(String name, Universe.Query query) implements Selection {
        }

        record TopMentions(int count, int minArticles) implements Selection {
        }

        record UniverseEntry(CacheEntry.Id id) implements Selection {
        }
    }

    BackfillRequest {
        requireBatching(batchSize, maxConcurrency);
    }

    /** The bounds every run's batching keeps, backfill or daily. */
    static void requireBatching(int batchSize, int maxConcurrency) {
        if (batchSize < 1 || batchSize > 1000) {
            throw new InvalidInputException("batch_size", batchSize + " is outside 1..1000");
        }
        if (maxConcurrency < 1 || maxConcurrency > 40) {
            throw new InvalidInputException("max_concurrency", maxConcurrency + " is outside 1..40");
        }
    }

    boolean isResume() {
        return runId != null && range == null;
    }

    /** A new run whose client chose its run_id: an idempotency key. */
    boolean isNamed() {
        return runId != null && range != null;
    }

    static BackfillRequest parse(JsonNode input) {
        if (input.has("mode") && !"backfill".equals(input.path("mode").asText())) {
            throw new InvalidInputException("mode", "'" + input.path("mode").asText()
                    + "' is not a mode this state machine runs (backfill, daily)");
        }
        boolean batchGiven = input.hasNonNull("batch_size");
        boolean concurrencyGiven = input.hasNonNull("max_concurrency");
        int batchSize = batchGiven ? Events.integer(input, "batch_size") : DEFAULT_BATCH_SIZE;
        int maxConcurrency = concurrencyGiven ? Events.integer(input, "max_concurrency") : DEFAULT_MAX_CONCURRENCY;
        boolean describesRun = input.has("start") || input.has("end") || input.has("selection");
        if (input.hasNonNull("run_id") && !describesRun) {
            if (input.has("adjusted")) {
                throw new InvalidInputException("adjusted", "cannot be given with " + InvalidInputException.ref("run_id")
                        + " alone: a resume repeats the run's own prices' adjustment");
            }
            Events.rejectUnknownFields(input, RESUME_FIELDS, "");
            return new BackfillRequest(Events.runId(input), null, null, batchSize, maxConcurrency, true,
                    Events.date(input, "as_of"), batchGiven, concurrencyGiven, null, Events.requestsPerMinute(input), false,
                    Timespan.DAY, RetentionWindow.DEFAULT_MINUTE_DAYS);
        }
        Events.rejectUnknownFields(input, FIELDS, "");
        RunId named = input.hasNonNull("run_id") ? Events.runId(input) : null;
        if (named != null && named.isDaily()) {
            throw new InvalidInputException("run_id", "'" + named + "' is the name of a daily run; give a backfill another name");
        }
        DateRange range = DateRange.parse(Events.text(input, "start"), Events.text(input, "end"));
        Selection selection = selection(input.get("selection"));
        Timespan timespan = Events.timespan(input);
        if (timespan == Timespan.MINUTE) {
            if (selection instanceof Selection.UniverseMembers u && !Events.bool(input, "minute_universe", false)) {
                throw wholeUniverseOfMinutes("selection.tickers", u.name());
            }
        } else {
            requireMinuteTimespan(input);
        }
        return new BackfillRequest(named, range, selection, batchSize, maxConcurrency,
                Events.bool(input, "adjusted", true), Events.date(input, "as_of"), batchGiven, concurrencyGiven,
                forcedFetch(input), Events.requestsPerMinute(input), flatFiles(input), timespan,
                Events.minuteRetentionDays(input));
    }

    /**
     * Minute bars are 390 a session a symbol, one range call per symbol and two months: they are for chosen symbols. A
     * universe (thousands of symbols, hundreds of millions of bars a year) needs {@code minute_universe} to say so.
     */
    static InvalidInputException wholeUniverseOfMinutes(String tickersField, String universe) {
        return new InvalidInputException("timespan", "minute fetches selected symbols (" + InvalidInputException.ref(
                tickersField) + "); for every symbol of the universe '" + universe + "' (about 100,000 bars a"
                + " symbol a year) add " + InvalidInputException.ref("minute_universe"));
    }

    /** The fields that only a minute run takes, refused on a day run. */
    static void requireMinuteTimespan(JsonNode input, String... alsoMinuteOnly) {
        List<String> fields = new java.util.ArrayList<>(List.of("minute_universe", RetentionWindow.MINUTE_DAYS_FIELD));
        fields.addAll(List.of(alsoMinuteOnly));
        for (String minuteOnly : fields) {
            if (input.has(minuteOnly)) {
                throw new InvalidInputException(minuteOnly, "only goes with " + InvalidInputException.ref("timespan")
                        + " minute");
            }
        }
    }

    /**
     * {@code fetch}: "range" or "grouped" forces that way of calling; absent or "auto" lets the planner pick. Flat files
     * are read a session at a time, so {@code flat_files} makes it grouped (and refuses range).
     */
    static FetchMethod forcedFetch(JsonNode input) {
        FetchMethod given = !input.hasNonNull("fetch") || "auto".equals(input.path("fetch").asText()) ? null
                : FetchMethod.parse("fetch", Events.text(input, "fetch"));
        if (Events.timespan(input) == Timespan.MINUTE) {
            if (flatFiles(input) && given == FetchMethod.RANGE) {
                throw new InvalidInputException("flat_files", "reads one minute file per session: it goes with "
                        + InvalidInputException.ref("fetch") + " auto, not range");
            }
            if (given == FetchMethod.GROUPED && !flatFiles(input)) {
                throw new InvalidInputException("fetch", "grouped has no minute bars: minutes come from one range call per"
                        + " ticker, or from the minute flat files with " + InvalidInputException.ref("flat_files"));
            }
            return flatFiles(input) ? FetchMethod.GROUPED : FetchMethod.RANGE;
        }
        if (flatFiles(input)) {
            if (given == FetchMethod.RANGE) {
                throw new InvalidInputException("flat_files", "reads one file per session, like grouped daily: it goes with "
                        + InvalidInputException.ref("fetch") + " grouped or auto, not range");
            }
            return FetchMethod.GROUPED;
        }
        return given;
    }

    /** {@code flat_files}: the sessions come from Massive's flat files, not from grouped-daily calls. */
    static boolean flatFiles(JsonNode input) {
        return Events.bool(input, "flat_files", false);
    }

    private static Selection selection(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new InvalidInputException("selection",
                    "is missing: give {\"tickers\": [...]}, {\"universe\": \"cs\"|\"etf\"|\"all\"},"
                            + " {\"universe_entry\": \"TYPE/NAME/KEY\"} or {\"top_mentions\": N, \"min_articles\": M}");
        }
        Events.rejectUnknownFields(node, Set.of("tickers", "universe", "include_delisted", "top_mentions", "min_articles",
                "universe_entry"), "selection");
        int kinds = (node.has("tickers") ? 1 : 0) + (node.has("universe") ? 1 : 0) + (node.has("top_mentions") ? 1 : 0)
                + (node.has("universe_entry") ? 1 : 0);
        if (kinds != 1) {
            throw new InvalidInputException("selection", "must have exactly one of tickers, universe, universe_entry,"
                    + " top_mentions");
        }
        if (node.has("include_delisted") && !node.has("universe")) {
            throw new InvalidInputException("selection.include_delisted", "only goes with "
                    + InvalidInputException.ref("selection.universe"));
        }
        if (node.has("tickers")) {
            List<Ticker> tickers = prefixed(() -> Events.tickers(node, "tickers"));
            if (tickers.isEmpty()) {
                throw new InvalidInputException("selection.tickers", "is empty");
            }
            return new Selection.Tickers(List.copyOf(new LinkedHashSet<>(tickers)));
        }
        if (node.has("universe_entry")) {
            return new Selection.UniverseEntry(CacheEntry.Id.parse("selection.universe_entry",
                    prefixed(() -> Events.text(node, "universe_entry"))));
        }
        if (node.has("universe")) {
            String name = prefixed(() -> Events.text(node, "universe"));
            boolean delisted = prefixed(() -> Events.bool(node, "include_delisted", false));
            return new Selection.UniverseMembers(name, Universe.Query.parse("selection.universe", name,
                    delisted));
        }
        int count = prefixed(() -> Events.integer(node, "top_mentions"));
        int minArticles = node.has("min_articles") ? prefixed(() -> Events.integer(node, "min_articles")) : 1;
        if (count < 1) {
            throw new InvalidInputException("selection.top_mentions", "must be at least 1");
        }
        if (minArticles < 1) {
            throw new InvalidInputException("selection.min_articles", "must be at least 1");
        }
        return new Selection.TopMentions(count, minArticles);
    }

    /** Field errors inside the selection object are reported as selection.FIELD. */
    private static <T> T prefixed(java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (InvalidInputException e) {
            throw new InvalidInputException("selection." + e.field(), e.problem());
        }
    }

    /** The fields that make two starts the same run: a named run started again with other values is refused. */
    static final List<String> IDENTITY = List.of("mode", "start", "end", "selection", "adjusted", "fetch", "flat_files", "source",
            "timespan");

    /** The normalized input stored with the run, so a resume repeats exactly this request. */
    ObjectNode toJson() {
        ObjectNode node = Events.object();
        node.put("mode", "backfill");
        node.put("start", range.start().toString());
        node.put("end", range.end().toString());
        ObjectNode sel = node.putObject("selection");
        switch (selection) {
            case Selection.Tickers t -> t.tickers().forEach(x -> sel.withArray("tickers").add(x.value()));
            case Selection.UniverseMembers u -> {
                sel.put("universe", u.name());
                sel.put("include_delisted", u.query().includeDelisted());
            }
            case Selection.TopMentions m -> {
                sel.put("top_mentions", m.count());
                sel.put("min_articles", m.minArticles());
            }
            case Selection.UniverseEntry e -> sel.put("universe_entry", e.id().toString());
        }
        if (batchSizeGiven) {
            // Absent: each part of the plan takes its method's default, again on every resume.
            node.put("batch_size", batchSize);
        }
        node.put("max_concurrency", maxConcurrency);
        node.put("adjusted", adjusted);
        if (asOf != null) {
            node.put("as_of", asOf.toString());
        }
        node.put("fetch", fetch == null ? "auto" : fetch.json());
        if (flatFiles) {
            node.put("flat_files", true);
        }
        if (timespan != Timespan.DAY) {
            node.put("timespan", timespan.json());
            node.put(RetentionWindow.MINUTE_DAYS_FIELD, minuteRetentionDays);
            if (selection instanceof Selection.UniverseMembers) {
                node.put("minute_universe", true);
            }
        }
        if (requestsPerMinute != null) {
            node.put("requests_per_minute", requestsPerMinute);
        }
        return node;
    }
}
