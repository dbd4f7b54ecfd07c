package dev.pricelake.retention;

import dev.pricelake.core.Bar;
import dev.pricelake.core.StoreException;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.bronze.BronzeRow;
import dev.pricelake.core.bronze.Staging;
import dev.pricelake.core.fetch.Timespan;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.FetchedTickers;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.progress.WriterLease;
import dev.pricelake.core.recent.RecentBarsStore;
import dev.pricelake.core.recent.RetentionWindow;
import dev.pricelake.core.reference.SymbolStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * WriteRecent for one batch: the staged bars of each ticker this attempt fetched (and WriteBronze merged) go to
 * PostgreSQL, those inside the retention window to raw_ohlcv and older ones to raw_ohlcv_archive, so no key is ever
 * in both, and the ticker's newest bar becomes its last close (and market cap) in the symbols table; then the ticker
 * is SUCCEEDED. A history fetched again replaces the symbol's rows in both tables (and those of the tickers it took
 * over). The writes are by (symbol, date) and a close only moves forward, so a repeated batch changes nothing. The
 * batch's bars go in one bulk upsert per table (COPY locally), not one statement per ticker.
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

    /**
     * Reads every fetched ticker's staged bars, writes them all together with one update of the closes, then marks
     * each SUCCEEDED. When the joint write fails, each ticker is written alone, so only a ticker whose own write
     * fails becomes FAILED. A replaced history is written ticker by ticker: each replaces its own symbols' rows.
     */
    Result write(Batch batch) {
        lease.hold(batch.runId(), batch.epoch());
        if (batch.timespan() == Timespan.MINUTE) {
            // Minute runs write minute bronze only: the day tables (and the last closes) are the day lake's.
            FetchedTickers.Outcome done = FetchedTickers.each(progress, batch, clock,
                    t -> progress.markSucceeded(batch.runId(), t.ticker(), batch.epoch(), clock.instant()));
            return new Result(done.done(), done.failed(), 0, 0);
        }
        RetentionWindow window = RetentionWindow.asOf(batch.asOf());
        Map<Ticker, List<Bar>> staged = new HashMap<>();
        FetchedTickers.Outcome reading = FetchedTickers.each(progress, batch, clock, t -> {
            staged.put(t.ticker(), staging.readBars(batch.runId(), t.ticker()).stream().map(BronzeRow::bar).toList());
            return true;
        });
        long[] counts = new long[2];
        boolean written = !batch.replace() && writeTogether(staged.values(), window, counts);
        FetchedTickers.Outcome writing = FetchedTickers.each(progress, batch, clock, t -> {
            List<Bar> bars = staged.get(t.ticker());
            if (bars == null) {
                return false;
            }
            if (!written) {
                RecentBarsStore.Counts one = batch.replace()
                        ? recent.replace(t.ticker(), batch.retiredInto(t.ticker()), bars, window, clock.instant())
                        : recent.write(bars, window, clock.instant());
                recordCloses(List.of(bars));
                counts[0] += one.recent();
                counts[1] += one.archive();
            }
            return progress.markSucceeded(batch.runId(), t.ticker(), batch.epoch(), clock.instant());
        });
        return new Result(writing.done(), reading.failed() + writing.failed(), counts[0], counts[1]);
    }

    private boolean writeTogether(Collection<List<Bar>> tickers, RetentionWindow window, long[] counts) {
        List<Bar> all = new ArrayList<>();
        tickers.forEach(all::addAll);
        try {
            RecentBarsStore.Counts together = recent.write(all, window, clock.instant());
            recordCloses(tickers);
            counts[0] = together.recent();
            counts[1] = together.archive();
            return true;
        } catch (StoreException e) {
            return false;
        }
    }

    /** Each ticker's newest bar becomes its last close. */
    private void recordCloses(Collection<List<Bar>> tickers) {
        List<SymbolStore.Close> closes = new ArrayList<>();
        for (List<Bar> bars : tickers) {
            bars.stream().max(java.util.Comparator.comparing(Bar::date)).ifPresent(newest ->
                    closes.add(new SymbolStore.Close(newest.symbol(), newest.date(), newest.close())));
        }
        if (!closes.isEmpty()) {
            symbols.recordCloses(closes, clock.instant());
        }
    }
}
