package dev.pricelake.selector;

import dev.pricelake.core.RunId;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.progress.RunRecord;
import dev.pricelake.core.progress.RunStatus;
import dev.pricelake.core.progress.RunSummary;
import dev.pricelake.core.progress.TickerProgress;
import dev.pricelake.core.progress.TickerStatus;
import java.time.Clock;

/** The run's bookkeeping around the batches: marking a batch that stopped, finishing or failing the run. */
final class RunControl {
    private final ProgressStore progress;
    private final Clock clock;

    RunControl(ProgressStore progress, Clock clock) {
        this.progress = progress;
        this.clock = clock;
    }

    /**
     * Marks the batch's unfinished tickers with the status and error. After a fetch stopped, tickers this
     * attempt already fetched are left FETCHED for WriteBronze; after a write stopped, they are marked too.
     */
    int markBatch(Batch batch, TickerStatus status, String error, boolean includingFetched) {
        int marked = 0;
        for (TickerProgress t : progress.tickers(batch.runId(), batch.tickers())) {
            boolean fetchedNow = t.status() == TickerStatus.FETCHED && t.epoch() == batch.epoch();
            if (t.status() == TickerStatus.SUCCEEDED || (fetchedNow && !includingFetched)) {
                continue;
            }
            if (progress.markStopped(batch.runId(), t.ticker(), batch.epoch(), status, error, clock.instant())) {
                marked++;
            }
        }
        return marked;
    }

    RunSummary finish(RunId runId) {
        RunSummary summary = RunSummary.of(runId, progress.tickers(runId));
        progress.finishRun(runId, summary.status(), summary.counts(), null, clock.instant());
        return summary;
    }

    /**
     * The run failed as a whole (a rejected key, say): record why, with the counts so far. A run already failed in
     * this attempt keeps its first error, the cause, over what it led to (a batch's rejected key, then the failed
     * Map Run that batch stopped).
     */
    RunSummary fail(RunId runId, String error) {
        RunSummary counted = RunSummary.of(runId, progress.tickers(runId));
        String first = progress.run(runId).filter(r -> r.status() == RunStatus.FAILED && r.error() != null)
                .map(RunRecord::error).orElse(error);
        progress.finishRun(runId, RunStatus.FAILED, counted.counts(), first, clock.instant());
        return new RunSummary(runId, RunStatus.FAILED, counted.succeeded(), counted.rateLimited(), counted.failed(),
                counted.pending(), counted.bars(), counted.quarantined());
    }
}
