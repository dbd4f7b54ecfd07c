package dev.pricelake.selector;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.fetch.FetchMethod;
import dev.pricelake.core.fetch.Timespan;
import dev.pricelake.core.recent.RetentionWindow;
import dev.pricelake.core.reference.CacheEntry;
import dev.pricelake.core.universe.Universe;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/**
 * The scheduled run's input: {@code {"mode": "daily", "as_of"? | "scheduled_time"?, "universe"? | "universe_entry"?,
 * "include_delisted"?, "history_start"?, "fetch"?, "batch_size"?, "max_concurrency"?, "adjusted"?,
 * "requests_per_minute"?, "force"?, "flat_files"?, "timespan"?, "tickers"?, "minute_universe"?, "minute_retention_days"?}}.
 * The day is {@code as_of}, else the New York date of the schedule's time, else today in New York; the run fetches the
 * sessions strictly before it. {@code force} runs the day again even if its run exists (as daily-YYYYMMDD-2, ...).
 * {@code "timespan": "minute"} catches minute bronze up instead, as daily-minute-YYYYMMDD, taking the selections a
 * minute backfill takes ({@code tickers} is for minutes only, a universe needs {@code minute_universe}).
 *
 * @param universe     members of this universe are tracked too (new ones backfilled), or null for the lake's
 *                     symbols only
 * @param universeEntry members of this organized universe ({@code stock_universe/market_cap/mega_cap}) are tracked
 *                     too, or null
 * @param historyStart where a new member's history starts, or null for the default: five years before as_of, or
 *                     for minutes the minute retention window's first day
 * @param tickers      with minutes: these symbols are tracked too
 */
record DailyRequest(LocalDate asOf, Universe.Query universe, CacheEntry.Id universeEntry, LocalDate historyStart,
                    FetchMethod fetch, Integer batchSize, int maxConcurrency, boolean adjusted, Integer requestsPerMinute,
                    boolean force, boolean flatFiles, Timespan timespan, List<Ticker> tickers, int minuteRetentionDays) {
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final Set<String> FIELDS = Set.of("mode", "as_of", "scheduled_time", "universe", "include_delisted",
            "universe_entry", "history_start", "fetch", "batch_size", "max_concurrency", "adjusted", "requests_per_minute",
            "force", "flat_files", "timespan", "tickers", "minute_universe", RetentionWindow.MINUTE_DAYS_FIELD);

    DailyRequest {
        if (historyStart != null && !historyStart.isBefore(asOf)) {
            throw new InvalidInputException("history_start", historyStart + " is not before " + InvalidInputException.ref("as_of")
                    + " " + asOf);
        }
        BackfillRequest.requireBatching(batchSize == null ? BackfillRequest.DEFAULT_BATCH_SIZE : batchSize, maxConcurrency);
        tickers = List.copyOf(tickers);
    }

    static boolean isDaily(JsonNode input) {
        return !input.hasNonNull("run_id") && "daily".equals(input.path("mode").asText());
    }

    static DailyRequest parse(JsonNode input, Clock clock) {
        Events.rejectUnknownFields(input, FIELDS, "");
        if (input.hasNonNull("as_of") && input.hasNonNull("scheduled_time")) {
            throw new InvalidInputException("as_of", "cannot be given with " + InvalidInputException.ref("scheduled_time"));
        }
        LocalDate asOf = Events.date(input, "as_of");
        if (asOf == null) {
            Instant at = input.hasNonNull("scheduled_time") ? instant(Events.text(input, "scheduled_time")) : clock.instant();
            asOf = at.atZone(NEW_YORK).toLocalDate();
        }
        Universe.Query universe = input.hasNonNull("universe")
                ? Universe.Query.parse("universe", Events.text(input, "universe"), Events.bool(input, "include_delisted", false))
                : null;
        if (universe == null && input.has("include_delisted")) {
            throw new InvalidInputException("include_delisted", "only goes with " + InvalidInputException.ref("universe"));
        }
        if (universe != null && input.hasNonNull("universe_entry")) {
            throw new InvalidInputException("universe_entry", "give universe or universe_entry, not both");
        }
        CacheEntry.Id entry = input.hasNonNull("universe_entry")
                ? CacheEntry.Id.parse("universe_entry", Events.text(input, "universe_entry")) : null;
        Timespan timespan = Events.timespan(input);
        List<Ticker> tickers = input.has("tickers") ? Events.tickers(input, "tickers") : List.of();
        if (timespan == Timespan.MINUTE) {
            if (universe != null && !Events.bool(input, "minute_universe", false)) {
                throw BackfillRequest.wholeUniverseOfMinutes("tickers", input.path("universe").asText());
            }
        } else {
            BackfillRequest.requireMinuteTimespan(input, "tickers");
        }
        return new DailyRequest(asOf, universe, entry, Events.date(input, "history_start"), BackfillRequest.forcedFetch(input),
                input.hasNonNull("batch_size") ? Events.integer(input, "batch_size") : null,
                input.hasNonNull("max_concurrency") ? Events.integer(input, "max_concurrency")
                        : BackfillRequest.DEFAULT_MAX_CONCURRENCY,
                Events.bool(input, "adjusted", true), Events.requestsPerMinute(input), Events.bool(input, "force", false),
                BackfillRequest.flatFiles(input), timespan, tickers, Events.minuteRetentionDays(input));
    }

    /** Where a new symbol's history starts: a day lake's five years, or the minutes PostgreSQL keeps. */
    LocalDate historyStartOrDefault() {
        return historyStart != null ? historyStart
                : timespan == Timespan.MINUTE ? RetentionWindow.minutes(asOf, minuteRetentionDays).cutoff() : asOf.minusYears(5);
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("scheduled_time", "'" + text + "' is not a time like 2026-11-23T11:00:00Z");
        }
    }
}
