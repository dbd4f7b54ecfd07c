package dev.pricelake.retention;

import dev.pricelake.core.Bar;
import dev.pricelake.core.bronze.BronzeRow;
import dev.pricelake.core.bronze.Staging;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.FetchedTickers;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.progress.WriterLease;
import dev.pricelake.core.recent.RecentBarsStore;
import dev.pricelake.core.recent.RetentionWindow;
import dev.pricelake.core.reference.SymbolStore;
import java.time.Clock;
import java.util.List;

/**
 * WriteRecent for one batch: the staged bars of each ticker this attempt fetched (and WriteBronze merged) go to
 * PostgreSQL, those inside the retention window to raw_ohlcv and older ones to raw_ohlcv_archive, so no key is ever
 * in both, and the ticker's newest bar becomes its last close (and market cap) in the symbols table; then the ticker
 * is SUCCEEDED. A history fetched again replaces the symbol's rows in both tables (and those of the tickers it took
 * over). The writes are by (symbol, date) and a close only moves forward, so a repeated batch changes nothing.
 */
final class RecentWriter {
    private final ProgressStore progress;
    private final Staging staging;
    private final RecentBarsStore recent;
    private final SymbolStore symbols;
    private final WriterLease lease;
    private final Clock clock;

    RecentWriter(ProgressStore progress, Staging staging, RecentBarsStore recent, SymbolStore symbols, Clock clock) {
        this.progress = progress;
        this.staging = staging;
        this.recent = recent;
        this.symbols = symbols;
        this.lease = new WriterLease(progress, clock);
        this.clock = clock;
    }

    record Result(int succeeded, int failed, long recent, long archived) {
    }

    Result write(Batch batch) {
        lease.hold(batch.runId(), batch.epoch());
        RetentionWindow window = RetentionWindow.asOf(batch.asOf());
        long[] counts = new long[2];
        FetchedTickers.Outcome outcome = FetchedTickers.each(progress, batch, clock, t -> {
            List<Bar> bars = staging.readBars(batch.runId(), t.ticker()).stream().map(BronzeRow::bar).toList();
            RecentBarsStore.Counts written = batch.replace()
                    ? recent.replace(t.ticker(), batch.retiredInto(t.ticker()), bars, window, clock.instant())
                    : recent.write(bars, window, clock.instant());
            counts[0] += written.recent();
            counts[1] += written.archive();
            bars.stream().max(java.util.Comparator.comparing(Bar::date)).ifPresent(newest -> symbols.recordCloses(
                    List.of(new SymbolStore.Close(t.ticker(), newest.date(), newest.close())), clock.instant()));
            return progress.markSucceeded(batch.runId(), t.ticker(), batch.epoch(), clock.instant());
        });
        return new Result(outcome.done(), outcome.failed(), counts[0], counts[1]);
    }
}
