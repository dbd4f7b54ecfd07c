package dev.pricelake.core.bronze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pricelake.core.Bar;
import dev.pricelake.core.FileObjectStore;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.Ticker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BronzeParquetTest {
    @TempDir
    Path lakeDir;
    private static final Ticker ABC = Ticker.of("ABC");
    private static final Instant T1 = Instant.parse("2024-05-01T10:15:30.123456Z");
    private static final Instant T2 = Instant.parse("2024-05-02T10:15:30Z");

    private static BronzeRow row(String date, double close, Instant at) {
        LocalDate d = LocalDate.parse(date);
        return new BronzeRow(new Bar(ABC, d, close - 1, close + 1, close - 2, close, 1234.5, close - 0.5,
                (long) d.getDayOfMonth()), at);
    }

    @Test
    void roundTripsEveryColumnIncludingNulls() {
        BronzeRow full = row("2024-03-01", 10, T1);
        BronzeRow sparse = new BronzeRow(new Bar(Ticker.of("KIMpL"), LocalDate.of(1962, 1, 2), 1, 2, 0.5, 1.5,
                0.25, null, null), T2);
        byte[] bytes = BronzeParquet.write(List.of(full, sparse));
        assertThat(BronzeParquet.read(bytes, "test")).containsExactly(full, sparse);
    }

    @Test
    void sameRowsGiveTheSameBytes() {
        List<BronzeRow> rows = List.of(row("2024-03-01", 10, T1), row("2024-03-04", 11, T1));
        assertThat(BronzeParquet.write(rows)).isEqualTo(BronzeParquet.write(new ArrayList<>(rows)));
    }

    @Test
    void mergeKeepsOneRowPerDateSortedAndNewerValuesWin() {
        BronzeMerge.Result first = BronzeMerge.merge(List.of(),
                List.of(row("2024-03-05", 12, T1), row("2024-03-01", 10, T1)));
        assertThat(first.inserted()).isEqualTo(2);
        BronzeMerge.Result second = BronzeMerge.merge(first.rows(),
                List.of(row("2024-03-01", 10.5, T2), row("2024-03-04", 11, T2), row("2024-03-05", 12, T2)));
        assertThat(second.rows()).extracting(r -> r.bar().date().toString())
                .containsExactly("2024-03-01", "2024-03-04", "2024-03-05");
        assertThat(second.rows().get(0)).isEqualTo(row("2024-03-01", 10.5, T2));
        assertThat(second.rows().get(2).ingestedAt()).as("an unchanged bar keeps its first ingestion time").isEqualTo(T1);
        assertThat(List.of(second.inserted(), second.updated(), second.unchanged())).containsExactly(1, 1, 1);
    }

    @Test
    void mergingTheSameBarsTwiceLeavesByteIdenticalFiles() {
        FileObjectStore store = new FileObjectStore(lakeDir);
        BronzeLake lake = new BronzeLake(store);
        List<BronzeRow> batch = List.of(row("2024-03-01", 10, T1), row("2024-03-04", 11, T1));
        lake.merge(ABC, batch);
        byte[] once = store.get(BronzeLake.key(ABC)).orElseThrow();
        List<BronzeRow> sameBarsLater = batch.stream().map(r -> new BronzeRow(r.bar(), T2)).toList();
        BronzeMerge.Result again = lake.merge(ABC, sameBarsLater);
        assertThat(again.changed()).isFalse();
        assertThat(store.get(BronzeLake.key(ABC)).orElseThrow()).isEqualTo(once);
    }

    @Test
    void footerMetadataTravelsThroughWriteReadAndMerge(@TempDir Path dir) throws Exception {
        FileObjectStore store = new FileObjectStore(dir.resolve("lake"));
        BronzeLake lake = new BronzeLake(store);
        List<BronzeRow> batch = List.of(row("2024-03-01", 10, T1), row("2024-03-04", 11, T1));
        Map<String, String> adjusted = Map.of("pricelake.adjustment", "split-adjusted to 2024-03-04");
        assertThat(lake.merge(ABC, batch, adjusted).changed()).isTrue();
        byte[] once = store.get(BronzeLake.key(ABC)).orElseThrow();
        assertThat(lake.readFile(ABC)).isEqualTo(new BronzeFile(batch, adjusted));

        Path file = dir.resolve("data.parquet");
        Files.write(file, once);
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT decode(key), decode(value) FROM parquet_kv_metadata('" + file + "') ORDER BY 1")) {
            List<String> footer = new ArrayList<>();
            while (rs.next()) {
                footer.add(rs.getString(1) + "=" + rs.getString(2));
            }
            assertThat(footer).as("as another engine sees it")
                    .containsExactly("pricelake.adjustment=split-adjusted to 2024-03-04", "pricelake.format=bronze/1");
        }

        assertThat(lake.merge(ABC, batch, adjusted).changed()).as("same bars, same metadata").isFalse();
        assertThat(lake.merge(ABC, batch, Map.of()).changed()).as("no entries: the stored ones stay").isFalse();
        assertThat(store.get(BronzeLake.key(ABC)).orElseThrow()).isEqualTo(once);

        Map<String, String> unadjusted = Map.of("pricelake.adjustment", "unadjusted");
        BronzeMerge.Result relabelled = lake.merge(ABC, List.of(), unadjusted);
        assertThat(relabelled.changed()).as("a changed entry rewrites the file").isTrue();
        assertThat(lake.readFile(ABC)).isEqualTo(new BronzeFile(batch, unadjusted));

        assertThatThrownBy(() -> BronzeParquet.write(batch, Map.of("adjustment", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pricelake.");
    }

    @Test
    void refusesBarsOfAnotherSymbol() {
        BronzeLake lake = new BronzeLake(new FileObjectStore(lakeDir));
        BronzeRow other = new BronzeRow(new Bar(Ticker.of("XYZ"), LocalDate.of(2024, 3, 1), 1, 1, 1, 1, 1, null, null), T1);
        assertThatThrownBy(() -> lake.merge(ABC, List.of(other))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("XYZ").hasMessageContaining("ABC");
    }

    @Test
    void aCorruptFileIsReportedByName() {
        assertThatThrownBy(() -> BronzeParquet.read("not parquet at all".getBytes(), "bronze/raw_ohlcv/symbol=ABC/data.parquet"))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageStartingWith("bronze/raw_ohlcv/symbol=ABC/data.parquet:");
    }

    @Test
    void duckDbReadsTheFileWithTheDesignedTypesAndValues(@TempDir Path dir) throws Exception {
        BronzeRow full = row("2024-03-01", 10, T1);
        BronzeRow sparse = new BronzeRow(new Bar(ABC, LocalDate.of(2024, 3, 4), 1, 2, 0.5, 1.5, 0.25, null, null), T2);
        Path file = dir.resolve("data.parquet");
        Files.write(file, BronzeParquet.write(List.of(full, sparse)));
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
             Statement st = db.createStatement()) {
            List<String> types = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + file + "')")) {
                while (rs.next()) {
                    types.add(rs.getString(1) + " " + rs.getString(2));
                }
            }
            assertThat(types).containsExactly("symbol VARCHAR", "date DATE", "open DOUBLE", "high DOUBLE",
                    "low DOUBLE", "close DOUBLE", "volume DOUBLE", "vwap DOUBLE", "transactions BIGINT",
                    "ingested_at TIMESTAMP WITH TIME ZONE");
            try (ResultSet rs = st.executeQuery("SELECT symbol, date::VARCHAR, close, volume, vwap, transactions,"
                    + " epoch_us(ingested_at) FROM read_parquet('" + file + "') ORDER BY date")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("ABC");
                assertThat(rs.getString(2)).isEqualTo("2024-03-01");
                assertThat(rs.getDouble(3)).isEqualTo(10.0);
                assertThat(rs.getDouble(4)).isEqualTo(1234.5);
                assertThat(rs.getDouble(5)).isEqualTo(9.5);
                assertThat(rs.getLong(6)).isEqualTo(1L);
                assertThat(rs.getLong(7)).isEqualTo(BronzeParquet.toMicros(T1));
                assertThat(rs.next()).isTrue();
                assertThat(rs.getObject(5)).isNull();
                assertThat(rs.getObject(6)).isNull();
                assertThat(rs.next()).isFalse();
            }
            try (ResultSet rs = st.executeQuery("SELECT compression FROM parquet_metadata('" + file + "') GROUP BY 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("ZSTD");
                assertThat(rs.next()).as("every column chunk is ZSTD").isFalse();
            }
        }
    }
}
