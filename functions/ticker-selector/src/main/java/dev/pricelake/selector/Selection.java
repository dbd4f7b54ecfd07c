package dev.pricelake.selector;

import dev.pricelake.core.RunId;
import dev.pricelake.core.progress.Batch;
import java.util.List;

/** What SelectTickers hands the state machine: the batches of tickers still to do in this attempt. */
record Selection(RunId runId, int epoch, boolean resumed, int tickers, int maxConcurrency, List<Batch> batches) {
    Selection {
        batches = List.copyOf(batches);
    }
}
