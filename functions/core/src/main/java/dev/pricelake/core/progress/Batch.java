package dev.pricelake.core.progress;

import dev.pricelake.core.DateRange;
import dev.pricelake.core.RunId;
import dev.pricelake.core.Ticker;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One item of the state machine's Map: a slice of a run's tickers, with everything a step needs so no step
 * reads the run header. Only symbols and dates travel through the state machine, never bars.
 *
 * @param asOf the date the retention window ends at, or null for today in New York
 */
public record Batch(RunId runId, int epoch, int batch, List<Ticker> tickers, DateRange range, boolean adjusted,
                    LocalDate asOf) {
    public Batch {
        Objects.requireNonNull(runId, "run_id");
        Objects.requireNonNull(range, "range");
        tickers = List.copyOf(tickers);
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be at least 1, not " + epoch);
        }
    }
}
