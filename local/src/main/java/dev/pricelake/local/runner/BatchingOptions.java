package dev.pricelake.local.runner;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Option;

/** How a new run splits its tickers: the backfill and daily commands take these. */
public final class BatchingOptions {
    @Option(names = "--batch-size", description = "Tickers per batch. Default: 50 for range calls, 250 for grouped days"
            + " and flat files (day bars)")
    Integer batchSize;

    @Option(names = "--max-concurrency", defaultValue = "2", description = "Batches at once. Default: ${DEFAULT-VALUE}")
    int maxConcurrency;

    void addTo(ObjectNode input) {
        if (batchSize != null) {
            input.put("batch_size", batchSize);
        }
        input.put("max_concurrency", maxConcurrency);
    }
}
