package dev.pricelake.core.progress;

import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.MixedAdjustmentException;
import dev.pricelake.core.StoreException;
import java.time.Clock;

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
        int done = 0;
        int failed = 0;
        for (TickerProgress t : progress.tickers(batch.runId(), batch.tickers())) {
            if (t.status() != TickerStatus.FETCHED || t.epoch() != batch.epoch()) {
                continue;
            }
            try {
                if (work.run(t)) {
                    done++;
                }
            } catch (MalformedDataException | StoreException | MixedAdjustmentException e) {
                progress.markStopped(batch.runId(), t.ticker(), batch.epoch(), TickerStatus.FAILED, e.getMessage(),
                        clock.instant());
                failed++;
            }
        }
        return new Outcome(done, failed);
    }
}
