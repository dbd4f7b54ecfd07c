package dev.pricelake.core.progress;

import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.RunId;
import dev.pricelake.core.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link ProgressStore} in memory with the same conditions as the DynamoDB one; the contract test holds both. */
public final class InMemoryProgressStore implements ProgressStore {
    private final Map<RunId, RunRecord> runs = new HashMap<>();
    private final Map<RunId, Map<Ticker, TickerProgress>> items = new HashMap<>();
    private Lease lease;

    @Override
    public synchronized List<RunRecord> runs() {
        return runs.values().stream().sorted(Comparator.comparing(RunRecord::startedAt).reversed()
                .thenComparing(r -> r.runId().value())).toList();
    }

    @Override
    public synchronized boolean createRun(RunRecord run, Map<Ticker, Integer> batchOf) {
        if (runs.containsKey(run.runId())) {
            return false;
        }
        runs.put(run.runId(), run);
        Map<Ticker, TickerProgress> tickers = new HashMap<>();
        for (Ticker ticker : run.tickers()) {
            tickers.put(ticker, TickerProgress.pending(ticker, batchOf.getOrDefault(ticker, 0)));
        }
        items.put(run.runId(), tickers);
        return true;
    }

    @Override
    public synchronized Optional<RunRecord> run(RunId runId) {
        return Optional.ofNullable(runs.get(runId));
    }

    @Override
    public synchronized int beginAttempt(RunId runId, Instant now) {
        RunRecord run = existing(runId);
        RunRecord next = new RunRecord(runId, run.input(), run.tickers(), RunStatus.RUNNING, run.epoch() + 1,
                run.startedAt(), null, run.counts(), null, run.execution());
        runs.put(runId, next);
        return next.epoch();
    }

    @Override
    public synchronized List<TickerProgress> tickers(RunId runId) {
        RunRecord run = existing(runId);
        Map<Ticker, TickerProgress> byTicker = items.get(runId);
        List<TickerProgress> out = new ArrayList<>(run.tickers().size());
        for (Ticker ticker : run.tickers()) {
            out.add(byTicker.getOrDefault(ticker, TickerProgress.pending(ticker, 0)));
        }
        return out;
    }

    @Override
    public synchronized List<TickerProgress> tickers(RunId runId, List<Ticker> tickers) {
        existing(runId);
        Map<Ticker, TickerProgress> byTicker = items.get(runId);
        return tickers.stream().map(t -> byTicker.getOrDefault(t, TickerProgress.pending(t, 0))).toList();
    }

    @Override
    public synchronized Claim claim(RunId runId, Ticker ticker, int epoch, int batch, Instant now) {
        TickerProgress p = item(runId, ticker);
        if (p.status() == TickerStatus.SUCCEEDED || p.epoch() > epoch) {
            return new Claim(false, p.status(), p.epoch());
        }
        put(runId, new TickerProgress(ticker, p.status(), p.attempts() + 1, p.bars(), p.quarantined(), p.error(), batch,
                epoch, now));
        return new Claim(true, p.status(), p.epoch());
    }

    @Override
    public synchronized boolean markFetched(RunId runId, Ticker ticker, int epoch, long bars, long quarantined, Instant now) {
        TickerProgress p = item(runId, ticker);
        if (p.epoch() != epoch || p.status() == TickerStatus.SUCCEEDED) {
            return false;
        }
        put(runId, new TickerProgress(ticker, TickerStatus.FETCHED, p.attempts(), bars, quarantined, null, p.batch(), epoch, now));
        return true;
    }

    @Override
    public synchronized boolean markSucceeded(RunId runId, Ticker ticker, int epoch, Instant now) {
        TickerProgress p = item(runId, ticker);
        if (p.epoch() != epoch || (p.status() != TickerStatus.FETCHED && p.status() != TickerStatus.SUCCEEDED)) {
            return false;
        }
        put(runId, new TickerProgress(ticker, TickerStatus.SUCCEEDED, p.attempts(), p.bars(), p.quarantined(), null,
                p.batch(), epoch, now));
        return true;
    }

    @Override
    public synchronized boolean markStopped(RunId runId, Ticker ticker, int epoch, TickerStatus status, String error, Instant now) {
        ProgressStore.requireStopStatus(status);
        TickerProgress p = item(runId, ticker);
        if (p.epoch() > epoch || p.status() == TickerStatus.SUCCEEDED) {
            return false;
        }
        put(runId, new TickerProgress(ticker, status, p.attempts(), p.bars(), p.quarantined(), error, p.batch(), epoch, now));
        return true;
    }

    @Override
    public synchronized void finishRun(RunId runId, RunStatus status, Map<String, Long> counts, String error, Instant now) {
        RunRecord run = existing(runId);
        runs.put(runId, new RunRecord(runId, run.input(), run.tickers(), status, run.epoch(), run.startedAt(), now, counts,
                error, run.execution()));
    }

    @Override
    public synchronized void extendRun(RunId runId, String input, List<Ticker> added, List<Ticker> reopened,
            Map<Ticker, Integer> batchOf, Instant now) {
        RunRecord run = existing(runId);
        List<Ticker> tickers = new ArrayList<>(run.tickers());
        for (Ticker t : added) {
            if (!tickers.contains(t)) {
                tickers.add(t);
                put(runId, TickerProgress.pending(t, batchOf.getOrDefault(t, 0)));
            }
        }
        for (Ticker t : reopened) {
            TickerProgress p = item(runId, t);
            put(runId, new TickerProgress(t, TickerStatus.PENDING, p.attempts(), 0, 0, null, batchOf.getOrDefault(t, p.batch()),
                    p.epoch(), now));
        }
        runs.put(runId, new RunRecord(runId, input, tickers, run.status(), run.epoch(), run.startedAt(), run.finishedAt(),
                run.counts(), run.error()));
    }

    @Override
    public synchronized Optional<Lease> lease() {
        return Optional.ofNullable(lease);
    }

    @Override
    public synchronized Lease acquireLease(RunId runId, Instant now, Duration ttl) {
        if (lease == null || !lease.heldAt(now) || lease.holder().equals(runId)) {
            boolean same = lease != null && lease.holder().equals(runId);
            lease = new Lease(runId, same ? lease.epoch() : 0, same ? lease.acquiredAt() : now, now.plus(ttl));
        }
        return lease;
    }

    @Override
    public synchronized boolean renewLease(RunId runId, int epoch, Instant now, Duration ttl) {
        if (lease == null || !lease.holder().equals(runId) || lease.epoch() > epoch) {
            return false;
        }
        lease = new Lease(runId, epoch, lease.acquiredAt(), now.plus(ttl));
        return true;
    }

    @Override
    public synchronized void releaseLease(RunId runId) {
        if (lease != null && lease.holder().equals(runId)) {
            lease = null;
        }
    }

    private RunRecord existing(RunId runId) {
        RunRecord run = runs.get(runId);
        if (run == null) {
            throw new InvalidInputException("run_id", "no run " + runId + " in the progress table");
        }
        return run;
    }

    private TickerProgress item(RunId runId, Ticker ticker) {
        existing(runId);
        TickerProgress p = items.get(runId).get(ticker);
        if (p == null) {
            throw new InvalidInputException("ticker", ticker + " is not part of run " + runId);
        }
        return p;
    }

    private void put(RunId runId, TickerProgress progress) {
        items.get(runId).put(progress.ticker(), progress);
    }
}
