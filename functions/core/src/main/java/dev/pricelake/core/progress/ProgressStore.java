package dev.pricelake.core.progress;

import dev.pricelake.core.RunId;
import dev.pricelake.core.Ticker;
import java.time.Duration;
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

    /** Every run's header, newest first: how a lost run_id is found again. */
    List<RunRecord> runs();

    /** Starts another attempt of an existing run: status RUNNING, epoch + 1. Returns the new epoch. */
    int beginAttempt(RunId runId, Instant now);

    /** Every ticker of the run in the header's order; one with no item yet is PENDING. */
    List<TickerProgress> tickers(RunId runId);

    /** These tickers of the run, in the order given; one with no item yet is PENDING. */
    List<TickerProgress> tickers(RunId runId, List<Ticker> tickers);

    /** Claims the ticker for the attempt unless it SUCCEEDED or a newer attempt owns it; counts an attempt. */
    Claim claim(RunId runId, Ticker ticker, int epoch, int batch, Instant now);

    /**
     * {@link #claim(RunId, Ticker, int, int, Instant)} for each of the tickers, each under its own condition; returns
     * their claims in the order given, each with the ticker's status and attempt just before this claim. A store may
     * claim many in one request (DynamoDB: it reads them, then writes each under the condition that it is still as
     * read, and reads again and retries those that changed in between).
     */
    default List<Claim> claim(RunId runId, List<Ticker> tickers, int epoch, int batch, Instant now) {
        return tickers.stream().map(t -> claim(runId, t, epoch, batch, now)).toList();
    }

    /** Its bars are in staging. False when the attempt no longer owns the ticker. */
    boolean markFetched(RunId runId, Ticker ticker, int epoch, long bars, long quarantined, Instant now);

    /** A ticker's bars and quarantined bars as staged, for {@link #markFetched(RunId, List, int, Instant)}. */
    record Fetched(Ticker ticker, long bars, long quarantined) {
    }

    /**
     * {@link #markFetched(RunId, Ticker, int, long, long, Instant)} for each, each under its own condition; returns the
     * tickers marked, in the order given. A store may write many in one request, as
     * {@link #markSucceeded(RunId, List, int, Instant)}.
     */
    default List<Ticker> markFetched(RunId runId, List<Fetched> fetched, int epoch, Instant now) {
        return fetched.stream().filter(f -> markFetched(runId, f.ticker(), epoch, f.bars(), f.quarantined(), now))
                .map(Fetched::ticker).toList();
    }

    /** Its bars are in the lake. False unless this attempt fetched it (true again if already SUCCEEDED). */
    boolean markSucceeded(RunId runId, Ticker ticker, int epoch, Instant now);

    /**
     * {@link #markSucceeded(RunId, Ticker, int, Instant)} for each of the tickers, each under its own condition; returns
     * the tickers marked, in the order given. A store may write many in one request (DynamoDB: transactions of up to
     * 100 items); a ticker refused leaves the others as one call each would have.
     */
    default List<Ticker> markSucceeded(RunId runId, List<Ticker> tickers, int epoch, Instant now) {
        return tickers.stream().filter(t -> markSucceeded(runId, t, epoch, now)).toList();
    }

    /** Marks a ticker RATE_LIMITED or FAILED with the error, unless it SUCCEEDED or a newer attempt owns it. */
    boolean markStopped(RunId runId, Ticker ticker, int epoch, TickerStatus status, String error, Instant now);

    /** Records the run's outcome, its counts and, for a run that failed as a whole, the error. */
    void finishRun(RunId runId, RunStatus status, Map<String, Long> counts, String error, Instant now);

    /**
     * Gives an existing run a new stored input and more work: {@code added} tickers join it PENDING (in the given
     * batches), {@code reopened} ones become PENDING again even if they SUCCEEDED (their data must be fetched anew).
     */
    void extendRun(RunId runId, String input, List<Ticker> added, List<Ticker> reopened, Map<Ticker, Integer> batchOf,
            Instant now);

    /** The lake's writer lease, if any run ever took it (it may have lapsed). */
    Optional<Lease> lease();

    /**
     * Takes the lease for the run until {@code now + ttl} if nobody holds it, its holder's lease lapsed, or the
     * run holds it already; returns the lease as it stands afterwards, so a caller sees who holds it.
     */
    Lease acquireLease(RunId runId, Instant now, Duration ttl);

    /**
     * Extends the run's lease to {@code now + ttl} for this attempt; false when another run holds it, nobody does,
     * or a newer attempt of the run renewed it.
     */
    boolean renewLease(RunId runId, int epoch, Instant now, Duration ttl);

    /** Gives the lease up if the run holds it. */
    void releaseLease(RunId runId);

    static void requireStopStatus(TickerStatus status) {
        if (status != TickerStatus.RATE_LIMITED && status != TickerStatus.FAILED) {
            throw new IllegalArgumentException("a ticker can only be stopped as RATE_LIMITED or FAILED, not " + status);
        }
    }
}
