package dev.pricelake.core.progress;

import dev.pricelake.core.RunId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's outcome counted from its ticker items: COMPLETE when every ticker SUCCEEDED, FAILED when any
 * FAILED, PARTIAL otherwise (rate-limited or unfinished tickers remain: resume with the same run_id).
 */
public record RunSummary(RunId runId, RunStatus status, long succeeded, long rateLimited, long failed, long pending,
                         long bars, long quarantined) {
    public static RunSummary of(RunId runId, List<TickerProgress> tickers) {
        long succeeded = 0;
        long rateLimited = 0;
        long failed = 0;
        long pending = 0;
        long bars = 0;
        long quarantined = 0;
        for (TickerProgress t : tickers) {
            switch (t.status()) {
                case SUCCEEDED -> succeeded++;
                case RATE_LIMITED -> rateLimited++;
                case FAILED -> failed++;
                case PENDING, FETCHED -> pending++;
            }
            if (t.status() == TickerStatus.SUCCEEDED) {
                bars += t.bars();
            }
            quarantined += t.quarantined();
        }
        RunStatus status = failed > 0 ? RunStatus.FAILED
                : succeeded == tickers.size() ? RunStatus.COMPLETE : RunStatus.PARTIAL;
        return new RunSummary(runId, status, succeeded, rateLimited, failed, pending, bars, quarantined);
    }

    public long tickers() {
        return succeeded + rateLimited + failed + pending;
    }

    /** The counts the run header keeps. */
    public Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("succeeded", succeeded);
        counts.put("rate_limited", rateLimited);
        counts.put("failed", failed);
        counts.put("pending", pending);
        counts.put("bars", bars);
        counts.put("quarantined", quarantined);
        return counts;
    }

    /** What a person should do next. */
    public String message() {
        return switch (status) {
            case COMPLETE -> "all " + succeeded + " tickers are in the lake";
            case PARTIAL -> (rateLimited + pending) + " of " + tickers() + " tickers are not done yet ("
                    + rateLimited + " rate-limited); resume with run_id " + runId;
            case FAILED -> failed + " of " + tickers() + " tickers failed; see their errors, fix the cause and resume"
                    + " with run_id " + runId;
            case RUNNING -> "still running";
            case INTERRUPTED -> "interrupted with " + succeeded + " of " + tickers() + " tickers done; resume with run_id "
                    + runId;
        };
    }
}
