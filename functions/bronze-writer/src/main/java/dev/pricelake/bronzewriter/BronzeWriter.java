package dev.pricelake.bronzewriter;

import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.bronze.BronzeFile;
import dev.pricelake.core.bronze.BronzeLake;
import dev.pricelake.core.bronze.BronzeMerge;
import dev.pricelake.core.bronze.MinuteBronzeLake;
import dev.pricelake.core.bronze.MinuteFile;
import dev.pricelake.core.bronze.Provenance;
import dev.pricelake.core.bronze.StagedDays;
import dev.pricelake.core.bronze.Staging;
import dev.pricelake.core.fetch.Timespan;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.FetchedTickers;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.progress.WriterLease;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * WriteBronze for one batch: every ticker this attempt FETCHED has its staged bars merged into its bronze
 * file (or, for a history fetched again, made its whole file), with the provenance of both (how the prices are
 * adjusted, what was asked, where the source had no bar) in its footer metadata, several tickers at a time. Split-adjusted and unadjusted bars are never merged into
 * one file. The ticker stays FETCHED: it becomes SUCCEEDED in WriteRecent, once PostgreSQL has its bars too. A
 * merge is idempotent, so a retried batch or a resumed run writes the same file.
 */
final class BronzeWriter {
    /**
     * Tickers merged at once: a ticker's merge is mostly two store round trips (read its file, write it), which
     * overlap; each holds its files meanwhile, a few MB for a day file, tens for a year of minutes.
     */
    private static final int DAY_TICKERS_IN_FLIGHT = 16;
    private static final int MINUTE_TICKERS_IN_FLIGHT = 2;
    private final ProgressStore progress;
    private final Staging staging;
    private final BronzeLake lake;
    private final MinuteBronzeLake minuteLake;
    private final WriterLease lease;
    private final TradingCalendar calendar;
    private final Clock clock;

    BronzeWriter(ProgressStore progress, Staging staging, BronzeLake lake, MinuteBronzeLake minuteLake,
            TradingCalendar calendar, Clock clock) {
        this.progress = progress;
        this.staging = staging;
        this.lake = lake;
        this.minuteLake = minuteLake;
        this.lease = new WriterLease(progress, clock);
        this.calendar = calendar;
        this.clock = clock;
    }

    record Result(int merged, int failed, long inserted, long updated, long removed) {
    }

    Result write(Batch batch) {
        lease.hold(batch.runId(), batch.epoch());
        AtomicLongArray changes = new AtomicLongArray(3);
        StagedDays days = staging.stagedDays(batch);
        boolean minutes = batch.timespan() == Timespan.MINUTE;
        int inFlight = minutes ? MINUTE_TICKERS_IN_FLIGHT : DAY_TICKERS_IN_FLIGHT;
        FetchedTickers.Outcome outcome = FetchedTickers.each(progress, batch, clock, inFlight, t -> {
            if (minutes) {
                MinuteFile staged = staging.readMinutes(batch.runId(), t.ticker());
                MinuteBronzeLake.Written written = minuteLake.merge(t.ticker(), staged.rows(), staged.metadata());
                changes.addAndGet(0, written.inserted());
                changes.addAndGet(1, written.updated());
                return true;
            }
            BronzeFile staged = days.file(t.ticker());
            Optional<Provenance> fetched = Provenance.of(staged, calendar, days.source(t.ticker()));
            if (fetched.isEmpty()) {
                // Nothing was asked of the source (no session of the range has closed): nothing to write.
                return true;
            }
            BronzeFile stored = lake.readFile(t.ticker());
            String key = BronzeLake.key(t.ticker());
            Optional<Provenance> before = Provenance.of(stored, calendar, key);
            BronzeMerge.Result result;
            if (batch.replace()) {
                result = lake.replace(t.ticker(), stored, staged.rows(), footer(staged, fetched.get()));
            } else if (before.isEmpty()) {
                result = staged.rows().isEmpty() ? null
                        : lake.merge(t.ticker(), stored, staged.rows(), footer(staged, fetched.get()));
            } else {
                Set<LocalDate> dates = new HashSet<>();
                stored.rows().forEach(r -> dates.add(r.bar().date()));
                staged.rows().forEach(r -> dates.add(r.bar().date()));
                Provenance merged = before.get().mergedWith(fetched.get(), dates, key);
                result = lake.merge(t.ticker(), stored, staged.rows(), footer(staged, merged));
            }
            if (result != null) {
                changes.addAndGet(0, result.inserted());
                changes.addAndGet(1, result.updated());
                changes.addAndGet(2, result.removed());
            }
            // Old tickers whose history moved under this one: their files go once it is written.
            batch.retire().forEach((old, now) -> {
                if (now.equals(t.ticker())) {
                    lake.delete(old);
                }
            });
            return true;
        });
        return new Result(outcome.done(), outcome.failed(), changes.get(0), changes.get(1), changes.get(2));
    }

    /** The staged footer reaches bronze as it is, but for the provenance, which is the one the file ends with. */
    private Map<String, String> footer(BronzeFile staged, Provenance provenance) {
        Map<String, String> footer = new TreeMap<>(staged.metadata());
        footer.putAll(provenance.toMetadata(calendar));
        return footer;
    }
}
