package dev.pricelake.retention;

import dev.pricelake.core.Bar;
import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.StoreException;
import dev.pricelake.core.bronze.BronzeRow;
import dev.pricelake.core.bronze.Staging;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.progress.TickerProgress;
import dev.pricelake.core.progress.TickerStatus;
import dev.pricelake.core.recent.RecentBarsStore;
import dev.pricelake.core.recent.RetentionWindow;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * WriteRecent for one batch: the staged bars of each ticker this attempt fetched (and WriteBronze merged)
 * that fall inside the retention window go to PostgreSQL; then the ticker is SUCCEEDED. Bars outside the
 * window are counted, not errors. The upsert is by (symbol, date), so a repeated batch changes nothing.
 */
final class RecentWriter {
    private final ProgressStore progress;
    private final Staging staging;
    private final RecentBarsStore recent;
    private final Clock clock;

    RecentWriter(ProgressStore progress, Staging staging, RecentBarsStore recent, Clock clock) {
        this.progress = progress;
        this.staging = staging;
        this.recent = recent;
        this.clock = clock;
    }

    record Result(int succeeded, int failed, long upserted, long outsideWindow) {
    }

    Result write(Batch batch) {
        RetentionWindow window = RetentionWindow.asOf(batch.asOf());
        int succeeded = 0;
        int failed = 0;
        long upserted = 0;
        long outside = 0;
        for (TickerProgress t : progress.tickers(batch.runId(), batch.tickers())) {
            if (t.status() != TickerStatus.FETCHED || t.epoch() != batch.epoch()) {
                continue;
            }
            try {
                List<Bar> inside = new ArrayList<>();
                for (BronzeRow row : staging.readBars(batch.runId(), t.ticker())) {
                    if (window.contains(row.bar().date())) {
                        inside.add(row.bar());
                    } else {
                        outside++;
                    }
                }
                upserted += recent.upsert(inside, clock.instant());
            } catch (MalformedDataException | StoreException e) {
                progress.markStopped(batch.runId(), t.ticker(), batch.epoch(), TickerStatus.FAILED, e.getMessage(),
                        clock.instant());
                failed++;
                continue;
            }
            if (progress.markSucceeded(batch.runId(), t.ticker(), batch.epoch(), clock.instant())) {
                succeeded++;
            }
        }
        return new Result(succeeded, failed, upserted, outside);
    }
}
