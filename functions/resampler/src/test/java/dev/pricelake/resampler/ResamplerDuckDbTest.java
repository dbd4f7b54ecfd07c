package dev.pricelake.resampler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.core.FileObjectStore;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.silver.SilverParquet;
import dev.pricelake.core.silver.SilverRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every silver row checked against the same aggregation done by DuckDB on the bronze files. */
class ResamplerDuckDbTest {
    @TempDir
    static Path root;
    private static FileObjectStore lake;
    private static Resampler.Result result;

    @BeforeAll
    static void buildAndResample() {
        lake = new FileObjectStore(root);
        // Across the 2023/2024 year end, Thanksgiving and Christmas weeks (holiday-shortened).
        Lakes.write(lake, Lakes.bars("FULL", "2023-10-02", "2024-03-15", s -> true, 1));
        // Starts mid-bucket for every k (index 1 mod 34 is mid-bucket for 3, 5, 8, 13, 21 and 34 alike).
        int start = firstSessionAfter("2023-11-01", 34);
        Lakes.write(lake, Lakes.bars("LATE", "2023-11-01", "2024-03-15", s -> s >= start, 2));
        // Halted on some sessions, including whole buckets.
        Lakes.write(lake, Lakes.bars("HALT", "2023-10-02", "2024-03-15", s -> s % 7 != 3 && (s / 13) % 5 != 2, 3));
        // Ends before the others: its last buckets stay incomplete only if the lake's last session says so.
        Lakes.write(lake, Lakes.bars("BRK.B", "2023-10-02", "2024-02-20", s -> true, 4));
        result = new Resampler(lake, Lakes.CALENDAR, Resampler.DEFAULT_INTERVALS, ForkJoinPool.commonPool(),
                Clock.systemUTC()).full();
    }

    private static int firstSessionAfter(String date, int k) {
        int s = Lakes.CALENDAR.sessionIndex(Lakes.CALENDAR.onOrAfter(LocalDate.parse(date)));
        while (s % k != 1) {
            s++;
        }
        return s;
    }

