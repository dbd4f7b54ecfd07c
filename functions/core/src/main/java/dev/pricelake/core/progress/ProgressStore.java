package dev.pricelake.core.progress;

import dev.pricelake.core.RunId;
import dev.pricelake.core.Ticker;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Port to the progress table (DynamoDB in AWS and locally, a map in tests). Every change to a ticker names
 * the run attempt (epoch) making it and is refused once a newer attempt has claimed the ticker, so two
 * executions of one run can never both write a ticker.
 */
public interface ProgressStore {
    /** Writes the run header and one PENDING item per ticker; false, writing nothing, if the run exists. */
    boolean createRun(RunRecord run, Map<Ticker, Integer> batchOf);

    Optional<RunRecord> run(RunId runId);

    /** Starts another attempt of an existing run: status RUNNING, epoch + 1. Returns the new epoch. */
    int beginAttempt(RunId runId, Instant now);

    /** Every ticker of the run in the header's order; one with no item yet is PENDING. */
    List<TickerProgress> tickers(RunId runId);

    /** These tickers of the run, in the order given; one with no item yet is PENDING. */
    List<TickerProgress> tickers(RunId runId, List<Ticker> tickers);

    /** Claims the ticker for the attempt unless it SUCCEEDED or a newer attempt owns it; counts an attempt. */
    Claim claim(RunId runId, Ticker ticker, int epoch, int batch, Instant now);

    /** Its bars are in staging. False when the attempt no longer owns the ticker. */
    boolean markFetched(RunId runId, Ticker ticker, int epoch, long bars, long quarantined, Instant now);

    /** Its bars are in the lake. False unless this attempt fetched it (true again if already SUCCEEDED). */
    boolean markSucceeded(RunId runId, Ticker ticker, int epoch, Instant now);

    /** Marks a ticker RATE_LIMITED or FAILED with the error, unless it SUCCEEDED or a newer attempt owns it. */
    boolean markStopped(RunId runId, Ticker ticker, int epoch, TickerStatus status, String error, Instant now);

    /** Records the run's outcome, its counts and, for a run that failed as a whole, the error. */
    void finishRun(RunId runId, RunStatus status, Map<String, Long> counts, String error, Instant now);

    static void requireStopStatus(TickerStatus status) {
        if (status != TickerStatus.RATE_LIMITED && status != TickerStatus.FAILED) {
            throw new IllegalArgumentException("a ticker can only be stopped as RATE_LIMITED or FAILED, not " + status);
        }
    }
}
