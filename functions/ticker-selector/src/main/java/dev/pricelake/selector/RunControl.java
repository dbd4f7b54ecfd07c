package dev.pricelake.selector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.core.RunId;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.progress.RunRecord;
import dev.pricelake.core.progress.RunStatus;
import dev.pricelake.core.progress.RunSummary;
import dev.pricelake.core.progress.TickerProgress;
import dev.pricelake.core.progress.TickerStatus;
import dev.pricelake.core.progress.WriterLease;
import java.io.IOException;
import java.time.Clock;

/**
 * The run's bookkeeping around the batches: marking a batch that stopped, finishing or failing the run. Finishing
 * or failing gives the lake's writer lease back, so the next run need not wait for it to lapse.
 */
final class RunControl {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ProgressStore progress;
    private final WriterLease lease;
    private final Clock clock;

    RunControl(ProgressStore progress, Clock clock) {
        this.progress = progress;
        this.lease = new WriterLease(progress, clock);
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
        lease.release(runId);
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
        lease.release(runId);
        return new RunSummary(runId, RunStatus.FAILED, counted.succeeded(), counted.rateLimited(), counted.failed(),
                counted.pending(), counted.bars(), counted.quarantined());
    }

    /** The histories the run fetched again and why ({@code [{"symbol", "from", "reasons"}]}), as its input records them. */
    ArrayNode refetched(RunId runId) {
        ArrayNode out = Events.object().arrayNode();
        progress.run(runId).ifPresent(run -> {
            try {
                JsonNode input = JSON.readTree(run.input());
                input.path("replace").fields().forEachRemaining(e -> {
                    ObjectNode entry = out.addObject();
                    entry.put("symbol", e.getKey());
                    entry.put("from", e.getValue().path("start").asText());
                    entry.set("reasons", e.getValue().path("reasons"));
                });
            } catch (IOException e) {
                throw new IllegalStateException("run " + runId + " has an unreadable stored input", e);
            }
        });
        return out;
    }
}
