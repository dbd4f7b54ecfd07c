package dev.pricelake.retention;

import dev.pricelake.core.Bar;
import dev.pricelake.core.StoreException;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.bronze.BronzeRow;
import dev.pricelake.core.bronze.StagedDays;
import dev.pricelake.core.bronze.Staging;
import dev.pricelake.core.fetch.Timespan;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.FetchedTickers;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.progress.WriterLease;
import dev.pricelake.core.recent.MinuteBarsStore;
import dev.pricelake.core.recent.RecentBarsStore;
import dev.pricelake.core.recent.RetentionWindow;
import dev.pricelake.core.reference.SymbolStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * WriteRecent for one batch: the staged bars of each ticker this attempt fetched (and WriteBronze merged) go to
 * PostgreSQL, those inside the retention window to raw_ohlcv and older ones to raw_ohlcv_archive, so no key is ever
 * in both, and the ticker's newest bar becomes its last close (and market cap) in the symbols table; then the ticker
 * is SUCCEEDED. A history fetched again replaces the symbol's rows in both tables (and those of the tickers it took
 * over). A minute batch writes the staged minutes inside its own (shorter) window to ohlcv_minute and nothing else.
 * The writes are by (symbol, date) or (symbol, ts) and a close only moves forward, so a repeated batch changes
 * nothing. The batch's bars go in one bulk upsert per table (COPY locally), not one statement per ticker, and its
 * tickers are marked SUCCEEDED together.
 */
final class RecentWriter {
    private final ProgressStore progress;
    private final Staging staging;
    private final RecentBarsStore recent;
    private final MinuteBarsStore minutes;
    private final SymbolStore symbols;
    private final WriterLease lease;
    private final Clock clock;

    RecentWriter(ProgressStore progress, Staging staging, RecentBarsStore recent, MinuteBarsStore minutes,
            SymbolStore symbols, Clock clock) {
        this.progress = progress;
        this.staging = staging;
        this.recent = recent;
        this.minutes = minutes;
        this.symbols = symbols;
        this.lease = new WriterLease(progress, clock);
        this.clock = clock;
    }

    /** @param recent rows written to the batch's table of recent bars: raw_ohlcv, or ohlcv_minute for minutes */
    record Result(int succeeded, int failed, long recent, long archived) {
    }

    /**
     * Reads every fetched ticker's staged bars, writes them all together (with one update of the closes for day
     * bars), then marks each SUCCEEDED. When the joint write fails, each ticker is written alone, so only a ticker
     * whose own write fails becomes FAILED. A replaced history is written ticker by ticker: each replaces its own
     * symbols' rows.
     */
    Result write(Batch batch) {
        lease.hold(batch.runId(), batch.epoch());
        if (batch.timespan() == Timespan.MINUTE) {
            // Minute runs leave the day tables (and the last closes) to the day lake.
            RetentionWindow window = batch.minuteWindow();
            return writeFetched(batch, t -> staging.readMinutes(batch.runId(), t).rows().stream()
                            .filter(r -> window.contains(r.bar().start())).toList(),
                    tickers -> new RecentBarsStore.Counts(minutes.upsert(flatten(tickers)), 0),
                    (t, rows) -> new RecentBarsStore.Counts(minutes.upsert(rows), 0));
        }
        RetentionWindow window = RetentionWindow.asOf(batch.asOf());
        StagedDays days = staging.stagedDays(batch);
        return writeFetched(batch, t -> days.file(t).rows().stream().map(BronzeRow::bar).toList(),
                tickers -> {
                    RecentBarsStore.Counts together = recent.write(flatten(tickers), window, clock.instant());
                    recordCloses(tickers);
                    return together;
                },
                (t, bars) -> {
                    RecentBarsStore.Counts one = batch.replace()
                            ? recent.replace(t, batch.retiredInto(t), bars, window, clock.instant())
                            : recent.write(bars, window, clock.instant());
                    recordCloses(List.of(bars));
                    return one;
                });
    }

    /**
     * The skeleton both timespans share: read each fetched ticker's staged rows, write them together (unless the batch
     * replaces histories), else each ticker alone, and mark each written ticker SUCCEEDED.
     */
    private <T> Result writeFetched(Batch batch, Function<Ticker, List<T>> read,
            Function<Collection<List<T>>, RecentBarsStore.Counts> together,
            BiFunction<Ticker, List<T>, RecentBarsStore.Counts> alone) {
        Map<Ticker, List<T>> staged = new HashMap<>();
        FetchedTickers.Outcome reading = FetchedTickers.each(progress, batch, clock, t -> {
            staged.put(t.ticker(), read.apply(t.ticker()));
            return true;
        });
        long[] counts = new long[2];
        if (!batch.replace() && writeTogether(staged.values(), together, counts)) {
            // Written together: the marks go together too (one request per 100 tickers), each under its own condition.
            List<Ticker> written = batch.tickers().stream().filter(staged::containsKey).toList();
            int marked = progress.markSucceeded(batch.runId(), written, batch.epoch(), clock.instant()).size();
            return new Result(marked, reading.failed(), counts[0], counts[1]);
        }
        FetchedTickers.Outcome writing = FetchedTickers.each(progress, batch, clock, t -> {
            List<T> rows = staged.get(t.ticker());
            if (rows == null) {
                return false;
            }
            RecentBarsStore.Counts one = alone.apply(t.ticker(), rows);
            counts[0] += one.recent();
            counts[1] += one.archive();
            return progress.markSucceeded(batch.runId(), t.ticker(), batch.epoch(), clock.instant());
        });
        return new Result(writing.done(), reading.failed() + writing.failed(), counts[0], counts[1]);
    }

    private static <T> boolean writeTogether(Collection<List<T>> tickers,
            Function<Collection<List<T>>, RecentBarsStore.Counts> together, long[] counts) {
        try {
            RecentBarsStore.Counts written = together.apply(tickers);
            counts[0] = written.recent();
            counts[1] = written.archive();
            return true;
        } catch (StoreException e) {
            return false;
        }
    }

    private static <T> List<T> flatten(Collection<List<T>> tickers) {
        List<T> all = new ArrayList<>();
        tickers.forEach(all::addAll);
        return all;
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