    @Test
    void everyRowMatchesDuckDbsAggregationOfTheBronzeFiles() throws Exception {
        Path sessions = root.resolve("sessions.csv");
        List<String> lines = new ArrayList<>(List.of("date,idx"));
        TradingCalendar calendar = Lakes.CALENDAR;
        for (int i = calendar.sessionIndex(LocalDate.of(2023, 1, 3)); i <= calendar.sessionIndex(LocalDate.of(2024, 12, 31)); i++) {
            lines.add(calendar.session(i) + "," + i);
        }
        Files.write(sessions, lines);
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
            st.execute("CREATE TABLE sessions AS SELECT * FROM read_csv('" + sessions + "', header = true,"
                    + " columns = {'date': 'DATE', 'idx': 'INTEGER'})");
            st.execute("CREATE TABLE b AS SELECT r.symbol, r.date, r.open, r.high, r.low, r.close, r.volume, s.idx"
                    + " FROM read_parquet('" + root + "/bronze/raw_ohlcv/symbol=*/data.parquet') r JOIN sessions s USING (date)");
            long total = 0;
            for (int k : Resampler.DEFAULT_INTERVALS) {
                String expected = "SELECT symbol, " + k + " AS interval_days, min(date) AS start_date, max(date) AS end_date,"
                        + " arg_min(open, date) AS open, max(high) AS high, min(low) AS low, arg_max(close, date) AS close,"
                        + " sum(volume) AS volume, count(*)::INTEGER AS bar_count,"
                        + " (idx // " + k + ") * " + k + " + " + (k - 1) + " <= (SELECT max(idx) FROM b) AS complete"
                        + " FROM b GROUP BY symbol, idx // " + k;
                String actual = "SELECT * FROM read_parquet('" + root + "/silver/silver_" + k + "d/*/*/*.parquet', hive_partitioning = false)";
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM (" + expected + ")")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("rows for %dd", k).isPositive();
                    total += rs.getLong(1);
                }
                for (String[] pair : List.of(new String[] {expected, actual}, new String[] {actual, expected})) {
                    try (ResultSet rs = st.executeQuery("SELECT count(*) FROM ((" + pair[0] + ") EXCEPT ALL (" + pair[1] + "))")) {
                        rs.next();
                        assertThat(rs.getLong(1)).as("rows of %dd in one and not the other", k).isZero();
                    }
                }
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM read_parquet('" + root + "/silver/silver_" + k
                        + "d/*/*/*.parquet', filename = true) WHERE filename NOT LIKE '%year=' || year(start_date)"
                        + " || '/month=' || lpad(month(start_date)::VARCHAR, 2, '0') || '/%'")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("rows outside their start date's partition").isZero();
                }
            }
            assertThat(result.rowsWritten()).isEqualTo(total);
            try (ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + root + "/silver/silver_5d/*/*/*.parquet', hive_partitioning = false)")) {
                List<String> types = new ArrayList<>();
                while (rs.next()) {
                    types.add(rs.getString(1) + " " + rs.getString(2));
                }
                assertThat(types).containsExactly("symbol VARCHAR", "interval_days INTEGER", "start_date DATE",
                        "end_date DATE", "open DOUBLE", "high DOUBLE", "low DOUBLE", "close DOUBLE", "volume DOUBLE",
                        "bar_count INTEGER", "complete BOOLEAN");
            }
        }
    }

    @Test
    void partitionsAreSortedBySymbolAndStartDate() {
        for (String key : lake.list("silver/")) {
            SilverRows rows = SilverParquet.read(lake.get(key).orElseThrow(), key);
            for (int i = 1; i < rows.size(); i++) {
                int bySymbol = rows.symbol(i - 1).compareTo(rows.symbol(i));
                assertThat(bySymbol < 0 || (bySymbol == 0 && rows.startDay(i - 1) < rows.startDay(i))).as(key).isTrue();
            }
        }
    }

    @Test
    void theEdgeCasesComeOutAsDefined() {
        int k = 5;
        // A bucket spanning the year end belongs to its start date's partition: 2023-12-27..2024-01-03 for FULL.
        int yearEnd = Lakes.CALENDAR.sessionIndex(LocalDate.of(2023, 12, 29));
        LocalDate bucketStart = Lakes.CALENDAR.session(yearEnd / k * k);
        SilverRows december = SilverParquet.read(lake.get(SilverLayout.partitionKey(k, 2023 * 12 + 11)).orElseThrow(), "dec");
        boolean spansYear = false;
        for (int i = 0; i < december.size(); i++) {
            if (december.symbol(i).equals("FULL") && december.startDay(i) == bucketStart.toEpochDay()) {
                spansYear = LocalDate.ofEpochDay(december.endDay(i)).getYear() == 2024;
                assertThat(december.barCount(i)).isEqualTo(k);
            }
        }
        assertThat(spansYear).as("the bucket holding 2023-12-29 runs into 2024 and sits in December").isTrue();
        // The last bucket of the lake is incomplete unless it ends exactly on the last session.
        SilverRows march = SilverParquet.read(lake.get(SilverLayout.partitionKey(8, 2024 * 12 + 2)).orElseThrow(), "mar");
        int lastRow = -1;
        for (int i = 0; i < march.size(); i++) {
            if (march.symbol(i).equals("FULL")) {
                lastRow = i;
            }
        }
        int last = Lakes.CALENDAR.sessionIndex(LocalDate.of(2024, 3, 15));
        assertThat(march.complete(lastRow)).isEqualTo((last / 8) * 8 + 7 <= last);
        assertThat(march.endDay(lastRow)).isEqualTo((int) LocalDate.of(2024, 3, 15).toEpochDay());
        // BRK.B stopped in February; its buckets are complete because the lake has passed them.
        SilverRows feb = SilverParquet.read(lake.get(SilverLayout.partitionKey(3, 2024 * 12 + 1)).orElseThrow(), "feb");
        for (int i = 0; i < feb.size(); i++) {
            if (feb.symbol(i).equals("BRK.B")) {
                assertThat(feb.complete(i)).isTrue();
            }
        }
    }
}
