package dev.pricelake.core.progress;

import dev.pricelake.core.RunId;
import dev.pricelake.core.Ticker;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A run's header item.
 *
 * @param input   the run's normalized input as JSON, so a resume repeats exactly what was asked
 * @param tickers every ticker of the run, in order; a ticker without its own item yet counts as PENDING
 * @param epoch   incremented by every start and resume; only the newest attempt may change ticker items
 * @param error     why the run failed as a whole (a rejected key, say), or null
 * @param execution the Step Functions execution that created the run, so a retry of that execution's first step
 *                  continues the run instead of starting another; null when created outside one
 */
public record RunRecord(RunId runId, String input, List<Ticker> tickers, RunStatus status, int epoch,
                        Instant startedAt, Instant finishedAt, Map<String, Long> counts, String error, String execution) {
    public RunRecord {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startedAt, "startedAt");
        tickers = List.copyOf(tickers);
        counts = counts == null ? Map.of() : Map.copyOf(counts);
    }

    /** A run created outside a state machine execution. */
    public RunRecord(RunId runId, String input, List<Ticker> tickers, RunStatus status, int epoch, Instant startedAt,
            Instant finishedAt, Map<String, Long> counts, String error) {
        this(runId, input, tickers, status, epoch, startedAt, finishedAt, counts, error, null);
    }

    /** Whether this execution created the run. */
    public boolean createdBy(String executionId) {
        return execution != null && execution.equals(executionId);
    }
}
