package dev.pricelake.bronzewriter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.core.Bar;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.InMemoryObjectStore;
import dev.pricelake.core.RunId;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.bronze.BronzeLake;
import dev.pricelake.core.bronze.BronzeRow;
import dev.pricelake.core.bronze.Staging;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.InMemoryProgressStore;
import dev.pricelake.core.progress.RunRecord;
import dev.pricelake.core.progress.RunStatus;
import dev.pricelake.core.progress.TickerProgress;
import dev.pricelake.core.progress.TickerStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BronzeWriterTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-05T11:00:00Z"), ZoneOffset.UTC);
    private static final Ticker AAA = Ticker.of("AAA");
    private static final Ticker BBB = Ticker.of("BBB");
    private final InMemoryProgressStore progress = new InMemoryProgressStore();
    private final InMemoryObjectStore lake = new InMemoryObjectStore();
    private final Staging staging = new Staging(lake);
    private final BronzeLake bronze = new BronzeLake(lake);
    private final BronzeWriter writer = new BronzeWriter(progress, staging, bronze, CLOCK);

    private Batch fetched(Ticker... fetched) {
        RunId run = RunId.backfill(CLOCK.instant(), new SplittableRandom(2));
        progress.createRun(new RunRecord(run, "{}", List.of(AAA, BBB), RunStatus.RUNNING, 0, CLOCK.instant(), null,
                Map.of(), null), Map.of());
        int epoch = progress.beginAttempt(run, CLOCK.instant());
        for (Ticker t : fetched) {
            progress.claim(run, t, epoch, 0, CLOCK.instant());
            staging.writeBars(run, t, List.of(new BronzeRow(new Bar(t, LocalDate.of(2024, 3, 4), 1, 2, 1, 2, 100, null, null),
                    CLOCK.instant())));
            progress.markFetched(run, t, epoch, 1, 0, CLOCK.instant());
        }
        return new Batch(run, epoch, 0, List.of(AAA, BBB), DateRange.parse("2024-03-04", "2024-03-08"), true, null);
    }

    @Test
    void mergesWhatThisAttemptFetchedAndLeavesItForWriteRecent() {
        Batch batch = fetched(AAA);
        BronzeWriter.Result r = writer.write(batch);
        assertThat(r.merged()).isEqualTo(1);
        assertThat(r.inserted()).isEqualTo(1);
        assertThat(bronze.read(AAA)).hasSize(1);
        assertThat(lake.get(BronzeLake.key(BBB))).as("BBB was never fetched").isEmpty();
        assertThat(progress.tickers(batch.runId())).extracting(TickerProgress::status)
                .containsExactly(TickerStatus.FETCHED, TickerStatus.PENDING);
    }

    @Test
    void writingTheBatchAgainChangesNothing() {
        Batch batch = fetched(AAA, BBB);
        writer.write(batch);
        byte[] once = lake.get(BronzeLake.key(AAA)).orElseThrow();
        BronzeWriter.Result again = writer.write(batch);
        assertThat(again.inserted() + again.updated()).isZero();
        assertThat(lake.get(BronzeLake.key(AAA)).orElseThrow()).isEqualTo(once);
    }

    @Test
    void aCorruptBronzeFileFailsThatTickerWithTheFileNamed() {
        Batch batch = fetched(AAA, BBB);
        lake.put(BronzeLake.key(AAA), "not parquet".getBytes());
        BronzeWriter.Result r = writer.write(batch);
        assertThat(r.failed()).isEqualTo(1);
        assertThat(r.merged()).isEqualTo(1);
        TickerProgress aaa = progress.tickers(batch.runId()).getFirst();
        assertThat(aaa.status()).isEqualTo(TickerStatus.FAILED);
        assertThat(aaa.error()).contains("bronze/raw_ohlcv/symbol=AAA/data.parquet");
        assertThat(new String(lake.get(BronzeLake.key(AAA)).orElseThrow())).as("left as it was").isEqualTo("not parquet");
    }

    @Test
    void theStagedFooterMetadataReachesTheBronzeFile() {
        Batch batch = fetched(AAA);
        Map<String, String> adjusted = Map.of("pricelake.adjustment", "split-adjusted to 2024-03-04");
        staging.writeBars(batch.runId(), AAA, staging.readBars(batch.runId(), AAA), adjusted);
        writer.write(batch);
        assertThat(bronze.readFile(AAA).metadata()).isEqualTo(adjusted);
        byte[] once = lake.get(BronzeLake.key(AAA)).orElseThrow();
        assertThat(writer.write(batch).inserted()).isZero();
        assertThat(lake.get(BronzeLake.key(AAA)).orElseThrow()).as("merged again: nothing written").isEqualTo(once);
    }
}
