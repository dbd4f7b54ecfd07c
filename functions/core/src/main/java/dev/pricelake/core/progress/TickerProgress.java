package dev.pricelake.core.progress;

import dev.pricelake.core.Ticker;
import java.time.Instant;
import java.util.Objects;

/**
 * One ticker's item in a run.
 *
 * @param epoch the attempt of the run that last claimed it (0: never claimed)
 */
public record TickerProgress(Ticker ticker, TickerStatus status, int attempts, long bars, long quarantined,
                             String error, int batch, int epoch, Instant updatedAt) {
    public TickerProgress {
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(status, "status");
    }

    static TickerProgress pending(Ticker ticker, int batch) {
        return new TickerProgress(ticker, TickerStatus.PENDING, 0, 0, 0, null, batch, 0, null);
    }
}
