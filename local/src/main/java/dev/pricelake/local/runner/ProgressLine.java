package dev.pricelake.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pricelake.core.progress.RunSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The one line a running command shows: tickers done of all, bars, rate-limited and failed tickers, time so far, an
 * estimate of the rest, and the retry wait in progress, if any. The estimate is the larger of two: the pace so far, and what the plan's calls still need at
 * the rate limit (the free plan's 5 a minute against the official API).
 */
final class ProgressLine {
    /** The plan's floor is computed at the free plan's rate. */
    private static final double FREE_PLAN_PER_MINUTE = 5;

    private ProgressLine() {
    }

    /**
     * @param plan              SelectTickers' plan (its calls and their floor at the free plan), or null
     * @param requestsPerMinute the rate the run's calls are held to, 0 for none
     * @param sinceFirstDone    time since the first ticker finished (the pace's base), or null before that
     * @param waits             the retry waits in progress, the longest first
     */
    static String of(RunSummary s, JsonNode plan, int requestsPerMinute, Duration elapsed, Duration sinceFirstDone,
            List<RetryWaits.Wait> waits, Instant now) {
        long done = s.succeeded() + s.failed() + s.rateLimited();
        long remaining = s.tickers() - done;
        Duration eta = null;
        if (done > 0 && remaining > 0 && sinceFirstDone != null) {
            eta = Duration.ofMillis(Math.round(sinceFirstDone.toMillis() * (double) remaining / done));
        }
        if (plan != null && requestsPerMinute > 0 && s.tickers() > 0 && remaining > 0) {
            long floorSeconds = 0;
            for (JsonNode p : plan) {
                floorSeconds += p.path("free_plan_floor_seconds").asLong();
            }
            Duration atRate = Duration.ofMillis(Math.round(floorSeconds * 1000 * FREE_PLAN_PER_MINUTE / requestsPerMinute
                    * remaining / s.tickers()));
            eta = eta == null || atRate.compareTo(eta) > 0 ? atRate : eta;
        }
        return String.format(Locale.ROOT, "%s: %,d/%,d tickers done, %,d bars, %,d rate-limited, %,d failed, %s elapsed%s%s",
                s.runId(), s.succeeded(), s.tickers(), s.bars(), s.rateLimited(), s.failed(), clock(elapsed),
                remaining == 0 ? "" : eta == null ? ", ETA unknown yet" : ", ETA " + clock(eta),
                waits.isEmpty() ? "" : "; " + waits.getFirst().text(now) + (waits.size() == 1 ? ""
                        : String.format(Locale.ROOT, " and %d more retr%s waiting", waits.size() - 1, waits.size() == 2 ? "y" : "ies")));
    }

    /** 42 s, 3m05s, 1h02m. */
    static String clock(Duration d) {
        long seconds = d.toSeconds();
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
}
