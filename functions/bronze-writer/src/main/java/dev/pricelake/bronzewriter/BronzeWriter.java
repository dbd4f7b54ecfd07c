package dev.pricelake.bronzewriter;

import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.StoreException;
import dev.pricelake.core.bronze.BronzeLake;
import dev.pricelake.core.bronze.BronzeMerge;
import dev.pricelake.core.bronze.BronzeRow;
import dev.pricelake.core.bronze.Staging;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.progress.TickerProgress;
import dev.pricelake.core.progress.TickerStatus;
import java.time.Clock;
import java.util.List;

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
        int merged = 0;
        int failed = 0;
        long inserted = 0;
        long updated = 0;
        for (TickerProgress t : progress.tickers(batch.runId(), batch.tickers())) {
            if (t.status() != TickerStatus.FETCHED || t.epoch() != batch.epoch()) {
                continue;
            }
            try {
                List<BronzeRow> rows = staging.readBars(batch.runId(), t.ticker());
                BronzeMerge.Result result = lake.merge(t.ticker(), rows);
                inserted += result.inserted();
                updated += result.updated();
                merged++;
            } catch (MalformedDataException | StoreException e) {
                progress.markStopped(batch.runId(), t.ticker(), batch.epoch(), TickerStatus.FAILED, e.getMessage(),
                        clock.instant());
                failed++;
            }
        }
        return new Result(merged, failed, inserted, updated);
    }
}
