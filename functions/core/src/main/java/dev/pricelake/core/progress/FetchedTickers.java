package dev.pricelake.core.progress;

import dev.pricelake.core.Concurrently;
import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.MixedAdjustmentException;
import dev.pricelake.core.StoreException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The steps after FetchPrices work on the tickers this attempt FETCHED, one at a time; a ticker whose
 * data or store fails becomes FAILED with the error, and the batch goes on.
 */
public final class FetchedTickers {
    private FetchedTickers() {
    }

    /** One ticker's work; returns whether it completed (and should be counted). */
    @FunctionalInterface
    public interface Work {
        boolean run(TickerProgress ticker);
    }

    public record Outcome(int done, int failed) {
    }

    public static Outcome each(ProgressStore progress, Batch batch, Clock clock, Work work) {
        return each(progress, batch, clock, 1, work);
    }

    /**
     * As {@link #each(ProgressStore, Batch, Clock, Work)}, up to {@code inFlight} tickers at a time (the work, then,
     * must be safe to run concurrently): a ticker's work that is mostly store round trips overlaps the others'.
     */
    public static Outcome each(ProgressStore progress, Batch batch, Clock clock, int inFlight, Work work) {
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<TickerProgress> fetched = progress.tickers(batch.runId(), batch.tickers()).stream()
                .filter(t -> t.status() == TickerStatus.FETCHED && t.epoch() == batch.epoch()).toList();
        Consumer<TickerProgress> one = t -> {
            try {
                if (work.run(t)) {
                    done.incrementAndGet();
                }
            } catch (MalformedDataException | StoreException | MixedAdjustmentException e) {
                progress.markStopped(batch.runId(), t.ticker(), batch.epoch(), TickerStatus.FAILED, e.getMessage(),
                        clock.instant());
                failed.incrementAndGet();
            }
        };
        if (inFlight == 1) {
            fetched.forEach(one);
        } else {
            Concurrently.forEach(fetched, inFlight, one);
        }
        return new Outcome(done.get(), failed.get());
    }
}
