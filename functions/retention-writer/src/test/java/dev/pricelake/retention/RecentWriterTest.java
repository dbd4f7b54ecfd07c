package dev.pricelake.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.adapters.sql.JdbcSql;
import dev.pricelake.adapters.sql.Migrations;
import dev.pricelake.adapters.sql.PostgresMinuteBars;
import dev.pricelake.adapters.sql.PostgresRecentBars;
import dev.pricelake.core.Bar;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.InMemoryObjectStore;
import dev.pricelake.core.MinuteBar;
import dev.pricelake.core.RunId;
import dev.pricelake.core.StoreException;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.bronze.BronzeRow;
import dev.pricelake.core.bronze.MinuteRow;
import dev.pricelake.core.bronze.Staging;
import dev.pricelake.core.fetch.FetchMethod;
import dev.pricelake.core.fetch.Timespan;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.InMemoryProgressStore;
import dev.pricelake.core.progress.RunRecord;
import dev.pricelake.core.progress.RunStatus;
import dev.pricelake.core.progress.TickerProgress;
import dev.pricelake.core.progress.TickerStatus;
import dev.pricelake.core.progress.WriterLease;
import dev.pricelake.core.recent.RecentBarsStore;
import dev.pricelake.core.recent.RetentionWindow;
import dev.pricelake.core.reference.InMemorySymbolStore;
import dev.pricelake.core.reference.Symbol;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** WriteRecent on an embedded PostgreSQL with the real migrations: where each bar goes, and what a re-fetch replaces. */
class RecentWriterTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-05T11:00:00Z"), ZoneOffset.UTC);
    private static final Ticker AAA = Ticker.of("AAA");
    private static final Ticker BBB = Ticker.of("BBB");
    private static final LocalDate AS_OF = LocalDate.of(2024, 6, 30);
    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;
    private final InMemoryProgressStore progress = new InMemoryProgressStore();
    private final InMemoryObjectStore lake = new InMemoryObjectStore();
    private final Staging staging = new Staging(lake);
    private final SplittableRandom random = new SplittableRandom(3);
    private final InMemorySymbolStore symbols = new InMemorySymbolStore();

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        dataSource = postgres.getPostgresDatabase();
        Migrations.apply(dataSource);
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void emptyTables() throws Exception {
        execute("TRUNCATE raw_ohlcv; TRUNCATE raw_ohlcv_archive; TRUNCATE ohlcv_minute");
    }

    private static void execute(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** As retention makes one when it first moves rows of that year. */
    private static void archivePartition(int year) throws Exception {
        execute("CREATE TABLE IF NOT EXISTS raw_ohlcv_archive_" + year + " PARTITION OF raw_ohlcv_archive FOR VALUES FROM ('"
                + year + "-01-01') TO ('" + (year + 1) + "-01-01')");
    }

    private static List<String> rows(String table) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT symbol, date, close FROM " + table + " ORDER BY symbol, date")) {
            while (r.next()) {
                out.add(r.getString(1) + " " + r.getDate(2) + " " + r.getDouble(3));
            }
        }
        return out;
    }

    private static Bar bar(Ticker t, String date, double close) {
        return new Bar(t, LocalDate.parse(date), close, close, close, close, 10, null, null);
    }

    /** A batch in which this attempt fetched the tickers: a bar of 2018 (outside the window) and one of 2024. */
    private Batch fetched(boolean replace, Map<Ticker, Ticker> retire, Ticker... fetched) {
        RunId run = RunId.backfill(CLOCK.instant(), random);
        progress.createRun(new RunRecord(run, "{}", List.of(AAA, BBB), RunStatus.RUNNING, 0, CLOCK.instant(), null,
                Map.of(), null), Map.of());
        progress.lease().ifPresent(held -> progress.releaseLease(held.holder()));
        progress.acquireLease(run, CLOCK.instant(), WriterLease.TTL);
        int epoch = progress.beginAttempt(run, CLOCK.instant());
        for (Ticker t : fetched) {
            progress.claim(run, t, epoch, 0, CLOCK.instant());
            staging.writeBars(run, t, List.of(new BronzeRow(bar(t, "2018-03-05", 2), CLOCK.instant()),
                    new BronzeRow(bar(t, "2024-03-04", 3), CLOCK.instant())));
            progress.markFetched(run, t, epoch, 2, 0, CLOCK.instant());
        }
        return new Batch(run, epoch, 0, List.of(AAA, BBB), DateRange.parse("2018-01-01", "2024-06-28"), true, AS_OF,
                FetchMethod.RANGE, 0, null, replace, Map.of(), retire);
    }

    private RecentWriter writer(DataSource to) {
        return new RecentWriter(progress, staging, new PostgresRecentBars(new JdbcSql(to)),
                new PostgresMinuteBars(new JdbcSql(to)), symbols, CLOCK);
    }

    private static MinuteRow minute(Ticker t, String start, double close, Instant ingested) {
        return new MinuteRow(new MinuteBar(t, Instant.parse(start), close, close + 1, close - 1, close, 100.5, close, 7L),
                ingested);
    }

    /**
     * A minute batch (as_of 2024-06-30, 10 days: minutes from 2024-06-20 00:00 New York, 04:00 UTC) whose tickers
     * staged these minutes, ingested when staged.
     */
    private Batch minutesFetched(Instant ingested, Map<Ticker, List<String>> closesByStart) {
        RunId run = RunId.backfill(CLOCK.instant(), random);
        progress.createRun(new RunRecord(run, "{}", List.copyOf(closesByStart.keySet()), RunStatus.RUNNING, 0, CLOCK.instant(),
                null, Map.of(), null), Map.of());
        progress.lease().ifPresent(held -> progress.releaseLease(held.holder()));
        progress.acquireLease(run, CLOCK.instant(), WriterLease.TTL);
        int epoch = progress.beginAttempt(run, CLOCK.instant());
        closesByStart.forEach((t, minutes) -> {
            progress.claim(run, t, epoch, 0, CLOCK.instant());
            List<MinuteRow> rows = new ArrayList<>();
            for (String m : minutes) {
                String[] startClose = m.split("=");
                rows.add(minute(t, startClose[0], Double.parseDouble(startClose[1]), ingested));
            }
            staging.writeMinutes(run, t, rows, Map.of());
            progress.markFetched(run, t, epoch, rows.size(), 0, CLOCK.instant());
        });
        return new Batch(run, epoch, 0, List.copyOf(closesByStart.keySet()), DateRange.parse("2024-06-17", "2024-06-28"), true,
                AS_OF, FetchMethod.RANGE, 0, null, false, Map.of(), Map.of(), Timespan.MINUTE, 10);
    }

    private static List<String> minuteRows() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT symbol, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
                     + " close, high, volume, vwap, transactions, ingested_at FROM ohlcv_minute ORDER BY symbol, ts")) {
            while (r.next()) {
                out.add(r.getString(1) + " " + r.getString(2) + " " + r.getDouble(3) + " " + r.getDouble(4) + " "
                        + r.getDouble(5) + " " + r.getDouble(6) + " " + r.getLong(7) + " "
                        + r.getObject(8, OffsetDateTime.class).toInstant());
            }
        }
        return out;
    }

    @Test
    void barsInsideTheWindowGoToRawOhlcvOlderOnesToTheArchiveAndTheTickerSucceeds() throws Exception {
        symbols.upsert(List.of(new Symbol(AAA, "A Corp", "CS", "XNYS", true, null, null, null, null, null, null, null, null,
                1_000L, 5e3, 5e3, null, null, null, null, CLOCK.instant(), CLOCK.instant())), CLOCK.instant());
        Batch batch = fetched(false, Map.of(), AAA);
        RecentWriter.Result r = writer(dataSource).write(batch);
        assertThat(r.succeeded()).isEqualTo(1);
        assertThat(r.recent()).isEqualTo(1);
        assertThat(r.archived()).isEqualTo(1);
        assertThat(rows("raw_ohlcv")).containsExactly("AAA 2024-03-04 3.0");
        assertThat(rows("raw_ohlcv_archive")).containsExactly("AAA 2018-03-05 2.0");
        assertThat(progress.tickers(batch.runId())).extracting(TickerProgress::status)
                .containsExactly(TickerStatus.SUCCEEDED, TickerStatus.PENDING);
        Symbol a = symbols.all().getFirst();
        assertThat(a.lastCloseDate()).as("the newest staged bar, inside the window or not").isEqualTo(LocalDate.of(2024, 3, 4));
        assertThat(a.marketCap()).as("1,000 shares at the close of 3").isEqualTo(3_000.0);
    }

    @Test
    void aGroupedBatchReadsItsOneStagedFileAndFailsATickerItDoesNotHold() throws Exception {
        Batch ranged = fetched(false, Map.of(), AAA, BBB);
        Batch grouped = new Batch(ranged.runId(), ranged.epoch(), 0, ranged.tickers(), ranged.range(), true, AS_OF,
                FetchMethod.GROUPED, 0, null);
        // The grouped batch's one file holds AAA's bars (as staged above); BBB is FETCHED but not in it.
        staging.writeBatch(grouped, Map.of(AAA, staging.readFile(grouped.runId(), AAA)));
        lake.delete(Staging.stagingKey(grouped.runId(), AAA));
        lake.delete(Staging.stagingKey(grouped.runId(), BBB));
        RecentWriter.Result r = writer(dataSource).write(grouped);
        assertThat(List.of(r.succeeded(), r.failed())).containsExactly(1, 1);
        assertThat(rows("raw_ohlcv")).containsExactly("AAA 2024-03-04 3.0");
        assertThat(rows("raw_ohlcv_archive")).containsExactly("AAA 2018-03-05 2.0");
        List<TickerProgress> after = progress.tickers(grouped.runId());
        assertThat(after).extracting(TickerProgress::status).containsExactly(TickerStatus.SUCCEEDED, TickerStatus.FAILED);
        assertThat(after.get(1).error()).contains(Staging.batchKey(grouped.runId(), grouped.epoch(), 0)).contains("BBB");
    }

    @Test
    void aKeyIsNeverInBothTablesWhateverWindowWroteItBefore() throws Exception {
        // A retention with a later as_of archived the 2024 bar; a run with an older as_of put the 2018 one in raw_ohlcv.
        archivePartition(2024);
        execute("INSERT INTO raw_ohlcv_archive (symbol, date, open, high, low, close, volume) VALUES ('AAA', '2024-03-04', 9, 9, 9, 9, 1)");
        execute("INSERT INTO raw_ohlcv (symbol, date, open, high, low, close, volume) VALUES ('AAA', '2018-03-05', 9, 9, 9, 9, 1)");
        writer(dataSource).write(fetched(false, Map.of(), AAA));
        assertThat(rows("raw_ohlcv")).containsExactly("AAA 2024-03-04 3.0");
        assertThat(rows("raw_ohlcv_archive")).containsExactly("AAA 2018-03-05 2.0");
    }

    @Test
    void aHistoryFetchedAgainReplacesTheSymbolsRowsInBothTablesAndThoseOfTheTickerItTookOver() throws Exception {
        execute("INSERT INTO raw_ohlcv (symbol, date, open, high, low, close, volume) VALUES ('AAA', '2024-03-05', 9, 9, 9, 9, 1),"
                + " ('BBB', '2024-02-01', 9, 9, 9, 9, 1)");
        archivePartition(2017);
        execute("INSERT INTO raw_ohlcv_archive (symbol, date, open, high, low, close, volume) VALUES ('AAA', '2017-01-03', 9, 9, 9, 9, 1)");
        Batch batch = fetched(true, Map.of(BBB, AAA), AAA);
        writer(dataSource).write(batch);
        writer(dataSource).write(batch);
        assertThat(rows("raw_ohlcv")).containsExactly("AAA 2024-03-04 3.0");
        assertThat(rows("raw_ohlcv_archive")).containsExactly("AAA 2018-03-05 2.0");
    }

    @Test
    void aDatabaseErrorFailsTheTickerWithTheMessage() {
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setURL("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2");
        Batch batch = fetched(false, Map.of(), AAA, BBB);
        RecentWriter.Result r = writer(nowhere).write(batch);
        assertThat(r.failed()).isEqualTo(2);
        assertThat(progress.tickers(batch.runId())).allSatisfy(t -> {
            assertThat(t.status()).isEqualTo(TickerStatus.FAILED);
            assertThat(t.error()).containsIgnoringCase("connection");
        });
    }

    @Test
    void aBatchIsOneWriteAndWhenItFailsOnlyTheTickerWhoseOwnWriteFailsIsFailed() throws Exception {
        List<List<Bar>> writes = new ArrayList<>();
        Ticker[] failing = {null};
        PostgresRecentBars postgresBars = new PostgresRecentBars(new JdbcSql(dataSource));
        RecentBarsStore watched = new RecentBarsStore() {
            @Override
            public Counts write(List<Bar> bars, RetentionWindow window, Instant updatedAt) {
                writes.add(bars);
                if (bars.stream().anyMatch(b -> b.symbol().equals(failing[0]))) {
                    throw new StoreException("PostgreSQL: a value out of range", null);
                }
                return postgresBars.write(bars, window, updatedAt);
            }

            @Override
            public Counts replace(Ticker symbol, List<Ticker> retired, List<Bar> bars, RetentionWindow window, Instant updatedAt) {
                return postgresBars.replace(symbol, retired, bars, window, updatedAt);
            }

            @Override
            public RetentionResult moveOlderThan(LocalDate cutoff) {
                return postgresBars.moveOlderThan(cutoff);
            }

            @Override
            public List<Bar> bars(Ticker symbol, LocalDate from) {
                return postgresBars.bars(symbol, from);
            }

            @Override
            public Counts counts() {
                return postgresBars.counts();
            }
        };
        RecentWriter writer = new RecentWriter(progress, staging, watched, new PostgresMinuteBars(new JdbcSql(dataSource)),
                symbols, CLOCK);
        RecentWriter.Result together = writer.write(fetched(false, Map.of(), AAA, BBB));
        assertThat(together.succeeded()).isEqualTo(2);
        assertThat(writes).hasSize(1);
        assertThat(writes.getFirst()).extracting(Bar::symbol).containsOnly(AAA, BBB);
        assertThat(rows("raw_ohlcv")).containsExactly("AAA 2024-03-04 3.0", "BBB 2024-03-04 3.0");

        execute("TRUNCATE raw_ohlcv; TRUNCATE raw_ohlcv_archive");
        failing[0] = BBB;
        Batch apart = fetched(false, Map.of(), AAA, BBB);
        RecentWriter.Result r = writer.write(apart);
        assertThat(r.succeeded()).isEqualTo(1);
        assertThat(r.failed()).isEqualTo(1);
        assertThat(progress.tickers(apart.runId())).extracting(TickerProgress::ticker, TickerProgress::status)
                .containsExactlyInAnyOrder(Tuple.tuple(AAA, TickerStatus.SUCCEEDED), Tuple.tuple(BBB, TickerStatus.FAILED));
        assertThat(rows("raw_ohlcv")).containsExactly("AAA 2024-03-04 3.0");
    }

    @Test
    void aMinuteBatchWritesItsMinutesInsideItsOwnWindowToOhlcvMinuteAndNothingElse() throws Exception {
        Instant staged = Instant.parse("2026-01-05T10:00:00Z");
        // 2024-06-20 04:00 UTC is midnight in New York: the minute before it is dated June 19 there, outside.
        Batch batch = minutesFetched(staged, new TreeMap<>(Map.of(
                AAA, List.of("2024-06-18T13:30:00Z=5", "2024-06-20T03:59:00Z=6", "2024-06-20T13:30:00Z=7",
                        "2024-06-28T19:59:00Z=8"),
                BBB, List.of("2024-06-21T00:00:00Z=9"))));

        RecentWriter.Result r = writer(dataSource).write(batch);

        assertThat(r.succeeded()).isEqualTo(2);
        assertThat(r.recent()).isEqualTo(3);
        assertThat(minuteRows()).containsExactly(
                "AAA 2024-06-20T13:30:00Z 7.0 8.0 100.5 7.0 7 " + staged,
                "AAA 2024-06-28T19:59:00Z 8.0 9.0 100.5 8.0 7 " + staged,
                "BBB 2024-06-21T00:00:00Z 9.0 10.0 100.5 9.0 7 " + staged);
        assertThat(rows("raw_ohlcv")).as("no day row").isEmpty();
        assertThat(symbols.all()).as("no last close from a minute").isEmpty();
        assertThat(progress.tickers(batch.runId())).extracting(TickerProgress::status).containsOnly(TickerStatus.SUCCEEDED);

        // The same minutes staged again later, one of them changed: only that row (and its ingested_at) moves.
        Instant again = Instant.parse("2026-01-06T10:00:00Z");
        writer(dataSource).write(minutesFetched(again, new TreeMap<>(Map.of(
                AAA, List.of("2024-06-20T13:30:00Z=7", "2024-06-28T19:59:00Z=8.5"),
                BBB, List.of("2024-06-21T00:00:00Z=9")))));
        assertThat(minuteRows()).containsExactly(
                "AAA 2024-06-20T13:30:00Z 7.0 8.0 100.5 7.0 7 " + staged,
                "AAA 2024-06-28T19:59:00Z 8.5 9.5 100.5 8.5 7 " + again,
                "BBB 2024-06-21T00:00:00Z 9.0 10.0 100.5 9.0 7 " + staged);
    }
}
