package dev.pricelake.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.core.Bar;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.InMemoryObjectStore;
import dev.pricelake.core.RunId;
import dev.pricelake.core.StoreException;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.bronze.BronzeRow;
import dev.pricelake.core.bronze.Staging;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.InMemoryProgressStore;
import dev.pricelake.core.progress.RunRecord;
import dev.pricelake.core.progress.RunStatus;
import dev.pricelake.core.progress.TickerProgress;
import dev.pricelake.core.progress.TickerStatus;
import dev.pricelake.core.recent.RecentBarsStore;
import dev.pricelake.core.reference.InMemorySymbolStore;
import dev.pricelake.core.reference.Symbol;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RecentWriterTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-05T11:00:00Z"), ZoneOffset.UTC);
    private static final Ticker AAA = Ticker.of("AAA");
    private static final Ticker BBB = Ticker.of("BBB");
    private final InMemoryProgressStore progress = new InMemoryProgressStore();
    private final InMemoryObjectStore lake = new InMemoryObjectStore();
    private final Staging staging = new Staging(lake);
    private final List<Bar> upserted = new ArrayList<>();
    private final InMemorySymbolStore symbols = new InMemorySymbolStore();
    private boolean failing;

    private final RecentBarsStore recent = new RecentBarsStore() {
        @Override
        public long upsert(List<Bar> bars, Instant updatedAt) {
            if (failing) {
                throw new StoreException("PostgreSQL: connection refused", null);
            }
            upserted.addAll(bars);
            return bars.size();
        }

        @Override
        public RetentionResult moveOlderThan(LocalDate cutoff) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Bar> bars(Ticker symbol, LocalDate from) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Counts counts() {
            throw new UnsupportedOperationException();
        }
    };

    private Batch fetched(LocalDate asOf, Ticker... fetched) {
        RunId run = RunId.backfill(CLOCK.instant(), new SplittableRandom(3));
        progress.createRun(new RunRecord(run, "{}", List.of(AAA, BBB), RunStatus.RUNNING, 0, CLOCK.instant(), null,
                Map.of(), null), Map.of());
        int epoch = progress.beginAttempt(run, CLOCK.instant());
        for (Ticker t : fetched) {
            progress.claim(run, t, epoch, 0, CLOCK.instant());
            staging.writeBars(run, t, List.of(
                    new BronzeRow(new Bar(t, LocalDate.of(2018, 3, 5), 1, 2, 1, 2, 10, null, null), CLOCK.instant()),
                    new BronzeRow(new Bar(t, LocalDate.of(2024, 3, 4), 1, 2, 1, 2, 10, null, null), CLOCK.instant())));
            progress.markFetched(run, t, epoch, 2, 0, CLOCK.instant());
        }
        return new Batch(run, epoch, 0, List.of(AAA, BBB), DateRange.parse("2018-01-01", "2024-12-31"), true, asOf);
    }

    @Test
    void writesTheBarsInsideTheWindowCountsTheRestAndMarksTheTickerSucceeded() {
        symbols.upsert(List.of(new Symbol(AAA, "A Corp", "CS", "XNYS", true, null, null, null, null, null, null, null, null,
                1_000L, 5e3, 5e3, null, null, null, null, CLOCK.instant(), CLOCK.instant())), CLOCK.instant());
        Batch batch = fetched(LocalDate.of(2024, 6, 30), AAA);
        RecentWriter.Result r = new RecentWriter(progress, staging, recent, symbols, CLOCK).write(batch);
        assertThat(r.succeeded()).isEqualTo(1);
        assertThat(r.outsideWindow()).isEqualTo(1);
        assertThat(upserted).extracting(Bar::date).containsExactly(LocalDate.of(2024, 3, 4));
        assertThat(progress.tickers(batch.runId())).extracting(TickerProgress::status)
                .containsExactly(TickerStatus.SUCCEEDED, TickerStatus.PENDING);
        Symbol a = symbols.all().getFirst();
        assertThat(a.lastCloseDate()).as("the newest staged bar, inside the window or not").isEqualTo(LocalDate.of(2024, 3, 4));
        assertThat(a.marketCap()).as("1,000 shares at the close of 2").isEqualTo(2_000.0);
    }

    @Test
    void aDatabaseErrorFailsTheTickerWithTheMessage() {
        Batch batch = fetched(LocalDate.of(2024, 6, 30), AAA, BBB);
        failing = true;
        RecentWriter.Result r = new RecentWriter(progress, staging, recent, symbols, CLOCK).write(batch);
        assertThat(r.failed()).isEqualTo(2);
        assertThat(progress.tickers(batch.runId())).allSatisfy(t -> {
            assertThat(t.status()).isEqualTo(TickerStatus.FAILED);
            assertThat(t.error()).contains("connection refused");
        });
    }
}
