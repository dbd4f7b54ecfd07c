package dev.pricelake.retention;

import dev.pricelake.core.Bar;
import dev.pricelake.core.bronze.BronzeRow;
import dev.pricelake.core.bronze.Staging;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.FetchedTickers;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.recent.RecentBarsStore;
import dev.pricelake.core.recent.RetentionWindow;
import dev.pricelake.core.reference.SymbolStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * WriteRecent for one batch: the staged bars of each ticker this attempt fetched (and WriteBronze merged)
 * that fall inside the retention window go to PostgreSQL, and the ticker's newest bar becomes its last close
 * (and market cap) in the symbols table; then the ticker is SUCCEEDED. Bars outside the window are counted, not
 * errors. The upsert is by (symbol, date) and a close only moves forward, so a repeated batch changes nothing.
 */
final class RecentWriter {
    private final ProgressStore progress;
    private final Staging staging;
    private final RecentBarsStore recent;
    private final SymbolStore symbols;
    private final Clock clock;

    RecentWriter(ProgressStore progress, Staging staging, RecentBarsStore recent, SymbolStore symbols, Clock clock) {
        this.progress = progress;
        this.staging = staging;
        this.recent = recent;
        this.symbols = symbols;
        this.clock = clock;
    }

    record Result(int succeeded, int failed, long upserted, long outsideWindow) {
    }

    Result write(Batch batch) {
        RetentionWindow window = RetentionWindow.asOf(batch.asOf());
        long[] counts = new long[2];
        FetchedTickers.Outcome outcome = FetchedTickers.each(progress, batch, clock, t -> {
            List<Bar> inside = new ArrayList<>();
            Bar newest = null;
            for (BronzeRow row : staging.readBars(batch.runId(), t.ticker())) {
                if (window.contains(row.bar().date())) {
                    inside.add(row.bar());
                } else {
                    counts[1]++;
                }
                newest = newest == null || row.bar().date().isAfter(newest.date()) ? row.bar() : newest;
            }
            counts[0] += recent.upsert(inside, clock.instant());
            if (newest != null) {
                symbols.recordCloses(List.of(new SymbolStore.Close(t.ticker(), newest.date(), newest.close())), clock.instant());
            }
            return progress.markSucceeded(batch.runId(), t.ticker(), batch.epoch(), clock.instant());
        });
        return new Result(outcome.done(), outcome.failed(), counts[0], counts[1]);
    }
}
