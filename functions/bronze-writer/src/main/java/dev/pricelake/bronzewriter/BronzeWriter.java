package dev.pricelake.bronzewriter;

import dev.pricelake.core.bronze.BronzeFile;
import dev.pricelake.core.bronze.BronzeLake;
import dev.pricelake.core.bronze.BronzeMerge;
import dev.pricelake.core.bronze.Staging;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.FetchedTickers;
import dev.pricelake.core.progress.ProgressStore;
import java.time.Clock;

/**
 * WriteBronze for one batch: every ticker this attempt FETCHED has its staged bars merged into its bronze
 * file. The ticker stays FETCHED: it becomes SUCCEEDED in WriteRecent, once PostgreSQL has its bars too. A
 * merge is idempotent, so a retried batch or a resumed run writes the same file.
 */
final class BronzeWriter {
    private final ProgressStore progress;
    private final Staging staging;
    private final BronzeLake lake;
    private final Clock clock;

    BronzeWriter(ProgressStore progress, Staging staging, BronzeLake lake, Clock clock) {
        this.progress = progress;
        this.staging = staging;
        this.lake = lake;
        this.clock = clock;
    }

    record Result(int merged, int failed, long inserted, long updated) {
    }

    Result write(Batch batch) {
        long[] changes = new long[2];
        FetchedTickers.Outcome outcome = FetchedTickers.each(progress, batch, clock, t -> {
            BronzeFile staged = staging.readFile(batch.runId(), t.ticker());
            BronzeMerge.Result result = lake.merge(t.ticker(), staged.rows(), staged.metadata());
            changes[0] += result.inserted();
            changes[1] += result.updated();
            return true;
        });
        return new Result(outcome.done(), outcome.failed(), changes[0], changes[1]);
    }
}
