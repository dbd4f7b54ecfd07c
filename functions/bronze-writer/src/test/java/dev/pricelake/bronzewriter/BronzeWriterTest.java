package dev.pricelake.bronzewriter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.core.Bar;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.InMemoryObjectStore;
import dev.pricelake.core.ObservedObjectStore;
import dev.pricelake.core.RunId;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.bronze.Adjustment;
import dev.pricelake.core.bronze.BronzeFile;
import dev.pricelake.core.bronze.BronzeLake;
import dev.pricelake.core.bronze.MinuteBronzeLake;
import dev.pricelake.core.bronze.BronzeRow;
import dev.pricelake.core.bronze.Provenance;
import dev.pricelake.core.bronze.Staging;
import dev.pricelake.core.fetch.FetchMethod;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.InMemoryProgressStore;
import dev.pricelake.core.progress.RunRecord;
import dev.pricelake.core.progress.RunStatus;
import dev.pricelake.core.progress.TickerProgress;
import dev.pricelake.core.progress.TickerStatus;
import dev.pricelake.core.progress.WriterLease;
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
    private static final TradingCalendar CALENDAR = TradingCalendar.nyse();
    private static final Ticker AAA = Ticker.of("AAA");
    private static final Ticker BBB = Ticker.of("BBB");
    private static final Ticker CCC = Ticker.of("CCC");
    private final InMemoryProgressStore progress = new InMemoryProgressStore();
    private final InMemoryObjectStore lake = new InMemoryObjectStore();
    private final Staging staging = new Staging(lake);
    private final BronzeLake bronze = new BronzeLake(lake);
    private final BronzeWriter writer = new BronzeWriter(progress, staging, bronze, new MinuteBronzeLake(lake), CALENDAR,
            CLOCK);
    private final SplittableRandom random = new SplittableRandom(2);

    private Batch fetched(Ticker... fetched) {
        return fetched(false, Map.of(), fetched);
    }

    /** A batch whose tickers this attempt fetched: a bar on 2024-03-04, the week asked, split-adjusted through its end. */
    private Batch fetched(boolean replace, Map<Ticker, Ticker> retire, Ticker... fetched) {
        RunId run = RunId.backfill(CLOCK.instant(), random);
        progress.createRun(new RunRecord(run, "{}", List.of(AAA, BBB), RunStatus.RUNNING, 0, CLOCK.instant(), null,
                Map.of(), null), Map.of());
        progress.releaseLease(progress.lease().map(l -> l.holder()).orElse(run));
        progress.acquireLease(run, CLOCK.instant(), WriterLease.TTL);
        int epoch = progress.beginAttempt(run, CLOCK.instant());
        DateRange week = DateRange.parse("2024-03-04", "2024-03-08");
        for (Ticker t : fetched) {
            progress.claim(run, t, epoch, 0, CLOCK.instant());
            staging.writeBars(run, t, List.of(new BronzeRow(new Bar(t, LocalDate.of(2024, 3, 4), 1, 2, 1, 2, 100, null, null),
                    CLOCK.instant())), new Provenance(Adjustment.splitsThrough(week.end()), week,
                    Provenance.sessionsWithout(week, java.util.Set.of(LocalDate.of(2024, 3, 4)), CALENDAR), "").toMetadata(CALENDAR));
            progress.markFetched(run, t, epoch, 1, 0, CLOCK.instant());
        }
        return new Batch(run, epoch, 0, List.of(AAA, BBB), week, true, null, FetchMethod.RANGE, 0, null, replace, Map.of(),
                retire);
    }

    /**
     * A grouped batch of AAA, BBB and CCC, all three FETCHED by this attempt, whose one staged file holds AAA (a bar on
     * 2024-03-04, none on the rest of the week) and BBB (every session of the week) but not CCC.
     */
    private Batch fetchedInOneFile() {
        RunId run = RunId.backfill(CLOCK.instant(), random);
        List<Ticker> tickers = List.of(AAA, BBB, CCC);
        progress.createRun(new RunRecord(run, "{}", tickers, RunStatus.RUNNING, 0, CLOCK.instant(), null, Map.of(), null),
                Map.of());
        progress.acquireLease(run, CLOCK.instant(), WriterLease.TTL);
        int epoch = progress.beginAttempt(run, CLOCK.instant());
        DateRange week = DateRange.parse("2024-03-04", "2024-03-08");
        Batch batch = new Batch(run, epoch, 3, tickers, week, true, null, FetchMethod.GROUPED, 0, null);
        Map<Ticker, BronzeFile> staged = new java.util.TreeMap<>();
        for (Ticker t : List.of(AAA, BBB)) {
            List<LocalDate> dates = t.equals(AAA) ? List.of(LocalDate.of(2024, 3, 4)) : CALENDAR.sessions(week);
            List<BronzeRow> rows = dates.stream().map(d -> new BronzeRow(new Bar(t, d, 1, 2, 1, 2, 100, null, null),
                    CLOCK.instant())).toList();
            staged.put(t, new BronzeFile(rows, new Provenance(Adjustment.splitsThrough(week.end()), week,
                    Provenance.sessionsWithout(week, new java.util.HashSet<>(dates), CALENDAR), "").toMetadata(CALENDAR)));
        }
        staging.writeBatch(batch, staged);
        for (Ticker t : tickers) {
            progress.claim(run, t, epoch, batch.batch(), CLOCK.instant());
            progress.markFetched(run, t, epoch, 1, 0, CLOCK.instant());
        }
        return batch;
    }

    @Test
    void aGroupedBatchsOneFileIsReadOnceEachTickerMergedWithItsOwnProvenanceAndAgainChangesNothing() {
        Batch batch = fetchedInOneFile();
        List<String> reads = new java.util.ArrayList<>();
        Staging counted = new Staging(ObservedObjectStore.reads(lake, reads::add));
        BronzeWriter reading = new BronzeWriter(progress, counted, bronze, new MinuteBronzeLake(lake), CALENDAR, CLOCK);
        BronzeWriter.Result r = reading.write(batch);
        assertThat(reads).as("the batch's file, once").containsExactly(Staging.batchKey(batch.runId(), batch.epoch(), 3));
        assertThat(List.of(r.merged(), r.failed())).containsExactly(2, 1);
        assertThat(r.inserted()).isEqualTo(6);
        assertThat(bronze.read(AAA)).extracting(row -> row.bar().date().toString()).containsExactly("2024-03-04");
        assertThat(bronze.read(BBB)).hasSize(5).allSatisfy(row -> assertThat(row.bar().symbol()).isEqualTo(BBB));
        assertThat(provenance(AAA).noBars()).extracting(LocalDate::toString)
                .containsExactly("2024-03-05", "2024-03-06", "2024-03-07", "2024-03-08");
        assertThat(provenance(BBB).noBars()).isEmpty();
        TickerProgress ccc = progress.tickers(batch.runId(), List.of(CCC)).getFirst();
        assertThat(ccc.status()).as("FETCHED without its bars in the file: a resume fetches it").isEqualTo(TickerStatus.FAILED);
        assertThat(ccc.error()).contains(Staging.batchKey(batch.runId(), batch.epoch(), 3)).contains("does not hold CCC");
        assertThat(lake.get(BronzeLake.key(CCC))).isEmpty();

        Map<String, byte[]> once = new java.util.TreeMap<>();
        lake.list(BronzeLake.PREFIX).forEach(k -> once.put(k, lake.get(k).orElseThrow()));
        BronzeWriter.Result again = writer.write(batch);
        assertThat(again.inserted() + again.updated() + again.removed()).isZero();
        assertThat(lake.list(BronzeLake.PREFIX)).containsExactlyElementsOf(once.keySet());
        once.forEach((k, bytes) -> assertThat(lake.get(k).orElseThrow()).as(k).isEqualTo(bytes));
    }

    @Test
    void tickersAreMergedSeveralAtATimeSoTheirStoreRoundTripsOverlap() {
        Batch batch = fetchedInOneFile();
        // Each read of a bronze file waits until the other ticker's read has begun too: merged one at a time, neither would.
        java.util.concurrent.CountDownLatch bothReading = new java.util.concurrent.CountDownLatch(2);
        List<Boolean> overlapped = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        ObservedObjectStore slow = ObservedObjectStore.reads(lake, key -> {
            if (key.startsWith(BronzeLake.PREFIX)) {
                bothReading.countDown();
                try {
                    overlapped.add(bothReading.await(5, java.util.concurrent.TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        BronzeWriter.Result r = new BronzeWriter(progress, staging, new BronzeLake(slow), new MinuteBronzeLake(slow), CALENDAR,
                CLOCK).write(batch);
        assertThat(r.merged()).isEqualTo(2);
        assertThat(overlapped).containsExactly(true, true);
        assertThat(bronze.read(BBB)).hasSize(5);
    }

    private void stored(Ticker t, Adjustment adjustment, String... dates) {
        List<BronzeRow> rows = java.util.Arrays.stream(dates).map(d -> new BronzeRow(new Bar(t, LocalDate.parse(d), 3, 4, 3, 4,
                10, null, null), CLOCK.instant())).toList();
        bronze.merge(t, rows, new Provenance(adjustment, DateRange.parse(dates[0], dates[dates.length - 1]),
                new java.util.TreeSet<>(), "").toMetadata(CALENDAR));
    }

    private Provenance provenance(Ticker t) {
        return Provenance.of(bronze.readFile(t), CALENDAR, "test").orElseThrow();
    }

    @Test
    void aMergeKeepsTheEarlierAdjustmentSpansBothCoveragesAndRecordsWhereTheSourceHadNoBar() {
        stored(AAA, Adjustment.splitsThrough(LocalDate.of(2024, 3, 1)), "2024-02-28", "2024-02-29", "2024-03-01");
        writer.write(fetched(AAA));
        Provenance after = provenance(AAA);
        assertThat(after.adjustment()).isEqualTo(Adjustment.splitsThrough(LocalDate.of(2024, 3, 1)));
        assertThat(after.covered()).hasToString("2024-02-28..2024-03-08");
        assertThat(after.noBars()).extracting(LocalDate::toString).containsExactly("2024-03-05", "2024-03-06", "2024-03-07",
                "2024-03-08");
        assertThat(bronze.read(AAA)).hasSize(4);
    }

    @Test
    void splitAdjustedBarsAreNeverMergedIntoAnUnadjustedFile() {
        stored(AAA, Adjustment.UNADJUSTED, "2024-02-29", "2024-03-01");
        byte[] before = lake.get(BronzeLake.key(AAA)).orElseThrow();
        Batch batch = fetched(AAA);
        BronzeWriter.Result r = writer.write(batch);
        assertThat(r.failed()).isEqualTo(1);
        assertThat(progress.tickers(batch.runId()).getFirst().error()).contains("holds unadjusted bars")
                .contains("split-adjusted (through 2024-03-08)").contains("are not merged");
        assertThat(lake.get(BronzeLake.key(AAA)).orElseThrow()).isEqualTo(before);
    }

    @Test
    void aHistoryFetchedAgainReplacesTheFileAndTheOldTickersFileGoes() {
        stored(AAA, Adjustment.splitsThrough(LocalDate.of(2024, 2, 1)), "2024-02-28", "2024-02-29", "2024-03-01");
        stored(BBB, Adjustment.splitsThrough(LocalDate.of(2024, 2, 1)), "2024-02-27");
        BronzeWriter.Result r = writer.write(fetched(true, Map.of(BBB, AAA), AAA));
        assertThat(bronze.read(AAA)).extracting(row -> row.bar().date().toString()).containsExactly("2024-03-04");
        assertThat(r.removed()).isEqualTo(3);
        assertThat(provenance(AAA).adjustment()).isEqualTo(Adjustment.splitsThrough(LocalDate.of(2024, 3, 8)));
        assertThat(lake.get(BronzeLake.key(BBB))).as("its history moved under AAA").isEmpty();
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
        Map<String, String> staged = new java.util.TreeMap<>(staging.readFile(batch.runId(), AAA).metadata());
        staged.put("pricelake.adjustment", "splits-through:2024-03-06");
        staged.put("pricelake.fetched_by", "a later writer");
        staging.writeBars(batch.runId(), AAA, staging.readFile(batch.runId(), AAA).rows(), staged);
        writer.write(batch);
        assertThat(bronze.readFile(AAA).metadata()).isEqualTo(Map.of("pricelake.adjustment", "splits-through:2024-03-06",
                "pricelake.covered", "2024-03-04..2024-03-08", "pricelake.no_bar_sessions", "2024-03-05..2024-03-08",
                "pricelake.fetched_by", "a later writer"));
        byte[] once = lake.get(BronzeLake.key(AAA)).orElseThrow();
        assertThat(writer.write(batch).inserted()).isZero();
        assertThat(lake.get(BronzeLake.key(AAA)).orElseThrow()).as("merged again: nothing written").isEqualTo(once);
    }
}
