package dev.pricelake.local.runner;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Option;

/** How a new run splits its tickers: the backfill and daily commands take these. */
public final class BatchingOptions {
    @Option(names = "--batch-size", defaultValue = "50", description = "Tickers per batch. Default: ${DEFAULT-VALUE}")
    int batchSize;

    @Option(names = "--max-concurrency", defaultValue = "2", description = "Batches at once. Default: ${DEFAULT-VALUE}")
    int maxConcurrency;

    void addTo(ObjectNode input) {
        input.put("batch_size", batchSize);
        input.put("max_concurrency", maxConcurrency);
    }
}
